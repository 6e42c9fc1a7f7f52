"""POS bridge: fixtures of ../shared/pos/examples replayed against fake
Lightspeed X-Series and Square servers (tests/fake_pos.py)."""
import datetime as dt
import time
from decimal import Decimal

from trytond.modules.company.tests import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase

from tests import fake_pos
from urban_pos_bridge import connectors
from urban_pos_bridge.connectors import base as connector_base

from .tools import create_account, on_hand, setup_business

LSX = 'lightspeed_x/'
GENT = '0242ac12-0002-11ee-e1a0-7a3c2b1d0101'
MUG = '0242ac12-0002-11ee-e1a0-7a3c2b1d1002'
CANDLE = '0242ac12-0002-11ee-e1a0-7a3c2b1d1001'
THROW = '0242ac12-0002-11ee-e1a0-7a3c2b1d1003'
ANTWERPEN = '0242ac12-0002-11ee-e1a0-7a3c2b1d0102'


class UrbanPosBridgeTestCase(ModuleTestCase):
    "Test urban_pos_bridge module"
    module = 'urban_pos_bridge'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lsx = fake_pos.FakeLightspeedX()
        cls.square = fake_pos.FakeSquare()

    @classmethod
    def tearDownClass(cls):
        cls.lsx.stop()
        cls.square.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        # each test starts from the fixtures' starting stock
        self.lsx.stop()
        self.square.stop()
        type(self).lsx = fake_pos.FakeLightspeedX()
        type(self).square = fake_pos.FakeSquare()

    def business(self, connector='lightspeed_x', **values):
        company = create_company()
        self.company = company
        # left set: the transaction of the test ends with it
        Transaction().set_context(company=company.id)
        shops, products = setup_business(company)
        url = self.lsx.url if connector == 'lightspeed_x' else self.square.url
        account = create_account(connector, url, shops, company, **values)
        return account, shops, products

    def receive(self, account, name):
        "Verify and store a webhook fixture as the route does"
        Event = Pool().get('urban.pos.event')
        path, headers, body = fake_pos.webhook(name)
        client = account.client
        url = fake_pos.SQUARE_URL
        if not client.verify(url, headers, body):
            return None
        query = dict(p.split('=', 1) for p in path.partition('?')[2].split(
                '&') if p)
        return Event.store(account, client.parse_webhook(query, headers, body))

    def process(self, account):
        Event = Pool().get('urban.pos.event')
        return Event.process_account(account, isolated=False)

    def push(self, account):
        Level = Pool().get('urban.pos.stock_level')
        return Level.push_account(account, isolated=False)

    # --- Lightspeed X-Series inbound --------------------------------------
    @with_transaction()
    def test_lsx_sale_books_moves_and_sale_record(self):
        "A closed X-Series sale lowers the shop's stock and records the sale"
        pool = Pool()
        PosSale = pool.get('urban.pos.sale')
        account, shops, products = self.business()
        gent = shops['gent']
        self.assertEqual(self.receive(account, LSX
                + '01_sale_update_closed_two_lines.webhook.json'), 1)
        self.process(account)
        self.assertEqual(on_hand(products['UT-CNDL-FIG-200'], gent), 11)
        self.assertEqual(on_hand(products['UT-MUG-SAGE-350'], gent), 6)
        sale, = PosSale.search([])
        self.assertEqual(sale.total_amount, Decimal('71.95'))
        self.assertEqual(sale.tax_amount, Decimal('12.49'))
        self.assertEqual(sale.number, 'GNT-10482')
        self.assertEqual(sale.shop, gent)
        self.assertEqual(sorted((l.product.code, l.quantity)
                for l in sale.lines),
            [('UT-CNDL-FIG-200', 1), ('UT-MUG-SAGE-350', 2)])
        # online availability sees it
        from urban_stock import availability
        figures = availability.for_products(
            [products['UT-MUG-SAGE-350'].id])
        self.assertEqual(figures.total(products['UT-MUG-SAGE-350'].id), 6)

    @with_transaction()
    def test_lsx_replay_and_out_of_order_change_nothing(self):
        "Duplicate webhooks, a poll of the same sales and stale versions"
        pool = Pool()
        Event = pool.get('urban.pos.event')
        PosSale = pool.get('urban.pos.sale')
        account, shops, products = self.business()
        mug = products['UT-MUG-SAGE-350']
        gent = shops['gent']
        sale = LSX + '01_sale_update_closed_two_lines.webhook.json'
        ret = LSX + '02_sale_update_return_one_mug.webhook.json'
        # the return arrives before its sale
        self.assertEqual(self.receive(account, ret), 1)
        self.assertEqual(self.receive(account, sale), 1)
        self.assertEqual(self.receive(account, sale), 0)  # duplicate
        self.process(account)
        self.assertEqual(on_hand(mug, gent), 7)
        self.assertEqual(self.receive(account, ret), 0)
        # polling finds the same two sales (same id + version)
        for s in fake_pos.lsx_sales():
            self.lsx.sales[s['id']] = s
        self.lsx.version = 9184012290
        account.sales_cursor = '9183000000'
        account.save()
        Event.poll(account)
        self.process(account)
        self.assertEqual(on_hand(mug, gent), 7)
        self.assertEqual(len(PosSale.search([])), 2)
        self.assertEqual(account.sales_cursor, '9184012290')
        returned, = PosSale.search([('is_return', '=', True)])
        self.assertEqual(returned.return_for.number, 'GNT-10482')
        self.assertEqual(returned.total_amount, Decimal('-18.50'))
        # an older version of a booked sale is stale
        stale = connectors.Sale(external_id=returned.external_id,
            version=1, outlet_ref=GENT, status='voided', date=None)
        state, _ = PosSale.apply_sale(account, stale)
        self.assertEqual(state, 'ignored')
        self.assertEqual(on_hand(mug, gent), 7)

    @with_transaction()
    def test_lsx_voided_sale_reverses_moves(self):
        "A booked sale voided later in the till gives its units back"
        PosSale = Pool().get('urban.pos.sale')
        account, shops, products = self.business()
        sale = fake_pos.lsx_sales()[0]
        client = account.client
        import json
        PosSale.apply_sale(account, client.parse_sale(json.dumps(sale)))
        self.assertEqual(on_hand(products['UT-MUG-SAGE-350'],
                shops['gent']), 6)
        sale['status'] = 'VOIDED'
        sale['version'] += 10
        state, _ = PosSale.apply_sale(account,
            client.parse_sale(json.dumps(sale)))
        self.assertEqual(state, 'done')
        self.assertEqual(on_hand(products['UT-MUG-SAGE-350'],
                shops['gent']), 8)

    @with_transaction()
    def test_lsx_sale_and_void_in_one_batch(self):
        "A sale and its voiding applied by the same batch cancel out"
        import json
        pool = Pool()
        Event = pool.get('urban.pos.event')
        PosSale = pool.get('urban.pos.sale')
        account, shops, products = self.business()
        mug, gent = products['UT-MUG-SAGE-350'], shops['gent']
        sale = fake_pos.lsx_sales()[0]
        voided = dict(sale, status='VOIDED', version=sale['version'] + 10)
        items = [connectors.base.InboxItem('sale',
                'lightspeed_x:sale:%s:%s' % (s['id'], s['version']),
                external_id=s['id'], version=s['version'],
                payload=json.dumps(s), topic='sale.update')
            for s in [voided, sale]]
        self.assertEqual(Event.store(account, items), 2)
        self.assertEqual(self.process(account), 2)
        self.assertEqual(on_hand(mug, gent), 8)
        record, = PosSale.search([])
        self.assertEqual(record.state, 'voided')
        self.assertEqual(record.version, voided['version'])
        # booked first, then given back: moves out and in
        moves = pool.get('stock.move').search([
                ('origin', '=', str(record))])
        storage = gent.storage_location
        self.assertEqual(
            sorted(m.quantity for m in moves if m.from_location == storage),
            sorted(m.quantity for m in moves if m.to_location == storage))
        self.assertTrue(moves)
        self.assertEqual({e.state for e in Event.search([])}, {'done'})

    @with_transaction()
    def test_lsx_bad_signature_rejected(self):
        "A tampered body fails verification and changes nothing"
        account, shops, products = self.business()
        self.assertIsNone(self.receive(account,
                LSX + '09_sale_update_bad_signature.webhook.json'))
        # switched off (unconfirmed scheme), the body is accepted
        account.signature_check = False
        account.save()
        self.assertEqual(self.receive(account,
                LSX + '09_sale_update_bad_signature.webhook.json'), 1)

    @with_transaction()
    def test_lsx_unmapped_items_reported(self):
        "A sale of an unknown SKU is blocked and reported; mapping fixes it"
        pool = Pool()
        Event = pool.get('urban.pos.event')
        Unmapped = pool.get('urban.pos.unmapped')
        Template = pool.get('product.template')
        account, shops, products = self.business()
        mug = products['UT-MUG-SAGE-350']
        Template.write([mug.template], {'code': 'OTHER-SKU'})
        self.receive(account, LSX + '01_sale_update_closed_two_lines'
            '.webhook.json')
        self.process(account)
        event, = Event.search([])
        self.assertEqual(event.state, 'blocked')
        self.assertIn('UT-MUG-SAGE-350', event.message)
        item, = Unmapped.search([])
        self.assertEqual(item.sku, 'UT-MUG-SAGE-350')
        self.assertEqual(on_hand(products['UT-CNDL-FIG-200'],
                shops['gent']), 12)  # nothing half-booked
        Template.write([mug.template], {'code': 'UT-MUG-SAGE-350'})
        Event.write([event], {'state': 'pending'})
        self.process(account)
        self.assertEqual(Event(event.id).state, 'done')
        self.assertEqual(on_hand(mug, shops['gent']), 6)

    @with_transaction()
    def test_lsx_inventory_update_polls_and_books_adjustment(self):
        """inventory.update only triggers a poll; a till-side correction
        (throw 10 -> 9 at Antwerpen) becomes a Tryton adjustment, a level
        explained by a sale already booked changes nothing"""
        account, shops, products = self.business()
        throw = products['UT-THRW-OAT-130']
        mug = products['UT-MUG-SAGE-350']
        # the bridge knows the till's levels (first poll)
        self.receive(account, LSX + '03_inventory_update_after_sale'
            '.webhook.json')
        self.process(account)
        self.assertEqual(on_hand(throw, shops['antwerpen']), 10)
        # sale at Gent on the till, then its webhooks
        self.lsx.ring_up(fake_pos.lsx_sales()[0])
        self.receive(account, LSX + '01_sale_update_closed_two_lines'
            '.webhook.json')
        self.receive(account, LSX + '03_inventory_update_after_sale'
            '.webhook.json')
        # manual correction in the till
        self.lsx.set_level(THROW, ANTWERPEN, 9)
        self.receive(account, LSX + '04_inventory_update_manual_adjustment'
            '.webhook.json')
        self.process(account)
        self.assertEqual(on_hand(mug, shops['gent']), 6)
        self.assertEqual(on_hand(throw, shops['antwerpen']), 9)
        # replaying the hints changes nothing more
        self.process(account)
        self.assertEqual(on_hand(throw, shops['antwerpen']), 9)
        self.assertEqual(on_hand(mug, shops['gent']), 6)

    # --- outbound -----------------------------------------------------------
    @with_transaction()
    def test_push_coalesces_reservations(self):
        "Three reservations of one product: one adjustment of -3"
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Level = pool.get('urban.pos.stock_level')
        account, shops, products = self.business()
        candle = products['UT-CNDL-FIG-200']
        self.push(account)  # first push: read the till, already aligned
        self.assertEqual(self.lsx.calls('POST', '/api/2026-07'), [])
        for _ in range(3):
            Reservation.reserve([(candle, 1)], shops['gent'])
        row, = Level.search([('product', '=', candle.id)])
        self.assertTrue(row.dirty)
        self.push(account)
        posts = self.lsx.calls('POST', '/api/2026-07/stock_adjustments')
        self.assertEqual(len(posts), 1)
        self.assertEqual(posts[0][3]['stock_adjustments'], [{
                    'product_id': CANDLE, 'outlet_id': GENT,
                    'quantity': '-3', 'reason': 'INTERNAL_USE'}])
        self.assertEqual(self.lsx.level(CANDLE, GENT), 9)
        row = Level(row.id)
        self.assertFalse(row.dirty)
        self.assertEqual(row.till_level, 9)
        # nothing changed: nothing sent
        self.push(account)
        self.assertEqual(len(self.lsx.calls('POST', '/api/2026-07')), 1)

    @with_transaction()
    def test_pos_sale_not_pushed_back(self):
        "A till sale lowers Tryton and the believed till level together"
        account, shops, products = self.business()
        self.push(account)
        self.lsx.ring_up(fake_pos.lsx_sales()[0])
        self.receive(account, LSX + '01_sale_update_closed_two_lines'
            '.webhook.json')
        self.process(account)
        self.push(account)
        self.assertEqual(self.lsx.calls('POST', '/api/2026-07'), [])
        self.assertEqual(self.lsx.level(MUG, GENT), 6)

    @with_transaction()
    def test_push_faults_back_off_and_drain(self):
        "5xx and 429 pause the account; the change waits, then drains once"
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Account = pool.get('urban.pos.account')
        account, shops, products = self.business()
        candle = products['UT-CNDL-FIG-200']
        Reservation.reserve([(candle, 1)], shops['gent'])
        self.push(account)  # maps the product, reads the till, pushes -1
        self.assertEqual(self.lsx.level(CANDLE, GENT), 11)
        Reservation.reserve([(candle, 1)], shops['gent'])
        self.lsx.fail(503)
        self.push(account)
        self.assertEqual(self.lsx.level(CANDLE, GENT), 11)
        self.assertTrue(self._account_paused(account.id))
        self.lsx.fail(429, retry_after=120)
        self.push(account)
        until = self._account_paused(account.id)
        self.assertGreater(until, dt.datetime.utcnow()
            + dt.timedelta(seconds=60))
        self.push(account)
        self.assertEqual(self.lsx.level(CANDLE, GENT), 10)
        self.assertEqual(
            len(self.lsx.calls('POST', '/api/2026-07/stock_adjustments')), 4)

    def _account_paused(self, account_id):
        "paused_until of the account, then resume it"
        Account = Pool().get('urban.pos.account')
        until = Account(account_id).paused_until
        Account.write([Account(account_id)],
            {'paused_until': None, 'failures': 0})
        return until

    @with_transaction()
    def test_push_timeout_reads_before_retry(self):
        "After a timeout the till is read first: an applied push is not sent twice"
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Level = pool.get('urban.pos.stock_level')
        account, shops, products = self.business()
        candle = products['UT-CNDL-FIG-200']
        Reservation.reserve([(candle, 1)], shops['gent'])
        self.push(account)
        Reservation.reserve([(candle, 1)], shops['gent'])
        timeout = connector_base.TIMEOUT
        connector_base.TIMEOUT = 0.5
        try:
            # the till applies the adjustment but answers too late
            original = self.lsx._route

            def slow(method, path, query, body):
                result = original(method, path, query, body)
                if method == 'POST':
                    import time
                    time.sleep(1)
                return result
            self.lsx._route = slow
            self.push(account)
            self.lsx._route = original
        finally:
            connector_base.TIMEOUT = timeout
        self.assertEqual(self.lsx.level(CANDLE, GENT), 10)
        row, = Level.search([('product', '=', candle.id)])
        self.assertTrue(row.verify)
        self._account_paused(account.id)
        self.push(account)
        self.assertEqual(self.lsx.level(CANDLE, GENT), 10)
        self.assertFalse(Level(row.id).dirty)

    @with_transaction()
    def test_product_price_pushed(self):
        "A price change in Tryton is pushed to the mapped till product"
        pool = Pool()
        ProductMap = pool.get('urban.pos.product')
        Template = pool.get('product.template')
        account, shops, products = self.business()
        tee = products['UT-TEE-ORG-M']
        self.receive(account, LSX + '05_product_update_price_change'
            '.webhook.json')
        self.process(account)  # learns the till id of the tee
        mapping, = ProductMap.search([('product', '=', tee.id)])
        Template.write([tee.template], {'list_price': Decimal('28.9256')})
        self.assertTrue(ProductMap(mapping.id).product_dirty)
        self.push(account)
        body = self.lsx.products['0242ac12-0002-11ee-e1a0-7a3c2b1d1004']
        self.assertEqual(body['details']['price_excluding_tax'], 28.9256)

    @with_transaction()
    def test_reconcile_reports_and_fixes_drift(self):
        "Reconciliation reports drift; with fix_drift it pushes Tryton's level"
        pool = Pool()
        Level = pool.get('urban.pos.stock_level')
        Account = pool.get('urban.pos.account')
        account, shops, products = self.business()
        candle = products['UT-CNDL-FIG-200']
        Pool().get('urban.pos.product').external_ids(account, [candle.id])
        self.lsx.set_level(CANDLE, GENT, 15)
        drifts = Level.reconcile_account(account)
        gent_outlet = account.outlet_for(GENT)
        self.assertEqual(drifts[(gent_outlet.id, candle.id)], 3)
        self.assertEqual(self.lsx.level(CANDLE, GENT), 15)
        Account.write([account], {'fix_drift': True})
        Level.reconcile_account(account)
        self.push(account)
        self.assertEqual(self.lsx.level(CANDLE, GENT), 12)

    # --- Square ---------------------------------------------------------------
    @with_transaction()
    def test_square_sale_return_and_duplicates(self):
        "Square: thin webhooks fetch the order; event_id dedupes; bad signature"
        PosSale = Pool().get('urban.pos.sale')
        account, shops, products = self.business('square')
        mug = products['UT-MUG-SAGE-350']
        self.assertEqual(self.receive(account,
                'square/01_order_updated_sale_completed.webhook.json'), 1)
        self.process(account)
        self.assertEqual(on_hand(mug, shops['gent']), 6)
        sale, = PosSale.search([])
        self.assertEqual(sale.total_amount, Decimal('71.95'))
        self.assertEqual(sale.tax_amount, Decimal('12.49'))
        self.receive(account,
            'square/04_refund_created_return_one_mug.webhook.json')
        self.process(account)
        self.assertEqual(on_hand(mug, shops['gent']), 7)
        first = self.receive(account,
            'square/03_inventory_count_updated_after_sale.webhook.json')
        again = self.receive(account,
            'square/03_inventory_count_updated_after_sale.webhook.json')
        self.assertEqual((first, again), (2, 0))
        self.assertIsNone(self.receive(account,
                'square/10_inventory_count_updated_bad_signature'
                '.webhook.json'))

    @with_transaction()
    def test_square_polling_catches_missed_orders_and_counts(self):
        "Square: polling by cursor finds what no webhook announced, once"
        pool = Pool()
        Event = pool.get('urban.pos.event')
        PosSale = pool.get('urban.pos.sale')
        account, shops, products = self.business('square')
        mug = products['UT-MUG-SAGE-350']
        account.sales_cursor = '2026-03-14T00:00:00.000Z'
        account.levels_cursor = '2026-03-14T00:00:00.000Z'
        account.save()
        # the sale and its return: no webhook reached us
        self.assertEqual(Event.poll(account), 2)
        self.assertEqual(account.sales_cursor, '2026-03-16T14:05:33.180Z')
        self.process(account)
        self.assertEqual(on_hand(mug, shops['gent']), 7)
        self.assertEqual(len(PosSale.search([])), 2)
        # the inclusive range gives the last order again: dropped
        self.assertEqual(Event.poll(account), 0)
        search = self.square.calls('POST', '/v2/orders/search')[-1][3]
        self.assertEqual(search['query']['filter']['date_time_filter'],
            {'updated_at': {'start_at': '2026-03-16T14:05:33.180Z'}})
        # a stock take counted in the till
        mug_ref = {p['sku']: p['square_variation_id']
            for p in fake_pos.catalog()['products']}['UT-MUG-SAGE-350']
        self.square.set_count(mug_ref, 'LGNT7UT0BE001', 9)
        self.assertEqual(Event.poll(account), 1)
        self.process(account)
        level, = Event.search([('kind', '=', 'inventory')])
        self.assertEqual(level.state, 'done')
        self.assertEqual(Event.poll(account), 0)
        # first sight of the till's count: Tryton stays the master
        self.assertEqual(on_hand(mug, shops['gent']), 7)
        # a later stock take finds one mug less: booked as an adjustment
        time.sleep(0.01)
        self.square.set_count(mug_ref, 'LGNT7UT0BE001', 8)
        self.assertEqual(Event.poll(account), 1)
        self.process(account)
        self.assertEqual(on_hand(mug, shops['gent']), 6)

    @with_transaction()
    def test_square_push_idempotency_key_stable(self):
        "Square: a retried batch carries the same idempotency key"
        Reservation = Pool().get('urban.stock.reservation')
        account, shops, products = self.business('square')
        Pool().get('urban.pos.product').external_ids(account,
            [products['UT-THRW-OAT-130'].id])
        Reservation.reserve([(products['UT-THRW-OAT-130'], 1)],
            shops['brussel'])
        self.push(account)  # reads the till first
        Reservation.reserve([(products['UT-THRW-OAT-130'], 1)],
            shops['brussel'])
        self.square.fail(500)
        self.push(account)
        self._account_paused(account.id)
        self.push(account)
        posts = self.square.calls('POST', '/v2/inventory/changes')
        self.assertEqual(len(posts), 3)
        self.assertEqual(posts[1][3]['idempotency_key'],
            posts[2][3]['idempotency_key'])
        self.assertEqual(self.square.counts[(
                    'UTTHRWOAT130VAR000000003', 'LBRU7UT0BE003')], 3)


del ModuleTestCase
