# Push campaigns from the back office: a message about new arrivals (or a
# promotion) in a universe, for customers chosen by language and favourite
# shop, sent at its scheduled time by a cron in throttled batches: a customer
# gets at most one campaign every N days. The channel that owns the devices
# (the app API) delivers it, keeping only devices that follow the topic, and
# reports opens; the figures (sent, opened) are counted here.
import datetime as dt

from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import notify
from .configuration import get_config

TOPICS = [
    ('new_arrivals', "New Arrivals"),
    ('promotions', "Promotions"),
    ]
LANGUAGES = [('fr', "French"), ('nl', "Dutch"), ('en', "English")]


class Campaign(Workflow, ModelSQL, ModelView):
    "Push Campaign"
    __name__ = 'urban.loyalty.campaign'
    _states = {'readonly': Eval('state') != 'draft'}

    name = fields.Char("Name", required=True, states=_states)
    title = fields.Char("Title", required=True, translate=True,
        states=_states)
    body = fields.Text("Message", required=True, translate=True,
        states=_states)
    topic = fields.Selection(TOPICS, "Topic", required=True, states=_states,
        help="Only devices that follow this topic receive the campaign.")
    universe = fields.Many2One('product.category', "Universe",
        domain=[('universe', '=', True)], states=_states,
        ondelete='RESTRICT', help="The universe the message opens.")
    languages = fields.MultiSelection(LANGUAGES, "Languages",
        states=_states, help="Empty for every language.")
    favourite_shop = fields.Many2One('stock.location', "Favourite Shop",
        domain=[('type', '=', 'warehouse'), ('shop', '=', True)],
        states=_states, ondelete='RESTRICT',
        help="Only customers whose favourite shop it is (empty for all).")
    scheduled_at = fields.DateTime("Scheduled At", required=True,
        states=_states)
    state = fields.Selection([
            ('draft', "Draft"),
            ('scheduled', "Scheduled"),
            ('sending', "Sending"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    recipients = fields.One2Many('urban.loyalty.campaign.recipient',
        'campaign', "Recipients", readonly=True)
    sent = fields.Function(fields.Integer("Sent"), 'get_figures')
    throttled = fields.Function(fields.Integer("Throttled"), 'get_figures')
    opened = fields.Function(fields.Integer("Opened"), 'get_figures')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('scheduled_at', 'DESC'))
        cls._transitions |= {
            ('draft', 'scheduled'),
            ('scheduled', 'draft'),
            ('scheduled', 'sending'),
            ('sending', 'done'),
            ('draft', 'cancelled'),
            ('scheduled', 'cancelled'),
            ('sending', 'cancelled'),
            }
        cls._buttons.update({
                'schedule': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'scheduled',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'scheduled', 'sending']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def copy(cls, campaigns, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        default.setdefault('recipients')
        return super().copy(campaigns, default=default)

    @classmethod
    def default_topic(cls):
        return 'new_arrivals'

    @classmethod
    def get_figures(cls, campaigns, names):
        Recipient = Pool().get('urban.loyalty.campaign.recipient')
        recipient = Recipient.__table__()
        cursor = Transaction().connection.cursor()
        ids = [c.id for c in campaigns]
        result = {n: dict.fromkeys(ids, 0) for n in names}
        if not ids:
            return result
        cursor.execute(*recipient.select(recipient.campaign,
                recipient.state, Count(recipient.id),
                Count(recipient.opened_at),
                where=recipient.campaign.in_(ids),
                group_by=[recipient.campaign, recipient.state]))
        for campaign_id, state, count, opened in cursor:
            if state == 'sent':
                if 'sent' in result:
                    result['sent'][campaign_id] += count
                if 'opened' in result:
                    result['opened'][campaign_id] += opened
            elif state == 'throttled' and 'throttled' in result:
                result['throttled'][campaign_id] += count
        return result

    @classmethod
    def check_modification(cls, mode, campaigns, values=None, external=False):
        super().check_modification(mode, campaigns, values=values,
            external=external)
        if mode == 'delete':
            for campaign in campaigns:
                if campaign.state not in {'draft', 'cancelled'}:
                    raise AccessError(gettext(
                            'urban_loyalty.msg_campaign_delete',
                            campaign=campaign.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('scheduled')
    def schedule(cls, campaigns):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, campaigns):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, campaigns):
        pass

    @classmethod
    @Workflow.transition('sending')
    def start_sending(cls, campaigns):
        pass

    @classmethod
    @Workflow.transition('done')
    def finish(cls, campaigns):
        pass

    def audience_domain(self):
        "Domain of the customers the campaign targets"
        domain = [('active', '=', True)]
        if self.favourite_shop:
            domain.append(('favourite_shop', '=', self.favourite_shop.id))
        return domain

    def targets(self, party):
        "Whether party is targeted (language of the customer)"
        return (not self.languages
            or notify.language(party) in self.languages)

    @classmethod
    def send_due(cls, now=None):
        """Cron: start the campaigns whose time has come and send the next
        batch of each sending campaign"""
        now = now or dt.datetime.now()
        due = cls.search([
                ('state', '=', 'scheduled'),
                ('scheduled_at', '<=', now),
                ])
        if due:
            cls.start_sending(due)
        for campaign in cls.search([('state', '=', 'sending')],
                order=[('scheduled_at', 'ASC')]):
            campaign.send_batch(now)

    def send_batch(self, now):
        """Deliver to the next customers of the audience (at most the
        configured batch); a customer who got a campaign in the last days
        is throttled. The campaign is done when no customer is left."""
        pool = Pool()
        Party = pool.get('party.party')
        Recipient = pool.get('urban.loyalty.campaign.recipient')
        config = get_config()
        batch = max(config.campaign_batch or 0, 1)
        since = now - dt.timedelta(days=config.campaign_interval or 0)
        done = {r.party.id for r in Recipient.search([
                    ('campaign', '=', self.id)])}
        recipients = []
        exhausted = True
        for party in Party.search(self.audience_domain(),
                order=[('id', 'ASC')]):
            if party.id in done or not self.targets(party):
                continue
            if len(recipients) >= batch:
                exhausted = False
                break
            recent = Recipient.search([
                    ('party', '=', party.id),
                    ('state', '=', 'sent'),
                    ('sent_at', '>=', since),
                    ], limit=1)
            recipient = Recipient(campaign=self, party=party, sent_at=now)
            if recent:
                recipient.state = 'throttled'
            elif self.deliver(recipient):
                recipient.state = 'sent'
            else:
                recipient.state = 'unreachable'
            recipients.append(recipient)
        Recipient.save(recipients)
        self.after_delivery(recipients)
        if exhausted:
            self.finish([self])
        return recipients

    def deliver(self, recipient):
        """Send the campaign to the recipient's customer; True when some
        message left. The push channel implements it."""
        return False

    def after_delivery(self, recipients):
        "Channels link what they sent to the saved recipients"
        pass

    def texts(self):
        "{lang: (title, body)} of the campaign"
        result = {}
        for lang in notify.LANGUAGES:
            with Transaction().set_context(language=lang):
                campaign = self.__class__(self.id)
                result[lang] = (campaign.title, campaign.body)
        return result


class Recipient(ModelSQL, ModelView):
    "Push Campaign Recipient"
    __name__ = 'urban.loyalty.campaign.recipient'

    campaign = fields.Many2One('urban.loyalty.campaign', "Campaign",
        required=True, readonly=True, ondelete='CASCADE')
    party = fields.Many2One('party.party', "Customer", required=True,
        readonly=True, ondelete='CASCADE')
    state = fields.Selection([
            ('sent', "Sent"),
            ('throttled', "Throttled"),
            ('unreachable', "Unreachable"),
            ], "State", required=True, readonly=True)
    sent_at = fields.DateTime("Sent At", required=True, readonly=True)
    opened_at = fields.DateTime("Opened At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('campaign_party_unique', Unique(t, t.campaign, t.party),
                'urban_loyalty.msg_campaign_recipient_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.party, Index.Range()),
                (t.sent_at, Index.Range())))

    @classmethod
    def mark_opened(cls, campaign_id, party):
        """The customer opened the campaign's message (app callback);
        returns the recipient or None when it was not sent to them"""
        recipients = cls.search([
                ('campaign', '=', campaign_id),
                ('party', '=', party.id),
                ('state', '=', 'sent'),
                ], limit=1)
        if not recipients:
            return None
        recipient, = recipients
        if not recipient.opened_at:
            recipient.opened_at = dt.datetime.now()
            recipient.save()
        return recipient


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('urban.loyalty.campaign|send_due', "Send Push Campaigns"),
                ('urban.loyalty.review_nudge|send_due',
                    "Send Review Nudges"),
                ('urban.loyalty.cart_reminder|send_due',
                    "Send Cart Reminders"),
                ])
