"""The manager's home: how the business is doing on one screen.

A board (home.xml) puts side by side the scorecard of today and of this
week (revenue, orders and average basket of the business, each channel and
each shop against the same days a week and a year before), the revenue by
shop, by channel and by week as charts, the click & collect orders waiting,
the problems and the best sellers running low on stock.

The figures read the same order and line facts as every KPI (facts.py);
the period is the context's named `period` or dates."""
import datetime as dt

from sql import As, Cast, Literal, Null, Union
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce, NullIf
from sql.functions import DateTrunc, Function, Round

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import facts
from .kpi import _Report, _ratio

# a year before on the same weekdays: 52 weeks
WEEK_BEFORE = dt.timedelta(days=7)
YEAR_BEFORE = dt.timedelta(days=364)
SCOPES = [
    ('total', "All"),
    ('channel', "Channel"),
    ('shop', "Shop"),
    ]


class Scorecard(_Report):
    """Scorecard

    Revenue (tax excluded), orders and average basket of the period for
    the business, each channel and each shop, against the same days a week
    before and 52 weeks before (so that a Saturday meets a Saturday)."""
    __name__ = 'urban.analytics.scorecard'

    sequence = fields.Integer("Sequence")
    scope = fields.Selection(SCOPES, "Scope")
    channel = fields.Selection([(None, "")] + facts.CHANNELS, "Channel")
    shop = fields.Many2One('stock.location', "Shop")
    scope_string = scope.translated('scope')
    channel_string = channel.translated('channel')
    label = fields.Function(fields.Char("Name"), 'get_label')
    currency = fields.Function(fields.Many2One('currency.currency',
            "Currency"), 'get_currency')
    revenue = fields.Numeric("Revenue", digits=(16, 2))
    revenue_week_before = fields.Numeric(
        "Revenue a Week Before", digits=(16, 2))
    revenue_year_before = fields.Numeric(
        "Revenue a Year Before", digits=(16, 2))
    revenue_vs_week = fields.Numeric("Revenue vs Week Before",
        digits=(16, 4))
    revenue_vs_year = fields.Numeric("Revenue vs Year Before",
        digits=(16, 4))
    orders = fields.Integer("Orders")
    orders_week_before = fields.Integer("Orders a Week Before")
    orders_year_before = fields.Integer("Orders a Year Before")
    orders_vs_week = fields.Numeric("Orders vs Week Before", digits=(16, 4))
    average_basket = fields.Numeric("Average Basket", digits=(16, 2))
    average_basket_week_before = fields.Numeric(
        "Average Basket a Week Before", digits=(16, 2))
    average_basket_vs_week = fields.Numeric(
        "Average Basket vs Week Before", digits=(16, 4))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        from_date, to_date, company, shop, channel = facts.period()
        today = Pool().get('ir.date').today()
        to_date = to_date or today
        from_date = from_date or to_date

        parts = []
        for tag, shift in enumerate([dt.timedelta(0), WEEK_BEFORE,
                    YEAR_BEFORE]):
            orders = facts.orders_query(filters=(
                    from_date - shift, to_date - shift, company, shop,
                    channel))
            parts.append(orders.select(orders.channel, orders.shop,
                    orders.amount, orders.is_return,
                    As(Literal(tag), 'tag')))
        orders = Union(*parts, all_=True)

        def figures(tag):
            revenue = Coalesce(Sum(orders.amount, filter_=orders.tag == tag),
                0)
            count = Count(Literal(1),
                filter_=(orders.tag == tag) & ~orders.is_return)
            return revenue, count

        columns = []
        for tag, suffix in enumerate(['', '_week_before', '_year_before']):
            revenue, count = figures(tag)
            columns.append(As(Cast(revenue, 'NUMERIC'), 'revenue' + suffix))
            columns.append(As(count, 'orders' + suffix))

        channel_ids = Case(*((orders.channel == c, i + 2)
                for i, (c, _) in enumerate(facts.CHANNELS)), else_=0)
        no_shop = Cast(Null, cls.shop.sql_type().base)
        no_channel = Cast(Null, cls.channel.sql_type().base)
        grouped = Union(
            orders.select(As(Literal(1), 'id'), As(Literal(0), 'sequence'),
                As(Literal('total'), 'scope'), As(no_channel, 'channel'),
                As(no_shop, 'shop'), *columns),
            orders.select(As(channel_ids, 'id'), As(channel_ids, 'sequence'),
                As(Literal('channel'), 'scope'), orders.channel,
                As(no_shop, 'shop'), *columns,
                group_by=[orders.channel]),
            orders.select(As(orders.shop * 10 + 9, 'id'),
                As(Literal(10), 'sequence'), As(Literal('shop'), 'scope'),
                As(no_channel, 'channel'), orders.shop, *columns,
                where=orders.shop != Null, group_by=[orders.shop]),
            all_=True)

        def basket(suffix):
            return Round(Cast(getattr(grouped, 'revenue' + suffix), 'NUMERIC')
                / NullIf(getattr(grouped, 'orders' + suffix), 0), 2)

        def change(column):
            return _ratio(getattr(grouped, column)
                - getattr(grouped, column + '_week_before'),
                getattr(grouped, column + '_week_before'))
        revenue_vs_year = _ratio(grouped.revenue - grouped.revenue_year_before,
            grouped.revenue_year_before)
        basket_week = basket('_week_before')
        return grouped.select(
            grouped.id, grouped.sequence, grouped.scope, grouped.channel,
            grouped.shop,
            grouped.revenue, grouped.revenue_week_before,
            grouped.revenue_year_before,
            As(change('revenue'), 'revenue_vs_week'),
            As(revenue_vs_year, 'revenue_vs_year'),
            grouped.orders, grouped.orders_week_before,
            grouped.orders_year_before,
            As(change('orders'), 'orders_vs_week'),
            As(basket(''), 'average_basket'),
            As(basket_week, 'average_basket_week_before'),
            As(_ratio(basket('') - basket_week, basket_week),
                'average_basket_vs_week'))

    def get_label(self, name):
        if self.scope == 'shop' and self.shop:
            return self.shop.rec_name
        if self.scope == 'channel':
            return self.channel_string
        return self.scope_string

    @classmethod
    def get_currency(cls, records, name):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        currency = Company(company).currency.id if company else None
        return {r.id: currency for r in records}


class LowStock(_Report):
    """Best Sellers Low on Stock

    The best sellers of the last 30 days (the first 50 by revenue) that a
    shop sells and would run out of within two weeks at its pace of the
    last 30 days (available to promise, as the channels sell it)."""
    __name__ = 'urban.analytics.low_stock'

    shop = fields.Many2One('stock.location', "Shop")
    product = fields.Many2One('product.product', "Product")
    rank = fields.Integer("Rank")
    sold = fields.Float("Sold in 30 Days")
    available = fields.Float("Available")
    days_left = fields.Numeric("Days Left", digits=(16, 1))

    BEST_SELLERS = 50
    DAYS = 30
    HORIZON = 14

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('days_left', 'ASC'), ('rank', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        from urban_stock import availability
        pool = Pool()
        Date = pool.get('ir.date')
        _, _, company, shop, _ = facts.period()
        today = Date.today()
        filters = (today - dt.timedelta(days=cls.DAYS - 1), today, company,
            None, None)

        lines = facts.lines_query(filters=filters)
        ranked = lines.select(lines.product,
            where=~lines.is_return,
            group_by=[lines.product],
            order_by=[Sum(lines.amount).desc, lines.product],
            limit=cls.BEST_SELLERS)
        # the ranking is small: fetch it so that the stock query reads the
        # moves of these products only
        cursor = Transaction().connection.cursor()
        cursor.execute(*ranked)
        best = [p for p, in cursor]
        lines = facts.lines_query(filters=filters)
        if best:
            rank = Case(*((lines.product == p, i + 1)
                    for i, p in enumerate(best)), else_=0)
        else:
            rank = Literal(0)
        where = lines.product.in_(best or [-1]) & (lines.shop != Null)
        if shop:
            where &= lines.shop == shop
        sold = lines.select(lines.product, lines.shop,
            As(Sum(lines.quantity), 'sold'), As(rank, 'rank'),
            where=where, group_by=[lines.product, lines.shop])
        stock = availability.quantities_query(best or [-1],
            [shop] if shop else None)
        joined = sold.join(stock, 'LEFT',
            condition=(stock.product == sold.product)
            & (stock.warehouse == sold.shop))
        balance = (Coalesce(stock.on_hand, 0) - Coalesce(stock.reserved, 0)
            - Coalesce(stock.buffer, 0))
        available = Case((balance > 0, balance), else_=0)
        days_left = Round(Cast(available, 'NUMERIC') * cls.DAYS
            / NullIf(Cast(sold.sold, 'NUMERIC'), 0), 1)
        if backend.name == 'sqlite':
            days_left = Round(Cast(available, 'REAL') * cls.DAYS
                / NullIf(Cast(sold.sold, 'REAL'), 0), 1)
        return joined.select(
            As(sold.product * Literal(100000) + sold.shop, 'id'),
            As(sold.shop, 'shop'), As(sold.product, 'product'),
            As(sold.rank, 'rank'),
            As(Cast(sold.sold, 'FLOAT'), 'sold'),
            As(Cast(available, 'FLOAT'), 'available'),
            As(days_left, 'days_left'),
            where=(sold.sold > 0)
            & (available * cls.DAYS < sold.sold * cls.HORIZON))


class _SQLiteDate(Function):
    __slots__ = ()
    _function = 'DATE'


def week_start(date):
    "SQL expression of the Monday of the week of a date expression"
    if backend.name == 'sqlite':
        return _SQLiteDate(date, '-6 days', 'weekday 1')
    return Cast(DateTrunc('week', date), 'DATE')


class SalesWeek(_Report):
    "Sales by Week"
    __name__ = 'urban.analytics.sales.week'

    week = fields.Date("Week", help="The Monday of the week.")
    revenue = fields.Numeric("Revenue", digits=(16, 2))
    orders = fields.Integer("Orders")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('week', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        orders = facts.orders_query()
        # the week in a sub-query: grouped by its column, not by an
        # expression with a parameter of its own
        orders = orders.select(orders.id, orders.amount, orders.is_return,
            As(week_start(orders.date), 'week'))
        return orders.select(
            As(Min(orders.id), 'id'), orders.week,
            As(Cast(Coalesce(Sum(orders.amount), 0), 'NUMERIC'), 'revenue'),
            As(Count(Literal(1), filter_=~orders.is_return), 'orders'),
            group_by=[orders.week])
