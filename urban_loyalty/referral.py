# Referral: each customer has a personal code (a number of the configured
# referral coupon, e.g. -10 %). A friend uses it on a first order (coupon.py
# refuses it otherwise); once that order is processed the referrer earns
# points, unless the friend looks like the referrer: a shared e-mail, device
# or payment method. Channels add their own fingerprints (devices, payment
# methods) by extending Referral._fingerprints.
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval

from .configuration import get_config
from .points import new_code

REFUSALS = [
    (None, ""),
    ('email', "Same e-mail"),
    ('device', "Same device"),
    ('payment', "Same payment method"),
    ('self', "Own code"),
    ]


def normalise_email(value):
    "lower case, without +tag: a+x@b.c and A@b.c are the same person"
    local, _, domain = (value or '').strip().lower().partition('@')
    local = local.split('+', 1)[0]
    if domain in {'gmail.com', 'googlemail.com'}:
        local = local.replace('.', '')
        domain = 'gmail.com'
    return '%s@%s' % (local, domain) if domain else local


class Referral(ModelSQL, ModelView):
    "Referral"
    __name__ = 'urban.loyalty.referral'

    referrer = fields.Many2One('party.party', "Referrer", required=True,
        readonly=True, ondelete='CASCADE')
    friend = fields.Many2One('party.party', "Friend", required=True,
        readonly=True, ondelete='CASCADE')
    sale = fields.Many2One('sale.sale', "First Order", readonly=True,
        ondelete='SET NULL')
    date = fields.DateTime("Date", required=True, readonly=True)
    state = fields.Selection([
            ('rewarded', "Rewarded"),
            ('refused', "Refused"),
            ], "State", required=True, readonly=True)
    refusal = fields.Selection(REFUSALS, "Refusal Reason", readonly=True)
    points = fields.Integer("Points", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('friend_unique', Unique(t, t.friend),
                'urban_loyalty.msg_referral_friend_unique'),
            ]
        cls._order.insert(0, ('date', 'DESC'))

    @classmethod
    def default_date(cls):
        return dt.datetime.now()

    @classmethod
    def _fingerprints(cls, party):
        """{kind: set of values} identifying the person behind party;
        kinds are those of REFUSALS. Channels extend it."""
        return {'email': {normalise_email(c.value)
                for c in party.contact_mechanisms
                if c.type == 'email' and c.value}}

    @classmethod
    def abuse(cls, referrer, friend):
        "The refusal reason when friend looks like referrer, else None"
        if referrer == friend:
            return 'self'
        mine = cls._fingerprints(referrer)
        theirs = cls._fingerprints(friend)
        for kind, _ in REFUSALS:
            if kind and mine.get(kind, set()) & theirs.get(kind, set()):
                return kind
        return None

    @classmethod
    def reward(cls, sales):
        """Record the referral of each processed first order that used a
        referral code: points to the referrer, or refused as abuse.
        Idempotent: a friend is referred once."""
        pool = Pool()
        Points = pool.get('urban.loyalty.points')
        config = get_config()
        for sale in sales:
            if not sale.referrer or not sale.party:
                continue
            if cls.search([('friend', '=', sale.party.id)], limit=1):
                continue
            reason = cls.abuse(sale.referrer, sale.party)
            points = 0 if reason else config.referral_points
            referral, = cls.create([{
                        'referrer': sale.referrer.id,
                        'friend': sale.party.id,
                        'sale': sale.id,
                        'state': 'refused' if reason else 'rewarded',
                        'refusal': reason,
                        'points': points,
                        }])
            if points:
                Points.create([{
                            'party': sale.referrer.id, 'kind': 'referral',
                            'points': points, 'origin': str(referral),
                            'description': sale.party.rec_name,
                            }])


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    referral_code = fields.Function(fields.Char("Referral Code"),
        'get_referral_code')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'create_referral_code': {
                    'invisible': Bool(Eval('referral_code')),
                    'depends': ['referral_code'],
                    },
                })

    @classmethod
    @ModelView.button
    def create_referral_code(cls, parties):
        for party in parties:
            party.referral_number()

    def get_referral_code(self, name):
        Number = Pool().get('sale.promotion.coupon.number')
        numbers = Number.search([('referrer', '=', self.id)],
            order=[('id', 'ASC')], limit=1)
        return numbers[0].number if numbers else None

    def referral_number(self):
        """The personal referral code of the customer (a coupon number of
        the configured referral coupon), created on first need"""
        Number = Pool().get('sale.promotion.coupon.number')
        numbers = Number.search([('referrer', '=', self.id)],
            order=[('id', 'ASC')], limit=1)
        if numbers:
            return numbers[0]
        coupon = get_config().referral_coupon
        if not coupon:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_referral_not_configured'))
        prefix = re.sub(r'[^A-Z]', '', (self.name or '').upper())[:6]
        number, = Number.create([{
                    'coupon': coupon.id, 'company': coupon.company.id,
                    'number': new_code((prefix or 'FRIEND') + '-', 5),
                    'referrer': self.id,
                    }])
        return number
