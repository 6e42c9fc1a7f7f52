# Newsletter sign-up with explicit consent: who agreed, to what wording, when,
import datetime as dt
# in which language and through which channel; withdrawing keeps the record.
import re

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta

EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
EMAIL_MAX = 254
CHANNELS = [
    ('web', "Website"),
    ('app', "App"),
    ('shop', "Shop"),
    ]


class NewsletterConsent(ModelSQL, ModelView):
    "Newsletter consent"
    __name__ = 'urban.loyalty.newsletter_consent'

    party = fields.Many2One('party.party', "Party", required=True,
        readonly=True, ondelete='CASCADE')
    email = fields.Char("E-mail", required=True, readonly=True)
    language = fields.Char("Language", size=5, readonly=True)
    channel = fields.Selection(CHANNELS, "Channel", required=True,
        readonly=True)
    wording = fields.Text("Wording", required=True, readonly=True,
        help="The exact sentence the person agreed to.")
    consented_at = fields.Timestamp("Consented At", required=True,
        readonly=True)
    withdrawn_at = fields.Timestamp("Withdrawn At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('consented_at', 'DESC'))

    @classmethod
    def default_consented_at(cls):
        return dt.datetime.now()

    @classmethod
    def subscribe(cls, email, consent, wording, language=None,
            channel='web'):
        """Record the newsletter consent of email (the party owning that
        e-mail address, or a new party); consent must be True: an explicit
        opt-in. Returns the consent; a second sign-up of a subscribed
        address returns the existing consent."""
        pool = Pool()
        Party = pool.get('party.party')
        Contact = pool.get('party.contact_mechanism')
        Lang = pool.get('ir.lang')
        email = (email or '').strip().lower()
        if len(email) > EMAIL_MAX or not EMAIL.match(email):
            raise ValidationError(gettext(
                    'urban_loyalty.msg_newsletter_email_invalid',
                    email=email[:EMAIL_MAX]))
        if consent is not True:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_newsletter_consent_required'))
        if channel not in dict(CHANNELS):
            raise ValueError("Unknown channel %r" % channel)
        current = cls.search([
                ('email', '=', email),
                ('withdrawn_at', '=', None),
                ], limit=1)
        if current:
            return current[0]
        contacts = Contact.search([
                ('type', '=', 'email'),
                ('value', 'ilike', email),
                ], order=[('id', 'ASC')], limit=1)
        if contacts:
            party = contacts[0].party
        else:
            langs = Lang.search([('code', '=', language)], limit=1)
            party, = Party.create([{
                        'name': email,
                        'lang': langs[0].id if langs else None,
                        'contact_mechanisms': [('create', [{
                                        'type': 'email', 'value': email}])],
                        }])
        consent, = cls.create([{
                    'party': party.id, 'email': email,
                    'language': (language or '')[:5] or None,
                    'channel': channel, 'wording': wording,
                    }])
        return consent

    @classmethod
    def withdraw(cls, consents):
        cls.write([c for c in consents if not c.withdrawn_at],
            {'withdrawn_at': dt.datetime.now()})


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    newsletter_consents = fields.One2Many(
        'urban.loyalty.newsletter_consent', 'party', "Newsletter Consents",
        readonly=True)
    newsletter_subscribed = fields.Function(
        fields.Boolean("Newsletter"), 'get_newsletter_subscribed')

    @classmethod
    def get_newsletter_subscribed(cls, parties, name):
        Consent = Pool().get('urban.loyalty.newsletter_consent')
        subscribed = {c.party.id for c in Consent.search([
                    ('party', 'in', [p.id for p in parties]),
                    ('withdrawn_at', '=', None),
                    ])}
        return {p.id: p.id in subscribed for p in parties}
