"""The demo business as `make demo` loads it, seen through the back office's
own door: sao's JSON-RPC calls under /admin/<db>/ with real logins."""
import base64
import json
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.demo import data
from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware


class BackOffice:
    "A logged-in back-office session speaking sao's JSON-RPC"

    def __init__(self, login, password):
        self.client = Client(PlatformMiddleware(app), Response)
        self.url = '/admin/%s/rpc/' % DB_NAME
        user_id, session, _ = self.call('common.db.login',
            login, {'password': password}, 'en')
        token = base64.b64encode(
            ('%s:%s:%s' % (login, user_id, session)).encode()).decode()
        self.headers = {'Authorization': 'Session ' + token}
        self.context = self.call('model.res.user.get_preferences', True, {})

    def call(self, method, *params):
        response = self.client.post(self.url, json={
                'id': 1, 'method': method, 'params': list(params)},
            headers=getattr(self, 'headers', {}))
        if response.status_code != 200:
            raise PermissionError(response.status_code)
        body = json.loads(response.data)
        assert 'error' not in body or not body['error'], body
        return body['result']

    def search_read(self, model, domain, fields, **context):
        return self.call('model.%s.search_read' % model, domain, 0, None,
            None, fields, dict(self.context, **context))


class DemoBackOfficeTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def test_login_page_served(self):
        "The back-office web client is served under /admin/"
        response = Client(PlatformMiddleware(app), Response).get('/admin/')
        self.assertEqual(response.status_code, 200)
        self.assertIn(b'sao', response.data.lower())

    def test_manager_sees_six_shops_with_stock(self):
        office = BackOffice('manager', data.DEMO_PASSWORD)
        shops = office.search_read('stock.location',
            [('type', '=', 'warehouse'), ('shop', '=', True)],
            ['name', 'shop_code', 'opening_hours', 'latitude'])
        self.assertEqual(
            sorted(s['shop_code'] for s in shops),
            sorted(s[0] for s in data.SHOPS))
        for shop in shops:
            self.assertTrue(shop['opening_hours'], shop['name'])
            products = office.search_read('product.product',
                [('quantity', '>', 0)], ['quantity'],
                locations=[shop['id']], with_childs=True)
            self.assertGreater(len(products), 50, shop['name'])
            self.assertTrue(all(p['quantity'] > 0 for p in products))
        central = office.search_read('stock.location',
            [('code', '=', 'CEN')], ['fulfils_online', 'shop'])
        self.assertEqual(central, [
                {'id': central[0]['id'], 'fulfils_online': True,
                    'shop': False}])

    def test_staff_see_only_their_shop(self):
        office = BackOffice('staff.gnt', data.DEMO_PASSWORD)
        shops = office.search_read('stock.location',
            [('type', '=', 'warehouse')], ['shop_code'])
        self.assertEqual([s['shop_code'] for s in shops], ['GNT'])
        self.assertEqual(
            office.context.get('warehouse'), shops[0]['id'])

    def test_online_payments_for_managers(self):
        """Managers follow the online payments (menu, list, the sale's
        payments); shop staff see neither the menu nor the payments"""
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Sale = pool.get('sale.sale')
            Payment = pool.get('urban.api.payment')
            Party = pool.get('party.party')
            Company = pool.get('company.company')
            company, = Company.search([], limit=1)
            party, = Party.search([('addresses', '!=', None)], limit=1)
            with transaction.set_context(company=company.id):
                sale, = Sale.create([{'company': company.id,
                            'currency': company.currency.id,
                            'party': party.id,
                            'invoice_address': party.addresses[0].id,
                            'shipment_address': party.addresses[0].id}])
            Payment.create([{'sale': sale.id, 'provider': 'stripe',
                        'reference': 'pi_backoffice', 'amount': 42,
                        'currency': 'EUR', 'state': 'failed'}])
            transaction.commit()
        manager = BackOffice('manager', data.DEMO_PASSWORD)
        menus = manager.search_read('ir.ui.menu',
            [('name', '=', "Online Payments")], ['name'])
        self.assertEqual(len(menus), 1)
        failed = manager.search_read('urban.api.payment',
            [('state', '=', 'failed')], ['reference', 'sale'])
        self.assertIn(('pi_backoffice', sale.id),
            [(p['reference'], p['sale']) for p in failed])
        form = manager.call('model.sale.sale.fields_view_get', None,
            'form', manager.context)
        self.assertIn('api_payments', form['fields'])

        staff = BackOffice('staff.gnt', data.DEMO_PASSWORD)
        self.assertEqual(staff.search_read('ir.ui.menu',
                [('name', '=', "Online Payments")], ['name']), [])
        with self.assertRaises(AssertionError):
            staff.search_read('urban.api.payment', [], ['reference'])

    def test_wrong_password_refused(self):
        with self.assertRaises(PermissionError) as context:
            BackOffice('manager', 'not-the-password')
        self.assertEqual(context.exception.args, (401,))

    def test_demo_business(self):
        "Company, taxes, catalogue in three languages, customers, web shop"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Company = pool.get('company.company')
            Tax = pool.get('account.tax')
            Template = pool.get('product.template')
            Party = pool.get('party.party')
            WebShop = pool.get('web.shop')
            FiscalYear = pool.get('account.fiscalyear')
            company, = Company.search([])
            self.assertEqual(company.party.name, "Urban Therapy")
            self.assertEqual(company.currency.code, 'EUR')
            rates = {float(t.rate) for t in Tax.search(
                        [('type', '=', 'percentage')])}
            self.assertTrue({0.21, 0.06} <= rates, rates)
            self.assertTrue(FiscalYear.search([]))
            templates = Template.search([])
            self.assertEqual(len(templates), data.TARGET_PRODUCTS)
            self.assertTrue(all(t.creator and t.universe and t.images
                    for t in templates))
            names = {}
            for lang in ('en', 'fr', 'nl'):
                with transaction.set_context(language=lang):
                    names[lang] = Template(templates[0].id).name
            self.assertEqual(len(set(names.values())), 3, names)
            with transaction.set_context(company=company.id):
                pros = [p for p in Party.search(
                        [('b2b_state', '=', 'approved')])
                    if p.b2b_price_list() and p.b2b_buyers]
            self.assertEqual(len(pros), len(data.PRO_CUSTOMERS))
            shop, = WebShop.search([])
            self.assertEqual(len(shop.warehouses), 7)
