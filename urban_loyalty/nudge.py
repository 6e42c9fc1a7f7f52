# Review nudge: the day after a shop purchase by a known customer, an e-mail
# (or, through a channel such as the app, a push) with the shop's Google
# review link; at most once per customer in the configured number of months,
# never to a customer who opted out. The daily cron sends them.
import datetime as dt

from dateutil.relativedelta import relativedelta

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta

from . import notify
from .configuration import get_config


class ReviewNudge(ModelSQL, ModelView):
    "Review Nudge"
    __name__ = 'urban.loyalty.review_nudge'

    party = fields.Many2One('party.party', "Customer", required=True,
        readonly=True, ondelete='CASCADE')
    shop = fields.Many2One('stock.location', "Shop", required=True,
        readonly=True, ondelete='CASCADE')
    purchase_date = fields.Date("Purchase Date", required=True,
        readonly=True)
    origin = fields.Reference("Purchase", selection='get_origins',
        readonly=True)
    channel = fields.Selection([
            ('email', "E-mail"),
            ('push', "Push"),
            ], "Channel", required=True, readonly=True)
    sent_at = fields.DateTime("Sent At", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.party, Index.Range()),
                (t.sent_at, Index.Range())))
        cls._order.insert(0, ('sent_at', 'DESC'))

    @classmethod
    def _get_origins(cls):
        return ['sale.sale']

    @classmethod
    def get_origins(cls):
        IrModel = Pool().get('ir.model')
        return [(None, '')] + [(m, IrModel.get_name(m))
            for m in cls._get_origins()]

    @classmethod
    def _shop_purchases(cls, date):
        """[(party, shop, origin)] of the shop purchases of known customers
        on date; modules recording shop sales extend it"""
        return []

    @classmethod
    def send_due(cls, date=None):
        "Cron: nudge the customers who bought in a shop the day before"
        pool = Pool()
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today() - dt.timedelta(days=1)
        months = get_config().review_interval
        since = dt.datetime.combine(date, dt.time()) - relativedelta(
            months=months)
        nudges = []
        seen = set()
        for party, shop, origin in cls._shop_purchases(date):
            if party.id in seen:
                continue
            seen.add(party.id)
            if not cls.eligible(party, shop, since):
                continue
            nudge = cls(party=party, shop=shop, purchase_date=date,
                origin=str(origin) if origin else None,
                sent_at=dt.datetime.now())
            nudge.channel = nudge.deliver()
            if nudge.channel:
                nudge.save()
                nudges.append(nudge)
        return nudges

    @classmethod
    def eligible(cls, party, shop, since):
        "Opt-out, review link and once per customer per interval"
        if party.review_opt_out or not party.active:
            return False
        if not shop.google_review_url:
            return False
        return not cls.search([
                ('party', '=', party.id),
                ('sent_at', '>=', since),
                ], limit=1)

    def deliver(self):
        "Send the nudge; returns the channel used, None when unreachable"
        email = self.party.email
        if not email:
            return None
        lang = notify.language(self.party)
        values = self.values()
        notify.send_email(email,
            notify.render('review', 'subject', lang, **values),
            notify.render('review', 'body', lang, **values))
        return 'email'

    def values(self):
        return {
            'name': self.party.name or '',
            'shop': self.shop.name,
            'url': self.shop.google_review_url,
            }


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    review_opt_out = fields.Boolean("No Review Requests",
        help="The customer does not want review requests.")
    cart_reminders = fields.Boolean("Cart Reminders",
        help="The customer agreed to be reminded of an idle cart.")
    favourite_shop = fields.Many2One('stock.location', "Favourite Shop",
        ondelete='SET NULL',
        domain=[('type', '=', 'warehouse'), ('shop', '=', True)])

    @classmethod
    def default_review_opt_out(cls):
        return False

    @classmethod
    def default_cart_reminders(cls):
        return False
