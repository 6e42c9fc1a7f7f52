"""KPIs as SQL table queries over the facts of every channel (facts.py):
sales by channel, shop and day with the average basket; top products per
shop; stock rotation; app activations per shop QR and their first-order
conversion; monthly cohort retention; RFM segments; and the KPI board.

Each model reads its period, company, shop and channel from the context
(`urban.analytics.context`)."""
import datetime as dt

from sql import As, Cast, Literal, Null, NullsFirst, Union, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce, NullIf
from sql.functions import Extract, Ntile, Round, RowNumber

from trytond import backend
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from . import facts

MONTHS = 12


def _epoch(date):
    "Seconds from 1970-01-01 to the start of date (UTC), as EXTRACT(EPOCH)"
    return (date - dt.date(1970, 1, 1)).days * 86400


def _ratio(numerator, denominator, digits=4):
    # SQLite keeps a CAST of an integer to NUMERIC an integer: the division
    # would be an integer one (every retention and conversion 0)
    type_ = 'REAL' if backend.name == 'sqlite' else 'NUMERIC'
    return Round(Cast(numerator, type_)
        / NullIf(Cast(denominator, type_), 0), digits)


class Context(ModelView):
    "Analytics Context"
    __name__ = 'urban.analytics.context'

    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date("From Date",
        domain=[If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')), ())])
    to_date = fields.Date("To Date",
        domain=[If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')), ())])
    shop = fields.Many2One('stock.location', "Shop",
        domain=[('type', '=', 'warehouse')])
    channel = fields.Selection([(None, "")] + facts.CHANNELS, "Channel")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_from_date(cls):
        context = Transaction().context
        if 'from_date' in context:
            return context['from_date']
        return Pool().get('ir.date').today().replace(day=1)

    @classmethod
    def default_to_date(cls):
        context = Transaction().context
        if 'to_date' in context:
            return context['to_date']
        return Pool().get('ir.date').today()

    @classmethod
    def default_shop(cls):
        context = Transaction().context
        return context.get('shop', context.get('analytics_shop'))

    @classmethod
    def default_channel(cls):
        context = Transaction().context
        return context.get('channel', context.get('analytics_channel'))


class _Report(ModelSQL, ModelView):

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__ = set()


class Sales(_Report):
    "Sales by Channel, Shop and Day"
    __name__ = 'urban.analytics.sales'

    date = fields.Date("Date")
    channel = fields.Selection(facts.CHANNELS, "Channel")
    channel_string = channel.translated('channel')
    # the charts show a field's value: the channel's name, translated
    channel_name = fields.Function(fields.Char("Channel"), 'get_channel_name')
    shop = fields.Many2One('stock.location', "Shop")
    orders = fields.Integer("Orders")
    revenue = fields.Numeric("Revenue", digits=(16, 2))
    average_basket = fields.Numeric("Average Basket", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'), ('channel', 'ASC'), ('shop', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        orders = facts.orders_query()
        counted = Count(Literal(1), filter_=~orders.is_return)
        return orders.select(
            As(Min(orders.id), 'id'),
            orders.date, orders.channel, orders.shop,
            As(counted, 'orders'),
            As(Sum(orders.amount), 'revenue'),
            As(Round(Sum(orders.amount) / NullIf(counted, 0), 2),
                'average_basket'),
            group_by=[orders.date, orders.channel, orders.shop])

    def get_channel_name(self, name):
        return self.channel_string


class TopProduct(_Report):
    "Top Products per Shop"
    __name__ = 'urban.analytics.top_product'

    shop = fields.Many2One('stock.location', "Shop")
    product = fields.Many2One('product.product', "Product")
    rank = fields.Integer("Rank")
    quantity = fields.Float("Quantity")
    revenue = fields.Numeric("Revenue", digits=(16, 2))
    orders = fields.Integer("Orders")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('shop', 'ASC'), ('rank', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        lines = facts.lines_query()
        grouped = lines.select(
            As(Min(lines.id), 'id'), lines.shop, lines.product,
            As(Sum(lines.quantity), 'quantity'),
            As(Sum(lines.amount), 'revenue'),
            As(Count(lines.order_, distinct=True,
                    filter_=~lines.is_return), 'orders'),
            group_by=[lines.shop, lines.product])
        return grouped.select(
            grouped.id, grouped.shop, grouped.product,
            As(RowNumber(window=Window([grouped.shop],
                        order_by=[grouped.revenue.desc,
                            grouped.quantity.desc, grouped.product])),
                'rank'),
            As(Cast(grouped.quantity, 'FLOAT'),
                'quantity'),
            grouped.revenue, grouped.orders)


class StockRotation(_Report):
    """Stock Rotation

    Units sold in the period against the stock on hand of the shop at its
    end: rotation = sold / stock; cover = days of sales the stock lasts."""
    __name__ = 'urban.analytics.stock_rotation'

    shop = fields.Many2One('stock.location', "Shop")
    product = fields.Many2One('product.product', "Product")
    sold = fields.Float("Sold")
    stock = fields.Float("Stock at End")
    rotation = fields.Numeric("Rotation", digits=(16, 2))
    cover_days = fields.Numeric("Days of Cover", digits=(16, 1))

    @classmethod
    def table_query(cls):
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        Date = pool.get('ir.date')
        from_date, to_date, company, shop, channel = facts.period()
        to_date = to_date or Date.today()
        days = (to_date - from_date).days + 1 if from_date else None

        lines = facts.lines_query()
        sold = lines.select(lines.shop, lines.product,
            As(Sum(lines.quantity), 'sold'),
            group_by=[lines.shop, lines.product])

        move, location, warehouse = (Move.__table__(),
            Location.__table__(), Location.__table__())
        inside = (location.left >= warehouse.left) & (
            location.right <= warehouse.right)
        where = ((move.state == 'done') & (warehouse.type == 'warehouse')
            & (move.effective_date <= to_date))
        if shop:
            where &= warehouse.id == shop
        incoming = move.join(location,
            condition=move.to_location == location.id).join(warehouse,
            condition=inside).select(
            As(warehouse.id, 'shop'), move.product,
            As(Cast(move.internal_quantity, 'NUMERIC'), 'quantity'),
            where=where & (move.from_location != move.to_location))
        move2, location2, warehouse2 = (Move.__table__(),
            Location.__table__(), Location.__table__())
        inside2 = (location2.left >= warehouse2.left) & (
            location2.right <= warehouse2.right)
        where2 = ((move2.state == 'done') & (warehouse2.type == 'warehouse')
            & (move2.effective_date <= to_date))
        if shop:
            where2 &= warehouse2.id == shop
        outgoing = move2.join(location2,
            condition=move2.from_location == location2.id).join(warehouse2,
            condition=inside2).select(
            As(warehouse2.id, 'shop'), move2.product,
            As(-Cast(move2.internal_quantity, 'NUMERIC'), 'quantity'),
            where=where2)
        flows = Union(incoming, outgoing, all_=True)
        stock = flows.select(flows.shop, flows.product,
            As(Sum(flows.quantity), 'stock'),
            group_by=[flows.shop, flows.product])

        joined = sold.join(stock, 'FULL',
            condition=(sold.shop == stock.shop)
            & (sold.product == stock.product))
        shop_c = Coalesce(sold.shop, stock.shop)
        product_c = Coalesce(sold.product, stock.product)
        sold_q = Coalesce(sold.sold, 0)
        stock_q = Coalesce(stock.stock, 0)
        if days:
            cover = Round(stock_q / NullIf(sold_q / days, 0), 1)
        else:
            cover = Cast(Literal(None), 'NUMERIC')
        return joined.select(
            As(product_c * Literal(100000) + shop_c, 'id'),
            As(shop_c, 'shop'), As(product_c, 'product'),
            As(Cast(sold_q, 'FLOAT'), 'sold'),
            As(Cast(stock_q, 'FLOAT'), 'stock'),
            As(Round(sold_q / NullIf(stock_q, 0), 2), 'rotation'),
            As(Case((stock_q > 0, cover), else_=Null), 'cover_days'),
            where=(shop_c != Null) & (product_c != Null))


class AppActivation(_Report):
    """App Activations per Shop QR

    Scans of a shop's QR code that opened the app, and the first orders
    that redeemed that shop's first-order code (conversion = first orders /
    activations)."""
    __name__ = 'urban.analytics.app_activation'

    shop = fields.Many2One('stock.location', "Shop")
    activations = fields.Integer("Activations")
    first_orders = fields.Integer("First Orders")
    conversion = fields.Numeric("Conversion", digits=(16, 4))

    @classmethod
    def table_query(cls):
        pool = Pool()
        Scan = pool.get('urban.loyalty.qr_scan')
        Location = pool.get('stock.location')
        Sale = pool.get('sale.sale')
        SaleCoupon = pool.get('sale.sale-sale.promotion.coupon.number')
        from_date, to_date, company, shop, channel = facts.period()

        scan = Scan.__table__()
        where = scan.channel == 'app'
        if from_date:
            where &= scan.scanned_at >= dt.datetime.combine(
                from_date, dt.time())
        if to_date:
            where &= scan.scanned_at < dt.datetime.combine(
                to_date + dt.timedelta(days=1), dt.time())
        scans = scan.select(scan.shop, As(Count(Literal(1)), 'activations'),
            where=where, group_by=[scan.shop])

        location, sale, sale_coupon = (Location.__table__(),
            Sale.__table__(), SaleCoupon.__table__())
        where = (sale.state.in_(facts.SALE_STATES)
            & (location.first_order_code != Null))
        if from_date:
            where &= sale.sale_date >= from_date
        if to_date:
            where &= sale.sale_date <= to_date
        if company:
            where &= sale.company == company
        orders = location.join(sale_coupon,
            condition=sale_coupon.number == location.first_order_code).join(
            sale, condition=sale.id == sale_coupon.sale).select(
            As(location.id, 'shop'),
            As(Count(sale.id, distinct=True), 'first_orders'),
            where=where,
            group_by=[location.id])

        shop_c = Coalesce(scans.shop, orders.shop)
        activations = Coalesce(scans.activations, 0)
        first_orders = Coalesce(orders.first_orders, 0)
        where = Literal(True)
        if shop:
            where &= shop_c == shop
        return scans.join(orders, 'FULL',
            condition=scans.shop == orders.shop).select(
            As(shop_c, 'id'), As(shop_c, 'shop'),
            As(activations, 'activations'),
            As(first_orders, 'first_orders'),
            As(_ratio(first_orders, activations), 'conversion'),
            where=where)


def _cohort_activity():
    """(cohort, n, active): the customers (orders with a party, no till
    returns, in the context's company, shop and channel, over their whole
    history) whose first order was in month cohort and who ordered n
    months later.

    One pass over the orders: their (customer, month) pairs, each with its
    customer's first month by a window over the pairs."""
    orders = facts.orders_query(dated=False)
    months = orders.select(orders.party, orders.month_number,
        As(Min(orders.month), 'month'),
        where=(orders.party != Null) & ~orders.is_return,
        group_by=[orders.party, orders.month_number])
    customer = Window([months.party])
    indexed = months.select(
        As(Min(months.month, window=customer), 'cohort'),
        As(months.month_number - Min(months.month_number, window=customer),
            'n'))
    return indexed.select(indexed.cohort, indexed.n,
        As(Count(Literal(1)), 'active'),
        group_by=[indexed.cohort, indexed.n])


class Cohort(_Report):
    """Monthly Cohort Retention

    Customers grouped by the month of their first order; month N is the
    share of them buying again N months later (month 0 is 100%)."""
    __name__ = 'urban.analytics.cohort'

    cohort = fields.Date("Cohort")
    customers = fields.Integer("Customers")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('cohort', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        from_date, to_date, _, _, _ = facts.period()
        active = _cohort_activity()
        size = Max(Case((active.n == 0, active.active), else_=0))
        columns = [
            As(Cast(Extract('EPOCH', active.cohort) / 86400, 'INTEGER'),
                'id'),
            As(active.cohort, 'cohort'), As(size, 'customers')]
        for n in range(0, MONTHS + 1):
            columns.append(As(_ratio(Max(Case((active.n == n, active.active),
                                else_=0)), size), 'm%d' % n))
        where = Literal(True)
        if from_date:
            where &= active.cohort >= from_date.replace(day=1)
        if to_date:
            where &= active.cohort <= to_date
        return active.select(*columns, where=where,
            group_by=[active.cohort])


for _n in range(0, MONTHS + 1):
    setattr(Cohort, 'm%d' % _n, fields.Numeric("M%d" % _n, digits=(16, 4),
            help="Share of the cohort buying in its month %d." % _n))
del _n


class CohortMonth(_Report):
    "Cohort Retention by Month"
    __name__ = 'urban.analytics.cohort.month'

    cohort = fields.Date("Cohort")
    month = fields.Integer("Month", help="Months since the first order.")
    customers = fields.Integer("Customers")
    buyers = fields.Integer("Buying Customers",
        help="Customers of the cohort buying in this month.")
    retention = fields.Numeric("Retention", digits=(16, 4))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('cohort', 'ASC'), ('month', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        from_date, to_date, _, _, _ = facts.period()
        active = _cohort_activity()
        size = Max(Case((active.n == 0, active.active), else_=0),
            window=Window([active.cohort]))
        where = Literal(True)
        if from_date:
            where &= active.cohort >= from_date.replace(day=1)
        if to_date:
            where &= active.cohort <= to_date
        return active.select(
            As(Cast(Extract('EPOCH', active.cohort) / 86400, 'INTEGER')
                * 1000 + active.n, 'id'),
            As(active.cohort, 'cohort'),
            As(Cast(active.n, 'INTEGER'), 'month'),
            As(size, 'customers'),
            As(active.active, 'buyers'),
            As(_ratio(active.active, size), 'retention'),
            where=where)


SEGMENTS = [
    ('champion', "Champion"),
    ('loyal', "Loyal"),
    ('promising', "Promising"),
    ('at_risk', "At Risk"),
    ('lost', "Lost"),
    ('need_attention', "Needs Attention"),
    ]


class RFM(_Report):
    """RFM Segments

    Recency (days since the last order, returns aside, at the end of the
    period), frequency
    (orders) and monetary value (revenue) of each customer, scored 1 to 5 by
    quintile (5 is best), and the segment their R and F scores put them
    in."""
    __name__ = 'urban.analytics.rfm'

    party = fields.Many2One('party.party', "Customer")
    last_order = fields.Date("Last Order")
    recency = fields.Integer("Recency (days)")
    frequency = fields.Integer("Frequency")
    monetary = fields.Numeric("Monetary", digits=(16, 2))
    r_score = fields.Integer("R")
    f_score = fields.Integer("F")
    m_score = fields.Integer("M")
    segment = fields.Selection(SEGMENTS, "Segment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('monetary', 'DESC'), ('party', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        Date = Pool().get('ir.date')
        from_date, to_date, company, shop, channel = facts.period()
        reference = to_date or Date.today()
        orders = facts.orders_query(
            filters=(None, reference, company, shop, channel))
        customers = orders.select(orders.party,
            As(Max(orders.date, filter_=~orders.is_return), 'last_order'),
            As(Count(Literal(1), filter_=~orders.is_return), 'frequency'),
            As(Sum(orders.amount), 'monetary'),
            where=orders.party != Null,
            group_by=[orders.party])
        # days between two dates, the same on PostgreSQL (date - date) and
        # SQLite (where dates are strings): through their epochs
        recency = Round((Literal(_epoch(reference))
                - Extract('EPOCH', customers.last_order)) / 86400)
        scored = customers.select(
            customers.party, customers.last_order,
            As(recency, 'recency'), customers.frequency, customers.monetary,
            As(Ntile(5, window=Window([], order_by=[
                            NullsFirst(customers.last_order.asc),
                            customers.party.asc])), 'r_score'),
            As(Ntile(5, window=Window([], order_by=[
                            customers.frequency.asc,
                            customers.party.asc])), 'f_score'),
            As(Ntile(5, window=Window([], order_by=[
                            customers.monetary.asc,
                            customers.party.asc])), 'm_score'))
        r, f = scored.r_score, scored.f_score
        segment = Case(
            ((r >= 4) & (f >= 4), 'champion'),
            ((r >= 3) & (f >= 3), 'loyal'),
            ((r >= 4), 'promising'),
            ((r <= 2) & (f >= 3), 'at_risk'),
            ((r <= 2), 'lost'),
            else_='need_attention')
        return scored.select(
            As(scored.party, 'id'), scored.party, scored.last_order,
            As(Cast(scored.recency, 'INTEGER'), 'recency'),
            As(Cast(scored.frequency, 'INTEGER'), 'frequency'),
            scored.monetary,
            As(Cast(r, 'INTEGER'), 'r_score'),
            As(Cast(f, 'INTEGER'), 'f_score'),
            As(Cast(scored.m_score, 'INTEGER'), 'm_score'),
            As(segment, 'segment'))


KPIS = [
    ('revenue', "Revenue"),
    ('orders', "Orders"),
    ('average_basket', "Average Basket"),
    ('customers', "Customers"),
    ('returning_customers', "Returning Customers"),
    ('app_activations', "App Activations"),
    ('app_first_orders', "App First Orders"),
    ('app_conversion', "First-Order Conversion"),
    ]


# how each KPI reads: an amount in the company's currency, a count or a
# share
CURRENCY_KPIS = {'revenue', 'average_basket'}
RATIO_KPIS = {'app_conversion'}


class KPI(_Report):
    """KPI Board

    The headline figures of the period: revenue, orders, average basket,
    customers (with a party), returning customers (who had ordered before
    the period), app activations, first orders and their conversion; each
    against the period of the same length just before."""
    __name__ = 'urban.analytics.kpi'

    sequence = fields.Integer("Sequence")
    kpi = fields.Selection(KPIS, "KPI")
    value = fields.Numeric("Value", digits=(16, 4))
    previous = fields.Numeric("Previous Period", digits=(16, 4))
    change = fields.Numeric("Change", digits=(16, 4))
    value_display = fields.Function(fields.Char("Value"), 'get_display')
    previous_display = fields.Function(fields.Char("Previous Period"),
        'get_display')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        from_date, to_date, _, _, _ = facts.period()
        current = cls._figures()
        if not (from_date and to_date):
            return current.select(current.id, current.sequence, current.kpi,
                current.value,
                As(Cast(Null, 'NUMERIC'), 'previous'),
                As(Cast(Null, 'NUMERIC'), 'change'))
        # the same number of days just before
        length = to_date - from_date + dt.timedelta(days=1)
        with Transaction().set_context(period=None,
                from_date=from_date - length,
                to_date=from_date - dt.timedelta(days=1)):
            previous = cls._figures()
        joined = current.join(previous, 'LEFT',
            condition=current.kpi == previous.kpi)
        return joined.select(current.id, current.sequence, current.kpi,
            current.value, As(previous.value, 'previous'),
            As(_ratio(current.value - previous.value, previous.value),
                'change'))

    @classmethod
    def _figures(cls):
        "Query of (id, sequence, kpi, value) of the context's period"
        pool = Pool()
        Activation = pool.get('urban.analytics.app_activation')
        from_date, to_date, company, shop, channel = facts.period()
        orders = facts.orders_query()
        counted = Count(Literal(1), filter_=~orders.is_return)
        totals = orders.select(
            As(Coalesce(Sum(orders.amount), 0), 'revenue'),
            As(counted, 'orders'),
            As(Count(orders.party, distinct=True), 'customers'))

        queries = [
            totals.select(As(Literal('revenue'), 'kpi'),
                As(Cast(totals.revenue, 'NUMERIC'), 'value')),
            totals.select(As(Literal('orders'), 'kpi'),
                As(Cast(totals.orders, 'NUMERIC'), 'value')),
            totals.select(As(Literal('average_basket'), 'kpi'),
                As(Round(Cast(totals.revenue, 'NUMERIC')
                        / NullIf(totals.orders, 0), 2), 'value')),
            totals.select(As(Literal('customers'), 'kpi'),
                As(Cast(totals.customers, 'NUMERIC'), 'value')),
            ]
        # customers of the period who had ordered before it
        if from_date:
            before = facts.orders_query(filters=(
                    None, from_date - dt.timedelta(days=1), company, shop,
                    channel))
            current = facts.orders_query()
            returning = current.select(current.party,
                where=(current.party != Null) & current.party.in_(
                    before.select(before.party,
                        where=before.party != Null)),
                group_by=[current.party])
            queries.append(returning.select(
                    As(Literal('returning_customers'), 'kpi'),
                    As(Cast(Count(Literal(1)), 'NUMERIC'), 'value')))
        activation = Activation.table_query()
        queries.append(activation.select(
                As(Literal('app_activations'), 'kpi'),
                As(Cast(Coalesce(Sum(activation.activations), 0), 'NUMERIC'),
                    'value')))
        activation = Activation.table_query()
        queries.append(activation.select(
                As(Literal('app_first_orders'), 'kpi'),
                As(Cast(Coalesce(Sum(activation.first_orders), 0),
                        'NUMERIC'), 'value')))
        activation = Activation.table_query()
        queries.append(activation.select(
                As(Literal('app_conversion'), 'kpi'),
                As(_ratio(Sum(activation.first_orders),
                        Sum(activation.activations)), 'value')))
        kpis = Union(*queries, all_=True)
        sequence = Case(*((kpis.kpi == k, i + 1)
                for i, (k, _) in enumerate(KPIS)), else_=0)
        return kpis.select(
            As(sequence, 'id'), As(sequence, 'sequence'), kpis.kpi,
            kpis.value)

    @classmethod
    def get_display(cls, records, names):
        "The figures as people read them: euros, counts and percentages"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Company = pool.get('company.company')
        lang = Lang.get()
        company = Transaction().context.get('company')
        currency = Company(company).currency if company else None
        result = {n: {} for n in names}
        for record in records:
            for name in names:
                value = getattr(record, name[:-len('_display')])
                if value is None:
                    text = ''
                elif record.kpi in CURRENCY_KPIS and currency:
                    text = lang.currency(value, currency)
                elif record.kpi in RATIO_KPIS:
                    text = lang.format('%.1f', value * 100) + ' %'
                else:
                    text = lang.format('%d', value, grouping=True)
                result[name][record.id] = text
        return result
