"""Ankorstore channel against the local emulator
(urbantherapy/emulators/ankorstore.py)."""
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.emulators import ankorstore as fake
from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase
from urban_stock import availability

from urban_ankorstore import stock as ankorstore_stock

from .tools import setup_business


class UrbanAnkorstoreTestCase(ModuleTestCase):
    "Test urban_ankorstore module"
    module = 'urban_ankorstore'

    def setUp(self):
        super().setUp()
        self.fake = fake.FakeAnkorstore().start()

    def tearDown(self):
        self.fake.stop()
        super().tearDown()

    def business(self):
        company = create_company()
        self.company = company
        Transaction().set_context(company=company.id)
        return setup_business(company, self.fake.url)

    def available(self, product, warehouse):
        return availability.for_products(
            [product.id], [warehouse.id])[(product.id, warehouse.id)]

    def transitions(self):
        return [(o, k) for o, k, _ in self.fake.transitions]

    @with_transaction()
    def test_token_cached_and_renewed(self):
        "One token call for many calls; renewed before it expires"
        Token = Pool().get('urban.ankorstore.token')
        account, *_ = self.business()
        first = account.access_token()
        for _ in range(3):
            self.assertEqual(account.access_token(), first)
            list(account.client.master_orders())
        self.assertEqual(self.fake.token_calls, 1)
        # within the renewal margin (5 minutes): renewed once
        token, = Token.search([])
        Token.write([token], {'expires': dt.datetime.utcnow()
                + dt.timedelta(minutes=4)})
        second = account.access_token()
        self.assertNotEqual(second, first)
        self.assertEqual(account.access_token(), second)
        self.assertEqual(self.fake.token_calls, 2)
        # revoked by Ankorstore: renewed once, the call goes through
        self.fake.tokens.clear()
        list(account.client.master_orders())
        self.assertEqual(self.fake.token_calls, 3)

    @with_transaction()
    def test_account_defaults_to_central_room(self):
        Account = Pool().get('urban.ankorstore.account')
        _, central, _, _ = self.business()
        self.assertEqual(Account.default_warehouse(), central.id)

    @with_transaction()
    def test_polled_order_becomes_one_reserved_sale(self):
        """A polled order is one sale of its retailer at the wholesale
        prices, reserved in the central room; polling again, or after a
        new order, adds nothing twice (the cursor)"""
        pool = Pool()
        Order = pool.get('urban.ankorstore.order')
        Account = pool.get('urban.ankorstore.account')
        Sale = pool.get('sale.sale')
        account, central, shop, products = self.business()
        candle, mug = products['UT-CANDLE-FIG'], products['UT-MUG-TERRA']
        order_id = self.fake.add_order(
            [('UT-CANDLE-FIG', 3), ('UT-MUG-TERRA', 2)])
        new = Account.poll([account])
        self.assertEqual(len(new), 1)
        order, = Order.search([])
        self.assertEqual(order.ankorstore_id, order_id)
        self.assertEqual(order.state, 'reserved')
        sale = order.sale
        self.assertEqual(sale.party.ankorstore_retailer,
            fake.RETAILERS[0]['id'])
        self.assertEqual(sale.party.name, fake.RETAILERS[0]['storeName'])
        self.assertEqual(sale.warehouse, central)
        self.assertEqual(sale.state, 'quotation')
        self.assertEqual(
            sorted((l.product.id, l.quantity, l.unit_price)
                for l in sale.lines),
            sorted([(candle.id, 3, Decimal('12.50')),
                    (mug.id, 2, Decimal('8.90'))]))
        self.assertEqual(self.available(candle, central), 7)
        self.assertEqual(self.available(mug, central), 2)
        self.assertEqual(self.available(mug, shop), 20)
        self.assertEqual(account.orders_cursor,
            self.fake.orders[order_id]['master_id'])

        # polled again: nothing new; a second order of the same retailer
        self.assertEqual(Account.poll([account]), [])
        self.fake.add_order([('UT-CANDLE-FIG', 1)])
        self.assertEqual(len(Account.poll([account])), 1)
        self.assertEqual(len(Sale.search([])), 2)
        self.assertEqual(len({o.retailer for o in Order.search([])}), 1)
        self.assertEqual(self.available(candle, central), 6)

    @with_transaction()
    def test_pages_follow_the_cursor(self):
        pool = Pool()
        Order = pool.get('urban.ankorstore.order')
        Account = pool.get('urban.ankorstore.account')
        from urban_ankorstore import client
        account, *_ = self.business()
        for _ in range(3):
            self.fake.add_order([('UT-CANDLE-FIG', 1)])
        limit, client.PAGE_LIMIT = client.PAGE_LIMIT, 2
        try:
            Account.poll([account])
        finally:
            client.PAGE_LIMIT = limit
        self.assertEqual(len(Order.search([])), 3)
        self.assertEqual(account.orders_cursor, self.fake.master_ids[-1])

    @with_transaction()
    def test_webhook_signed_once(self):
        """A signed order.brand_created makes the account poll: one sale,
        even delivered twice or with a new event id; a bad signature is
        refused and changes nothing"""
        pool = Pool()
        Event = pool.get('urban.ankorstore.event')
        Order = pool.get('urban.ankorstore.order')
        account, *_ = self.business()
        order_id = self.fake.add_order([('UT-CANDLE-FIG', 2)])
        body = self.fake.webhook_body('order.brand_created', order_id,
            event_id='evt-1')

        self.assertIsNone(Event.receive([account],
                {'signature': fake.sign(body, 'wrong-secret')}, body))
        self.assertIsNone(Event.receive([account], {}, body))
        tampered = body.replace(b'"ankor_confirmed"', b'"cancelled"')
        self.assertIsNone(Event.receive([account],
                {'signature': fake.sign(body)}, tampered))
        self.assertEqual(Event.search([]), [])
        self.assertEqual(Order.search([]), [])

        signed = {'signature': fake.sign(body)}
        self.assertEqual(Event.receive([account], signed, body),
            (account, True))
        self.assertEqual(Event.receive([account], signed, body),
            (account, False))
        other = self.fake.webhook_body('order.brand_created', order_id,
            event_id='evt-2')
        self.assertEqual(Event.receive([account],
                {'signature': fake.sign(other)}, other), (account, True))
        order, = Order.search([])
        self.assertEqual(order.state, 'reserved')
        self.assertEqual(len(Event.search([])), 2)

    @with_transaction()
    def test_unmapped_item_listed(self):
        """An item no product matches (EAN, SKU) is listed; the order waits
        without sale until it is mapped and processed again"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Order = pool.get('urban.ankorstore.order')
        Line = pool.get('urban.ankorstore.order.line')
        account, central, _, products = self.business()
        unknown = {'id': 'b7f1c0de-0000-4000-8000-000000000001',
            'sku': 'NOT-OURS', 'ian': '5412345000044',
            'name': "Mystery vase", 'wholesalePrice': 1500}
        self.fake.add_order([('UT-CANDLE-FIG', 1), (unknown, 1),
                ('UT-THROW-LIN', 1)])
        Account.poll([account])
        order, = Order.search([])
        self.assertEqual(order.state, 'unmapped')
        self.assertIsNone(order.sale)
        self.assertIn('Mystery vase', order.problem)
        unmapped = Line.search([('mapped', '=', False)])
        self.assertEqual(sorted(l.ean for l in unmapped),
            ['5412345000037', '5412345000044'])
        Order.accept([order])  # not offered: nothing happens
        self.assertEqual(order.state, 'unmapped')
        self.assertEqual(self.fake.transitions, [])

        # matched by SKU (code) when the EAN is unknown
        candle = products['UT-CANDLE-FIG']
        self.assertEqual(Line.match_product(None, 'UT-CANDLE-FIG'),
            candle.id)
        self.assertEqual(Line.match_product('5412345000013', None),
            candle.id)
        Line.write(unmapped, {'product': products['UT-MUG-TERRA'].id})
        Order.process([order])
        self.assertEqual(order.state, 'reserved')
        self.assertEqual(len(order.sale.lines), 3)

    @with_transaction()
    def test_accept_reaches_ankorstore_once(self):
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Order = pool.get('urban.ankorstore.order')
        account, central, _, products = self.business()
        order_id = self.fake.add_order([('UT-MUG-TERRA', 3)])
        Account.poll([account])
        order, = Order.search([])
        Order.accept([order])
        self.assertEqual(order.state, 'accepted')
        self.assertEqual(order.sale.state in {'confirmed', 'processing'},
            True)
        self.assertEqual(order.remote_status, 'brand_confirmed')
        # a sale of the ankorstore channel for the dashboards
        OrderFact = pool.get('urban.analytics.order.fact')
        self.assertEqual(order.sale.sales_channel, 'ankorstore')
        self.assertEqual(OrderFact(order.sale.id * 4 + 1).channel,
            'ankorstore')
        self.assertEqual(self.transitions(),
            [(order_id, 'brand-validates')])
        # reserved once (confirming did not reserve again)
        self.assertEqual(
            self.available(products['UT-MUG-TERRA'], central), 1)
        # a second click, or a retry after a lost answer (409): once
        Order.accept([order])
        order.sent_transition = None
        order._send('brand-validates')
        self.assertEqual(self.transitions(),
            [(order_id, 'brand-validates')])

    def packed_order(self, quantity):
        """(Ankorstore id, order, shipment) of an order of quantity mugs,
        accepted, its shipment packed by hand (no carrier's label)"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Order = pool.get('urban.ankorstore.order')
        Sale = pool.get('sale.sale')
        Shipment = pool.get('stock.shipment.out')
        account, _, _, _ = self.business()
        order_id = self.fake.add_order([('UT-MUG-TERRA', quantity)])
        Account.poll([account])
        order, = Order.search([])
        Order.accept([order])
        Sale.process([order.sale])
        shipment, = order.sale.shipments
        Shipment.wait([shipment])
        Shipment.assign_force([shipment])
        Shipment.pick([shipment])
        with Transaction().set_context(_skip_warnings=True):
            Shipment.pack([shipment])
        return order_id, order, shipment

    @with_transaction()
    def test_shipment_reported_with_tracking_once(self):
        """Our shipment of an accepted order, shipped, queues its report;
        the report ships the order at Ankorstore with our own carrier and
        its tracking, once"""
        pool = Pool()
        Order = pool.get('urban.ankorstore.order')
        Shipment = pool.get('stock.shipment.out')
        Queue = pool.get('ir.queue')
        order_id, order, shipment = self.packed_order(2)
        self.assertFalse(
            Queue.search([('name', '=', 'urban_ankorstore_ship')]))
        Shipment.ship([shipment])
        self.assertEqual(len(Queue.search(
                    [('name', '=', 'urban_ankorstore_ship')])), 1)
        # what the queued task does
        Order.report_shipped([order])
        order = Order(order.id)
        self.assertEqual(order.state, 'shipped')
        self.assertEqual(order.shipped_tracking, shipment.number)
        self.assertEqual(self.fake.orders[order_id]['status'], 'shipped')
        (shipped_id, carrier, tracking), = self.fake.shipments
        self.assertEqual((shipped_id, carrier), (order_id, 'custom'))
        self.assertEqual(tracking, {
                'trackingProvider': self.company.rec_name,
                'trackingNumber': shipment.number})
        quote_order, _, parcels = next(iter(self.fake.quotes.values()))
        self.assertEqual(parcels, [{'kg': 2, 'length': 40, 'width': 30,
                    'height': 20}])
        # done afterwards, or the task run twice: reported once
        Shipment.do([shipment])
        Order.report_shipped([order])
        self.assertEqual(len(self.fake.shipments), 1)

    @with_transaction()
    def test_shipment_report_settles_a_lost_answer(self):
        """Shipped at Ankorstore but the answer was lost: the retry's 409
        is settled by the order's status there"""
        pool = Pool()
        Order = pool.get('urban.ankorstore.order')
        Shipment = pool.get('stock.shipment.out')
        order_id, order, shipment = self.packed_order(1)
        Shipment.do([shipment])
        self.fake.orders[order_id]['status'] = 'shipped'
        Order.report_shipped([order])
        self.assertEqual(Order(order.id).state, 'shipped')
        self.assertEqual(self.fake.shipments, [])

    @with_transaction()
    def test_reject_reaches_ankorstore_once_and_releases(self):
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Order = pool.get('urban.ankorstore.order')
        account, central, _, products = self.business()
        candle = products['UT-CANDLE-FIG']
        order_id = self.fake.add_order([('UT-CANDLE-FIG', 4)])
        Account.poll([account])
        order, = Order.search([])
        self.assertEqual(self.available(candle, central), 6)
        with self.assertRaises(UserError):
            Order.reject([order])  # no reason chosen
        Order.write([order],
            {'reject_type': 'RETAILER_NOT_GOOD_FIT_FOR_BRAND'})
        Order.reject([order])
        self.assertEqual(order.state, 'rejected')
        self.assertEqual(order.sale.state, 'cancelled')
        self.assertEqual(self.available(candle, central), 10)
        self.assertEqual(self.fake.transitions, [(order_id, 'brand-rejects',
                    {'rejectType': 'RETAILER_NOT_GOOD_FIT_FOR_BRAND'})])
        Order.reject([order])
        self.assertEqual(len(self.fake.transitions), 1)

    @with_transaction()
    def test_short_stock_proposed_for_rejection(self):
        """More than the central room holds: nothing reserved, rejection
        with PRODUCT_OUT_OF_STOCK proposed, accepting is refused (never
        oversold, even with units in a shop)"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Order = pool.get('urban.ankorstore.order')
        Reservation = pool.get('urban.stock.reservation')
        account, central, shop, products = self.business()
        mug, candle = products['UT-MUG-TERRA'], products['UT-CANDLE-FIG']
        order_id = self.fake.add_order(
            [('UT-MUG-TERRA', 5), ('UT-CANDLE-FIG', 1)])
        Account.poll([account])
        order, = Order.search([])
        self.assertEqual(order.state, 'short')
        self.assertEqual(order.reject_type, 'PRODUCT_OUT_OF_STOCK')
        self.assertTrue(order.problem)
        self.assertEqual(Reservation.search([('state', '=', 'reserved')]),
            [])
        self.assertEqual(self.available(mug, central), 4)
        self.assertEqual(self.available(candle, central), 10)
        with self.assertRaises(UserError):
            Order.accept([order])
        self.assertEqual(self.transitions(), [])
        Order.reject([order])
        self.assertEqual(self.fake.transitions, [(order_id, 'brand-rejects',
                    {'rejectType': 'PRODUCT_OUT_OF_STOCK'})])
        self.assertEqual(self.available(mug, central), 4)

    @with_transaction()
    def test_cancelled_at_ankorstore_releases(self):
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Event = pool.get('urban.ankorstore.event')
        Order = pool.get('urban.ankorstore.order')
        account, central, _, products = self.business()
        order_id = self.fake.add_order([('UT-CANDLE-FIG', 5)])
        Account.poll([account])
        self.fake.cancel(order_id)
        body = self.fake.webhook_body('order.cancelled', order_id)
        Event.receive([account], {'signature': fake.sign(body)}, body)
        order, = Order.search([])
        self.assertEqual(order.state, 'cancelled')
        self.assertEqual(order.sale.state, 'cancelled')
        self.assertEqual(
            self.available(products['UT-CANDLE-FIG'], central), 10)

    # --- stock on Ankorstore ------------------------------------------------
    def remote_stock(self):
        "{sku: stockQuantity} at the emulator"
        return {sku: v['stockQuantity']
            for sku, v in self.fake.variants.items()}

    def sell_at_till(self, product, shop, quantity):
        "A till sale: the units leave the shop for the customer"
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        customer, = Location.search([('type', '=', 'customer')], limit=1)
        move, = Move.create([{
                    'product': product.id, 'unit': product.default_uom.id,
                    'quantity': quantity,
                    'from_location': shop.storage_location.id,
                    'to_location': customer.id,
                    'effective_date': dt.date.today(),
                    'company': self.company.id,
                    'unit_price': Decimal('20'),
                    'currency': self.company.currency.id,
                    }])
        # a till sale has no Tryton origin: the warning is for staff
        with Transaction().set_context(_skip_warnings=True):
            Move.do([move])

    @with_transaction()
    def test_variants_read_mapped_and_pushed(self):
        """The brand's variants are read and matched by EAN, the unknown
        one listed unmapped; the push sets the online ATP in one call"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Variant = pool.get('urban.ankorstore.variant')
        account, _, _, products = self.business()
        Account.sync_variants([account])
        variants = {v.sku: v for v in Variant.search([])}
        self.assertEqual(set(variants), {'UT-CANDLE-FIG', 'UT-MUG-TERRA',
                'UT-THROW-LIN'})
        self.assertEqual(variants['UT-CANDLE-FIG'].product,
            products['UT-CANDLE-FIG'])
        self.assertIsNone(variants['UT-THROW-LIN'].product)
        self.assertEqual(Variant.search([('product', '=', None)]),
            [variants['UT-THROW-LIN']])

        Account.push_stock([account])
        # candle: 10 in the central room; mug: 4 there + 20 in Gent
        self.assertEqual(self.remote_stock(), {'UT-CANDLE-FIG': 10,
                'UT-MUG-TERRA': 24, 'UT-THROW-LIN': 0})
        self.assertEqual(len(self.fake.stock_updates), 2)
        self.assertEqual(Variant.search([('dirty', '=', True),
                    ('product', '!=', None)]), [])

        # read again: nothing changed, nothing sent again
        Account.sync_variants([account])
        Account.push_stock([account])
        self.assertEqual(len(self.fake.stock_updates), 2)

    @with_transaction()
    def test_till_sale_lowers_the_offer(self):
        """A sale at the Gent till marks the variant dirty and queues a
        push; the push sends that variant only"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Variant = pool.get('urban.ankorstore.variant')
        Queue = pool.get('ir.queue')
        account, _, shop, products = self.business()
        Account.sync_variants([account])
        Account.push_stock([account])
        sent = len(self.fake.stock_updates)
        # a push per account and transaction: as if a new one began
        ankorstore_stock._queued.clear()
        queued = Queue.search_count([])

        self.sell_at_till(products['UT-MUG-TERRA'], shop, 3)
        mug, = Variant.search([('sku', '=', 'UT-MUG-TERRA')])
        self.assertTrue(mug.dirty)
        candle, = Variant.search([('sku', '=', 'UT-CANDLE-FIG')])
        self.assertFalse(candle.dirty)
        self.assertEqual(Queue.search_count([]), queued + 1)
        Account.push_stock([account])
        self.assertEqual(self.remote_stock()['UT-MUG-TERRA'], 21)
        self.assertEqual(self.fake.stock_updates[sent:],
            [(self.fake.stock_updates[-1][0], mug.ankorstore_id, 21)])

    @with_transaction()
    def test_share_buffer_and_units_held_for_ankorstore(self):
        """Ankorstore gets its share of the stock less the buffer; the
        units we hold for its own open orders are on hand there"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        account, _, _, products = self.business()
        Account.write([account], {'stock_share': Decimal('0.5'),
                'stock_buffer': 1})
        Account.sync_variants([account])
        Account.push_stock([account])
        # candle: floor(10 x 0.5) - 1; mug: floor(24 x 0.5) - 1
        self.assertEqual(self.remote_stock()['UT-CANDLE-FIG'], 4)
        self.assertEqual(self.remote_stock()['UT-MUG-TERRA'], 11)

        self.fake.add_order([('UT-CANDLE-FIG', 3)])
        Account.poll([account])
        Account.push_stock([account])
        # 7 left to promise: floor(3.5) - 1 offered + 3 held for the order
        self.assertEqual(self.remote_stock()['UT-CANDLE-FIG'], 5)
        variant = self.fake.variants['UT-CANDLE-FIG']
        self.assertEqual(self.fake._variant_resource(variant)[
                'attributes']['availableQuantity'], 2)

    @with_transaction()
    def test_rate_limit_waits_retry_after(self):
        """A 429 keeps the rows dirty and the account waits Retry-After;
        a push before then sends nothing"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Variant = pool.get('urban.ankorstore.variant')
        account, _, _, _ = self.business()
        Account.sync_variants([account])
        self.fake.rate_limit = 0
        before = dt.datetime.now()
        Account.push_stock([account])
        account = Account(account.id)
        self.assertEqual(self.fake.stock_updates, [])
        self.assertGreaterEqual(account.stock_retry_at,
            before + dt.timedelta(seconds=55))
        self.assertLessEqual(account.stock_retry_at,
            before + dt.timedelta(seconds=62 * 1.25))
        self.assertEqual(account.stock_failures, 1)
        self.assertEqual(len(Variant.search([('dirty', '=', True),
                        ('product', '!=', None)])), 2)

        self.fake.rate_limit = 600
        Account.push_stock([account])
        self.assertEqual(self.fake.stock_updates, [])
        Account.write([account], {'stock_retry_at': before})
        Account.push_stock([account])
        self.assertEqual(len(self.fake.stock_updates), 2)
        self.assertEqual(Account(account.id).stock_failures, 0)

    @with_transaction()
    def test_unreachable_backs_off(self):
        "A network error backs off (1 s, then 2 s, ...) with jitter"
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        account, _, _, _ = self.business()
        Account.sync_variants([account])
        Account.write([account], {'base_url': 'http://127.0.0.1:9'})
        Pool().get('urban.ankorstore.token').delete(
            Pool().get('urban.ankorstore.token').search([]))
        for failures, seconds in [(1, 1), (2, 2)]:
            Account.write([account], {'stock_retry_at': None})
            before = dt.datetime.now()
            Account.push_stock([account])
            account = Account(account.id)
            self.assertEqual(account.stock_failures, failures)
            # stored to the second
            wait = account.stock_retry_at - before
            self.assertGreaterEqual(wait, dt.timedelta(seconds=seconds - 1))
            self.assertLessEqual(wait,
                dt.timedelta(seconds=seconds * 1.25 + 1))
        self.assertTrue(account.last_error)

    @with_transaction()
    def test_change_during_push_stays_dirty(self):
        """A value sent from a read older than the last change leaves the
        row dirty: the next push sends the newer value"""
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Variant = pool.get('urban.ankorstore.variant')
        account, _, shop, products = self.business()
        Account.sync_variants([account])
        mug, = Variant.search([('sku', '=', 'UT-MUG-TERRA')])
        # the push read the row, then the till sold one
        read_generation = mug.generation
        self.sell_at_till(products['UT-MUG-TERRA'], shop, 1)
        Variant.sent(mug.id, read_generation, 24)
        self.assertGreater(Variant(mug.id).generation, read_generation)
        self.assertTrue(Variant(mug.id).dirty)
        Account.push_stock([account])
        self.assertEqual(self.remote_stock()['UT-MUG-TERRA'], 23)
        self.assertFalse(Variant(mug.id).dirty)

    @with_transaction()
    def test_variants_readable_by_the_channel_managers_only(self):
        """The B2B manager reads and maps the Ankorstore variants; shop
        staff do not read them"""
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        ModelAccess = pool.get('ir.model.access')
        self.business()
        users = {}
        for name, module, group in [
                ('staff', 'urban_stock', 'group_shop_staff'),
                ('b2b', 'urban_b2b', 'group_b2b_manager')]:
            users[name], = User.create([{'name': name, 'login': name,
                        'groups': [('add', [
                                    ModelData.get_id(module, group)])]}])
        with Transaction().set_user(users['b2b'].id), \
                Transaction().set_context(_check_access=True):
            self.assertTrue(ModelAccess.check(
                    'urban.ankorstore.variant', 'write'))
            self.assertFalse(ModelAccess.check(
                    'urban.ankorstore.variant', 'create',
                    raise_exception=False))
        with Transaction().set_user(users['staff'].id), \
                Transaction().set_context(_check_access=True):
            self.assertFalse(ModelAccess.check(
                    'urban.ankorstore.variant', 'read',
                    raise_exception=False))


del ModuleTestCase
