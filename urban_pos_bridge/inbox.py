"""The inbox: every event from a till is stored first (raw payload, unique
idempotency key), then applied by a queued job.

- `store()` inserts with ON CONFLICT DO NOTHING on the key: a replayed
  webhook or a sale seen again by polling is dropped at the door.
- `process_accounts()` claims pending events with FOR UPDATE SKIP LOCKED and
  applies them in one transaction per batch, one batch of an account at a
  time: a worker killed mid-job rolls the whole batch back (the events stay
  pending; the cron or the next job applies them), and two workers never
  apply the same event. The sales of a batch are created with one call
  and their stock moves done together.
- Events are applied in till order (version, then arrival); stale ones
  (older version than what was applied) change nothing.
"""
import datetime as dt
import logging

from sql import Null

from trytond import backend
from trytond.i18n import gettext
from .fields_ import BigInteger
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import connectors

logger = logging.getLogger(__name__)
BATCH = 500
BATCH_RETRIES = 3
#: first key of the advisory locks of the inbox ('UPOS')
LOCK_NAMESPACE = 0x55504f53
#: events that need a call to the till to be applied
TILL_KINDS = ['inventory_hint', 'order_ref']
STATES = [
    ('pending', "Pending"),
    ('done', "Applied"),
    ('ignored', "Ignored"),
    ('blocked', "Blocked"),
    ('error', "Error"),
    ]


def queued_not_started(name):
    "Whether a job of queue name waits to start (coalesce new ones into it)"
    Queue = Pool().get('ir.queue')
    queue = Queue.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*queue.select(queue.id,
            where=(queue.name == name) & (queue.dequeued_at == Null)
            & (queue.scheduled_at == Null), limit=1))
    return cursor.fetchone() is not None


class Event(ModelSQL, ModelView):
    "POS Inbox Event"
    __name__ = 'urban.pos.event'

    account = fields.Many2One('urban.pos.account', "Account", required=True,
        ondelete='CASCADE', readonly=True)
    kind = fields.Selection([
            ('sale', "Sale or Return"),
            ('inventory', "Stock Level"),
            ('inventory_hint', "Stock Changed (poll)"),
            ('order_ref', "Order to Fetch"),
            ('product', "Product"),
            ('other', "Other"),
            ], "Kind", required=True, readonly=True)
    topic = fields.Char("Topic", readonly=True)
    source = fields.Selection([
            ('webhook', "Webhook"),
            ('poll', "Polling"),
            ], "Source", required=True, readonly=True)
    dedupe_key = fields.Char("Idempotency Key", required=True, readonly=True,
        loading='lazy')
    external_id = fields.Char("External ID", readonly=True)
    version = BigInteger("Version", readonly=True)
    payload = fields.Text("Payload", readonly=True)
    received_at = fields.DateTime("Received At", required=True,
        readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    attempts = fields.Integer("Attempts", readonly=True)
    processed_at = fields.DateTime("Processed At", readonly=True)
    message = fields.Text("Message", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('dedupe_key_unique', Unique(t, t.dedupe_key),
                'urban_pos_bridge.msg_event_dedupe_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.account, Index.Range()),
                (t.id, Index.Range()), where=t.state == 'pending'))
        cls._order = [('received_at', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'retry': {
                    'invisible': ~Eval('state').in_(
                        ['error', 'blocked', 'ignored']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def default_source(cls):
        return 'webhook'

    @classmethod
    def default_received_at(cls):
        return dt.datetime.now()

    def get_rec_name(self, name):
        # not the idempotency key: only the POS administrators read it
        return '%s %s' % (self.kind, self.external_id or self.id)

    # --- storing ------------------------------------------------------------
    @classmethod
    def store(cls, account, items, source='webhook'):
        """Insert InboxItems once (by key); returns the number of new
        events. Works in the caller's transaction."""
        if not items:
            return 0
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        table = cls.__table__()
        now = dt.datetime.now()
        columns = [table.account, table.kind, table.topic, table.source,
            table.dedupe_key, table.external_id, table.version,
            table.payload, table.received_at, table.state, table.attempts,
            table.create_uid, table.create_date]
        values = [[account.id, i.kind, i.topic, source, i.dedupe_key,
                i.external_id, i.version, i.payload, now, 'pending', 0,
                transaction.user, now] for i in items]
        query = table.insert(columns, values)
        sql, params = tuple(query)
        # the unique constraint is the idempotency: duplicates are dropped
        sql += ' ON CONFLICT (dedupe_key) DO NOTHING'
        cursor.execute(sql, params)
        return cursor.rowcount

    @classmethod
    def enqueue(cls, account_ids):
        "Apply the pending events of account_ids in a queued job"
        Account = Pool().get('urban.pos.account')
        if not account_ids:
            return
        if queued_not_started('urban_pos_inbox'):
            # that job loops until the inbox is empty: it will see ours
            # (the cron catches the rare event committed after its end)
            return
        with Transaction().set_context(queue_name='urban_pos_inbox'):
            Account.__queue__.process_inbox(Account.browse(account_ids))

    @classmethod
    def pending_account_ids(cls):
        "Ids of the accounts with pending events"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.account,
                where=table.state == 'pending', group_by=[table.account]))
        return [r[0] for r in cursor]

    # --- polling ------------------------------------------------------------
    @classmethod
    def poll(cls, account):
        """Store what the till changed since the cursors (levels first: a
        sale they already reflect is then sure to be stored too)."""
        Account = Pool().get('urban.pos.account')
        if not account.remote or account.is_paused():
            return 0
        client = account.client
        levels, levels_cursor = client.poll_levels(account.levels_cursor)
        sales, sales_cursor = client.poll_sales(account.sales_cursor)
        count = cls.store(account, levels + sales, source='poll')
        Account.write([account], {
                'levels_cursor': levels_cursor,
                'sales_cursor': sales_cursor,
                'last_poll_at': dt.datetime.now(),
                })
        return count

    # --- applying -----------------------------------------------------------
    @classmethod
    def claim(cls, account, limit=BATCH, paused=False):
        """Pending events of account locked for this transaction, in till
        order; paused: leave the events that need the till"""
        transaction = Transaction()
        table = cls.__table__()
        where = (table.account == account.id) & (table.state == 'pending')
        if paused:
            where &= ~table.kind.in_(TILL_KINDS)
        query = table.select(table.id, where=where,
            order_by=[table.id.asc], limit=limit)
        if transaction.database.has_select_for():
            For = transaction.database.get_select_for_skip_locked()
            query.for_ = For('UPDATE')
        cursor = transaction.connection.cursor()
        cursor.execute(*query)
        events = cls.browse([r[0] for r in cursor])
        # versioned events by version (till order), the others as received
        return sorted(events, key=lambda e: (
                e.version if e.version is not None and e.kind in {
                    'sale', 'inventory'} else 0, e.id))

    @classmethod
    def lock_account(cls, account):
        """One batch of an account at a time, till order kept: a second
        worker waits for the first one's batch to commit, then claims the
        next (two batches side by side would touch the same stock rows,
        and the loser of that race would be retried event by event)."""
        transaction = Transaction()
        if transaction.database.flavor.paramstyle == 'format':
            transaction.connection.cursor().execute(
                'SELECT pg_advisory_xact_lock(%s, %s)',
                (LOCK_NAMESPACE, int(account.id)))

    @classmethod
    def process_accounts(cls, accounts, isolated=True):
        for account in accounts:
            if account.remote:
                cls.process_account(account, isolated=isolated)

    @classmethod
    def process_account(cls, account, isolated=True):
        """Apply the pending events of account, batch after batch.
        isolated: each batch in its own transaction, a failing batch
        retried event by event so that one bad event cannot hold the
        others back. Returns the number of events handled."""
        Account = Pool().get('urban.pos.account')
        total, paused = 0, account.is_paused()
        conflicts = 0
        while True:
            if not isolated:
                cls.lock_account(account)
                events = cls.claim(account, paused=paused)
                if not events:
                    return total
                paused |= cls.apply(events)
                total += len(events)
                continue
            with Transaction().new_transaction() as transaction:
                cls.lock_account(account)
                events = cls.claim(Account(account.id), paused=paused)
                if not events:
                    return total
                ids = [e.id for e in events]
                try:
                    paused |= cls.apply(events)
                    transaction.commit()
                    total += len(ids)
                    conflicts = 0
                    continue
                except backend.DatabaseOperationalError:
                    # a concurrent push updated the same level rows: the
                    # batch is fine, run it again (a few times at most)
                    transaction.rollback()
                    conflicts += 1
                    if conflicts <= BATCH_RETRIES:
                        logger.info('POS batch conflicted, retrying')
                        continue
                    logger.warning('POS batch conflicted %s times, applying '
                        'one by one', conflicts, exc_info=True)
                except Exception:
                    transaction.rollback()
                    logger.warning('POS batch failed, applying one by one',
                        exc_info=True)
            for event_id in ids:
                paused |= cls._apply_one(event_id)
            total += len(ids)

    @classmethod
    def _apply_one(cls, event_id):
        with Transaction().new_transaction() as transaction:
            try:
                event, = cls.browse([event_id])
                if event.state != 'pending':
                    return False
                paused = cls.apply([event])
                transaction.commit()
                return paused
            except Exception as exception:
                transaction.rollback()
                error = exception
        with Transaction().new_transaction() as transaction:
            event = cls(event_id)
            cls.write([event], {
                    'state': 'error',
                    'attempts': (event.attempts or 0) + 1,
                    'message': '%s: %s' % (
                        error.__class__.__name__, error)[:2000],
                    'processed_at': dt.datetime.now(),
                    })
            transaction.commit()
        return False

    @classmethod
    def apply(cls, events):
        """Apply events in the current transaction; returns whether the
        till could not be reached (those events stay pending)."""
        pool = Pool()
        PosSale = pool.get('urban.pos.sale')
        Location = pool.get('stock.location')
        customer, = Location.search([('type', '=', 'customer')], limit=1,
            order=[('id', 'ASC')])
        # one instance per account: its outlets and client are read once
        accounts = {}
        with Transaction().set_context(_urban_pos_customer=customer.id):
            unreachable, outcomes = cls._apply(events, accounts, PosSale)
        # events with the same outcome written together
        grouped = {}
        for event, outcome in outcomes:
            grouped.setdefault(outcome, []).append(event)
        now = dt.datetime.now()
        to_write = []
        for (state, message, attempts), group in grouped.items():
            to_write.extend((group, {
                        'state': state,
                        'message': message,
                        'attempts': attempts,
                        'processed_at': now,
                        }))
        if to_write:
            cls.write(*to_write)
        return unreachable

    @classmethod
    def _apply(cls, events, accounts, PosSale):
        Level = Pool().get('urban.pos.stock_level')
        Account = Pool().get('urban.pos.account')
        unreachable = False
        moves = []  # stock moves of the sales, done together
        pending = PosSale.pending_sales()
        # (account id, till product) of the sales not booked yet: a count
        # of one of them must read the believed till level they lowered
        selling = set()
        outcomes = []
        polled = {}  # account id: events stored by its poll in this batch
        looked_up = cls.resolve_levels(events, accounts)
        for event in events:
            if event.state != 'pending':
                continue
            if event.account.id not in accounts:
                accounts[event.account.id] = (
                    event.account, event.account.client)
            account, client = accounts[event.account.id]
            state, message = 'done', None
            try:
                if event.kind == 'sale':
                    sale = client.parse_sale(event.payload)
                    selling.update((account.id, l.product_ref)
                        for l in sale.lines)
                    state, message = PosSale.apply_sale(
                        account, sale, event, moves=moves, pending=pending)
                elif event.kind == 'inventory':
                    level = client.parse_level(event.payload)
                    if (account.id, level.product_ref) in selling:
                        # their moves wait for the batch's: a count reads
                        # the believed level, not the stock (one Move.do
                        # per batch, not one per count)
                        PosSale.flush(pending, moves)
                        selling.clear()
                    state, message = Level.apply_snapshot(
                        account, level, event,
                        looked_up=looked_up.get(account.id))
                elif unreachable:
                    continue
                elif event.kind == 'inventory_hint':
                    # no version: store the till's versioned records (they
                    # are applied by the next batch, in version order)
                    if account.id not in polled:
                        polled[account.id] = cls.poll(account)
                        new = polled[account.id]
                    else:
                        # received before this batch: covered by its poll
                        new = 0
                    message = gettext('urban_pos_bridge.msg_event_polled',
                        count=new)
                elif event.kind == 'order_ref':
                    item = client.fetch_sale(event.external_id)
                    new = cls.store(account, [item], source='poll')
                    message = gettext('urban_pos_bridge.msg_event_fetched',
                        reference=event.external_id, count=new)
                elif event.kind == 'product':
                    state, message = cls.apply_product(account, event)
                else:
                    state = 'ignored'
            except connectors.ConnectorError as exception:
                if not exception.retry:
                    state, message = 'error', str(exception)
                else:
                    # the till is unreachable: stays pending, back off
                    Account.record_failure(account.id, exception)
                    unreachable = True
                    continue
            except connectors.BadPayload as exception:
                state, message = 'error', str(exception)
            outcomes.append(
                (event, (state, message, (event.attempts or 0) + 1)))
        PosSale.flush(pending, moves)
        PosSale.do_moves(moves)
        return unreachable, outcomes

    @classmethod
    def resolve_levels(cls, events, accounts):
        """Map the products of the levels of events together: the till is
        asked once for all those it names by id only (X-Series: a page of
        its product list for hundreds of them), not once per level.
        Returns {account id: {product ref: (sku, name)}} of what it said,
        for the levels not to ask again."""
        ProductMap = Pool().get('urban.pos.product')
        refs = {}
        for event in events:
            if event.state != 'pending' or event.kind != 'inventory':
                continue
            if event.account.id not in accounts:
                accounts[event.account.id] = (
                    event.account, event.account.client)
            account, client = accounts[event.account.id]
            try:
                ref = client.parse_level(event.payload).product_ref
            except (connectors.BadPayload, KeyError, ValueError):
                continue
            refs.setdefault(account.id, set()).add(ref)
        looked_up = {}
        for account_id, account_refs in refs.items():
            account = accounts[account_id][0]
            looked_up[account_id] = {}
            try:
                ProductMap.resolve(account,
                    [(r, None) for r in sorted(account_refs)],
                    looked_up=looked_up[account_id])
            except connectors.ConnectorError:
                # each level asks again (and says why it cannot)
                del looked_up[account_id]
        return looked_up

    @classmethod
    def apply_product(cls, account, event):
        "A till product changed: learn its id (Tryton stays price master)"
        ProductMap = Pool().get('urban.pos.product')
        data = connectors.base.loads(event.payload)
        found = ProductMap.resolve(account,
            [(data.get('id'), data.get('sku'))])
        if not found:
            Pool().get('urban.pos.unmapped').report(account,
                [(data.get('id'), data.get('sku'), data.get('name'))])
            return 'blocked', gettext('urban_pos_bridge.msg_unmapped',
                items=data.get('sku') or data.get('id'))
        return 'done', None

    @classmethod
    @ModelView.button
    def retry(cls, events):
        cls.write(events, {'state': 'pending', 'message': None})
        cls.enqueue(list({e.account.id for e in events}))
