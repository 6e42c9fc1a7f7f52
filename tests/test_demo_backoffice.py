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

    def test_login_with_cookie_under_admin(self):
        """sao 8.0 logs in with /session/login and then relies on the
        cookie alone: it must come back with the /admin/ prefix the client
        posts under, or every next call answers 401 (a login loop)"""
        client = Client(PlatformMiddleware(app), Response)
        prefix = '/admin/%s' % DB_NAME
        response = client.post(prefix + '/session/login', json={
                'id': 0, 'method': 'common.db.login',
                'params': ['staff.gnt', {'password': data.DEMO_PASSWORD},
                    'fr']})
        self.assertEqual(response.status_code, 200)
        user_id = json.loads(response.data)['result'][0]
        cookie = response.headers['Set-Cookie']
        self.assertIn('Path=%s;' % prefix, cookie + ';')
        self.assertIn('HttpOnly', cookie)
        response = client.post(prefix + '/rpc/', json={'id': 1,
                'method': 'model.res.user.read',
                'params': [[user_id], ['login'], {}]})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            json.loads(response.data)['result'][0]['login'], 'staff.gnt')
        response = client.post(prefix + '/session/logout', json={
                'id': 2, 'method': 'common.db.logout', 'params': []})
        self.assertEqual(response.status_code, 200)
        self.assertIn('Path=%s;' % prefix,
            response.headers['Set-Cookie'] + ';')
        response = client.post(prefix + '/rpc/', json={'id': 3,
                'method': 'model.res.user.get_preferences',
                'params': [True, {}]})
        self.assertEqual(response.status_code, 401)

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
            menu_id = pool.get('ir.model.data').get_id(
                'urban_checkout', 'menu_payment')
            transaction.commit()
        manager = BackOffice('manager', data.DEMO_PASSWORD)
        menus = manager.search_read('ir.ui.menu',
            [('id', '=', menu_id)], ['name'])
        # in the manager's language
        self.assertEqual([m['name'] for m in menus], ["Paiements en ligne"])
        failed = manager.search_read('urban.api.payment',
            [('state', '=', 'failed')], ['reference', 'sale'])
        self.assertIn(('pi_backoffice', sale.id),
            [(p['reference'], p['sale']) for p in failed])
        form = manager.call('model.sale.sale.fields_view_get', None,
            'form', manager.context)
        self.assertIn('api_payments', form['fields'])

        staff = BackOffice('staff.gnt', data.DEMO_PASSWORD)
        self.assertEqual(staff.search_read('ir.ui.menu',
                [('id', '=', menu_id)], ['name']), [])
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

    def test_users_work_in_their_language(self):
        """Each demo user has the language of their shop (head office and
        the pro desk in French); the back office speaks it to them: our
        modules' menus and labels and Tryton's own"""
        expected = {
            'manager': 'fr', 'b2b': 'fr', 'staff.bxl': 'fr',
            'staff.lgg': 'fr', 'staff.nam': 'fr', 'staff.gnt': 'nl',
            'staff.ant': 'nl', 'staff.leu': 'nl'}
        self.assertEqual(set(expected), {u[0] for u in data.USERS})
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            User = pool.get('res.user')
            Lang = pool.get('ir.lang')
            ModelData = pool.get('ir.model.data')
            languages = {u.login: u.language.code if u.language else None
                for u in User.search([('login', 'in', list(expected))])}
            translatable = {l.code for l in Lang.search(
                        [('translatable', '=', True)])}
            menus = {name: ModelData.get_id(module, name)
                for module, name in [
                    ('urban_stock', 'menu_collect_to_prepare'),
                    ('urban_stock', 'menu_shop_form'),
                    ('sale', 'menu_sale')]}
        self.assertEqual(languages, expected)
        self.assertLessEqual({'fr', 'nl'}, translatable)

        words = {
            'nl': {'shop_code': "Winkelcode",
                'menu_collect_to_prepare': "Click & Collect voor te bereiden",
                'menu_sale': "Verkopen",
                'days': ["Maandag", "Dinsdag", "Woensdag", "Donderdag",
                    "Vrijdag", "Zaterdag", "Zondag"]},
            'fr': {'shop_code': "Code du magasin",
                'menu_collect_to_prepare': "Click & Collect à préparer",
                'menu_sale': "Ventes",
                'days': ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi",
                    "Samedi", "Dimanche"]},
            }
        for login, lang in [('staff.gnt', 'nl'), ('manager', 'fr')]:
            with self.subTest(login=login):
                office = BackOffice(login, data.DEMO_PASSWORD)
                self.assertEqual(office.context['language'], lang)
                fields = office.call('model.stock.location.fields_get',
                    ['shop_code'], office.context)
                self.assertEqual(fields['shop_code']['string'],
                    words[lang]['shop_code'])
                names = {m['id']: m['name'] for m in office.search_read(
                        'ir.ui.menu', [('id', 'in', list(menus.values()))],
                        ['name'])}
                for name in ['menu_collect_to_prepare', 'menu_sale']:
                    self.assertEqual(names.get(menus[name]),
                        words[lang][name], name)
                # the shops' opening hours are named by their day
                hours = office.search_read('urban.shop.opening_hours', [],
                    ['rec_name'])
                self.assertTrue(hours)
                for hour in hours:
                    self.assertIn(hour['rec_name'].split()[0],
                        words[lang]['days'])
        # the manager manages the shops: their form is in French too
        office = BackOffice('manager', data.DEMO_PASSWORD)
        # and the Orders Dashboard names the kind of each order in French
        origin = office.call('model.urban.analytics.order.fields_get',
            ['origin'], office.context)['origin']
        kinds = office.call('model.urban.analytics.order.%s'
            % origin['selection'], office.context)
        self.assertIn(['sale.sale', "Vente"], kinds)
        self.assertIn(['urban.pos.sale', "Vente en caisse"], kinds)
        shops, = office.search_read('ir.ui.menu',
            [('id', '=', menus['menu_shop_form'])], ['name'])
        self.assertEqual(shops['name'], "Magasins")
