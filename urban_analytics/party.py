"""Customer 360: one profile across till, app, web and pro: orders of every
channel, lifetime value, favourite shop, consents, app installed and
coupons used. Shop staff read the figures of their own shops' orders only
(as their record rules on the orders show them)."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal
from sql.aggregate import Count, Max, Min, Sum

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from . import facts


CENT = Decimal('0.01')


def _decimal(value):
    "An amount read by SQL: a float on SQLite, whose sums lose the Decimal"
    if value is None:
        return Decimal(0)
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value


def _date(value):
    "A date read by SQL: an ISO string on SQLite"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return value


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    analytics_orders = fields.One2Many('urban.analytics.order', 'party',
        "Orders (all channels)", readonly=True)
    lifetime_value = fields.Function(fields.Numeric("Lifetime Value",
            digits=(16, 2), help="Revenue (tax excl.) of all the "
            "customer's orders in every channel, returns deducted."),
        'get_customer_360')
    order_count = fields.Function(fields.Integer("Orders"),
        'get_customer_360')
    first_order_date = fields.Function(fields.Date("First Order"),
        'get_customer_360')
    last_order_date = fields.Function(fields.Date("Last Order"),
        'get_customer_360')
    channels = fields.Function(fields.Char("Channels"), 'get_customer_360')
    # not favourite_shop: that one is the shop the customer chose
    # (urban_loyalty preferences, campaign targeting)
    top_shop = fields.Function(fields.Many2One('stock.location',
            "Top Shop",
            help="The shop of most of the customer's orders."),
        'get_customer_360')
    app_installed = fields.Function(fields.Boolean("App Installed",
            help="The customer has an app account with an active push "
            "device."), 'get_app_installed')
    coupons_used = fields.Function(fields.Many2Many(
            'sale.promotion.coupon.number', None, None, "Coupons Used"),
        'get_coupons_used')

    @staticmethod
    def _staff_shops():
        """The shops of a shop staff user (their figures count these shops'
        orders only, as their record rules show them), None for others"""
        User = Pool().get('res.user')
        shops = User.get_staff_shops()
        return None if shops is None else sorted(shops)

    @classmethod
    def get_customer_360(cls, parties, names):
        cursor = Transaction().connection.cursor()
        shops = cls._staff_shops()
        result = {n: {p.id: None for p in parties} for n in names}
        for name in ('lifetime_value',):
            if name in result:
                result[name] = {p.id: Decimal('0.00') for p in parties}
        if 'order_count' in result:
            result['order_count'] = {p.id: 0 for p in parties}
        channels = dict(facts.CHANNELS)
        for sub_ids in grouped_slice([p.id for p in parties]):
            orders = facts.orders_query(filters=(None,) * 5)
            where = reduce_ids(orders.party, sub_ids)
            if shops is not None:
                where &= orders.shop.in_(shops or [-1])
            cursor.execute(*orders.select(
                    orders.party, orders.channel, orders.shop,
                    Sum(orders.amount),
                    Count(Literal(1), filter_=~orders.is_return),
                    Min(orders.date), Max(orders.date),
                    where=where,
                    group_by=[orders.party, orders.channel, orders.shop]))
            stats = defaultdict(list)
            for party, channel, shop, amount, count, first, last in cursor:
                stats[party].append((channel, shop, _decimal(amount), count,
                        _date(first), _date(last)))
            for party, rows in stats.items():
                values = {
                    'lifetime_value': sum(
                        (r[2] for r in rows), Decimal(0)).quantize(CENT),
                    'order_count': sum(r[3] for r in rows),
                    'first_order_date': min(r[4] for r in rows),
                    'last_order_date': max(r[5] for r in rows),
                    'channels': ', '.join(channels[c] for c, _ in
                        facts.CHANNELS if any(r[0] == c for r in rows)),
                    }
                by_shop = defaultdict(int)
                for row in rows:
                    if row[1]:
                        by_shop[row[1]] += row[3]
                if by_shop:
                    # ties go to the lowest shop id, for a stable answer
                    values['top_shop'] = sorted(
                        by_shop.items(), key=lambda i: (-i[1], i[0]))[0][0]
                for name in names:
                    if name in values:
                        result[name][party] = values[name]
        return result

    @classmethod
    def get_app_installed(cls, parties, name):
        pool = Pool()
        try:
            # the app's push registry, when the app's module is activated
            Device = pool.get('urban.api.push.device')
        except KeyError:
            return {p.id: False for p in parties}
        devices = Device.search([
                ('user.party', 'in', [p.id for p in parties]),
                ('active', '=', True),
                ])
        installed = {d.user.party.id for d in devices}
        return {p.id: p.id in installed for p in parties}

    @classmethod
    def get_coupons_used(cls, parties, name):
        pool = Pool()
        Sale = pool.get('sale.sale')
        SaleCoupon = pool.get('sale.sale-sale.promotion.coupon.number')
        sale, sale_coupon = Sale.__table__(), SaleCoupon.__table__()
        cursor = Transaction().connection.cursor()
        result = {p.id: [] for p in parties}
        shops = cls._staff_shops()
        for sub_ids in grouped_slice([p.id for p in parties]):
            where = (reduce_ids(sale.party, sub_ids)
                & sale.state.in_(facts.SALE_STATES))
            if shops is not None:
                where &= sale.warehouse.in_(shops or [-1])
            cursor.execute(*sale_coupon.join(sale,
                    condition=sale_coupon.sale == sale.id).select(
                    sale.party, sale_coupon.number,
                    where=where,
                    group_by=[sale.party, sale_coupon.number],
                    order_by=[sale.party, sale_coupon.number]))
            for party, number in cursor:
                result[party].append(number)
        return result
