"""The pro journey in headless Chromium (Playwright) against the whole WSGI
app on a free local port: apply → approve (model API, as the back office)
→ log in → quick order and CSV order → place the order → invoice PDF
downloaded."""
import os
import pathlib
import unittest
from unittest import mock

from playwright.sync_api import expect
from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import drop_db

from urbantherapy.testing import activate_demo

from urban_website import settings

from .api_support import FakeSMTP
from .fakes.harness import WEBHOOK_SECRET, set_config
from urbantherapy.emulators.localstripe import LocalStripe
from .test_pro_portal import transaction, with_locks
from .website_server import LocalServer

CHROMIUM = os.environ.get('URBAN_CHROMIUM', '/usr/bin/chromium')
ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / (
    'test-artifacts/pro')


class ProPortalBrowserTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        from playwright.sync_api import sync_playwright
        activate_demo()
        cls.smtp = FakeSMTP()
        cls._patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._patch.start()
        cls.server = LocalServer().__enter__()
        config.set('urban', 'site_url', cls.server.url)
        cls.stripe = LocalStripe().start()
        set_config(stripe_api_base=cls.stripe.url,
            stripe_secret_key='sk_test_local',
            stripe_webhook_secret=WEBHOOK_SECRET,
            stripe_publishable_key='pk_test_local',
            stripe_js_url=cls.stripe.url + '/js.stripe.com/v3/')
        cls.stripe.register_webhook('urban', cls.server.url
            + '/webhooks/stripe', WEBHOOK_SECRET)
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=CHROMIUM, args=['--no-sandbox'])

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        cls.server.__exit__(None, None, None)
        cls.stripe.stop()
        for option in ('stripe_api_base', 'stripe_secret_key',
                'stripe_webhook_secret', 'stripe_publishable_key',
                'stripe_js_url'):
            config._config.remove_option('urban', option)
        config._cache_clear()
        cls._patch.stop()
        config.set('urban', 'site_url', settings.DEFAULTS['site_url'])
        drop_db()

    def test_journey(self):
        context = self.browser.new_context(accept_downloads=True,
            viewport={'width': 1280, 'height': 900})
        page = context.new_page()
        url = self.server.url
        page.goto(url + '/en/pro/apply')
        page.fill('#company_name', "Maison Sel")
        page.fill('#vat_number', 'BE0403170701')
        page.fill('#street', "Rue Haute 1")
        page.fill('#postal_code', '1000')
        page.fill('#city', "Bruxelles")
        page.select_option('#country', 'BE')
        page.fill('#contact_name', "Sam")
        page.fill('#email', 'sam@maisonsel.be')
        page.fill('#password', 'sel-password-1')
        page.click('button[type=submit]:has-text("Send the application")')
        # a click waits for the next page to commit, not to be parsed:
        # expect() waits for what the page must show
        expect(page.locator('h1')).to_contain_text('Thank you')

        with transaction() as t:
            Application = Pool().get('urban.b2b.application')
            application, = Application.search([
                    ('email', '=', 'sam@maisonsel.be')])
            Application.approve([application])
            t.commit()

        page.goto(url + '/en/pro/')
        page.fill('#email', 'sam@maisonsel.be')
        page.fill('#password', 'sel-password-1')
        page.click('main button[type=submit]:has-text("Log in")')
        page.wait_for_url('**/pro/catalogue')
        self.assertGreater(page.locator('.pro-card').count(), 10)

        with transaction(readonly=True):
            from urban_stock import availability
            Product = Pool().get('product.product')
            Location = Pool().get('stock.location')
            central, = Location.search([('name', '=', "Central stock room")])
            candidates = Product.search([
                    ('template.b2b_published', '=', True),
                    ('template.b2b_case_pack', '=', 1)], order=[('id', 'ASC')])
            candidates.sort(key=lambda p: -(p.list_price_used or 0))
            atp = availability.for_products([p.id for p in candidates],
                [central.id])
            products = [p for p in candidates
                if atp[(p.id, central.id)] >= 12][3:5]
            (sku1, min1), (sku2, min2) = [
                (p.code, p.template.minimum_quantity) for p in products]

        page.goto(url + '/en/pro/cart')
        page.fill('#lines', '%s %s' % (sku1, min1 + 2))
        page.click('button:has-text("Add to the cart")')
        expect(page.locator('tr[data-sku="%s"]' % sku1)).to_have_count(1)
        page.set_input_files('#file', files=[{'name': 'order.csv',
                    'mimeType': 'text/csv',
                    'buffer': ('sku,quantity\n%s,%s\n' % (
                            sku2, min2 + 2)).encode()}])
        page.click('button:has-text("Upload")')
        expect(page.locator('tr[data-sku="%s"]' % sku2)).to_have_count(1)
        page.click('#place-order')
        page.wait_for_url('**/pro/orders/*')
        order_id = int(page.url.split('/orders/')[1].split('?')[0])

        def post_invoice(t):
            pool = Pool()
            Sale = pool.get('sale.sale')
            Invoice = pool.get('account.invoice')
            invoices = Sale(order_id).invoices
            Invoice.post(invoices)
            return invoices[0].id
        with_locks(post_invoice)
        page.reload()
        with page.expect_download() as download:
            page.click('a.invoice-pdf')
        path = download.value.path()
        with open(path, 'rb') as pdf:
            self.assertTrue(pdf.read(5).startswith(b'%PDF'))
        context.close()

    def test_pay_by_card(self):
        """The Payment Element page in Chromium with Stripe.js from the
        configured base (localstripe): Stripe.js loads and the element
        mounts; localstripe's Stripe.js has no confirmPayment, so the bank's
        confirmation goes through the Stripe SDK, then the order page the
        buyer comes back to refreshes until Stripe's webhook confirmed the
        order."""
        context = self.browser.new_context(
            viewport={'width': 1280, 'height': 900})
        page = context.new_page()
        page.set_default_timeout(20000)
        errors = []
        page.on('pageerror', lambda e: errors.append(str(e)))
        url = self.server.url
        page.goto(url + '/en/pro/')
        page.fill('#email', 'gifts@kantoorco.be')
        page.fill('#password', 'urban-demo')
        page.click('main button[type=submit]:has-text("Log in")')
        page.wait_for_url('**/pro/catalogue')

        with transaction(readonly=True):
            from urban_stock import availability
            Product = Pool().get('product.product')
            Location = Pool().get('stock.location')
            central, = Location.search([('name', '=', "Central stock room")])
            candidates = Product.search([
                    ('template.b2b_published', '=', True),
                    ('template.b2b_case_pack', '=', 1)], order=[('id', 'ASC')])
            candidates.sort(key=lambda p: -(p.list_price_used or 0))
            atp = availability.for_products([p.id for p in candidates],
                [central.id])
            lines = ['%s %s' % (p.code, p.template.minimum_quantity + 2)
                for p in candidates if atp[(p.id, central.id)] >= 12][5:8]
        page.goto(url + '/en/pro/cart')
        page.fill('#lines', '\n'.join(lines))
        page.click('button:has-text("Add to the cart")')
        page.check('input[name=payment][value=card]')
        page.click('#place-order')
        page.wait_for_url('**/pro/orders/*/pay')
        order_id = int(page.url.split('/orders/')[1].split('/')[0])
        page.wait_for_function('() => typeof window.Stripe === "function"')
        # localstripe's stand-in of the element: its card inputs
        page.locator('#payment-element input').first.wait_for()
        self.assertTrue(page.locator('#pay').is_enabled())
        self.assertTrue(page.locator('#payment-message').is_hidden())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / 'pay.png'), full_page=True)

        # the card typed in the element; Stripe.js confirms and comes back
        # (urbantherapy.emulators.localstripe_server)
        page.fill('#payment-element input[placeholder=number]',
            '4242 4242 4242 4242')
        page.fill('#payment-element input[placeholder=exp_month]', '12')
        page.fill('#payment-element input[placeholder=exp_year]', '30')
        page.fill('#payment-element input[placeholder=cvc]', '123')
        page.click('#pay')
        page.wait_for_url('**/en/pro/orders/%s?*redirect_status=succeeded*'
            % order_id)
        page.wait_for_function('() => ["Confirmed", "Processing"].includes('
            'document.getElementById("status").textContent)',
            timeout=30000)
        page.screenshot(path=str(ARTIFACTS / 'paid.png'), full_page=True)
        self.assertEqual(errors, [])
        context.close()
