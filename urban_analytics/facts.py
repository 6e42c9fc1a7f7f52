"""The facts every KPI is computed from: orders and order lines of all
channels, as one SQL query (python-sql) per level.

The channel of an order follows from how it was recorded:

- ``till``: a sale rung up on a shop's till, either an external POS synced
  by urban_pos_bridge (``urban.pos.sale``, booked) or Tryton's own
  ``sale.point.sale`` (done or posted); its shop is the till's shop;
- ``app``: a ``sale.sale`` checked out through the app's API (the app's
  module names it in ``sale.sale`` ``channel_cases``);
- ``web``: any other ``sale.sale`` of a web shop (``web_shop`` set);
- ``pro``: a ``sale.sale`` entered in the back office or the pro portal (no
  web shop);
- a marketplace's code (``ankorstore``): a ``sale.sale`` whose
  ``sales_channel`` the channel module that recorded it set.

The shop of a ``sale.sale`` is its warehouse (the pickup or shipping shop).
Amounts are untaxed, in the company currency; a till return counts with
negative quantities and amounts and is not an order of its own.

A key identifies an order or line across channels: the record id times 4
plus 1 (sale.sale), 2 (urban.pos.sale) or 3 (sale.point.sale).

The KPIs read the order and line fact tables (fact.py: one row per order
and per line, keyed by that key), which the orders' own writes keep up to
date from ``source_orders`` and ``source_lines``: scanning a year of orders
then reads one narrow table instead of joining and summing every channel's
lines again.
"""

import datetime as dt

from sql import As, Cast, Literal, Null, Union
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Round

from trytond.model import fields
from trytond.pool import Pool
from trytond.tools import reduce_ids
from trytond.transaction import Transaction

CHANNELS = [
    ('till', "Shop Till"),
    ('app', "App"),
    ('web', "Web Shop"),
    ('pro', "Pro"),
    ('ankorstore', "Ankorstore"),
    ]
SALE_STATES = ('confirmed', 'processing', 'done')
SALE_DASHBOARD_STATES = (
    'quotation', 'confirmed', 'processing', 'done', 'cancelled')
KEY_SALE, KEY_POS, KEY_POINT = 1, 2, 3


def key(column, kind):
    return column * Literal(4) + Literal(kind)


_DATE = fields.Date("Date")


def as_date(expression):
    """SQL expression of the day of a date or timestamp expression, for
    every backend: CAST(... AS DATE) on PostgreSQL, DATE(...) on SQLite
    (where a CAST to DATE keeps only the year of '2026-03-02 09:30:00')"""
    return _DATE.sql_cast(expression)


def sale_channel(sale):
    """SQL expression of the channel of a sale.sale row: what the channel
    modules name (sale.sale channel_cases), else the web shop, else pro"""
    Sale = Pool().get('sale.sale')
    return Case(*Sale.channel_cases(sale),
        (sale.web_shop != Null, 'web'),
        else_='pro')


PERIODS = [
    ('today', "Today"),
    ('week', "This Week"),
    ('month', "This Month"),
    ('year', "This Year"),
    ('last_12_weeks', "Last 12 Weeks"),
    ]


def period_dates(name, today):
    """(from date, to date) of a named period ending today: weeks start on
    Monday, as in Belgium"""
    if name == 'today':
        return today, today
    if name == 'week':
        return today - dt.timedelta(days=today.weekday()), today
    if name == 'month':
        return today.replace(day=1), today
    if name == 'year':
        return today.replace(month=1, day=1), today
    if name == 'last_12_weeks':
        return (today - dt.timedelta(days=today.weekday() + 7 * 11),
            today)
    raise ValueError(name)


def period():
    """(from date, to date, company id, shop id, channel) of the context;
    dates are inclusive and may be None. A named `period` in the context
    (the home board's figures) takes precedence over the dates; the shop
    and channel default to the user's analytics preferences."""
    context = Transaction().context
    from_date, to_date = context.get('from_date'), context.get('to_date')
    if context.get('period'):
        today = Pool().get('ir.date').today()
        from_date, to_date = period_dates(context['period'], today)
    # no shop or channel in the context (the home board, a KPI read
    # without the context form): those the user keeps in the preferences
    shop = context.get('shop', context.get('analytics_shop'))
    channel = context.get('channel', context.get('analytics_channel'))
    return from_date, to_date, context.get('company'), shop, channel


def _filters(date_column, company_column, shop_column, filters=None):
    from_date, to_date, company, shop, _ = filters or period()
    where = Literal(True)
    if from_date:
        where &= date_column >= from_date
    if to_date:
        where &= date_column <= to_date
    if company:
        where &= company_column == company
    if shop:
        where &= shop_column == shop
    return where


def _restrict(column, ids):
    "where clause keeping the rows of ids (all when ids is None)"
    if ids is None:
        return Literal(True)
    return reduce_ids(column, ids)


def _wanted(records, kind):
    return records is None or kind in records


def _ids(records, kind):
    return None if records is None else records[kind]


def source_lines(records=None):
    """The order lines of counted orders of every channel as computed from
    the orders themselves, with the columns of the line fact table: id,
    order_, company, channel, shop, date, party, product, quantity, amount,
    is_return.
    records: {order key kind: [record ids]} to compute only those orders'
    lines, None for all"""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    PosSale = pool.get('urban.pos.sale')
    PosLine = pool.get('urban.pos.sale.line')
    PosAccount = pool.get('urban.pos.account')
    PointSale = pool.get('sale.point.sale')
    PointLine = pool.get('sale.point.sale.line')
    Point = pool.get('sale.point')
    Location = pool.get('stock.location')
    queries = []

    if _wanted(records, KEY_SALE):
        sale, line = Sale.__table__(), Line.__table__()
        queries.append(line.join(sale, condition=line.sale == sale.id).select(
                As(key(line.id, KEY_SALE), 'id'),
                As(key(sale.id, KEY_SALE), 'order_'),
                As(sale.company, 'company'),
                As(sale_channel(sale), 'channel'),
                As(sale.warehouse, 'shop'),
                As(sale.sale_date, 'date'),
                As(sale.party, 'party'),
                As(line.product, 'product'),
                As(Cast(line.quantity, 'NUMERIC'), 'quantity'),
                As(Round(Cast(line.quantity, 'NUMERIC') * line.unit_price,
                        2), 'amount'),
                As(Literal(False), 'is_return'),
                where=sale.state.in_(SALE_STATES) & (line.type == 'line')
                & (line.product != Null)
                & _restrict(sale.id, _ids(records, KEY_SALE))))

    if _wanted(records, KEY_POS):
        pos, pline, account = (PosSale.__table__(), PosLine.__table__(),
            PosAccount.__table__())
        queries.append(pline.join(pos, condition=pline.sale == pos.id
                ).join(account, condition=pos.account == account.id).select(
                As(key(pline.id, KEY_POS), 'id'),
                As(key(pos.id, KEY_POS), 'order_'),
                As(account.company, 'company'),
                As(Literal('till'), 'channel'),
                As(pos.shop, 'shop'),
                As(as_date(pos.date), 'date'),
                As(pos.party, 'party'),
                As(pline.product, 'product'),
                As(Cast(pline.quantity, 'NUMERIC'), 'quantity'),
                As(pline.total_amount - Coalesce(pline.tax_amount, 0),
                    'amount'),
                As(pos.is_return, 'is_return'),
                where=(pos.state == 'booked')
                & _restrict(pos.id, _ids(records, KEY_POS))))

    if _wanted(records, KEY_POINT):
        psale, pline = PointSale.__table__(), PointLine.__table__()
        point, warehouse = Point.__table__(), Location.__table__()
        queries.append(pline
            .join(psale, condition=pline.sale == psale.id)
            .join(point, condition=psale.point == point.id)
            .join(warehouse, condition=(
                    warehouse.storage_location == point.storage_location)
                & (warehouse.type == 'warehouse'))
            .select(
                As(key(pline.id, KEY_POINT), 'id'),
                As(key(psale.id, KEY_POINT), 'order_'),
                As(psale.company, 'company'),
                As(Literal('till'), 'channel'),
                As(warehouse.id, 'shop'),
                As(psale.date, 'date'),
                As(Cast(Literal(None), 'INTEGER'), 'party'),
                As(pline.product, 'product'),
                As(Cast(pline.quantity, 'NUMERIC'), 'quantity'),
                As(Round(Cast(pline.quantity, 'NUMERIC')
                        * pline.unit_list_price, 2), 'amount'),
                As(pline.quantity < 0, 'is_return'),
                where=psale.state.in_(['done', 'posted'])
                & _restrict(psale.id, _ids(records, KEY_POINT))))
    return Union(*queries, all_=True)


def source_orders(records=None):
    """The orders of every channel in a dashboard state as computed from
    the orders themselves, with the columns of the order fact table: id
    (the order key), company, channel, shop, date, party, amount,
    is_return, state.
    state is the sale's state, 'done' for a till sale (booked or done) and
    'cancelled' for a voided one.
    records: {order key kind: [record ids]} to compute only those, None
    for all"""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    PosSale = pool.get('urban.pos.sale')
    PosAccount = pool.get('urban.pos.account')
    PointSale = pool.get('sale.point.sale')
    PointLine = pool.get('sale.point.sale.line')
    Point = pool.get('sale.point')
    Location = pool.get('stock.location')
    queries = []

    if _wanted(records, KEY_SALE):
        ids = _ids(records, KEY_SALE)
        sale, line = Sale.__table__(), Line.__table__()
        amounts = line.select(line.sale,
            As(Sum(Round(Cast(line.quantity, 'NUMERIC') * line.unit_price,
                        2)), 'amount'),
            where=(line.type == 'line') & _restrict(line.sale, ids),
            group_by=[line.sale])
        queries.append(sale.join(amounts, 'LEFT',
                condition=amounts.sale == sale.id).select(
                As(key(sale.id, KEY_SALE), 'id'),
                As(sale.company, 'company'),
                As(sale_channel(sale), 'channel'),
                As(sale.warehouse, 'shop'),
                As(Coalesce(sale.sale_date, as_date(sale.create_date)),
                    'date'),
                As(sale.party, 'party'),
                As(Coalesce(amounts.amount, 0), 'amount'),
                As(Literal(False), 'is_return'),
                As(sale.state, 'state'),
                where=sale.state.in_(SALE_DASHBOARD_STATES)
                & _restrict(sale.id, ids)))

    if _wanted(records, KEY_POS):
        pos, account = PosSale.__table__(), PosAccount.__table__()
        queries.append(pos.join(account,
                condition=pos.account == account.id).select(
                As(key(pos.id, KEY_POS), 'id'),
                As(account.company, 'company'),
                As(Literal('till'), 'channel'),
                As(pos.shop, 'shop'),
                As(as_date(pos.date), 'date'),
                As(pos.party, 'party'),
                As(pos.total_amount - Coalesce(pos.tax_amount, 0), 'amount'),
                As(pos.is_return, 'is_return'),
                As(Case((pos.state == 'voided', 'cancelled'),
                        else_='done'), 'state'),
                where=_restrict(pos.id, _ids(records, KEY_POS))))

    if _wanted(records, KEY_POINT):
        ids = _ids(records, KEY_POINT)
        psale, pline = PointSale.__table__(), PointLine.__table__()
        point, warehouse = Point.__table__(), Location.__table__()
        amounts = pline.select(pline.sale,
            As(Sum(Round(Cast(pline.quantity, 'NUMERIC')
                        * pline.unit_list_price, 2)), 'amount'),
            where=_restrict(pline.sale, ids),
            group_by=[pline.sale])
        queries.append(psale
            .join(point, condition=psale.point == point.id)
            .join(warehouse, condition=(
                    warehouse.storage_location == point.storage_location)
                & (warehouse.type == 'warehouse'))
            .join(amounts, 'LEFT', condition=amounts.sale == psale.id)
            .select(
                As(key(psale.id, KEY_POINT), 'id'),
                As(psale.company, 'company'),
                As(Literal('till'), 'channel'),
                As(warehouse.id, 'shop'),
                As(psale.date, 'date'),
                As(Cast(Literal(None), 'INTEGER'), 'party'),
                As(Coalesce(amounts.amount, 0), 'amount'),
                As(Coalesce(amounts.amount, 0) < 0, 'is_return'),
                As(Case((psale.state == 'cancelled', 'cancelled'),
                        else_='done'), 'state'),
                where=psale.state.in_(['done', 'posted', 'cancelled'])
                & _restrict(psale.id, ids)))
    return Union(*queries, all_=True)


def lines_query(filters=None, dated=True):
    """Order lines of the counted orders of every channel (from the line
    facts) with columns: id, order_, company, channel, shop, date, party,
    product, quantity, amount, is_return.
    filters: (from, to, company, shop, channel) or the context's; dated:
    apply the date filters"""
    LineFact = Pool().get('urban.analytics.line.fact')
    filters = filters or period()
    if not dated:
        filters = (None, None) + tuple(filters[2:])
    line = LineFact.__table__()
    where = _filters(line.date, line.company, line.shop, filters=filters)
    if filters[4]:
        where &= line.channel == filters[4]
    return line.select(
        line.id, line.order_, line.company, line.channel, line.shop,
        line.date, line.party, line.product, line.quantity, line.amount,
        line.is_return, where=where)


def orders_query(filters=None, dated=True, states=SALE_STATES):
    """Orders of every channel (from the order facts) with columns: id (the
    order key), company, channel, shop, date, party, amount, is_return,
    state, month (its first day) and month_number (year * 12 + month - 1).
    state is the sale's state, 'done' for a till sale, 'cancelled' for a
    voided one; states: those wanted ('done' takes the till sales)"""
    OrderFact = Pool().get('urban.analytics.order.fact')
    filters = filters or period()
    if not dated:
        filters = (None, None) + tuple(filters[2:])
    order = OrderFact.__table__()
    where = (_filters(order.date, order.company, order.shop,
            filters=filters) & order.state.in_(list(states)))
    if filters[4]:
        where &= order.channel == filters[4]
    return order.select(
        order.id, order.company, order.channel, order.shop, order.date,
        order.party, order.amount, order.is_return, order.state,
        order.month, order.month_number, where=where)


def origin(order_key):
    "The record (model name, id) an order key stands for"
    kind, id_ = order_key % 4, order_key // 4
    return {
        KEY_SALE: 'sale.sale',
        KEY_POS: 'urban.pos.sale',
        KEY_POINT: 'sale.point.sale',
        }[kind], id_
