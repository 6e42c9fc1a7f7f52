# Newsletter sign-up with explicit consent: who agreed, to what wording, when,
# in which language and through which channel; withdrawing keeps the record.
# A sign-up from a public form is confirmed by e-mail (double opt-in): the
# form stores a pending request and mails a link with its random token (only
# its hash is kept); the consent is recorded when the link is confirmed.
import datetime as dt
import hashlib
import re
import secrets
import urllib.parse

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta

from . import notify

# no control characters nor line separators (an e-mail header may not hold
# them, PostgreSQL refuses NUL)
NOT_CONTROL = '\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029'
EMAIL = re.compile(r'^[^@\s%(c)s]+@[^@\s%(c)s]+\.[^@\s%(c)s]+$'
    % {'c': NOT_CONTROL})
EMAIL_MAX = 254
CONFIRMATION_DAYS = 7
# confirmation e-mails an address receives per day, whoever asks
MAILS_PER_DAY = 3
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
    def check_sign_up(cls, email, consent):
        "The normalised e-mail of a sign-up; ValidationError when invalid"
        email = (email or '').strip().lower()
        if len(email) > EMAIL_MAX or not EMAIL.match(email):
            raise ValidationError(gettext(
                    'urban_loyalty.msg_newsletter_email_invalid',
                    email=email[:EMAIL_MAX].encode(
                        'unicode_escape').decode('ascii')))
        if consent is not True:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_newsletter_consent_required'))
        return email

    @classmethod
    def request_confirmation(cls, email, consent, wording, confirm_url,
            language=None, channel='web'):
        """Double opt-in, first step: check the sign-up, store it pending
        and e-mail the link confirm_url?token=... that records the consent
        (confirm). Nothing is recorded as consent here. An address gets at
        most MAILS_PER_DAY confirmation e-mails a day; past that the
        request is dropped silently (the form answers the same)."""
        pool = Pool()
        Request = pool.get('urban.loyalty.newsletter_request')
        Throttle = pool.get('urban.throttle')
        email = cls.check_sign_up(email, consent)
        if channel not in dict(CHANNELS):
            raise ValueError("Unknown channel %r" % channel)
        if Throttle.hit('newsletter_confirmation', email, MAILS_PER_DAY,
                24 * 3600) is not None:
            return None
        token = secrets.token_urlsafe(32)
        request, = Request.create([{
                    'email': email,
                    'language': (language or '')[:5] or None,
                    'channel': channel, 'wording': wording,
                    'token_hash': Request.hash_token(token),
                    'expires_at': dt.datetime.now() + dt.timedelta(
                        days=CONFIRMATION_DAYS),
                    }])
        separator = '&' if '?' in confirm_url else '?'
        url = confirm_url + separator + urllib.parse.urlencode(
            {'token': token})
        lang = (language or 'fr')[:2]
        lang = lang if lang in notify.LANGUAGES else 'fr'
        notify.send_email(email,
            notify.render('newsletter_confirm', 'subject', lang),
            notify.render('newsletter_confirm', 'body', lang, url=url,
                wording=wording))
        return request

    @classmethod
    def confirm(cls, token):
        """Double opt-in, second step: record the consent of the pending
        sign-up of token (consented now, with the wording agreed on the
        form); None when the token is unknown, used or expired."""
        Request = Pool().get('urban.loyalty.newsletter_request')
        requests = Request.search([
                ('token_hash', '=', Request.hash_token(token)),
                ('expires_at', '>', dt.datetime.now()),
                ], limit=1) if token and len(token) <= 128 else []
        if not requests:
            return None
        request, = requests
        consent = cls.subscribe(request.email, True, request.wording,
            language=request.language, channel=request.channel)
        Request.delete(Request.search([
                    ['OR',
                        ('email', '=', request.email),
                        ('expires_at', '<', dt.datetime.now()),
                        ]]))
        return consent

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
        email = cls.check_sign_up(email, consent)
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


class NewsletterRequest(ModelSQL):
    "Newsletter sign-up waiting for its confirmation"
    __name__ = 'urban.loyalty.newsletter_request'

    email = fields.Char("E-mail", required=True)
    language = fields.Char("Language", size=5)
    channel = fields.Selection(CHANNELS, "Channel", required=True)
    wording = fields.Text("Wording", required=True)
    token_hash = fields.Char("Token Hash", required=True)
    expires_at = fields.Timestamp("Expires At", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_indexes.add(Index(table,
                (table.token_hash, Index.Equality(cardinality='high'))))

    @staticmethod
    def hash_token(token):
        return hashlib.sha256((token or '').encode('utf-8')).hexdigest()


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
