"""`make demo`'s outside services (urbantherapy.demo.services) wired to the
whole server as the demo wires them (its settings, its till account), on
the demo data: a customer pays on Mollie's test page and the order is
paid, its confirmation e-mail is in the outbox, delivery offers Sendcloud's
carriers and relay points near any Belgian address, Stripe takes the test
card, and a sale rung up on the demo till moves the shop's availability in
/api/v1 within seconds.

`test_tour` is the README's five-minute tour in Chromium: buy on /webapp
with the test card, see the order as the manager, prepare it as Gent's
staff (prepared, ready, collected), ring up a till sale in Gent on the
demo till's page and watch the availability drop, open the KPI board."""
import os
import re
import time
import uuid

import requests
import stripe

from trytond.config import config
from trytond.tests.test_tryton import DB_NAME

from tests import sao
from tests.fakes.harness import ApiTestCase, committed
from tests.website_server import LocalServer
from urbantherapy.demo import data
from urbantherapy.demo.ankorstore import ensure_demo_ankorstore
from urbantherapy.demo.serve import configure, restore
from urbantherapy.demo.services import DemoServices
from urbantherapy.demo.till import ensure_demo_till

CHROMIUM = os.environ.get('URBAN_CHROMIUM', '/usr/bin/chromium')


class DemoServicesTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LocalServer().__enter__()
        cls.services = DemoServices(cls.server.url)
        till = ensure_demo_till(DB_NAME, cls.services.till_url,
            cls.services.till_token, cls.services.till_secret)
        from urbantherapy.emulators.ankorstore import CLIENT_ID
        ankorstore = ensure_demo_ankorstore(DB_NAME,
            cls.services.ankorstore_url, CLIENT_ID)
        cls.services.start(till=till, ankorstore=ankorstore)
        # as `make demo` does: the site URL is the address served
        cls.options = configure(dict(cls.services.environment(),
                TRYTOND_URBAN__SITE_URL=cls.server.url))

    @classmethod
    def tearDownClass(cls):
        cls.services.stop()
        cls.server.__exit__(None, None, None)
        restore(cls.options)
        stripe.api_base = stripe.DEFAULT_API_BASE if hasattr(
            stripe, 'DEFAULT_API_BASE') else 'https://api.stripe.com'
        super().tearDownClass()

    def http(self, method, path, auth=None, **kwargs):
        return requests.request(method, self.server.url + path,
            headers=auth, timeout=30, **kwargs)

    def cart(self, auth, shop_code=None):
        product, shop, available = self.in_stock(shop_code=shop_code)
        response = self.http('POST', '/api/v1/cart/lines', auth,
            json={'product_id': product, 'quantity': 1})
        self.assertEqual(response.status_code, 201, response.text)
        return product, shop, available

    def checkout(self, auth, body):
        return self.http('POST', '/api/v1/checkout',
            dict(auth, **{'Idempotency-Key': uuid.uuid4().hex}), json=body)

    def test_mollie_checkout_page(self):
        "Paying on Mollie's test page: webhook, paid order, e-mail sent"
        _, auth = self.new_user()
        product, shop, before = self.cart(auth)
        placed = self.checkout(auth, {'mode': 'click_collect', 'shop': shop,
                'phone': '0470 12 34 56', 'payment_provider': 'mollie',
                'payment_method': 'bancontact'})
        self.assertEqual(placed.status_code, 201, placed.text)
        order, payment = placed.json()['order'], placed.json()['payment']
        page = requests.get(payment['checkout_url'], timeout=10)
        self.assertEqual(page.status_code, 200)
        self.assertIn(payment['amount']['amount'], page.text)
        paid = requests.post(payment['checkout_url'],
            data={'status': 'paid'}, allow_redirects=False, timeout=30)
        self.assertEqual(paid.status_code, 303)
        # back to the order in the app, on the server actually served
        self.assertEqual(paid.headers['Location'],
            '%s/webapp/orders/%s' % (self.server.url, order['id']))
        detail = self.http('GET', '/api/v1/orders/%s' % order['id'],
            auth).json()
        self.assertIn('paid', [e['status'] for e in detail['timeline']])
        self.assertEqual(self.available(product, shop), before - 1)
        # the confirmation, as sent, in the outbox and on its page
        mails = [m for m in self.services.outbox.latest()
            if detail['number'] in str(m['message']['Subject'])
            or detail['number'] in str(m['message'].get_body(
                    preferencelist=('plain',)).get_content())]
        self.assertTrue(mails, [m['message']['Subject']
                for m in self.services.outbox.latest()])
        listing = requests.get(self.services.hub_url + '/outbox', timeout=10)
        self.assertIn('/outbox/%d' % mails[0]['id'], listing.text)
        shown = requests.get(self.services.hub_url + '/outbox/%d'
            % mails[0]['id'], timeout=10)
        self.assertEqual(shown.status_code, 200)
        self.assertIn(detail['number'], shown.text)

    def test_mollie_failed(self):
        "A payment failed on the test page leaves the order unpaid"
        _, auth = self.new_user()
        self.cart(auth)
        _, shop, _ = self.in_stock()
        placed = self.checkout(auth, {'mode': 'click_collect', 'shop': shop,
                'phone': '0470 12 34 56', 'payment_provider': 'mollie'})
        self.assertEqual(placed.status_code, 201, placed.text)
        payment = placed.json()['payment']
        requests.post(payment['checkout_url'], data={'status': 'failed'},
            allow_redirects=False, timeout=30)
        self.assertEqual(self.services.mollie.payments[
                payment['reference']]['status'], 'failed')
        detail = self.http('GET', '/api/v1/orders/%s'
            % placed.json()['order']['id'], auth).json()
        self.assertNotIn('paid', [e['status'] for e in detail['timeline']])

    def test_stripe_card(self):
        "The test card pays through localstripe; its webhook confirms"
        _, auth = self.new_user()
        self.cart(auth)
        _, shop, _ = self.in_stock()
        placed = self.checkout(auth, {'mode': 'click_collect', 'shop': shop,
                'phone': '0470 12 34 56', 'payment_provider': 'stripe',
                'payment_method': 'card'})
        self.assertEqual(placed.status_code, 201, placed.text)
        payment = placed.json()['payment']
        # what a client confirms with: the publishable key and Stripe.js
        self.assertEqual(payment['publishable_key'], 'pk_test_demo')
        self.assertEqual(payment['stripe_js_url'],
            self.services.stripe.url + '/js.stripe.com/v3/')
        self.assertTrue(payment['client_secret'])
        key = config.get('urban', 'stripe_secret_key')
        stripe.api_base = self.services.stripe.url
        method = stripe.PaymentMethod.create(type='card', card={
                'number': '4242424242424242', 'exp_month': 12,
                'exp_year': 2030, 'cvc': '123'}, api_key=key)
        stripe.PaymentIntent.modify(payment['reference'],
            payment_method=method.id, api_key=key)
        stripe.PaymentIntent.confirm(payment['reference'], api_key=key)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            detail = self.http('GET', '/api/v1/orders/%s'
                % placed.json()['order']['id'], auth).json()
            if 'paid' in [e['status'] for e in detail['timeline']]:
                break
            time.sleep(0.2)
        else:
            self.fail("localstripe's webhook did not confirm the payment")

    def test_delivery_anywhere_in_belgium(self):
        "Carriers with prices; relay points near any Belgian postal code"
        _, auth = self.new_user()
        self.cart(auth)
        options = self.http('GET', '/api/v1/checkout/options', auth).json()
        carriers = {m['carrier'] for m in options['delivery']}
        self.assertEqual(carriers, {'bpost', 'dhl', 'mondial_relay'})
        for postal_code, city in [('1050', 'Bruxelles'), ('4020', 'Liège'),
                ('8000', 'Brugge')]:
            points = self.http('GET', '/api/v1/checkout/service-points'
                '?postal_code=%s&carrier=mondial_relay' % postal_code, auth)
            self.assertEqual(points.status_code, 200, points.text)
            items = points.json()['items']
            self.assertEqual(len(items), 3)
            self.assertEqual({i['address']['city'] for i in items}, {city})

    def test_till_sale_moves_availability(self):
        "A sale on the demo till reaches the shop's availability in /api/v1"
        product, shop, before = self.in_stock(shop_code='GNT')
        sku = self.code(product)
        template = self.template(product)

        def api_quantity():
            detail = self.http('GET', '/api/v1/products/%s' % template,
                ).json()
            for variant in detail['variants']:
                if variant['id'] == product:
                    return {s['shop']: s['quantity']
                        for s in variant['shops']}.get(shop)
        self.assertEqual(api_quantity(), before)
        sale, status = self.services.ring_up(shop, sku, 1)
        self.assertEqual(status, 200)
        deadline = time.monotonic() + 5
        while api_quantity() != before - 1:
            if time.monotonic() > deadline:
                self.fail("availability still %s after 5 s" % api_quantity())
            time.sleep(0.2)
        # the till's own page rings up too, and lists what it sold
        page = requests.post(self.services.hub_url + '/till',
            data={'shop': shop, 'sku': sku, 'quantity': '1'}, timeout=30)
        self.assertEqual(page.status_code, 200)
        self.assertIn(sale['invoice_number'], page.text)
        bad = requests.post(self.services.hub_url + '/till',
            data={'shop': 'NO-SUCH-SHOP', 'sku': sku, 'quantity': '1'},
            timeout=30)
        self.assertEqual(bad.status_code, 400)

    def test_provider_down(self):
        "A provider that does not answer: 502 in the customer's language, "
        "without its text (hosts, ports)"
        from tests.api_support import load_translations
        load_translations('urban_mobile_api')
        _, auth = self.new_user()
        self.cart(auth)
        _, shop, _ = self.in_stock()
        saved = {k: config.get('urban', k) for k in (
                'mollie_api_base', 'sendcloud_servicepoints_url')}
        config.set('urban', 'mollie_api_base', 'http://127.0.0.1:9')
        config.set('urban', 'sendcloud_servicepoints_url',
            'http://127.0.0.1:9/api/v2')
        try:
            auth = dict(auth, **{'Accept-Language': 'fr'})
            placed = self.checkout(auth, {'mode': 'click_collect',
                    'shop': shop, 'phone': '0470 12 34 56',
                    'payment_provider': 'mollie'})
            points = self.http('GET', '/api/v1/checkout/service-points'
                '?postal_code=1050&carrier=bpost', auth)
        finally:
            for key, value in saved.items():
                config.set('urban', key, value)
        for response, code, title in [
                (placed, 'payment_unavailable', "Le paiement n'a pas pu"),
                (points, 'shipping_unavailable', "La livraison ne peut")]:
            self.assertEqual(response.status_code, 502, response.text)
            self.assertEqual(response.headers['Content-Type'],
                'application/problem+json')
            self.assertEqual(response.json()['code'], code)
            self.assertIn(title, response.json()['title'])
            self.assertNotIn('127.0.0.1', response.text)
        # the cart is kept for the next try
        cart = self.http('GET', '/api/v1/cart', auth).json()
        self.assertTrue(cart['lines'])

    def test_real_keys_win(self):
        "A real key in the environment leaves that service unemulated"
        env = self.services.environment({'STRIPE_SECRET_KEY': 'sk_live_x',
                'TRYTOND_EMAIL__URI': 'smtp://mail.example.be'})
        self.assertFalse([k for k in env if 'STRIPE' in k])
        self.assertNotIn('TRYTOND_EMAIL__URI', env)
        self.assertIn('TRYTOND_URBAN__MOLLIE_API_BASE', env)
        self.assertIn('TRYTOND_URBAN__STRIPE_API_BASE',
            self.services.environment({}))

    def test_ankorstore_orders(self):
        """The demo brand's Ankorstore orders import into sales reserved in
        the stock, the one beyond the stock proposed for rejection"""
        from trytond.pool import Pool
        env = self.services.environment({})
        self.assertIn('TRYTOND_URBAN_ANKORSTORE__CLIENT_SECRET', env)
        self.assertNotIn('TRYTOND_URBAN_ANKORSTORE__CLIENT_SECRET',
            self.services.environment({'ANKORSTORE_CLIENT_SECRET': 'x'}))

        def poll():
            Account = Pool().get('urban.ankorstore.account')
            Account.poll(Account.search([]))
            return sorted(o.state for o in Pool().get(
                    'urban.ankorstore.order').search([]))
        self.assertEqual(committed(poll), ['reserved', 'reserved', 'short'])
        # polled again: the cursor says there is nothing new
        self.assertEqual(committed(poll), ['reserved', 'reserved', 'short'])

    def test_hub_pages(self):
        for path in ['/', '/outbox', '/push', '/till']:
            response = requests.get(self.services.hub_url + path,
                timeout=10)
            self.assertEqual(response.status_code, 200, path)
        self.assertEqual(requests.get(self.services.hub_url + '/outbox/999',
                timeout=10).status_code, 404)

    def test_tour(self):
        "The README's tour, in Chromium"
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                args=['--no-sandbox'])
            try:
                self.tour(browser)
            finally:
                browser.close()

    def tour(self, browser):
        errors = []

        def new_page(**options):
            context = browser.new_context(locale='fr-BE', **options)
            page = context.new_page()
            page.set_default_timeout(20000)
            page.on('pageerror', lambda e: errors.append(str(e)))
            return page

        # 1. buy on /webapp with the test card (3-D Secure), click & collect
        # in Gent; the confirmation e-mail lands in the outbox
        product, shop, before = self.in_stock(shop_code='GNT', minimum=4)
        sku = self.code(product)
        page = new_page(viewport={'width': 390, 'height': 844})
        page.goto('%s/webapp/product/%d?variant=%d' % (self.server.url,
                self.template(product), product))
        page.get_by_test_id('add-to-cart').click()
        page.get_by_test_id('go-to-cart').click()
        page.locator('[data-testid="cart-line-%d"]' % product).wait_for()
        page.get_by_test_id('login-to-checkout').click()
        email = 'tour-%s@example.com' % uuid.uuid4().hex[:10]
        page.get_by_test_id('name').fill('Tour Customer')
        page.get_by_test_id('email').fill(email)
        page.get_by_test_id('password').fill('a-Long-passw0rd-for-tests')
        page.get_by_test_id('submit-register').click()
        page.get_by_test_id('checkout-screen').wait_for()
        page.get_by_test_id('shop-GNT').click()
        page.get_by_test_id('phone').fill('0470 12 34 56')
        page.get_by_test_id('pay-card').click()
        page.get_by_test_id('place-order').click()
        page.get_by_test_id('pay').wait_for()
        page.wait_for_function('() => !!window.Stripe')
        order_id = int(page.url.rstrip('/').split('/')[-1])
        key = config.get('urban', 'stripe_secret_key')
        stripe.api_base = self.services.stripe.url
        card = stripe.PaymentMethod.create(type='card', card={
                'number': '4000002760003184', 'exp_month': 12,
                'exp_year': 2030, 'cvc': '123'}, api_key=key)
        reference = self.payment_reference(order_id)
        stripe.PaymentIntent.modify(reference, payment_method=card.id,
            api_key=key)
        stripe.PaymentIntent.confirm(reference, api_key=key)
        page.get_by_test_id('pay').click()
        page.get_by_text('Complete authentication').click()
        page.get_by_test_id('confirmation').wait_for(timeout=30000)
        number = self.order_number(order_id)
        self.assertTrue(self.mails(email))

        # 2. the manager sees it on the Orders Dashboard, today, in Gent;
        # she works in French
        manager = new_page(viewport={'width': 1280, 'height': 900})
        sao.login(manager, self.server.url, 'manager', data.DEMO_PASSWORD)
        sao.open_menu(manager, 'urban_analytics.menu_order')
        # among the day's orders of the whole business
        sao.search(manager, 'Client: "Tour Customer"')
        row = sao.active_tab(manager).locator('.treeview tbody tr').filter(
            has_text='Tour Customer')
        row.first.wait_for()
        self.assertIn('Gent', row.first.inner_text())
        # the order's reference (sao fetches its name after the row)
        row.first.locator('td').filter(
            has_text=re.compile(r'^\s*Vente,%s\s*$' % re.escape(number))
            ).first.wait_for()

        # 3. Gent's staff prepare it: prepared, ready (the customer is
        # told), collected; they work in Dutch
        staff = new_page(viewport={'width': 1280, 'height': 900})
        sao.login(staff, self.server.url, 'staff.gnt', data.DEMO_PASSWORD)
        sao.open_menu(staff, 'urban_stock.menu_collect_to_prepare')
        sao.open_row(staff, 'Tour Customer')
        mails = len(self.mails(email))
        for button in ['Klaargezet', 'Klaar om af te halen', 'Afgehaald']:
            sao.click_button(staff, button)
        self.assertEqual(self.collect_state(order_id), 'collected')
        self.assertGreater(len(self.mails(email)), mails)

        # 4. a till sale in Gent on the demo till's page: the shop's
        # availability in /api/v1 drops within seconds
        available = self.available(product, 'GNT')
        till = new_page()
        till.goto(self.services.hub_url + '/till')
        till.select_option('select[name=shop]', 'GNT')
        till.select_option('select[name=sku]', sku)
        till.fill('input[name=quantity]', '2')
        till.get_by_role('button', name='Ring up').click()
        till.wait_for_url('**/till?sold=1')
        latest = till.locator('li').first.inner_text()
        self.assertIn('2 × ', latest)
        self.assertIn(sku, latest)
        self.assertIn('webhook answered 200', latest)
        deadline = time.monotonic() + 5
        while self.api_quantity(product, 'GNT') != available - 2:
            if time.monotonic() > deadline:
                self.fail("Gent's availability did not follow the till")
            time.sleep(0.2)

        # 5. the KPI board opens for the manager
        sao.open_menu(manager, 'urban_analytics.menu_kpi')
        self.assertEqual(errors, [])

    def api_quantity(self, product, shop):
        detail = self.http('GET', '/api/v1/products/%s'
            % self.template(product)).json()
        for variant in detail['variants']:
            if variant['id'] == product:
                return {s['shop']: s['quantity']
                    for s in variant['shops']}.get(shop)

    def mails(self, to):
        return [m for m in self.services.outbox.latest() if to in m['to']]

    def order_number(self, order_id):
        from trytond.pool import Pool
        return committed(lambda: Pool().get('sale.sale')(order_id).number)

    def collect_state(self, order_id):
        from trytond.pool import Pool
        return committed(
            lambda: Pool().get('sale.sale')(order_id).collect_state)

    def code(self, product_id):
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        with Transaction().start(DB_NAME, 0, readonly=True):
            return Pool().get('product.product')(product_id).code

    def template(self, product_id):
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        with Transaction().start(DB_NAME, 0, readonly=True):
            return Pool().get('product.product')(product_id).template.id
