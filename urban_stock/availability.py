"""Available-to-promise (ATP) per product and per shop, in one query.

ATP of a product in a warehouse = on hand in its storage subtree
(done moves) - moves out of that subtree already assigned (reserved by
Tryton shipments) - active reservations (`urban.stock.reservation`)
- the warehouse's safety buffer, never below zero.
The online total sums the warehouses that fulfil online.

The channels call `for_products(product_ids, shop_ids=None)`; it is plain
Python, independent of HTTP, and runs ONE SQL query for a whole page.
"""
from sql import Literal, Union
from sql.aggregate import Max, Sum
from sql.conditionals import Case, Coalesce

from trytond.pool import Pool
from trytond.transaction import Transaction


class Availability(dict):
    """{(product_id, warehouse_id): ATP} (missing keys mean 0) with
    `totals` {product_id: online ATP} and `on_hand`, `reserved` details."""

    def __init__(self):
        super().__init__()
        self.totals = {}
        self.on_hand = {}
        self.reserved = {}
        # on hand - reserved - buffer, not clamped at zero
        self.balance = {}
        self.online = set()

    def __missing__(self, key):
        return 0.0

    def total(self, product_id):
        return self.totals.get(product_id, 0.0)


def warehouse_query(shop_ids=None):
    "Sub-query: warehouses with their storage subtree bounds"
    Location = Pool().get('stock.location')
    warehouse = Location.__table__()
    storage = Location.__table__()
    where = ((warehouse.type == 'warehouse')
        & (warehouse.active == Literal(True)))
    if shop_ids is not None:
        where &= warehouse.id.in_(list(shop_ids) or [-1])
    return warehouse.join(storage,
        condition=warehouse.storage_location == storage.id
        ).select(
            warehouse.id.as_('warehouse'),
            storage.left.as_('left'),
            storage.right.as_('right'),
            Coalesce(warehouse.safety_buffer, 0).as_('buffer'),
            Case((warehouse.fulfils_online == Literal(True), 1),
                else_=0).as_('online'),
            where=where)


def quantities_query(product_ids=None, shop_ids=None):
    """Query of (product, warehouse, on_hand, reserved, buffer, online) rows
    over done/assigned moves and active reservations."""
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    Reservation = pool.get('urban.stock.reservation')
    stock_move = Move.__table__()
    from_ = Location.__table__()
    to = Location.__table__()
    reservation = Reservation.__table__()
    wh = warehouse_query(shop_ids)

    where = stock_move.state.in_(['done', 'assigned'])
    r_where = reservation.state == 'reserved'
    if product_ids is not None:
        where &= stock_move.product.in_(list(product_ids) or [-1])
        r_where &= reservation.product.in_(list(product_ids) or [-1])
    # The moves summed per product, state and locations first, apart: the
    # planner (which expects one warehouse) otherwise read a page's moves
    # again for each warehouse; summed, they are read once, and a product's
    # years of history are a few rows.
    move = stock_move.select(
        stock_move.product.as_('product'), stock_move.state.as_('state'),
        stock_move.from_location.as_('from_location'),
        stock_move.to_location.as_('to_location'),
        Sum(stock_move.internal_quantity).as_('internal_quantity'),
        where=where,
        group_by=[stock_move.product, stock_move.state,
            stock_move.from_location, stock_move.to_location])
    from_in = (from_.left >= wh.left) & (from_.left <= wh.right)
    to_in = (to.left >= wh.left) & (to.left <= wh.right)
    in_qty = Case(
        ((move.state == 'done') & to_in & ~from_in, move.internal_quantity),
        ((move.state == 'done') & from_in & ~to_in, -move.internal_quantity),
        else_=0.0)
    reserved_qty = Case(
        ((move.state == 'assigned') & from_in & ~to_in,
            move.internal_quantity),
        else_=0.0)
    moves = (move
        .join(from_, condition=move.from_location == from_.id)
        .join(to, condition=move.to_location == to.id)
        .join(wh, condition=from_in | to_in)
        .select(
            move.product.as_('product'), wh.warehouse.as_('warehouse'),
            in_qty.as_('on_hand'), reserved_qty.as_('reserved')))
    reservations = (reservation
        .join(wh, condition=reservation.warehouse == wh.warehouse)
        .select(
            reservation.product.as_('product'),
            reservation.warehouse.as_('warehouse'),
            Literal(0.0).as_('on_hand'),
            reservation.quantity.as_('reserved'),
            where=r_where))
    union = Union(moves, reservations, all_=True)
    wh2 = warehouse_query(shop_ids)
    return union.join(wh2, condition=union.warehouse == wh2.warehouse
        ).select(
            union.product.as_('product'), union.warehouse.as_('warehouse'),
            Sum(union.on_hand).as_('on_hand'),
            Sum(union.reserved).as_('reserved'),
            Max(wh2.buffer).as_('buffer'),
            Max(wh2.online).as_('online'),
            group_by=[union.product, union.warehouse])


def atp(on_hand, reserved, buffer):
    return max(0.0, (on_hand or 0.0) - (reserved or 0.0) - (buffer or 0.0))


class _CompiledQuery:
    """quantities_query compiled once per (database, number of products,
    number of shops): building and formatting the python-sql tree costs
    more than running it for a page. Compiled with negative sentinel ids
    whose positions in the parameters are then filled with real ids."""
    _cache = {}

    @classmethod
    def get(cls, product_ids, shop_ids):
        transaction = Transaction()
        key = (transaction.database.name, len(product_ids),
            None if shop_ids is None else len(shop_ids))
        compiled = cls._cache.get(key)
        if compiled is None:
            product_marks = [-1000000 - i for i in range(len(product_ids))]
            shop_marks = (None if shop_ids is None
                else [-2000000 - i for i in range(len(shop_ids))])
            sql, params = tuple(quantities_query(product_marks, shop_marks))
            marks = {m: ('p', i) for i, m in enumerate(product_marks)}
            marks.update({m: ('s', i)
                    for i, m in enumerate(shop_marks or [])})
            slots = [(position, marks[value])
                for position, value in enumerate(params)
                if isinstance(value, int) and value in marks]
            compiled = cls._cache[key] = (sql, list(params), slots)
        sql, params, slots = compiled
        params = list(params)
        for position, (kind, index) in slots:
            params[position] = (product_ids if kind == 'p'
                else shop_ids)[index]
        return sql, params


def for_products(product_ids, shop_ids=None):
    """ATP of product_ids in shop_ids (default: every active warehouse).

    Returns an `Availability`: mapping (product_id, warehouse_id) -> float,
    `.totals[product_id]` the online ATP (warehouses that fulfil online).
    One SQL query whatever the number of products and shops."""
    product_ids = [int(p) for p in product_ids]
    result = Availability()
    for product_id in product_ids:
        result.totals[product_id] = 0.0
    if not product_ids:
        return result
    if shop_ids is not None:
        shop_ids = [int(s) for s in shop_ids] or [-1]
    sql, params = _CompiledQuery.get(product_ids, shop_ids)
    cursor = Transaction().connection.cursor()
    cursor.execute(sql, params)
    for product, warehouse, on_hand, reserved, buffer, online in cursor:
        value = atp(on_hand, reserved, buffer)
        key = (product, warehouse)
        result[key] = value
        result.on_hand[key] = float(on_hand or 0)
        result.reserved[key] = float(reserved or 0)
        result.balance[key] = (
            result.on_hand[key] - result.reserved[key] - float(buffer or 0))
        if online:
            result.online.add(warehouse)
            result.totals[product] = result.totals.get(product, 0.0) + value
    return result
