# Loyalty points: a ledger per customer. B2C purchases (shops, app, web shop)
# earn points once per purchase; points are redeemed as a single-use coupon
# number reserved for the customer; the referrer of a friend earns points
# after the friend's first order (referral.py).
#
# A purchase that is cancelled or fully returned loses its points: a
# 'reverse' line takes them back, once per purchase. Points already spent on
# a reward are not taken back (the reward coupon was given, it stays valid):
# the reversal is capped at the balance, which never goes below zero, and
# the line says how many points could not be taken back.
import secrets
from decimal import ROUND_DOWN, Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .configuration import get_config

KINDS = [
    ('earn', "Purchase"),
    ('redeem', "Reward"),
    ('referral', "Referral"),
    ('adjust', "Adjustment"),
    ('reverse', "Cancelled Purchase"),
    ]
CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'


def new_code(prefix, length=8):
    return prefix + ''.join(
        secrets.choice(CODE_ALPHABET) for _ in range(length))


class PointsLine(ModelSQL, ModelView):
    "Loyalty Points"
    __name__ = 'urban.loyalty.points'

    party = fields.Many2One('party.party', "Customer", required=True,
        readonly=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True, readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    points = fields.Integer("Points", required=True, readonly=True)
    origin = fields.Reference("Origin", selection='get_origins',
        readonly=True)
    amount = fields.Numeric("Purchase Amount", digits=(16, 2),
        readonly=True)
    coupon_number = fields.Many2One('sale.promotion.coupon.number',
        "Coupon Number", readonly=True, ondelete='SET NULL')
    description = fields.Char("Description", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('origin_kind_unique', Unique(t, t.origin, t.kind),
                'urban_loyalty.msg_points_origin_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.party, Index.Range())))
        cls._order.insert(0, ('date', 'DESC'))
        cls._order.insert(1, ('id', 'DESC'))

    @classmethod
    def _get_origins(cls):
        return ['sale.sale', 'urban.loyalty.referral']

    @classmethod
    def get_origins(cls):
        IrModel = Pool().get('ir.model')
        return [(None, '')] + [(m, IrModel.get_name(m))
            for m in cls._get_origins()]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def balances(cls, parties):
        "{party id: points balance}"
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = [p.id for p in parties]
        result = dict.fromkeys(ids, 0)
        if ids:
            cursor.execute(*line.select(line.party, Sum(line.points),
                    where=line.party.in_(ids), group_by=[line.party]))
            for party_id, total in cursor:
                result[party_id] = int(total or 0)
        return result

    @classmethod
    def points_for(cls, amount):
        "Points earned by a purchase of amount (tax included), rounded down"
        rate = get_config().points_per_euro or Decimal(0)
        return int((Decimal(amount or 0) * rate).quantize(
                Decimal(1), rounding=ROUND_DOWN))

    @classmethod
    def earn(cls, party, amount, origin, date=None, description=None):
        """Credit party with the points of a purchase of amount; once per
        origin (a second call for the same origin returns None)"""
        if not party or origin is None:
            return None
        origin = str(origin)
        if cls.search([('origin', '=', origin), ('kind', '=', 'earn')],
                limit=1):
            return None
        points = cls.points_for(amount)
        if not points:
            return None
        line, = cls.create([{
                    'party': party.id, 'kind': 'earn', 'points': points,
                    'origin': origin, 'amount': amount,
                    'date': date or cls.default_date(),
                    'description': description,
                    }])
        return line

    @classmethod
    def reverse(cls, origin, date=None):
        """Take back the points earned by origin (a purchase cancelled or
        fully returned), at most the customer's balance; once per origin.
        Returns the reversal line or None (nothing earned, nothing left,
        already reversed)."""
        Party = Pool().get('party.party')
        if origin is None:
            return None
        origin = str(origin)
        earned = cls.search([('origin', '=', origin), ('kind', '=', 'earn')],
            limit=1)
        if not earned or earned[0].points <= 0:
            return None
        earned, = earned
        # serialised with redemptions: the balance read after the lock
        Party.lock([earned.party])
        if cls.search([('origin', '=', origin), ('kind', '=', 'reverse')],
                limit=1):
            return None
        balance = cls.balances([earned.party])[earned.party.id]
        points = min(earned.points, max(balance, 0))
        spent = earned.points - points
        description = earned.description or ''
        if spent:
            description = gettext('urban_loyalty.msg_points_reverse_spent',
                description=description, points=spent)
        line, = cls.create([{
                    'party': earned.party.id, 'kind': 'reverse',
                    'points': -points, 'origin': origin,
                    'amount': earned.amount,
                    'date': date or cls.default_date(),
                    'description': description,
                    }])
        return line

    @classmethod
    def redeem(cls, party):
        """Spend the reward points of party for a new single-use coupon
        number reserved for them; returns the number.
        Raises ValidationError when the balance is too low or no reward
        coupon is configured."""
        pool = Pool()
        Party = pool.get('party.party')
        Number = pool.get('sale.promotion.coupon.number')
        config = get_config()
        if not config.reward_coupon:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_reward_not_configured'))
        # serialise redemptions of one customer: the balance is read after
        # the lock, so two concurrent requests cannot spend the same points
        Party.lock([party])
        balance = cls.balances([party])[party.id]
        cost = config.reward_points
        if cost <= 0 or balance < cost:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_points_insufficient',
                    balance=balance, cost=cost))
        coupon = config.reward_coupon
        number, = Number.create([{
                    'coupon': coupon.id, 'company': coupon.company.id,
                    'number': new_code('PTS-'), 'party': party.id,
                    }])
        cls.create([{
                    'party': party.id, 'kind': 'redeem', 'points': -cost,
                    'coupon_number': number.id,
                    'description': number.number,
                    }])
        return number


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    loyalty_points = fields.Function(fields.Integer("Loyalty Points"),
        'get_loyalty_points')
    loyalty_lines = fields.One2Many('urban.loyalty.points', 'party',
        "Loyalty Points History", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'redeem_points': {'readonly': ~Eval('active', True),
                    'depends': ['active']},
                })

    @classmethod
    @ModelView.button
    def redeem_points(cls, parties):
        "Spend points for a reward coupon (e.g. at a shop's till)"
        Points = Pool().get('urban.loyalty.points')
        for party in parties:
            Points.redeem(party)

    @classmethod
    def get_loyalty_points(cls, parties, name):
        return Pool().get('urban.loyalty.points').balances(parties)

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('loyalty_lines')
        return super().copy(parties, default=default)
