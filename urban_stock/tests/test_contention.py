"""Concurrent buyers on PostgreSQL never get more than the stock.

Each thread runs its own transaction (own PostgreSQL connection) on the
worker database, with committed set-up data, and tries to reserve units of
the same product in the same shop."""
import datetime as dt
import threading
import unittest

from trytond import backend
from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.testing import URBAN_MODULES, activate_module

from urban_stock.reservation import read_committed

STOCK = 5
BUYERS = 12


@unittest.skipIf(backend.name != 'postgresql',
    "contention needs PostgreSQL: SQLite serialises all writers anyway")
class ContentionTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)
        with Transaction().start(DB_NAME, 0) as transaction:
            cls.setup_data()
            transaction.commit()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @classmethod
    def setup_data(cls):
        from trytond.modules.company.tests import create_company
        pool = Pool()
        Location = pool.get('stock.location')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Move = pool.get('stock.move')
        company = create_company()
        cls.company = company.id
        with Transaction().set_context(company=company.id):
            storage, = Location.create([
                    {'name': "Contention shelves", 'type': 'storage'}])
            input_, output = Location.create([
                    {'name': "In", 'type': 'storage'},
                    {'name': "Out", 'type': 'storage'}])
            shop, = Location.create([{
                        'name': "Contention shop", 'type': 'warehouse',
                        'shop': True, 'shop_code': 'CON',
                        'fulfils_online': True,
                        'storage_location': storage.id,
                        'input_location': input_.id,
                        'output_location': output.id}])
            Location.write([storage, input_, output], {'parent': shop.id})
            unit, = Uom.search([('name', '=', 'Unit')])
            products = []
            for name in ["Rush RC", "Rush RR"]:
                template, = Template.create([{
                            'name': name, 'type': 'goods',
                            'default_uom': unit.id,
                            'products': [('create', [{}])]}])
                products.append(template.products[0].id)
            lost, = Location.search([('type', '=', 'lost_found')], limit=1)
            Move.do(Move.create([{
                            'product': p, 'unit': unit.id, 'quantity': STOCK,
                            'from_location': lost.id,
                            'to_location': storage.id,
                            'effective_date': dt.date.today(),
                            } for p in products]))
        cls.shop = shop.id
        cls.products = products

    def rush(self, product, committed, retries):
        barrier = threading.Barrier(BUYERS)
        outcomes = []

        def buyer():
            barrier.wait()
            for attempt in range(retries):
                try:
                    with Transaction().start(DB_NAME, 0, context={
                                'company': self.company}) as transaction:
                        if committed:
                            self.assertTrue(read_committed(transaction))
                        Reservation = Pool().get('urban.stock.reservation')
                        try:
                            Reservation.reserve(
                                [(product, 1)], self.shop,
                                reference='rush')
                        except UserError:
                            outcomes.append('refused')
                            return
                        transaction.commit()
                        outcomes.append('reserved')
                        return
                except backend.DatabaseOperationalError:
                    continue    # serialisation failure: retry like Tryton
            outcomes.append('gave up')

        threads = [threading.Thread(target=buyer) for _ in range(BUYERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with Transaction().start(DB_NAME, 0):
            Reservation = Pool().get('urban.stock.reservation')
            reserved = sum(r.quantity for r in Reservation.search([
                        ('product', '=', product),
                        ('state', '=', 'reserved')]))
        return outcomes, reserved

    def test_read_committed_rush(self):
        "READ COMMITTED buyers queue on the lock: exactly the stock is sold"
        outcomes, reserved = self.rush(self.products[0], True, 1)
        self.assertEqual(reserved, STOCK)
        self.assertEqual(outcomes.count('reserved'), STOCK)
        self.assertEqual(outcomes.count('refused'), BUYERS - STOCK)

    def test_repeatable_read_rush(self):
        "Tryton's default isolation: stale buyers fail and retry, no oversell"
        outcomes, reserved = self.rush(self.products[1], False, 50)
        self.assertLessEqual(reserved, STOCK)
        self.assertEqual(outcomes.count('reserved'), reserved)
