"""The B2C app's web export served by trytond at /webapp, driven in headless
Chromium (Playwright) against the whole server on the demo data, with
localstripe as Stripe and the fake Sendcloud: register, browse, add to
cart, click & collect checkout, pay, see the order in the list; home
delivery with a Mondial Relay point (address, phone refused then
corrected, shipping method with its price, relay point search and pick);
Bancontact's return from the bank. Screenshots of the main screens go to
test-artifacts/app/.

localstripe does not emulate Bancontact (its Stripe.js has no
confirmBancontactPayment, its PaymentMethod only card and sepa_debit, and
it ignores payment_method_types): the bank's page is not driven. The
Bancontact test checks what we ask Stripe (a PaymentIntent for bancontact
only), has the intent succeed at localstripe as the bank would, and drives
the app from Stripe's redirect back to the confirmation, once localstripe's
signed webhook confirmed the order.

The export (mobile/dist) is built by `make app-web` (a prerequisite of
`make test`); without it the test fails, it does not skip."""
import os
import pathlib
import uuid
from decimal import Decimal
from unittest import mock

import stripe

from trytond.config import config

from tests.api_support import FakeSMTP
from tests.fakes.harness import WEBHOOK_SECRET, ApiTestCase, set_config
from urbantherapy.emulators.localstripe import LocalStripe
from urbantherapy.emulators.sendcloud import FakeSendcloud
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
        cls.sendcloud = FakeSendcloud().start()
        set_config(stripe_api_base=cls.stripe.url,
            stripe_publishable_key='pk_test_local',
            stripe_js_url=cls.stripe.url + '/js.stripe.com/v3/',
            sendcloud_api_url=cls.sendcloud.url + '/api/v2',
            sendcloud_servicepoints_url=cls.sendcloud.url + '/api/v2',
            sendcloud_public_key='pub_fake',
            sendcloud_secret_key='sec_fake')
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
        cls.sendcloud.stop()
        cls.smtp_patch.stop()
        for option in ('stripe_publishable_key', 'stripe_js_url',
                'stripe_api_base', 'sendcloud_api_url',
                'sendcloud_servicepoints_url', 'sendcloud_public_key',
                'sendcloud_secret_key'):
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
        "/webapp serves the export: hashed bundles cached, SPA fallback"
        client = self.client()
        root = client.get('/webapp')
        self.assertEqual(root.status_code, 301)
        index = client.get('/webapp/')
        self.assertEqual(index.status_code, 200)
        self.assertEqual(index.headers['Cache-Control'], 'no-cache')
        html = index.get_data(as_text=True)
        self.assertIn('window.URBAN_CONFIG=', html)
        self.assertIn('pk_test_local', html)
        bundle = html.split('src="/webapp/')[1].split('"')[0]
        js = client.get('/webapp/' + bundle)
        self.assertEqual(js.status_code, 200)
        self.assertIn('immutable', js.headers['Cache-Control'])
        self.assertTrue(js.headers.get('ETag'))
        again = client.get('/webapp/' + bundle,
            headers={'If-None-Match': js.headers['ETag']})
        self.assertEqual(again.status_code, 304)
        deep = client.get('/webapp/product/12')
        self.assertEqual(deep.status_code, 200)
        self.assertIn('<div id="root">', deep.get_data(as_text=True))
        self.assertEqual(client.get('/webapp/_expo/missing.js').status_code,
            404)
        self.assertEqual(client.get('/webapp/../../etc/passwd').status_code,
            404)

    def test_qr_scan(self):
        "Onboarding: a shop's code (or QR URL) answers its first-order code"
        client = self.client()
        _, shop, _ = self.in_stock(minimum=1)
        for code in [
                shop.lower(), 'https://urban-therapy.be/app?shop=' + shop]:
            response = client.post('/api/v1/qr-scans', json={'code': code})
            self.assertEqual(response.status_code, 201, response.data)
            body = self.json(response)
            self.assertEqual(body['shop'], shop)
            self.assertEqual(body['first_order_code'], 'WELCOME-%s' % shop)
        self.assertProblem(client.post('/api/v1/qr-scans',
                json={'code': 'NOWHERE'}), 404, 'unknown_shop_code')

    def test_click_and_collect_journey(self):
        page = self.page
        url = self.server.url + '/webapp'
        # a customer who just registered (e-mail not verified yet) cannot
        # hold a shop's last 2 units unpaid
        product, shop, before = self.in_stock(minimum=3)

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
        # a 3-D Secure card typed in the card element: Stripe.js confirms
        # with it (urbantherapy.emulators.localstripe_server), then asks
        # for the authentication
        page.fill('input[placeholder=number]', '4000 0027 6000 3184')
        page.fill('input[placeholder=exp_month]', '12')
        page.fill('input[placeholder=exp_year]', '30')
        page.fill('input[placeholder=cvc]', '123')
        page.get_by_test_id('pay').click()
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

    def register_with_cart(self, product, prefix):
        "A new customer with product in the cart, on the checkout screen"
        page = self.page
        page.goto('%s/webapp/product/%d?variant=%d' % (self.server.url,
                self.template_of(product), product))
        page.get_by_test_id('add-to-cart').click()
        page.get_by_test_id('go-to-cart').click()
        page.locator('[data-testid="cart-line-%d"]' % product).wait_for()
        page.get_by_test_id('login-to-checkout').click()
        page.get_by_test_id('name').fill('Playwright Customer')
        email = '%s-%s@example.com' % (prefix, uuid.uuid4().hex[:12])
        page.get_by_test_id('email').fill(email)
        page.get_by_test_id('password').fill('a-Long-passw0rd-for-tests')
        page.get_by_test_id('submit-register').click()
        page.get_by_test_id('checkout-screen').wait_for()
        return email

    def test_home_delivery_journey(self):
        "Home delivery to a Mondial Relay point, card payment, the order"
        page = self.page
        # a customer who just registered (e-mail not verified yet) cannot
        # hold a shop's last 2 units unpaid
        product, _, _ = self.in_stock(minimum=3)
        email = self.register_with_cart(product, 'delivery')

        page.get_by_test_id('mode-delivery').click()
        # Sendcloud's methods of our carriers, with their prices
        relay = page.get_by_test_id('method-1003')
        relay.wait_for()
        self.assertIn('€3.90', relay.inner_text())
        self.assertIn('€5.95', page.get_by_test_id('method-1001').inner_text())
        self.assertEqual(page.get_by_test_id('method-1004').count(), 0)
        relay.click()
        self.assertEqual(relay.get_attribute('aria-checked'), 'true')
        page.get_by_test_id('street').fill('Korenmarkt 3')
        page.get_by_test_id('postal-code').fill('9000')
        page.get_by_test_id('city').fill('Gent')
        self.shot('delivery-01-address')

        # the relay points near the address, none near Wavre's 1300,
        # Ghent's again
        page.get_by_test_id('point-501').wait_for()
        page.get_by_test_id('relay-postal-code').fill('1300')
        page.get_by_test_id('relay-search').click()
        page.get_by_test_id('relay-none').wait_for()
        page.get_by_test_id('relay-postal-code').fill('')
        page.get_by_test_id('relay-search').click()
        point = page.get_by_test_id('point-501')
        point.wait_for()
        self.assertIn('Veldstraat 12', point.inner_text())
        self.assertEqual(page.get_by_test_id('point-502').count(), 0)
        point.click()
        self.assertEqual(point.get_attribute('aria-checked'), 'true')
        self.shot('delivery-02-relay-point')

        # a number the server refuses, shown on the phone field
        page.get_by_test_id('phone').fill('0000 00 00 00')
        page.get_by_test_id('pay-card').click()
        page.get_by_test_id('place-order').click()
        phone_error = page.get_by_text('This phone number is not valid.',
            exact=False)
        phone_error.wait_for()
        self.shot('delivery-03-phone-error')
        self.assertIsNone(self.placed_order(email))
        page.get_by_test_id('phone').fill('0470 12 34 56')
        phone_error.wait_for(state='detached')
        self.shot('delivery-04-checkout')
        page.get_by_test_id('place-order').click()

        page.get_by_test_id('pay').wait_for()
        page.wait_for_function('() => !!window.Stripe')
        self.shot('delivery-05-payment')
        order_id = int(page.url.rstrip('/').split('/')[-1])
        self.assertEqual(self.placed_order(email), order_id)
        sale = self.delivery_of(order_id)
        self.assertEqual(sale['mode'], 'delivery')
        self.assertEqual(sale['method'], '1003')
        self.assertEqual(sale['point'], '501')
        self.assertEqual(sale['point_name'],
            'Librairie du Centre, Veldstraat 12, 9000 Gent')
        self.assertEqual(sale['phone'], '+32470123456')
        self.assertEqual(sale['address'], ('Korenmarkt 3', '9000', 'Gent'))
        self.assertIn(('Mondial Relay Point Relais',
                Decimal('3.90')), sale['lines'])
        intent = require_authentication(self.payment_reference(order_id))
        self.assertEqual(intent.status, 'requires_action')
        page.get_by_test_id('pay').click()
        page.get_by_text('Complete authentication').click()

        page.get_by_test_id('confirmation').wait_for(timeout=30000)
        page.get_by_test_id('confirmation-delivery').wait_for()
        self.shot('delivery-06-confirmation')
        page.get_by_test_id('see-orders').click()
        mode = page.get_by_test_id('order-%d-mode' % order_id)
        mode.wait_for()
        self.assertEqual(mode.inner_text(),
            'Home delivery · Mondial Relay Point Relais')
        self.shot('delivery-07-orders')
        page.locator('[data-testid="order-%d"]' % order_id).click()
        page.get_by_test_id('order-status').wait_for()
        # the delivery block tells the method once, with its price
        self.assertIn('Mondial Relay Point Relais',
            page.get_by_test_id('order-delivery').inner_text())
        self.assertEqual(page.get_by_test_id('order-mode').count(), 0)
        details = page.get_by_test_id('order-delivery').inner_text()
        self.assertIn('Pick-up point: Librairie du Centre, Veldstraat 12, '
            '9000 Gent', details)
        self.assertIn('€3.90', details)
        self.assertIn('Your address: Korenmarkt 3, 9000 Gent', details)
        self.assertIn('Paid', page.get_by_test_id('order').inner_text())
        self.shot('delivery-08-order')
        self.assertEqual(self.errors, [])

    def test_bancontact_return_from_bank(self):
        """Bancontact: an intent for bancontact only, Stripe's redirect
        back to the app, the order confirmed by the webhook"""
        page = self.page
        # a customer who just registered (e-mail not verified yet) cannot
        # hold a shop's last 2 units unpaid
        product, shop, _ = self.in_stock(minimum=3)
        self.register_with_cart(product, 'bancontact')
        page.get_by_test_id('shop-%s' % shop).click()
        page.get_by_test_id('phone').fill('+32 2 511 22 33')
        # Bancontact is the default choice
        self.assertEqual(page.get_by_test_id('pay-bancontact')
            .get_attribute('aria-checked'), 'true')
        created = mock.patch.object(stripe.PaymentIntent, 'create',
            wraps=stripe.PaymentIntent.create)
        with created as create:
            page.get_by_test_id('place-order').click()
            page.get_by_test_id('pay').wait_for()
        create.assert_called_once()
        self.assertEqual(create.call_args.kwargs['payment_method_types'],
            ['bancontact'])
        # the account holder's name for the bank, the customer's by default
        page.wait_for_function('() => !!window.Stripe')
        holder = page.get_by_test_id('holder')
        page.wait_for_function('() => document.querySelector('
            '\'[data-testid="holder"]\').value !== ""')
        self.assertEqual(holder.input_value(), 'Playwright Customer')
        self.shot('bancontact-01-payment')
        # localstripe's Stripe.js cannot go to a bank: the app says so
        # rather than charging the Bancontact intent as a card
        page.get_by_test_id('pay').click()
        page.get_by_text('Bancontact is not available right now',
            exact=False).wait_for()

        order_id = int(page.url.rstrip('/').split('/')[-1])
        reference = self.payment_reference(order_id)
        # the bank approves: the intent succeeds at Stripe (localstripe)
        # and its signed webhook reaches the server
        key = 'sk_test_local'
        method = stripe.PaymentMethod.create(type='card', card={
                'number': '4242424242424242', 'exp_month': 12,
                'exp_year': 2030, 'cvc': '123'}, api_key=key)
        stripe.PaymentIntent.modify(reference, payment_method=method.id,
            api_key=key)
        intent = stripe.PaymentIntent.confirm(reference, api_key=key)
        self.assertEqual(intent.status, 'succeeded')
        # Stripe's redirect to the return_url
        page.goto('%s/webapp/pay/%d?payment_intent=%s'
            '&payment_intent_client_secret=%s&redirect_status=succeeded' % (
                self.server.url, order_id, reference, intent.client_secret))
        page.get_by_test_id('confirmation').wait_for(timeout=30000)
        self.shot('bancontact-02-confirmation')
        self.assertEqual(self.errors, [])

    def placed_order(self, email):
        "The newest placed order of the customer with email, or None"
        from trytond.pool import Pool
        from tests.fakes.harness import committed

        def newest():
            Sale = Pool().get('sale.sale')
            sales = Sale.search([
                    ('api_user.email', '=', email),
                    ('state', '!=', 'draft'),
                    ], order=[('id', 'DESC')], limit=1)
            return sales[0].id if sales else None
        return committed(newest)

    def delivery_of(self, order_id):
        from trytond.pool import Pool
        from tests.fakes.harness import committed

        def read():
            sale = Pool().get('sale.sale')(order_id)
            address = sale.shipment_address
            return {
                'mode': sale.api_mode,
                'method': sale.api_shipping_method,
                'point': sale.api_service_point,
                'point_name': sale.api_service_point_name,
                'phone': sale.api_phone,
                'address': (address.street, address.postal_code,
                    address.city),
                # Sendcloud's price is VAT included
                'lines': [(l.description, (l.unit_price * (1 + sum(
                                    (t.rate or 0 for t in l.taxes),
                                    Decimal(0)))).quantize(Decimal('0.01')))
                    for l in sale.lines if l.api_delivery],
                }
        return committed(read)

    def template_of(self, product_id):
        from trytond.pool import Pool
        from tests.fakes.harness import committed
        return committed(
            lambda: Pool().get('product.product')(product_id).template.id)
