"""The B2C app's web export served by trytond at /shop, driven in headless
Chromium (Playwright) against the whole server on the demo data, with
localstripe as Stripe: register, browse, add to cart, click & collect
checkout, pay, see the order in the list. Screenshots of the main screens
go to test-artifacts/app/.

The export (mobile/dist) is built by `make app-web` (a prerequisite of
`make test`); without it the test fails, it does not skip."""
import os
import pathlib
import uuid
from unittest import mock

import stripe

from trytond.config import config

from tests.api_support import FakeSMTP
from tests.fakes.harness import WEBHOOK_SECRET, ApiTestCase, set_config
from tests.fakes.localstripe import LocalStripe
from tests.website_server import LocalServer
from urban_mobile_api import web_export

CHROMIUM = os.environ.get('URBAN_CHROMIUM', '/usr/bin/chromium')
ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / (
    'test-artifacts/app')


def require_authentication(reference):
    """What the bank does with a 3-D Secure card: the intent then waits for
    the customer's authentication, done in the app (Stripe.js)."""
    key = 'sk_test_local'
    method = stripe.PaymentMethod.create(type='card', card={
            'number': '4000002760003184', 'exp_month': 12,
            'exp_year': 2030, 'cvc': '123'}, api_key=key)
    stripe.PaymentIntent.modify(reference, payment_method=method.id,
        api_key=key)
    return stripe.PaymentIntent.confirm(reference, api_key=key)


class AppWebTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        from playwright.sync_api import sync_playwright
        super().setUpClass()
        cls.smtp = FakeSMTP()
        cls.smtp_patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls.smtp_patch.start()
        assert os.path.isfile(os.path.join(web_export.web_root(),
                'index.html')), "run `make app-web` first"
        cls.stripe = LocalStripe().start()
        set_config(stripe_api_base=cls.stripe.url,
            stripe_publishable_key='pk_test_local',
            stripe_js_url=cls.stripe.url + '/js.stripe.com/v3/')
        cls.server = LocalServer().__enter__()
        cls.stripe.register_webhook('urban', cls.server.url
            + '/webhooks/stripe', WEBHOOK_SECRET)
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=CHROMIUM, args=['--no-sandbox'])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        cls.server.__exit__(None, None, None)
        cls.stripe.stop()
        cls.smtp_patch.stop()
        for option in ('stripe_publishable_key', 'stripe_js_url',
                'stripe_api_base'):
            config._config.remove_option('urban', option)
        config._cache_clear()
        super().tearDownClass()

    def setUp(self):
        self.context = self.browser.new_context(
            viewport={'width': 390, 'height': 844}, locale='en-GB')
        self.page = self.context.new_page()
        self.page.set_default_timeout(20000)
        self.errors = []
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))

    def tearDown(self):
        # the last screen, to see where a failed journey stopped
        self.page.screenshot(path=str(ARTIFACTS / ('last-%s.png'
                    % self._testMethodName)))
        self.context.close()

    def shot(self, name):
        self.page.screenshot(path=str(ARTIFACTS / ('%s.png' % name)),
            full_page=True)

    def test_serving(self):
        "/shop serves the export: hashed bundles cached, SPA fallback"
        client = self.client()
        root = client.get('/shop')
        self.assertEqual(root.status_code, 301)
        index = client.get('/shop/')
        self.assertEqual(index.status_code, 200)
        self.assertEqual(index.headers['Cache-Control'], 'no-cache')
        html = index.get_data(as_text=True)
        self.assertIn('window.URBAN_CONFIG=', html)
        self.assertIn('pk_test_local', html)
        bundle = html.split('src="/shop/')[1].split('"')[0]
        js = client.get('/shop/' + bundle)
        self.assertEqual(js.status_code, 200)
        self.assertIn('immutable', js.headers['Cache-Control'])
        self.assertTrue(js.headers.get('ETag'))
        again = client.get('/shop/' + bundle,
            headers={'If-None-Match': js.headers['ETag']})
        self.assertEqual(again.status_code, 304)
        deep = client.get('/shop/product/12')
        self.assertEqual(deep.status_code, 200)
        self.assertIn('<div id="root">', deep.get_data(as_text=True))
        self.assertEqual(client.get('/shop/_expo/missing.js').status_code,
            404)
        self.assertEqual(client.get('/shop/../../etc/passwd').status_code,
            404)

    def test_qr_scan(self):
        "Onboarding: a shop's code (or QR URL) answers its first-order code"
        client = self.client()
        _, shop, _ = self.in_stock(minimum=1)
        for code in [shop.lower(), 'https://urban-therapy.be/app?shop=' + shop]:
            response = client.post('/api/v1/qr-scans', json={'code': code})
            self.assertEqual(response.status_code, 201, response.data)
            body = self.json(response)
            self.assertEqual(body['shop'], shop)
            self.assertEqual(body['first_order_code'], 'WELCOME-%s' % shop)
        self.assertProblem(client.post('/api/v1/qr-scans',
                json={'code': 'NOWHERE'}), 404, 'unknown_shop_code')

    def test_click_and_collect_journey(self):
        page = self.page
        url = self.server.url + '/shop'
        product, shop, before = self.in_stock(minimum=1)

        page.goto(url + '/')
        page.get_by_test_id('home').wait_for()
        page.get_by_text('New arrivals').wait_for()
        page.locator('[data-testid^="product-"]').first.wait_for()
        self.shot('01-home')

        page.locator('[data-testid^="universe-"]').first.click()
        universe = page.get_by_test_id('universe')
        # the home screen stays mounted (hidden) below in the stack
        universe.locator('[data-testid^="product-"]').first.wait_for()
        self.shot('02-universe')

        # a deep link to the product (served by the SPA fallback)
        page.goto('%s/product/%d?variant=%d' % (
                url, self.template_of(product), product))
        page.get_by_test_id('add-to-cart').wait_for()
        page.get_by_test_id('availability').wait_for()
        self.shot('03-product')
        page.get_by_test_id('add-to-cart').click()
        page.get_by_test_id('go-to-cart').click()
        page.locator('[data-testid="cart-line-%d"]' % product).wait_for()
        self.shot('04-cart')

        page.get_by_test_id('login-to-checkout').click()
        page.get_by_test_id('name').fill('Playwright Customer')
        page.get_by_test_id('email').fill(
            'app-%s@example.com' % uuid.uuid4().hex[:12])
        page.get_by_test_id('password').fill('a-Long-passw0rd-for-tests')
        page.get_by_test_id('submit-register').click()

        page.get_by_test_id('checkout-screen').wait_for()
        page.get_by_test_id('shop-%s' % shop).click()
        page.get_by_test_id('phone').fill('0470 12 34 56')
        page.get_by_test_id('pay-card').click()
        self.shot('05-checkout')
        page.get_by_test_id('place-order').click()

        page.get_by_test_id('pay').wait_for()
        page.wait_for_function('() => !!window.Stripe')
        self.shot('06-payment')
        order_id = int(page.url.rstrip('/').split('/')[-1])
        reference = self.payment_reference(order_id)
        intent = require_authentication(reference)
        self.assertEqual(intent.status, 'requires_action')
        page.get_by_test_id('pay').click()
        # localstripe's Stripe.js asks for the 3-D Secure authentication
        page.get_by_text('Complete authentication').click()

        page.get_by_test_id('confirmation').wait_for(timeout=30000)
        self.shot('07-confirmation')
        page.get_by_test_id('see-orders').click()
        page.locator('[data-testid="order-%d"]' % order_id).wait_for()
        self.shot('08-orders')
        page.locator('[data-testid="order-%d"]' % order_id).click()
        page.get_by_test_id('order-status').wait_for()
        self.shot('09-order')
        self.assertEqual(self.available(product, shop), before - 1)
        self.assertEqual(self.errors, [])

    def template_of(self, product_id):
        from trytond.pool import Pool
        from tests.fakes.harness import committed
        return committed(
            lambda: Pool().get('product.product')(product_id).template.id)

    def payment_reference(self, order_id):
        from trytond.pool import Pool
        from tests.fakes.harness import committed

        def reference():
            Payment = Pool().get('urban.api.payment')
            payments = Payment.search([('sale', '=', order_id)],
                order=[('id', 'DESC')])
            return payments[0].reference if payments else None
        return committed(reference)
