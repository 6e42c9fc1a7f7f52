"""The outbox: one row per (outlet, product) that coalesces every stock
change of a shop in Tryton into one push of the difference to its till.

`till_level` is what we believe the till counts. A stock change in Tryton
marks the row dirty; the push sends `target - till_level` as a delta
(target = on hand - reserved in the shop, from urban_stock.availability)
and adds it to `till_level` once the till accepted it. A sale rung up on
the till lowers `till_level` with the stock (the till already counted it),
so it is never pushed back. A level snapshot from the till that differs
from `till_level` is a change made in the till (stock take, damage): it is
booked in Tryton as an adjustment against lost and found.

Pushes and snapshots of one account are serialised by an advisory lock;
the push runs READ COMMITTED so that its increments never conflict with
concurrent hooks. After a timeout the rows are read back from the till
before any retry (X-Series stock adjustments have no idempotency key).
"""
import datetime as dt
import hashlib
import logging
from decimal import Decimal

from sql import Null
from sql.conditionals import Case, Coalesce
from sql.functions import Function

from trytond.i18n import gettext
from .fields_ import BigInteger
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from urban_stock import availability
from urban_stock.reservation import read_committed

from . import connectors

logger = logging.getLogger(__name__)
LOCK_SPACE = 0x504f53  # 'POS'
PUSH_BATCH = 1000
_queued = {}  # transaction id -> accounts already queued for a push


class Greatest(Function):
    __slots__ = ()
    _function = 'GREATEST'


def lock_account(account_id, wait=True):
    "Serialise pushes and snapshots of an account (PostgreSQL)"
    transaction = Transaction()
    if transaction.database.flavor.paramstyle != 'format':
        return True
    cursor = transaction.connection.cursor()
    if wait:
        cursor.execute('SELECT pg_advisory_xact_lock(%s, %s)',
            (LOCK_SPACE, int(account_id)))
        return True
    cursor.execute('SELECT pg_try_advisory_xact_lock(%s, %s)',
        (LOCK_SPACE, int(account_id)))
    return cursor.fetchone()[0]


def quantity(value):
    return Decimal(str(round(float(value), 4))).normalize()


class StockLevel(ModelSQL, ModelView):
    "POS Outbox: stock level of a product in an outlet"
    __name__ = 'urban.pos.stock_level'

    outlet = fields.Many2One('urban.pos.outlet', "Outlet", required=True,
        ondelete='CASCADE', readonly=True)
    account = fields.Function(fields.Many2One('urban.pos.account',
            "Account"), 'get_account', searcher='search_account')
    product = fields.Many2One('product.product', "Product", required=True,
        ondelete='CASCADE', readonly=True)
    dirty = fields.Boolean("To Push", readonly=True)
    dirty_since = fields.DateTime("Waiting Since", readonly=True)
    generation = fields.Integer("Generation", readonly=True)
    till_level = fields.Float("Till Level", readonly=True,
        help="What the till counts, as far as we know.")
    last_version = BigInteger("Last Till Version", readonly=True)
    count_version = BigInteger("Last Count Version", readonly=True,
        help="Till version of the last absolute count applied: a sale of "
        "an older version is already in that count.")
    count_booked = fields.Boolean("Count Booked", readonly=True,
        help="The last count was booked as an adjustment (not a first "
        "sight): a sale it already held must give that part back.")
    verify = fields.Boolean("Read Before Retry", readonly=True)
    state = fields.Selection([
            ('ok', "OK"),
            ('unmapped', "Unmapped"),
            ('error', "Error"),
            ], "State", required=True, readonly=True)
    attempts = fields.Integer("Attempts", readonly=True)
    last_pushed_at = fields.DateTime("Last Pushed", readonly=True)
    last_pushed_quantity = fields.Float("Last Pushed Change", readonly=True)
    last_error = fields.Text("Last Error", readonly=True)
    drift = fields.Float("Drift", readonly=True,
        help="Till level minus Tryton's at the last reconciliation.")
    reconciled_at = fields.DateTime("Reconciled At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('outlet_product_unique', Unique(t, t.outlet, t.product),
                'urban_pos_bridge.msg_stock_level_unique'),
            ]
        cls._order = [('dirty_since', 'ASC NULLS LAST'), ('id', 'ASC')]
        cls._buttons.update({
                'retry': {
                    'invisible': ~Eval('state').in_(['error', 'unmapped'])
                    & ~Eval('dirty'),
                    'depends': ['state', 'dirty'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'ok'

    @classmethod
    def default_dirty(cls):
        return False

    def get_account(self, name):
        return self.outlet.account.id

    @classmethod
    def search_account(cls, name, clause):
        return [('outlet.account',) + tuple(clause[1:])]

    # --- rows ---------------------------------------------------------------
    @classmethod
    def _invalidate(cls):
        "Forget cached rows after updates in SQL"
        transaction = Transaction()
        transaction.counter += 1
        for cache in transaction.cache.values():
            cache.pop(cls.__name__, None)

    @classmethod
    def _upsert(cls, pairs, dirty=True):
        "Make sure rows exist for (outlet id, product id) pairs"
        if not pairs:
            return
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        t = cls.__table__()
        now = dt.datetime.now()
        columns = [t.outlet, t.product, t.dirty, t.dirty_since,
            t.generation, t.state, t.attempts, t.verify, t.create_uid,
            t.create_date]
        values = [[o, p, dirty, now if dirty else None, 1, 'ok', 0, False,
                transaction.user, now] for o, p in sorted(pairs)]
        sql, params = tuple(t.insert(columns, values))
        if dirty:
            sql += (' ON CONFLICT (outlet, product) DO UPDATE SET '
                'dirty = TRUE, generation = "%(t)s".generation + 1, '
                'dirty_since = COALESCE("%(t)s".dirty_since, '
                'EXCLUDED.dirty_since)' % {'t': cls._table})
        else:
            sql += ' ON CONFLICT (outlet, product) DO NOTHING'
        cursor.execute(sql, params)
        cls._invalidate()

    @classmethod
    def mark_dirty(cls, shop_products):
        """Stock of {(shop id, product id)} changed in Tryton: queue a push
        to the tills of those shops (coalesced per product)"""
        Outlet = Pool().get('urban.pos.outlet')
        if not shop_products:
            return
        outlets = Outlet.by_shop({s for s, _ in shop_products})
        pairs = {(outlets[s].id, p) for s, p in shop_products if s in outlets}
        if not pairs:
            return
        cls._upsert(pairs)
        cls.enqueue_push({outlets[s].account.id
                for s, _ in shop_products if s in outlets})

    @classmethod
    def enqueue_push(cls, account_ids):
        Account = Pool().get('urban.pos.account')
        transaction = Transaction()
        key = id(transaction)
        done = _queued.setdefault(key, set())
        if len(_queued) > 1000:
            _queued.clear()
            done = _queued.setdefault(key, set())
        todo = set(account_ids) - done
        if not todo:
            return
        done.update(todo)
        from .inbox import queued_not_started
        if (not transaction.context.get('queue_scheduled_at')
                and queued_not_started('urban_pos_push')):
            return
        with transaction.set_context(queue_name='urban_pos_push'):
            Account.__queue__.push(Account.browse(sorted(todo)))

    @classmethod
    def till_changed(cls, outlet, deltas, version=None):
        """The till's own count moved by {product id: delta} (a till sale
        of till version `version`). Returns {product id: delta} of the
        deltas a count applied before already held and booked as an
        adjustment: the caller gives that adjustment back (the sale is the
        reason of that change, one truth: the till's count)."""
        if not deltas:
            return {}
        cls._upsert({(outlet.id, p) for p in deltas}, dirty=False)
        cursor = Transaction().connection.cursor()
        t = cls.__table__()
        counted, booked = set(), {}
        if version:
            cursor.execute(*t.select(t.product, t.count_booked,
                    where=(t.outlet == outlet.id)
                    & t.product.in_(list(deltas))
                    & (t.count_version >= version)))
            for product_id, count_booked in cursor:
                counted.add(product_id)
                if count_booked:
                    booked[product_id] = deltas[product_id]
        for product_id, delta in deltas.items():
            if product_id in counted:
                # the till's count read after this sale has it already
                continue
            values = [t.till_level + float(delta)]
            columns = [t.till_level]
            if version:
                columns.append(t.last_version)
                values.append(Greatest(Coalesce(t.last_version, 0), version))
            cursor.execute(*t.update(columns, values,
                    where=(t.outlet == outlet.id)
                    & (t.product == product_id)))
        cls._invalidate()
        return booked

    @classmethod
    def settle_to_till(cls, outlet, product, level, origin=None):
        """After a sale whose version may be later than its stock's move:
        the till counts level (read after the sale) of product. Returns
        the unsaved adjustment move of the difference to what Tryton
        believed the till counts: a count applied before that already held
        the sale (booked then) is given back, whatever the order in which
        the count and the sale arrived. The level's version is a count's
        (a sale of an older version is in it)."""
        lock_account(outlet.account.id)
        cls._upsert({(outlet.id, product.id)}, dirty=False)
        cursor = Transaction().connection.cursor()
        t = cls.__table__()
        cursor.execute(*t.select(t.id, t.till_level,
                where=(t.outlet == outlet.id) & (t.product == product.id)))
        row_id, till_level = cursor.fetchone()
        count = float(level.quantity)
        columns = [t.till_level, t.count_booked]
        values = [count, till_level is not None]
        if level.version:
            columns += [t.count_version, t.last_version]
            values += [Greatest(Coalesce(t.count_version, 0), level.version),
                Greatest(Coalesce(t.last_version, 0), level.version)]
        cursor.execute(*t.update(columns, values, where=t.id == row_id))
        cls._invalidate()
        if till_level is None or abs(count - till_level) <= 1e-9:
            return []
        return [cls.adjustment_move(outlet, product, count - till_level,
                origin=origin)]

    # --- inbound snapshots --------------------------------------------------
    @classmethod
    def apply_snapshot(cls, account, level, event=None, looked_up=None):
        """A level counted by the till (connectors.Level); returns (event
        state, message). looked_up: see ProductMap.resolve."""
        pool = Pool()
        ProductMap = pool.get('urban.pos.product')
        Unmapped = pool.get('urban.pos.unmapped')
        outlet = account.outlet_for(level.outlet_ref)
        if not outlet:
            return 'ignored', gettext('urban_pos_bridge.msg_unknown_outlet',
                outlet=level.outlet_ref, account=account.rec_name)
        products = ProductMap.resolve(account, [(level.product_ref, None)],
            looked_up=looked_up)
        if level.product_ref not in products:
            Unmapped.report(account, [(level.product_ref, '', '')],
                looked_up=looked_up)
            return 'ignored', gettext('urban_pos_bridge.msg_unmapped',
                items=level.product_ref)
        product_id = products[level.product_ref]
        lock_account(account.id)
        cls._upsert({(outlet.id, product_id)}, dirty=False)
        row, = cls.search([('outlet', '=', outlet.id),
                ('product', '=', product_id)])
        cursor = Transaction().connection.cursor()
        t = cls.__table__()
        cursor.execute(*t.select(t.till_level, t.last_version,
                where=t.id == row.id))
        till_level, last_version = cursor.fetchone()
        if (level.version and last_version
                and level.version <= last_version):
            return 'ignored', gettext('urban_pos_bridge.msg_level_stale',
                version=level.version)
        count = float(level.quantity)
        values = {'last_version': level.version or last_version}
        if level.version:
            values['count_version'] = level.version
            values['count_booked'] = till_level is not None
        message = None
        if till_level is None:
            # first sight: Tryton is the master, the push aligns the till
            values['till_level'] = count
            cls.write([row], values)
            cls._upsert({(outlet.id, product_id)})
            cls.enqueue_push([account.id])
            return 'done', gettext('urban_pos_bridge.msg_level_first',
                quantity=count)
        drift = count - till_level
        if abs(drift) > 1e-9:
            cls._book_adjustment(outlet, row.product, drift, event)
            message = gettext('urban_pos_bridge.msg_level_adjusted',
                quantity=drift)
        values['till_level'] = count
        cls.write([row], values)
        return 'done', message

    @classmethod
    def _book_adjustment(cls, outlet, product, drift, event=None):
        "Done move between lost and found and the shop's storage"
        Move = Pool().get('stock.move')
        move = cls.adjustment_move(outlet, product, drift, event)
        move.save()
        Move.do([move])
        return move

    @classmethod
    def adjustment_move(cls, outlet, product, drift, origin=None):
        "Unsaved move of drift between lost and found and the storage"
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        Date = pool.get('ir.date')
        shop = outlet.shop
        lost = shop.lost_found_location or Location.search(
            [('type', '=', 'lost_found')], limit=1, order=[('id', 'ASC')])[0]
        storage = shop.storage_location
        return Move(product=product, unit=product.default_uom,
            quantity=abs(drift),
            from_location=lost if drift > 0 else storage,
            to_location=storage if drift > 0 else lost,
            effective_date=Date.today(), planned_date=Date.today(),
            company=outlet.account.company,
            origin=origin)

    # --- outbound pushes ----------------------------------------------------
    @classmethod
    def targets(cls, rows):
        "{row id: quantity the till should count} = on hand - reserved"
        result = {}
        by_shop = {}
        for row in rows:
            by_shop.setdefault(row.outlet.shop.id, []).append(row)
        for shop_id, shop_rows in by_shop.items():
            figures = availability.for_products(
                [r.product.id for r in shop_rows], [shop_id])
            for row in shop_rows:
                key = (row.product.id, shop_id)
                result[row.id] = max(0.0, figures.on_hand.get(key, 0.0)
                    - figures.reserved.get(key, 0.0))
        return result

    @classmethod
    def push_account(cls, account, isolated=True):
        """Push the dirty rows of account (batches of up to 1000 per call)
        unless the till is paused; returns the number of rows pushed.
        isolated: in transactions of its own, READ COMMITTED."""
        Account = Pool().get('urban.pos.account')
        if not account.remote:
            return 0
        total = 0
        while True:
            if isolated:
                with Transaction().new_transaction() as transaction:
                    read_committed(transaction)
                    count = cls._push_guarded(Account(account.id))
                    transaction.commit()
            else:
                count = cls._push_guarded(account)
            total += count or 0
            if not count or count < PUSH_BATCH:
                return total

    @classmethod
    def _push_guarded(cls, account):
        Account = Pool().get('urban.pos.account')
        try:
            return cls._push(account)
        except connectors.ConnectorError as exception:
            Account.record_failure(account.id, exception)
            return 0

    @classmethod
    def _push(cls, account):
        pool = Pool()
        Account = pool.get('urban.pos.account')
        ProductMap = pool.get('urban.pos.product')
        if account.is_paused():
            return 0
        if not lock_account(account.id, wait=False):
            # another job pushes this account: try again a bit later
            with Transaction().set_context(
                    queue_scheduled_at=dt.timedelta(seconds=2)):
                cls.enqueue_push([account.id])
            return 0
        now = dt.datetime.now()
        rows = cls.search([
                ('outlet.account', '=', account.id),
                ('dirty', '=', True),
                ('state', '!=', 'error'),
                ], limit=PUSH_BATCH)
        if not rows:
            ProductMap.push_products(account)
            return 0
        t = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*t.select(t.id, t.generation, t.till_level,
                t.verify, where=t.id.in_([r.id for r in rows])))
        current = {i: (g, level, verify) for i, g, level, verify in cursor}
        external = ProductMap.external_ids(account,
            {r.product.id for r in rows})
        client = account.client
        unmapped = [r for r in rows if r.product.id not in external]
        if unmapped:
            cls.write(unmapped, {'state': 'unmapped', 'dirty': False,
                    'last_error': gettext(
                        'urban_pos_bridge.msg_outbox_unmapped')})
        rows = [r for r in rows if r.product.id in external]
        # read before (re)trying where we do not know what the till counts
        unknown = [r for r in rows
            if current[r.id][1] is None or current[r.id][2]]
        by_outlet = {}
        for row in unknown:
            by_outlet.setdefault(row.outlet, []).append(row)
        for outlet, outlet_rows in by_outlet.items():
            levels = {l.product_ref: l for l in client.read_levels(
                    outlet.external_id,
                    [external[r.product.id] for r in outlet_rows])}
            for row in outlet_rows:
                level = levels.get(external[row.product.id])
                value = float(level.quantity) if level else 0.0
                cursor.execute(*t.update([t.till_level, t.verify],
                        [value, False], where=t.id == row.id))
                generation, _, _ = current[row.id]
                current[row.id] = (generation, value, False)
        cls._invalidate()
        targets = cls.targets(rows)
        adjustments, clean = [], []
        for row in rows:
            delta = targets[row.id] - (current[row.id][1] or 0.0)
            if abs(delta) < 1e-9:
                clean.append(row)
                continue
            adjustments.append((row, connectors.Adjustment(
                        row.outlet.external_id, external[row.product.id],
                        quantity(delta), 'utx-level-%s-%s' % (
                            row.id, current[row.id][0]))))
        cls._settle(clean, current, {})
        if adjustments:
            key = 'utx-push-%s' % hashlib.sha256(';'.join(
                    '%s:%s' % (a.reference, a.quantity)
                    for _, a in adjustments).encode()).hexdigest()[:40]
            try:
                client.push_adjustments([a for _, a in adjustments], key)
            except connectors.ConnectorError as exception:
                affected = [r for r, _ in adjustments]
                values = {'last_error': str(exception)[:2000]}
                if exception.ambiguous:
                    values['verify'] = True
                if not exception.retry:
                    values['state'] = 'error'
                cls.write(affected, values)
                cursor.execute(*t.update([t.attempts],
                        [Coalesce(t.attempts, 0) + 1],
                        where=t.id.in_([r.id for r in affected])))
                cls._invalidate()
                if exception.retry:
                    Account.record_failure(account.id, exception)
                return len(affected)
            cls._settle([r for r, _ in adjustments], current,
                {r.id: float(a.quantity) for r, a in adjustments})
        Account.record_success([account], last_push_at=now)
        ProductMap.push_products(account)
        return len(rows)

    @classmethod
    def _settle(cls, rows, current, deltas):
        "Pushed (or nothing to push): add deltas, clean what did not change"
        if not rows:
            return
        t = cls.__table__()
        cursor = Transaction().connection.cursor()
        now = dt.datetime.now()
        for row in rows:
            generation = current[row.id][0]
            delta = deltas.get(row.id, 0.0)
            changed = t.generation != generation
            columns = [t.dirty, t.dirty_since, t.state, t.last_error,
                t.attempts, t.verify]
            values = [changed, Case((changed, t.dirty_since), else_=Null),
                'ok', Null, 0, False]
            if delta:
                columns += [t.till_level, t.last_pushed_at,
                    t.last_pushed_quantity]
                values += [Coalesce(t.till_level, 0) + delta, now, delta]
            cursor.execute(*t.update(columns, values, where=t.id == row.id))
        cls._invalidate()

    # --- reconciliation -----------------------------------------------------
    @classmethod
    def reconcile_account(cls, account):
        """Compare every mapped product's level in the till with Tryton's;
        record the drift and, when the account fixes drift, push Tryton's
        level. Returns {(outlet id, product id): drift}."""
        pool = Pool()
        ProductMap = pool.get('urban.pos.product')
        Account = pool.get('urban.pos.account')
        Event = pool.get('urban.pos.event')
        if not account.remote:
            return {}
        mappings = ProductMap.search([('account', '=', account.id)])
        external = {m.product.id: m.external_id for m in mappings}
        reverse = {v: k for k, v in external.items()}
        client = account.client
        busy = bool(Event.search([('account', '=', account.id),
                    ('state', '=', 'pending')], limit=1))
        drifts = {}
        now = dt.datetime.now()
        lock_account(account.id)
        for outlet in account.outlets:
            cls._upsert({(outlet.id, p) for p in external}, dirty=False)
            rows = cls.search([('outlet', '=', outlet.id),
                    ('product', 'in', list(external))])
            levels = {l.product_ref: l for l in client.read_levels(
                    outlet.external_id, list(reverse))}
            targets = cls.targets(rows)
            for row in rows:
                level = levels.get(external[row.product.id])
                till = float(level.quantity) if level else 0.0
                drift = till - targets[row.id]
                drifts[(outlet.id, row.product.id)] = drift
                values = {'drift': drift, 'reconciled_at': now}
                if account.fix_drift and not busy and abs(drift) > 1e-9:
                    # we now know what the till counts: the push aligns it
                    values['till_level'] = till
                cls.write([row], values)
                if 'till_level' in values:
                    cls._upsert({(outlet.id, row.product.id)})
        Account.write([account], {'last_reconcile_at': now})
        if account.fix_drift and not busy:
            cls.enqueue_push([account.id])
        return drifts

    @classmethod
    @ModelView.button
    def retry(cls, rows):
        cls.write(rows, {'state': 'ok', 'dirty': True, 'verify': True,
                'dirty_since': dt.datetime.now(), 'last_error': None})
        cls.enqueue_push({r.outlet.account.id for r in rows})
