"""Our stock on Ankorstore: what its retailers may order, kept up to date.

Each product variant of the brand on Ankorstore is a row of its account
(`urban.ankorstore.variant`, read by `sync_variants` with GET
/api/v1/product-variants), matched to a product by EAN, then SKU, as the
order items are; the unmatched ones are listed for the back office.

What is offered is the account's share of the online available-to-promise
(urban_stock.availability: the central room and the shops that fulfil
online), less its safety buffer. Ankorstore's `stockQuantity` is on hand:
the units it already reserved for its open orders count in it, so the
units we hold for those orders are added back.

A stock change (urban_stock's watch: a till sale in Gent, a reservation,
a delivery) marks the variants of its products dirty and queues a push of
their account. The push sends the values that changed, 50 variants per
POST /api/v1/operations (set-to-value, so a retry is harmless), within a
budget of calls per minute kept below Ankorstore's 600; a 429 waits its
Retry-After, a 5xx or a network error backs off exponentially with
jitter. A row is clean only once Ankorstore took the value computed from
the latest change (its generation), so a change during a push is never
lost. A cron pushes what is left every minute.
"""
import datetime as dt
import logging
import math
import random
from decimal import Decimal

from sql import Literal
from sql.operators import Concat

from trytond.config import config
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from urban_catalog.search import forget_cached
from urban_stock import availability

from . import client

logger = logging.getLogger(__name__)
BULK_SIZE = 50  # operations per POST /api/v1/operations (Ankorstore's max)
MAX_BACKOFF = 300  # seconds
_queued = {}  # transaction id -> accounts already queued for a push


def calls_per_minute():
    "The push's own budget, below Ankorstore's 600 for orders and the rest"
    return config.getint('urban_ankorstore', 'stock_calls_per_minute',
        default=300)


def _has_worker():
    return config.getboolean('queue', 'worker', default=False)


class Account(metaclass=PoolMeta):
    __name__ = 'urban.ankorstore.account'

    stock_share = fields.Numeric("Stock Share", digits=(3, 2), required=True,
        domain=[('stock_share', '>=', 0), ('stock_share', '<=', 1)],
        help="Share of the online available stock offered on Ankorstore "
        "(1: all of it).")
    stock_buffer = fields.Integer("Safety Buffer", required=True,
        domain=[('stock_buffer', '>=', 0)],
        help="Units of each variant kept back from Ankorstore.")
    variants = fields.One2Many('urban.ankorstore.variant', 'account',
        "Variants", readonly=True)
    stock_retry_at = fields.DateTime("Stock Push Waits Until", readonly=True)
    stock_failures = fields.Integer("Stock Push Failures", readonly=True)
    stock_window_start = fields.DateTime("Stock Budget Window",
        readonly=True)
    stock_window_calls = fields.Integer("Stock Budget Calls", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'sync_variants': {},
                'push_stock': {},
                })

    @classmethod
    def default_stock_share(cls):
        return Decimal(1)

    @classmethod
    def default_stock_buffer(cls):
        return 0

    @classmethod
    def default_stock_failures(cls):
        return 0

    @classmethod
    def default_stock_window_calls(cls):
        return 0

    @classmethod
    def copy(cls, accounts, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('variants')
        return super().copy(accounts, default=default)

    # --- variants -----------------------------------------------------------
    @classmethod
    @ModelView.button
    def sync_variants(cls, accounts):
        """Read the brand's variants at Ankorstore, match them to our
        products and queue the push of every mapped one"""
        cls.read_variants(accounts)
        cls.enqueue_stock_push([a.id for a in accounts])

    @classmethod
    def read_variants(cls, accounts):
        Variant = Pool().get('urban.ankorstore.variant')
        for account in accounts:
            try:
                remote = list(account.client.product_variants())
            except client.AnkorstoreError as exception:
                logger.warning('Ankorstore account %s: %s', account.id,
                    exception)
                cls.write([account], {'last_error': str(exception)})
                continue
            Variant.update_from(account, remote)

    # --- pushing ------------------------------------------------------------
    @classmethod
    def enqueue_stock_push(cls, account_ids):
        "Queue one push per account and transaction"
        transaction = Transaction()
        done = _queued.setdefault(id(transaction), set())
        if len(_queued) > 1000:
            _queued.clear()
            done = _queued.setdefault(id(transaction), set())
        todo = set(account_ids) - done
        if not todo:
            return
        done.update(todo)
        with transaction.set_context(queue_name='urban_ankorstore_stock'):
            cls.__queue__.push_stock(cls.browse(sorted(todo)))

    @classmethod
    @ModelView.button
    def push_stock(cls, accounts):
        for account in accounts:
            with Transaction().set_context(company=account.company.id):
                account._push_stock()

    @classmethod
    def cron_push_stock(cls):
        cls.push_stock(cls.search([]))

    def _push_stock(self):
        pool = Pool()
        Variant = pool.get('urban.ankorstore.variant')
        # one push of an account at a time (a second one waits, then finds
        # the rows the first one cleaned)
        self.lock()
        account = self.__class__(self.id)
        if not account.active:
            return
        now = dt.datetime.now()
        if account.stock_retry_at and account.stock_retry_at > now:
            account._push_later(account.stock_retry_at - now)
            return
        variants = Variant.search([
                ('account', '=', account.id),
                ('dirty', '=', True),
                ('product', '!=', None),
                ], order=[('id', 'ASC')])
        # what each row was when read: it is clean only if still so
        read = [(v.id, v.ankorstore_id, v.product.id, v.sent_quantity,
                v.generation) for v in variants]
        targets = account.offered([r[2] for r in read])
        to_send = []
        for variant_id, ankorstore_id, product_id, sent, generation in read:
            target = targets.get(product_id, 0)
            if target == sent:
                Variant.sent(variant_id, generation, target)
            else:
                to_send.append((variant_id, ankorstore_id, generation,
                        target))
        budget = account._budget(now)
        calls = 0
        for index in range(0, len(to_send), BULK_SIZE):
            if calls >= budget:
                # the rest in the next window
                account._push_later(account.stock_window_start
                    + dt.timedelta(minutes=1) - now)
                break
            chunk = to_send[index:index + BULK_SIZE]
            calls += 1
            try:
                account.client.set_stock(
                    [(remote, target) for _, remote, _, target in chunk])
            except client.RateLimited as exception:
                account._wait(now, exception.retry_after, calls, exception)
                return
            except client.AnkorstoreError as exception:
                if exception.status and 400 <= exception.status < 500:
                    # refused for good (a variant archived at Ankorstore):
                    # said in the log and on the account, not retried
                    logger.warning('Ankorstore account %s: stock of %s '
                        'refused: %s', account.id,
                        [remote for _, remote, _, _ in chunk], exception)
                    for variant_id, _, generation, _ in chunk:
                        Variant.refused(variant_id, generation,
                            str(exception))
                    continue
                delay = min(MAX_BACKOFF, 2 ** (account.stock_failures or 0))
                account._wait(now, delay, calls, exception)
                return
            for variant_id, _, generation, target in chunk:
                Variant.sent(variant_id, generation, target)
        self.write([account], {
                'stock_failures': 0, 'stock_retry_at': None,
                'stock_window_calls': (account.stock_window_calls or 0)
                + calls,
                })

    def _budget(self, now):
        "Calls left in the current minute (a new window starts if needed)"
        start = self.stock_window_start
        if not start or now - start >= dt.timedelta(minutes=1):
            self.write([self], {'stock_window_start': now,
                    'stock_window_calls': 0})
            self.stock_window_start, self.stock_window_calls = now, 0
        return max(0, calls_per_minute() - (self.stock_window_calls or 0))

    def _wait(self, now, seconds, calls, exception):
        "Retry after seconds, with jitter so that accounts do not align"
        delay = dt.timedelta(seconds=seconds * random.uniform(1, 1.25))
        logger.warning('Ankorstore account %s: stock push waits %s: %s',
            self.id, delay, exception)
        self.write([self], {
                'stock_retry_at': now + delay,
                'stock_failures': (self.stock_failures or 0) + 1,
                'stock_window_calls': (self.stock_window_calls or 0) + calls,
                'last_error': str(exception),
                })
        self._push_later(delay)

    def _push_later(self, delay):
        # without a worker, queued tasks run at once after the commit: the
        # minute cron takes the rest instead
        if not _has_worker():
            return
        with Transaction().set_context(queue_name='urban_ankorstore_stock',
                queue_scheduled_at=delay):
            self.__queue__.push_stock([self])

    def offered(self, product_ids):
        """{product id: stockQuantity to set at Ankorstore}: the share of
        the online ATP less the buffer, plus what we hold for this
        account's open Ankorstore orders (on hand there)"""
        if not product_ids:
            return {}
        stock = availability.for_products(product_ids)
        held = self.held_for_orders(product_ids)
        result = {}
        for product_id in product_ids:
            offer = math.floor(stock.total(product_id)
                * float(self.stock_share)) - (self.stock_buffer or 0)
            result[product_id] = max(0, offer) + int(
                held.get(product_id, 0))
        return result

    def held_for_orders(self, product_ids):
        "{product id: units} reserved for this account's open orders"
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Order = pool.get('urban.ankorstore.order')
        reservation = Reservation.__table__()
        order = Order.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        for sub_ids in grouped_slice(product_ids):
            cursor.execute(*reservation.join(order, condition=(
                        reservation.origin == Concat(
                            'sale.sale,', order.sale))
                    ).select(reservation.product, reservation.quantity,
                    where=reduce_ids(reservation.product, sub_ids)
                    & (reservation.state == 'reserved')
                    & (order.account == self.id)
                    & order.state.in_(['reserved', 'accepted'])))
            for product_id, quantity in cursor:
                result[product_id] = result.get(product_id, 0) + quantity
        return result


class Variant(ModelSQL, ModelView):
    "Ankorstore Variant"
    __name__ = 'urban.ankorstore.variant'
    _rec_name = 'sku'

    account = fields.Many2One('urban.ankorstore.account', "Account",
        required=True, readonly=True, ondelete='CASCADE')
    ankorstore_id = fields.Char("Ankorstore ID", required=True,
        readonly=True)
    sku = fields.Char("SKU", readonly=True)
    ean = fields.Char("EAN", readonly=True)
    name = fields.Char("Name", readonly=True)
    product = fields.Many2One('product.product', "Product",
        ondelete='SET NULL',
        help="Our product; matched by EAN, then SKU, when it is read.")
    sent_quantity = fields.Integer("Stock at Ankorstore", readonly=True,
        help="The last stock quantity Ankorstore accepted from us.")
    pushed_at = fields.DateTime("Pushed At", readonly=True)
    dirty = fields.Boolean("To Push", readonly=True)
    generation = fields.Integer("Generation", readonly=True,
        help="Counts the stock changes: a push cleans the row only if no "
        "change came since it read it.")
    problem = fields.Char("Problem", readonly=True,
        states={'invisible': ~Eval('problem')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('account_ankorstore_id_unique',
                Unique(t, t.account, t.ankorstore_id),
                'urban_ankorstore.msg_variant_unique'),
            ]
        cls._order = [('sku', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_dirty(cls):
        return True

    @classmethod
    def default_generation(cls):
        return 0

    @classmethod
    def update_from(cls, account, remote):
        """Create or refresh the rows of account from the variants read at
        Ankorstore ({'id', 'sku', 'ian', 'name', 'stockQuantity'}); a row
        matched by hand keeps its product"""
        OrderLine = Pool().get('urban.ankorstore.order.line')
        existing = {v.ankorstore_id: v for v in cls.search([
                    ('account', '=', account.id)])}
        to_create, to_save = [], []
        for item in remote:
            variant = existing.get(item['id'])
            if variant is None:
                variant = cls(account=account, ankorstore_id=item['id'])
                to_create.append(variant)
            else:
                to_save.append(variant)
            variant.sku = item.get('sku')
            variant.ean = item.get('ian')
            variant.name = item.get('name')
            if not getattr(variant, 'product', None):
                variant.product = OrderLine.match_product(
                    variant.ean, variant.sku)
            variant.sent_quantity = item.get('stockQuantity')
            variant.dirty = True
            variant.generation = (getattr(variant, 'generation', 0)
                or 0) + 1
        cls.save(to_create + to_save)

    @classmethod
    def mark_dirty(cls, product_ids):
        "The stock of product_ids changed: their variants are to push"
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        accounts = set()
        for sub_ids in grouped_slice(sorted(product_ids)):
            where = reduce_ids(table.product, sub_ids)
            cursor.execute(*table.select(table.account, where=where,
                    group_by=[table.account]))
            accounts.update(a for a, in cursor)
            if accounts:
                cursor.execute(*table.update(
                        [table.dirty, table.generation],
                        [Literal(True), table.generation + 1],
                        where=where))
                cursor.execute(*table.select(table.id, where=where))
                forget_cached(cls, [i for i, in cursor])
        if accounts:
            Account.enqueue_stock_push(accounts)

    @classmethod
    def sent(cls, variant_id, generation, quantity):
        """Ankorstore holds quantity, computed from the row as it was at
        generation: clean unless a change came since"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.sent_quantity, table.pushed_at, table.problem,
                    table.dirty],
                [quantity, dt.datetime.now(), None,
                    table.generation != generation],
                where=table.id == variant_id))
        forget_cached(cls, [variant_id])

    @classmethod
    def refused(cls, variant_id, generation, message):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.problem, table.dirty],
                [message[:200], table.generation != generation],
                where=table.id == variant_id))
        forget_cached(cls, [variant_id])


class StockWatch(metaclass=PoolMeta):
    __name__ = 'urban.stock.watch'

    @classmethod
    def changed(cls, shop_products):
        super().changed(shop_products)
        Pool().get('urban.ankorstore.variant').mark_dirty(
            {p for _, p in shop_products})
