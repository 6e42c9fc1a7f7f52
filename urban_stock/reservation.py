"""Stock reservations taken when an order is accepted.

`Reservation.reserve(lines, shop, ...)` checks and reserves every line in
the caller's transaction, under a per-(product, shop) lock, so concurrent
buyers never get more than the available-to-promise (see availability.py).

Locking on PostgreSQL: `pg_advisory_xact_lock(product, shop)` queues the
transactions per product and shop; then a counter row per (product, shop)
is updated. Under READ COMMITTED (use `read_committed()` at the start of
the transaction, as `checkout_transaction()` does) the availability read
after the lock is fresh and nobody waits for nothing. Under Tryton's
default REPEATABLE READ a stale snapshot makes the counter update fail
with a serialisation error, which Tryton retries: slower, never oversold.
On SQLite the database-wide write lock serialises writers.
"""
import contextlib
import datetime as dt
import time

from sql import Column, Null
from sql.aggregate import Sum
from sql.conditionals import Coalesce, NullIf

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.exceptions import UserError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import availability, hold

CHECKOUT_HOLD = dt.timedelta(minutes=30)
COLLECT_HOLD = dt.timedelta(days=7)


class ReservationError(UserError):
    pass


class HoldLimitError(ReservationError):
    """A customer would hold more units unpaid than allowed (hold.py);
    problem: the code channels answer it with"""
    problem = 'unpaid_hold_limit'


class LastUnitsError(ReservationError):
    "An unverified customer would hold the last units unpaid (hold.py)"
    problem = 'email_verification_required'


class _NameCache:
    """Names of products and shops for refusal messages, per database and
    language, kept NAME_TTL seconds (a renamed product shows its old name
    in a refusal for at most that long)."""
    NAME_TTL = 60

    def __init__(self):
        self._names = {}

    def _key(self, kind, id_):
        transaction = Transaction()
        return (transaction.database.name, transaction.language, kind, id_)

    def get(self, kind, id_):
        name, stamp = self._names.get(self._key(kind, id_), (None, 0))
        if name is not None and time.monotonic() - stamp < self.NAME_TTL:
            return name

    def put(self, kind, names):
        if len(self._names) > 10000:
            self._names.clear()
        now = time.monotonic()
        for id_, name in names.items():
            self._names[self._key(kind, id_)] = (name, now)
        return names


_names = _NameCache()


def read_committed(transaction=None):
    """Switch a PostgreSQL transaction that has not run any statement yet to
    READ COMMITTED; returns whether it did."""
    transaction = transaction or Transaction()
    if transaction.database.flavor.paramstyle != 'format':
        return False
    connection = transaction.connection
    try:
        from psycopg import IsolationLevel, pq
    except ImportError:
        return False
    if connection.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    connection.isolation_level = IsolationLevel.READ_COMMITTED
    return True


@contextlib.contextmanager
def checkout_transaction(database_name, user, context=None):
    "A transaction for accepting orders: READ COMMITTED on PostgreSQL"
    with Transaction().start(
            database_name, user, context=context) as transaction:
        read_committed(transaction)
        yield transaction


def wanted_quantities(lines):
    """{product id: total quantity} of (product or id, quantity) lines.

    Raises ReservationError for no line or a quantity that is not a number
    above zero: the one check shared by reservations and routing."""
    wanted = {}
    for product, quantity in lines:
        product_id = int(getattr(product, 'id', product) or 0)
        try:
            quantity = float(quantity)
        except (TypeError, ValueError):
            quantity = 0
        if quantity <= 0:
            raise ReservationError(gettext(
                    'urban_stock.msg_reservation_quantity_positive',
                    product=product_id, quantity=quantity))
        wanted[product_id] = wanted.get(product_id, 0) + quantity
    if not wanted:
        raise ReservationError(gettext('urban_stock.msg_reservation_empty'))
    return wanted


class Reservation(Workflow, ModelSQL, ModelView):
    "Stock Reservation"
    __name__ = 'urban.stock.reservation'

    product = fields.Many2One('product.product', "Product", required=True,
        ondelete='RESTRICT', readonly=True)
    # no domain: reservations are only made by reserve(), which checks the
    # shop; validating a domain would cost a query inside the lock
    warehouse = fields.Many2One('stock.location', "Shop", required=True,
        ondelete='RESTRICT', readonly=True)
    quantity = fields.Float("Quantity", required=True, readonly=True,
        help="In the default unit of the product.")
    kind = fields.Selection([
            ('checkout', "Checkout"),
            ('click_collect', "Click & Collect"),
            ('order', "Confirmed Order"),
            ('transfer', "Transfer"),
            ('manual', "Manual"),
            ], "Kind", required=True, readonly=True)
    state = fields.Selection([
            ('reserved', "Reserved"),
            ('consumed', "Consumed"),
            ('released', "Released"),
            ], "State", required=True, readonly=True, sort=False)
    expires_at = fields.DateTime("Expires At", readonly=True,
        help="Released by the scheduler after this time when still "
        "reserved.")
    origin = fields.Reference("Origin", selection='get_origin',
        readonly=True)
    reference = fields.Char("Reference", readonly=True,
        help="Order or cart reference given by the channel.")
    holder = fields.Char("Held Unpaid For", readonly=True,
        help="The customer or guest whose order, not paid yet, holds the "
        "units (limited per holder); empty once the order is accepted.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.product, Index.Range()),
                    (t.warehouse, Index.Range()),
                    where=t.state == 'reserved'),
                Index(t, (t.expires_at, Index.Range()),
                    where=t.state == 'reserved'),
                # consume_origins runs on every assigned or done move
                Index(t, (t.origin, Index.Equality()),
                    where=t.state == 'reserved'),
                # the unpaid holds of a customer (hold.py)
                Index(t, (t.holder, Index.Equality()),
                    (t.product, Index.Range()),
                    where=(t.state == 'reserved') & (t.holder != Null)),
                })
        cls._order.insert(0, ('create_date', 'DESC'))
        cls._transitions |= {
            ('reserved', 'consumed'),
            ('reserved', 'released'),
            }
        cls._buttons.update({
                'release': {
                    'invisible': Eval('state') != 'reserved',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'reserved'

    @classmethod
    def default_kind(cls):
        return 'manual'

    @classmethod
    def _get_origin(cls):
        return ['sale.sale', 'sale.line', 'stock.shipment.internal']

    @classmethod
    def get_origin(cls):
        IrModel = Pool().get('ir.model')
        return [(None, '')] + [
            (m, IrModel.get_name(m)) for m in cls._get_origin()]

    def get_rec_name(self, name):
        return '%s × %s @ %s' % (
            self.quantity, self.product.rec_name, self.warehouse.rec_name)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete':
            for record in records:
                if record.state == 'reserved':
                    raise AccessError(gettext(
                            'urban_stock.msg_reservation_delete_reserved',
                            reservation=record.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('released')
    def release(cls, reservations):
        "Give the units back to availability"
        pass

    @classmethod
    @Workflow.transition('consumed')
    def consume(cls, reservations):
        "The order's stock moves now hold the units"
        pass

    @classmethod
    def release_expired(cls):
        "Cron: release reservations whose hold expired"
        now = dt.datetime.now()
        expired = cls.search([
                ('state', '=', 'reserved'),
                ('expires_at', '<', now),
                ])
        cls.release(expired)
        return expired

    @classmethod
    def consume_origins(cls, origins):
        "Consume the active reservations of origins (e.g. a sale)"
        origins = [str(o) for o in origins if o]
        if not origins:
            return
        cls.consume(cls.search([
                    ('state', '=', 'reserved'),
                    ('origin', 'in', origins),
                    ], order=[]))

    # --- the API the channels call -------------------------------------

    @classmethod
    def reserve(cls, lines, shop, kind='checkout', expires_at=None,
            origin=None, reference=None, holder=None, holder_verified=True):
        """Reserve lines [(product or id, quantity), ...] in shop (warehouse
        or id) all or nothing; returns the reservations.

        Raises ReservationError (a UserError) for an unknown product or shop,
        a quantity <= 0 or above the available-to-promise; nothing is
        written then.

        holder: the customer or guest (a string, e.g. 'web.user,12') of an
        order not paid yet: the hold is short and bounded (hold.py); raises
        HoldLimitError above the units one holder may hold unpaid and,
        unless holder_verified (a verified e-mail address), LastUnitsError
        for the last units of a product in the shop.

        The lock is held from the check to the commit, so the work done
        under it is kept small: the rows are inserted BEFORE taking the lock
        and the read under the lock checks that the stock still covers every
        active reservation, ours included. Products and shop are only looked
        up to explain a refusal (a product with stock in an active warehouse
        is known by construction). A first read without the lock refuses at
        once when the stock is already gone, so a flash sale's late buyers
        do not queue for the lock."""
        shop_id = int(getattr(shop, 'id', shop) or 0)
        wanted = wanted_quantities(lines)
        product_ids = sorted(wanted)
        keep = 0.0
        if holder:
            unpaid_hold, max_units, last_units = hold.limits()
            keep = 0.0 if holder_verified else float(last_units)
            hold.lock_holder(holder)
            if max_units:
                cls._check_holder(holder, wanted, shop_id, max_units)
            if expires_at is None:
                expires_at = dt.datetime.now() + unpaid_hold
        cls._check_available(wanted, shop_id,
            availability.for_products(product_ids, [shop_id]), keep=keep)
        if expires_at is None:
            expires_at = dt.datetime.now() + (
                COLLECT_HOLD if kind == 'click_collect' else CHECKOUT_HOLD)
        reservations = cls._insert([{
                    'product': product_id,
                    'warehouse': shop_id,
                    'quantity': wanted[product_id],
                    'kind': kind,
                    'state': 'reserved',
                    'expires_at': expires_at,
                    'origin': str(origin) if origin else None,
                    'reference': reference,
                    'holder': holder or None,
                    } for product_id in product_ids])
        try:
            cls.lock(product_ids, shop_id)
            available = availability.for_products(product_ids, [shop_id])
            for product_id in product_ids:
                key = (product_id, shop_id)
                if available.balance.get(key, 0.0) < keep - 1e-9:
                    # what was free for us: the balance without our rows
                    available[key] = max(0.0,
                        available.balance.get(key, 0.0) + wanted[product_id])
                    cls._refuse(wanted, shop_id, product_id, available,
                        keep=keep)
        except ReservationError:
            # a caller may catch the refusal and commit (e.g. to answer
            # 409): leave nothing behind (a database error aborts the whole
            # transaction anyway)
            table = cls.__table__()
            Transaction().connection.cursor().execute(*table.delete(
                    where=table.id.in_([r.id for r in reservations])))
            raise
        return reservations

    @classmethod
    def _insert(cls, rows):
        """Insert reservation rows in one statement, then run the creation
        hooks (on_modification, triggers) as ModelSQL.create does.

        The hot path of every checkout: ModelSQL.create would also read each
        new row back to validate it, a few milliseconds per order. The values
        come from reserve() (checked ids, positive numbers, known
        selections) and the database still enforces the foreign keys and
        required columns."""
        transaction = Transaction()
        if not transaction.database.has_returning():
            return cls.create(rows)
        table = cls.__table__()
        names = ['product', 'warehouse', 'quantity', 'kind', 'state',
            'expires_at', 'origin', 'reference', 'holder']
        now = dt.datetime.now()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.insert(
                [Column(table, name) for name in names]
                + [table.create_uid, table.create_date],
                [[row[name] for name in names] + [transaction.user, now]
                    for row in rows],
                returning=[table.id]))
        ids = [id_ for id_, in cursor]
        records = cls.browse(ids)
        # the rest of ModelStorage._after_create: the hooks of other
        # modules (e.g. the push to the shop's till) and the triggers
        Trigger = Pool().get('ir.trigger')
        cls.check_modification('create', records)
        cls._compute_fields(records)
        cls.on_modification('create', records)
        for trigger in Trigger.get_triggers(cls.__name__, 'create'):
            trigger.queue_trigger_action(records)
        transaction.create_records[cls.__name__].extend(ids)
        return records

    @classmethod
    def _check_available(cls, wanted, shop_id, available, keep=0.0):
        for product_id, quantity in sorted(wanted.items()):
            if quantity > available[(product_id, shop_id)] - keep + 1e-9:
                cls._refuse(wanted, shop_id, product_id, available,
                    keep=keep)

    @classmethod
    def _check_holder(cls, holder, wanted, shop_id, max_units):
        """Raise HoldLimitError when holder's unpaid holds plus wanted go
        above max_units of a product"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.product, Sum(table.quantity),
                where=(table.state == 'reserved') & (table.holder == holder)
                & table.product.in_(sorted(wanted)),
                group_by=[table.product]))
        held = dict(cursor)
        for product_id, quantity in sorted(wanted.items()):
            already = held.get(product_id) or 0.0
            if already + quantity > max_units + 1e-9:
                names = cls._product_names([product_id])
                raise HoldLimitError(gettext(
                        'urban_stock.msg_reservation_hold_limit',
                        product=names[product_id], maximum=max_units,
                        held=already, quantity=quantity))

    @classmethod
    def _refuse(cls, wanted, shop_id, product_id, available, keep=0.0):
        """Raise the error that explains why product_id cannot be reserved.

        Names come from two small queries with translated names (building
        rec_name would load every eager field of products and shop), kept
        a minute per process: the late buyers of a flash sale are refused
        by the hundred, for the same product and shop."""
        shop_name = _names.get('shop', shop_id)
        if shop_name is None:
            shop_name = _names.put('shop', cls._shop_names(shop_id))[shop_id]
        names = {p: _names.get('product', p) for p in sorted(wanted)}
        missing = [p for p, name in names.items() if name is None]
        if missing:
            names.update(_names.put('product', cls._product_names(missing)))
        if keep and wanted[product_id] <= available[
                (product_id, shop_id)] + 1e-9:
            # enough stock, but only by taking the last units
            raise LastUnitsError(gettext(
                    'urban_stock.msg_reservation_last_units',
                    product=names[product_id], shop=shop_name))
        raise ReservationError(gettext(
                'urban_stock.msg_reservation_insufficient',
                product=names[product_id], shop=shop_name,
                quantity=wanted[product_id],
                available=available[(product_id, shop_id)]))

    @classmethod
    def _shop_names(cls, shop_id):
        "{shop_id: name}; raises ReservationError for an unknown shop"
        Location = Pool().get('stock.location')
        cursor = Transaction().connection.cursor()
        location, location_join, location_name = (
            Location.name._get_translation_column(Location, 'name'))
        cursor.execute(*location_join.select(
                Coalesce(NullIf(location_name, ''), location.name),
                where=(location.id == shop_id)
                & (location.type == 'warehouse')))
        row = cursor.fetchone()
        if not row:
            raise ReservationError(gettext(
                    'urban_stock.msg_reservation_unknown_shop',
                    shop=shop_id))
        return {shop_id: row[0]}

    @classmethod
    def _product_names(cls, product_ids):
        """{product id: name}; raises ReservationError for an unknown
        product"""
        pool = Pool()
        Product = pool.get('product.product')
        Template = pool.get('product.template')
        cursor = Transaction().connection.cursor()
        product = Product.__table__()
        template, template_join, template_name = (
            Template.name._get_translation_column(Template, 'name'))
        # the translation join on the left: a join nested on the right
        # ("a JOIN (b LEFT JOIN c ON ..) ON ..") is PostgreSQL only, SQLite
        # answers 'near "ON": syntax error'
        cursor.execute(*template_join
            .join(product, condition=product.template == template.id)
            .select(
                product.id, product.code,
                Coalesce(NullIf(template_name, ''), template.name),
                where=product.id.in_(product_ids)
                & template.type.in_(['goods', 'assets'])))
        names = {id_: ('[%s] %s' % (code, name) if code else name)
            for id_, code, name in cursor}
        for product_id in product_ids:
            if product_id not in names:
                raise ReservationError(gettext(
                        'urban_stock.msg_reservation_unknown_product',
                        product=product_id))
        return names

    @classmethod
    def lock(cls, product_ids, shop_id):
        """Serialise reservations of product_ids in shop_id until the end of
        the transaction (keys taken in ascending order: no deadlock)."""
        pool = Pool()
        Counter = pool.get('urban.stock.reservation.counter')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        if transaction.database.flavor.paramstyle == 'format':
            for product_id in product_ids:
                cursor.execute(
                    'SELECT pg_advisory_xact_lock(%s, %s)',
                    (int(product_id), int(shop_id)))
        counter = Counter.__table__()
        for product_id in product_ids:
            cursor.execute(*counter.update(
                    [counter.version], [counter.version + 1],
                    where=(counter.product == product_id)
                    & (counter.warehouse == shop_id)))
            if cursor.rowcount:
                continue
            if transaction.database.flavor.paramstyle == 'format':
                # under REPEATABLE READ a row created by a concurrent
                # transaction raises a serialisation failure (retried)
                cursor.execute(
                    'INSERT INTO "%s" (product, warehouse, version) '
                    'VALUES (%%s, %%s, 1) '
                    'ON CONFLICT (product, warehouse) DO NOTHING'
                    % Counter._table, (int(product_id), int(shop_id)))
            else:
                cursor.execute(*counter.insert(
                        [counter.product, counter.warehouse, counter.version],
                        [[product_id, shop_id, 1]]))


class ReservationCounter(ModelSQL):
    """Stock Reservation Counter

    One row per (product, shop) bumped by each reservation: under
    REPEATABLE READ a reservation based on a stale snapshot fails on it
    (serialisation error, retried) instead of overselling."""
    __name__ = 'urban.stock.reservation.counter'

    product = fields.Many2One('product.product', "Product", required=True,
        ondelete='CASCADE')
    warehouse = fields.Many2One('stock.location', "Shop", required=True,
        ondelete='CASCADE')
    version = fields.Integer("Version", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('product_warehouse_unique', Unique(t, t.product, t.warehouse),
                'urban_stock.msg_reservation_counter_unique'),
            ]


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # availability.for_products sums a product's moves by state and
        # locations: read from the index alone (years of history on a few
        # index pages, not a heap page per move), in the order it groups them
        cls._sql_indexes.add(
            Index(t, (t.product, Index.Range()), (t.state, Index.Equality()),
                (t.from_location, Index.Equality()),
                (t.to_location, Index.Equality()),
                include=[t.internal_quantity],
                where=t.state.in_(['done', 'assigned'])))

    @classmethod
    def _reservation_origins(cls, moves):
        origins = set()
        for move in moves:
            origin = move.origin
            if origin and origin.__name__ == 'stock.move':
                # an inventory move of a customer shipment (shelves to the
                # output) comes from its outgoing move: once assigned it
                # holds the order's units, which then leave the shelves
                origin = origin.origin
            if origin and origin.__name__ == 'sale.line':
                origins.add(str(origin))
                origins.add(str(origin.sale))
            elif origin:
                origins.add(str(origin))
            if move.shipment:
                origins.add(str(move.shipment))
        return origins

    @classmethod
    def assign(cls, moves):
        # once Tryton assigned the order's moves they hold the units
        super().assign(moves)
        Pool().get('urban.stock.reservation').consume_origins(
            cls._reservation_origins(moves))

    @classmethod
    def do(cls, moves):
        super().do(moves)
        Pool().get('urban.stock.reservation').consume_origins(
            cls._reservation_origins(moves))


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('urban.stock.reservation|release_expired',
                "Release Expired Stock Reservations"))
        cls.method.selection.append(
            ('sale.sale|expire_pickups',
                "Expire Uncollected Click & Collect Orders"))
