"""Ankorstore end to end over HTTP: the emulator posts signed webhooks to
the route of a committed database; a bad signature is refused with
problem+json and changes nothing, a replay changes nothing."""
import json
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.emulators import ankorstore as fake
from urbantherapy.testing import URBAN_MODULES, activate_module


class AnkorstoreEndToEndTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)
        cls.fake = fake.FakeAnkorstore().start()
        from trytond.modules.company.tests import create_company
        from urban_ankorstore.tests.tools import setup_business
        with Transaction().start(DB_NAME, 0) as transaction:
            company = create_company()
            with Transaction().set_context(company=company.id):
                setup_business(company, cls.fake.url)
            transaction.commit()

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()
        drop_db()

    def post(self, body, signature):
        headers = {'Content-Type': 'application/json'}
        if signature is not None:
            headers['signature'] = signature
        return Client(app, Response).post('/webhooks/ankorstore', data=body,
            headers=headers)

    def state(self):
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            Order = pool.get('urban.ankorstore.order')
            Sale = pool.get('sale.sale')
            Event = pool.get('urban.ankorstore.event')
            return ([(o.ankorstore_id, o.state) for o in Order.search([])],
                len(Sale.search([])), len(Event.search([])))

    def test_webhook_route(self):
        order_id = self.fake.add_order([('UT-CANDLE-FIG', 2)])
        body = self.fake.webhook_body('order.brand_created', order_id,
            event_id='evt-http-1')
        for signature in [None, 'deadbeef', fake.sign(body, 'other')]:
            response = self.post(body, signature)
            self.assertEqual(response.status_code, 401)
            self.assertEqual(response.headers['Content-Type'],
                'application/problem+json')
            self.assertEqual(json.loads(response.data)['status'], 401)
        self.assertEqual(self.state(), ([], 0, 0))

        response = self.post(body, fake.sign(body))
        self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(json.loads(response.data), {'stored': 1})
        self.assertEqual(self.state(), ([(order_id, 'reserved')], 1, 1))
        # Ankorstore retries the same delivery
        response = self.post(body, fake.sign(body))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(response.data), {'stored': 0})
        self.assertEqual(self.state(), ([(order_id, 'reserved')], 1, 1))

        # signed but not JSON
        response = self.post(b'not json', fake.sign(b'not json'))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.headers['Content-Type'],
            'application/problem+json')
        self.assertEqual(self.state(), ([(order_id, 'reserved')], 1, 1))
