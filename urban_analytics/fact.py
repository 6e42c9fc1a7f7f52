"""Order and line fact tables: one narrow row per order and per order line
of every channel, keyed by the cross-channel key of facts.py, that every
KPI and the orders dashboard read.

The orders keep them up to date themselves: each create, write or delete of
a sale, a till sale or one of their lines recomputes the facts of the
orders it touched, in the same transaction (so a KPI read right after sees
it), with one DELETE and one INSERT ... SELECT per table for the whole
call. ``rebuild`` recomputes everything: on activation, and for data
loaded outside Tryton (SQL imports, the benchmark)."""
from sql import Cast, Literal
from sql.functions import DateTrunc, Extract

from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import reduce_ids
from trytond.transaction import Transaction

from . import facts

ORDER_COLUMNS = ['id', 'company', 'channel', 'shop', 'date', 'party',
    'amount', 'is_return', 'state']
# derived from the date at refresh: the cohorts group by them
MONTH_COLUMNS = ['month', 'month_number']
LINE_COLUMNS = ['id', 'order_', 'company', 'channel', 'shop', 'date',
    'party', 'product', 'quantity', 'amount', 'is_return']


class _Fact(ModelSQL):
    # Plain integers rather than Many2One: the facts are a cache of the
    # orders, written only by refresh; foreign keys would only slow it.
    company = fields.Integer("Company")
    channel = fields.Char("Channel")
    shop = fields.Integer("Shop")
    date = fields.Date("Date")
    party = fields.Integer("Party")
    amount = fields.Numeric("Amount")
    is_return = fields.Boolean("Return")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__ = set()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.date, Index.Range())),
                Index(t, (t.party, Index.Range()), (t.date, Index.Range())),
                })


class OrderFact(_Fact):
    "Order Fact"
    __name__ = 'urban.analytics.order.fact'

    state = fields.Char("State")
    month = fields.Date("Month", help="The first day of the order's month.")
    month_number = fields.Integer("Month Number",
        help="Months since the year 0: year * 12 + month - 1.")

    @classmethod
    def refresh(cls, records):
        """Recompute the facts of the orders {order key kind: [ids]}"""
        pool = Pool()
        LineFact = pool.get('urban.analytics.line.fact')
        records = {k: list(set(v)) for k, v in records.items() if v}
        if not records:
            return
        cursor = Transaction().connection.cursor()
        order, line = cls.__table__(), LineFact.__table__()
        keys = [i * 4 + k for k, ids in records.items() for i in ids]
        cursor.execute(*order.delete(where=reduce_ids(order.id, keys)))
        cursor.execute(*line.delete(where=reduce_ids(line.order_, keys)))
        cls._insert_from(facts.source_orders(records),
            facts.source_lines(records))

    @classmethod
    def rebuild(cls):
        "Recompute the facts of every order"
        pool = Pool()
        LineFact = pool.get('urban.analytics.line.fact')
        cursor = Transaction().connection.cursor()
        cursor.execute(*cls.__table__().delete())
        cursor.execute(*LineFact.__table__().delete())
        cls._insert_from(facts.source_orders(), facts.source_lines())

    @classmethod
    def _malformed(cls):
        "Whether a stored fact holds a date its own day would not give"
        pool = Pool()
        LineFact = pool.get('urban.analytics.line.fact')
        cursor = Transaction().connection.cursor()
        order, line = cls.__table__(), LineFact.__table__()
        for query in [
                order.select(Literal(1),
                    where=(order.date != facts.as_date(order.date))
                    | (order.month != facts.as_date(
                            DateTrunc('month', order.date))),
                    limit=1),
                line.select(Literal(1),
                    where=line.date != facts.as_date(line.date),
                    limit=1)]:
            cursor.execute(*query)
            if cursor.fetchone():
                return True
        return False

    @classmethod
    def _insert_from(cls, orders, lines):
        pool = Pool()
        LineFact = pool.get('urban.analytics.line.fact')
        cursor = Transaction().connection.cursor()
        order, line = cls.__table__(), LineFact.__table__()
        month_number = (Extract('YEAR', orders.date) * 12
            + Extract('MONTH', orders.date) - 1)
        cursor.execute(*order.insert(
                [getattr(order, c) for c in ORDER_COLUMNS + MONTH_COLUMNS],
                orders.select(*(getattr(orders, c) for c in ORDER_COLUMNS),
                    facts.as_date(DateTrunc('month', orders.date)),
                    Cast(month_number, 'INTEGER'))))
        cursor.execute(*line.insert(
                [getattr(line, c) for c in LINE_COLUMNS],
                lines.select(*(getattr(lines, c) for c in LINE_COLUMNS))))


class LineFact(_Fact):
    "Order Line Fact"
    __name__ = 'urban.analytics.line.fact'

    order_ = fields.Integer("Order")
    product = fields.Integer("Product")
    quantity = fields.Numeric("Quantity")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.order_, Index.Range())))

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        OrderFact = pool.get('urban.analytics.order.fact')
        table_h = cls.__table_handler__(module)
        created = not table_h.table_exist(cls._table)
        super().__register__(module)
        # orders recorded before the module was activated, or facts
        # stored with malformed dates (SQLite before dates were cast per
        # backend)
        if created or OrderFact._malformed():
            OrderFact.rebuild()


def _refresh(kind, ids):
    Pool().get('urban.analytics.order.fact').refresh({kind: ids})


class _OrderHook:
    "Refreshes the facts of the orders created, written or deleted"
    __slots__ = ()
    _fact_kind = None
    _fact_fields = set()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'delete' or (mode == 'write'
                and not (set(field_names or ()) & cls._fact_fields)):
            return
        _refresh(cls._fact_kind, [r.id for r in records])

    @classmethod
    def on_delete(cls, records):
        ids = [r.id for r in records]
        return super().on_delete(records) + [
            lambda: _refresh(cls._fact_kind, ids)]


class _LineHook:
    "Refreshes the facts of the orders whose lines changed"
    __slots__ = ()
    _fact_kind = None
    _fact_fields = set()

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        super().on_modification(mode, lines, field_names=field_names)
        if mode == 'delete' or (mode == 'write'
                and not (set(field_names or ()) & cls._fact_fields)):
            return
        _refresh(cls._fact_kind, [l.sale.id for l in lines])

    @classmethod
    def on_delete(cls, lines):
        sale_ids = [l.sale.id for l in lines]
        return super().on_delete(lines) + [
            lambda: _refresh(cls._fact_kind, sale_ids)]


class Sale(_OrderHook, metaclass=PoolMeta):
    __name__ = 'sale.sale'
    _fact_kind = facts.KEY_SALE
    _fact_fields = {'state', 'sale_date', 'party', 'warehouse', 'company',
        'web_shop', 'sales_channel', 'lines'}


class SaleLine(_LineHook, metaclass=PoolMeta):
    __name__ = 'sale.line'
    _fact_kind = facts.KEY_SALE
    _fact_fields = {'sale', 'type', 'product', 'quantity', 'unit_price'}


class PosSale(_OrderHook, metaclass=PoolMeta):
    __name__ = 'urban.pos.sale'
    _fact_kind = facts.KEY_POS
    _fact_fields = {'state', 'date', 'party', 'shop', 'account',
        'is_return', 'total_amount', 'tax_amount', 'lines'}


class PosSaleLine(_LineHook, metaclass=PoolMeta):
    __name__ = 'urban.pos.sale.line'
    _fact_kind = facts.KEY_POS
    _fact_fields = {'sale', 'product', 'quantity', 'total_amount',
        'tax_amount'}


class PointSale(_OrderHook, metaclass=PoolMeta):
    __name__ = 'sale.point.sale'
    _fact_kind = facts.KEY_POINT
    _fact_fields = {'state', 'date', 'point', 'company', 'lines'}


class PointSaleLine(_LineHook, metaclass=PoolMeta):
    __name__ = 'sale.point.sale.line'
    _fact_kind = facts.KEY_POINT
    _fact_fields = {'sale', 'product', 'quantity', 'unit_list_price'}
