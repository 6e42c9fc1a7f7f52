"""The facts every KPI is computed from: orders and order lines of all
channels, as one SQL query (python-sql) per level.

The channel of an order follows from how it was recorded:

- ``till``: a sale rung up on a shop's till, either an external POS synced
  by urban_pos_bridge (``urban.pos.sale``, booked) or Tryton's own
  ``sale.point.sale`` (done or posted); its shop is the till's shop;
- ``app``: a ``sale.sale`` checked out through the app's API
  (``api_mode`` is set by urban_mobile_api's checkout);
- ``web``: any other ``sale.sale`` of a web shop (``web_shop`` set);
- ``pro``: a ``sale.sale`` entered in the back office or the pro portal (no
  web shop).

The shop of a ``sale.sale`` is its warehouse (the pickup or shipping shop).
Amounts are untaxed, in the company currency; a till return counts with
negative quantities and amounts and is not an order of its own.

A key identifies an order or line across channels: the record id times 4
plus 1 (sale.sale), 2 (urban.pos.sale) or 3 (sale.point.sale).
"""
import datetime as dt

from sql import As, Cast, Literal, Null, Union
from sql.conditionals import Case, Coalesce
from sql.functions import Round

from trytond.pool import Pool
from trytond.transaction import Transaction

CHANNELS = [
    ('till', "Shop Till"),
    ('app', "App"),
    ('web', "Web Shop"),
    ('pro', "Pro"),
    ]
SALE_STATES = ('confirmed', 'processing', 'done')
SALE_DASHBOARD_STATES = (
    'quotation', 'confirmed', 'processing', 'done', 'cancelled')
KEY_SALE, KEY_POS, KEY_POINT = 1, 2, 3


def key(column, kind):
    return column * Literal(4) + Literal(kind)


def sale_channel(sale):
    "SQL expression of the channel of a sale.sale row"
    return Case(
        (sale.api_mode != Null, 'app'),
        (sale.web_shop != Null, 'web'),
        else_='pro')


def period():
    """(from date, to date, company id, shop id, channel) of the context;
    dates are inclusive and may be None"""
    context = Transaction().context
    return (context.get('from_date'), context.get('to_date'),
        context.get('company'), context.get('shop'), context.get('channel'))


def _day_after(date):
    return date + dt.timedelta(days=1)


def _filters(date_column, company_column, shop_column, timestamp=False,
        filters=None):
    from_date, to_date, company, shop, _ = filters or period()
    where = Literal(True)
    if from_date:
        value = from_date
        if timestamp:
            value = dt.datetime.combine(from_date, dt.time())
        where &= date_column >= value
    if to_date:
        if timestamp:
            where &= date_column < dt.datetime.combine(
                _day_after(to_date), dt.time())
        else:
            where &= date_column <= to_date
    if company:
        where &= company_column == company
    if shop:
        where &= shop_column == shop
    return where


def _channel_wanted(channel, filters=None):
    wanted = (filters or period())[4]
    return not wanted or wanted == channel


def lines_query(filters=None, dated=True):
    """Order lines of every channel with columns: id, order_, company,
    channel, shop, date, party, product, quantity, amount, is_return.
    filters: (from, to, company, shop, channel) or the context's; dated:
    apply the date filters"""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    PosSale = pool.get('urban.pos.sale')
    PosLine = pool.get('urban.pos.sale.line')
    PointSale = pool.get('sale.point.sale')
    PointLine = pool.get('sale.point.sale.line')
    Point = pool.get('sale.point')
    Location = pool.get('stock.location')
    filters = filters or period()
    if not dated:
        filters = (None, None) + tuple(filters[2:])
    queries = []

    sale, line = Sale.__table__(), Line.__table__()
    channel = sale_channel(sale)
    where = (_filters(sale.sale_date, sale.company, sale.warehouse,
            filters=filters)
        & sale.state.in_(SALE_STATES) & (line.type == 'line')
        & (line.product != Null))
    if filters[4]:
        where &= channel == filters[4]
    queries.append(line.join(sale, condition=line.sale == sale.id).select(
            As(key(line.id, KEY_SALE), 'id'),
            As(key(sale.id, KEY_SALE), 'order_'),
            As(sale.company, 'company'),
            As(channel, 'channel'),
            As(sale.warehouse, 'shop'),
            As(sale.sale_date, 'date'),
            As(sale.party, 'party'),
            As(line.product, 'product'),
            As(Cast(line.quantity, 'NUMERIC'), 'quantity'),
            As(Round(Cast(line.quantity, 'NUMERIC') * line.unit_price, 2),
                'amount'),
            As(Literal(False), 'is_return'),
            where=where))

    if _channel_wanted('till', filters):
        pos, pline = PosSale.__table__(), PosLine.__table__()
        queries.append(pline.join(pos, condition=pline.sale == pos.id).select(
                As(key(pline.id, KEY_POS), 'id'),
                As(key(pos.id, KEY_POS), 'order_'),
                As(Cast(Literal(None), 'INTEGER'), 'company'),
                As(Literal('till'), 'channel'),
                As(pos.shop, 'shop'),
                As(Cast(pos.date, 'DATE'), 'date'),
                As(pos.party, 'party'),
                As(pline.product, 'product'),
                As(Cast(pline.quantity, 'NUMERIC'), 'quantity'),
                As(pline.total_amount - Coalesce(pline.tax_amount, 0),
                    'amount'),
                As(pos.is_return, 'is_return'),
                where=_filters(pos.date, Literal(None), pos.shop,
                    timestamp=True, filters=filters[:2] + (None,)
                    + filters[3:])
                & (pos.state == 'booked')))

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
                where=_filters(psale.date, psale.company, warehouse.id,
                    filters=filters)
                & psale.state.in_(['done', 'posted'])))
    return Union(*queries, all_=True)


def orders_query(filters=None, dated=True, states=SALE_STATES):
    """Orders of every channel with columns: id (the order key), company,
    channel, shop, date, party, amount, is_return, state.
    state is the sale's state, 'booked' (external till) or the sale
    point's."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    PosSale = pool.get('urban.pos.sale')
    PointSale = pool.get('sale.point.sale')
    PointLine = pool.get('sale.point.sale.line')
    Point = pool.get('sale.point')
    Location = pool.get('stock.location')
    from sql.aggregate import Sum
    filters = filters or period()
    if not dated:
        filters = (None, None) + tuple(filters[2:])
    queries = []

    sale, line = Sale.__table__(), Line.__table__()
    channel = sale_channel(sale)
    amounts = line.select(line.sale,
        As(Sum(Round(Cast(line.quantity, 'NUMERIC') * line.unit_price, 2)),
            'amount'),
        where=(line.type == 'line'),
        group_by=[line.sale])
    where = (_filters(sale.sale_date, sale.company, sale.warehouse,
            filters=filters) & sale.state.in_(states))
    if filters[4]:
        where &= channel == filters[4]
    queries.append(sale.join(amounts, 'LEFT',
            condition=amounts.sale == sale.id).select(
            As(key(sale.id, KEY_SALE), 'id'),
            As(sale.company, 'company'),
            As(channel, 'channel'),
            As(sale.warehouse, 'shop'),
            As(Coalesce(sale.sale_date, Cast(sale.create_date, 'DATE')),
                'date'),
            As(sale.party, 'party'),
            As(Coalesce(amounts.amount, 0), 'amount'),
            As(Literal(False), 'is_return'),
            As(sale.state, 'state'),
            where=where))

    if _channel_wanted('till', filters):
        pos = PosSale.__table__()
        pos_where = _filters(pos.date, Literal(None), pos.shop,
            timestamp=True, filters=filters[:2] + (None,) + filters[3:])
        if 'cancelled' not in states:
            pos_where &= pos.state == 'booked'
        queries.append(pos.select(
                As(key(pos.id, KEY_POS), 'id'),
                As(Cast(Literal(None), 'INTEGER'), 'company'),
                As(Literal('till'), 'channel'),
                As(pos.shop, 'shop'),
                As(Cast(pos.date, 'DATE'), 'date'),
                As(pos.party, 'party'),
                As(pos.total_amount - Coalesce(pos.tax_amount, 0), 'amount'),
                As(pos.is_return, 'is_return'),
                As(Case((pos.state == 'voided', 'cancelled'),
                        else_='done'), 'state'),
                where=pos_where))

        psale, pline = PointSale.__table__(), PointLine.__table__()
        point, warehouse = Point.__table__(), Location.__table__()
        amounts = pline.select(pline.sale,
            As(Sum(Round(Cast(pline.quantity, 'NUMERIC')
                        * pline.unit_list_price, 2)), 'amount'),
            group_by=[pline.sale])
        point_states = ['done', 'posted']
        if 'cancelled' in states:
            point_states.append('cancelled')
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
                where=_filters(psale.date, psale.company, warehouse.id,
                    filters=filters)
                & psale.state.in_(point_states)))
    return Union(*queries, all_=True)


def origin(order_key):
    "The record (model name, id) an order key stands for"
    kind, id_ = order_key % 4, order_key // 4
    return {
        KEY_SALE: 'sale.sale',
        KEY_POS: 'urban.pos.sale',
        KEY_POINT: 'sale.point.sale',
        }[kind], id_
