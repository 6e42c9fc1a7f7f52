"""The web shop's journey in headless Chromium (Playwright), on a desktop
and on a phone, against the whole server on a local port with localstripe
as Stripe: home → search "vases" → product → add to cart → guest checkout
click & collect → pay by card in the Stripe element → the confirmation.

localstripe's Stripe.js mounts a stand-in of the element (its card
inputs); urbantherapy.emulators.localstripe_server adds Stripe.js's
confirmPayment, so the card typed there pays as on Stripe and the buyer
comes back to the return URL; Stripe's signed webhook confirms the order."""
import os
import pathlib
import uuid
from unittest import mock

from playwright.sync_api import expect
from trytond.config import config
from trytond.pool import Pool

from urban_website import settings

from .api_support import FakeSMTP
from .fakes.harness import WEBHOOK_SECRET, ApiTestCase, committed, set_config
from .website_server import LocalServer
from urbantherapy.emulators.localstripe import LocalStripe

CHROMIUM = os.environ.get('URBAN_CHROMIUM', '/usr/bin/chromium')
ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / (
    'test-artifacts/shop')
VIEWPORTS = {'desktop': (1280, 800), 'phone': (390, 844)}


def vases_in_stock(minimum=8):
    """[(slug in English, variant id, shop code, shop's welcome code)] of
    the products the search "vases" finds that a guest can buy in a pickup
    shop that gives a welcome code"""
    from urban_stock import availability
    from urban_checkout.channel import web_shop
    pool = Pool()
    Template = pool.get('product.template')
    Location = pool.get('stock.location')
    sold = {p.id for p in web_shop(pool).products}
    shops = [s for s in Location.search([('type', '=', 'warehouse'),
                ('shop', '=', True), ('pickup_enabled', '=', True)])
        if s.get_first_order_number()]
    found = []
    for template in Template.browse(Template.search_catalog('vases',
                language='en', limit=48, channel='web')):
        variants = [p.id for p in template.products if p.id in sold]
        atp = availability.for_products(variants, [s.id for s in shops])
        for variant in variants:
            for shop in shops:
                if atp[(variant, shop.id)] >= minimum:
                    found.append((template.slug, variant, shop.shop_code,
                            shop.get_first_order_number()))
                    break
    return found


class WebsiteShopBrowserTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        from playwright.sync_api import sync_playwright
        super().setUpClass()
        cls.smtp = FakeSMTP()
        cls._patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._patch.start()
        cls.stripe = LocalStripe().start()
        set_config(stripe_api_base=cls.stripe.url,
            stripe_publishable_key='pk_test_local',
            stripe_js_url=cls.stripe.url + '/js.stripe.com/v3/')
        cls.server = LocalServer().__enter__()
        config.set('urban', 'site_url', cls.server.url)
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
        cls._patch.stop()
        for option in ('stripe_publishable_key', 'stripe_js_url',
                'stripe_api_base'):
            config._config.remove_option('urban', option)
        config._cache_clear()
        config.set('urban', 'site_url', settings.DEFAULTS['site_url'])
        super().tearDownClass()

    def test_journey(self):
        candidates = committed(vases_in_stock, context={'language': 'en'})
        self.assertTrue(candidates, "no vase in stock")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        # a guest on each: the second uses the same shop welcome code
        for name, (width, height) in VIEWPORTS.items():
            with self.subTest(name):
                self.journey(name, width, height, candidates)

    def journey(self, name, width, height, candidates):
        context = self.browser.new_context(
            viewport={'width': width, 'height': height}, locale='en-GB')
        page = context.new_page()
        page.set_default_timeout(20000)
        errors = []
        page.on('pageerror', lambda e: errors.append(str(e)))
        url = self.server.url

        # in French, an accented word finds the ceramics; filtered by a
        # colour: as many products as the colour's count says
        page.goto(url + '/')
        page.fill('#site-search', 'céramique')
        page.press('#site-search', 'Enter')
        page.wait_for_url('**/search?q=c*ramique')
        cards = page.locator('main li.card')
        cards.first.wait_for()
        found = cards.count()
        options = page.locator('form.narrowing select[name=colour] option'
            ).evaluate_all('os => os.filter(o => o.value).map(o => '
            '[o.value, o.textContent])')
        key, count = min(((k, int(t.rsplit('(', 1)[1].rstrip(')')))
                for k, t in options), key=lambda o: o[1])
        self.assertLess(count, found)
        page.select_option('form.narrowing select[name=colour]', key)
        page.locator('form.narrowing button[type=submit]').click()
        page.wait_for_url('**colour=%s*' % key)
        expect(cards).to_have_count(count)

        page.goto(url + '/en/')
        page.fill('#site-search', 'vases')
        page.press('#site-search', 'Enter')
        page.wait_for_url('**/en/search?q=vases')
        links = page.locator('main a[href^="/en/products/"]')
        links.first.wait_for()
        hrefs = set(links.evaluate_all('ls => ls.map(l => l.getAttribute('
                '"href"))'))
        slug, variant, shop, code = next(c for c in candidates
            if '/en/products/%s' % c[0] in hrefs)
        page.locator('main a[href="/en/products/%s"]' % slug).first.click()
        page.wait_for_url('**/en/products/%s' % slug)
        swatch = page.locator('a.swatch[data-product="%d"]' % variant)
        if page.locator('a.swatch').count() > 1:
            # another colour shows its picture, then the one in stock its own
            other = page.locator('a.swatch:not([data-product="%d"])'
                % variant).first
            picture = page.locator('.gallery img').first
            other.click()
            expect(other).to_have_attribute('aria-current', 'true')
            for chosen in (other, swatch):
                if chosen is swatch:
                    swatch.click()
                    expect(swatch).to_have_attribute('aria-current', 'true')
                if chosen.get_attribute('data-src'):
                    self.assertEqual(picture.get_attribute('src'),
                        chosen.get_attribute('data-src'))
        self.assertEqual(page.locator(
                'form.add-to-cart [name=product]').input_value(),
            str(variant))
        page.screenshot(path=str(ARTIFACTS / ('%s-1-product.png' % name)))
        page.click('#add-to-cart')
        page.wait_for_url('**/en/cart?added=1')
        expect(page.locator('#cart-count')).to_have_text('1')
        # the shop's welcome code, as typed from the QR code's leaflet
        page.fill('#code', code.lower())
        page.click('#apply-code')
        expect(page.locator('.coupon-applied')).to_contain_text(code)
        expect(page.locator('#discount')).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / ('%s-2-cart.png' % name)),
            full_page=True)

        page.click('#to-checkout')
        page.wait_for_url('**/en/checkout')
        page.fill('#email', 'browser-%s@example.com' % uuid.uuid4().hex[:10])
        page.fill('#name', "Browser Buyer")
        page.fill('#phone', '0470 12 34 56')
        page.check('#shop-%s' % shop.lower())
        page.check('#terms')
        page.screenshot(path=str(ARTIFACTS / ('%s-3-checkout.png' % name)),
            full_page=True)
        page.click('#place-order')
        page.wait_for_url('**/en/order/*')
        expect(page.locator('#status')).to_have_text('Awaiting payment')
        order_url = page.url

        page.wait_for_function('() => typeof window.Stripe === "function"')
        card = page.locator('#payment-element input[placeholder=number]')
        card.fill('4242 4242 4242 4242')
        page.fill('#payment-element input[placeholder=exp_month]', '12')
        page.fill('#payment-element input[placeholder=exp_year]', '30')
        page.fill('#payment-element input[placeholder=cvc]', '123')
        self.assertTrue(page.locator('#pay').is_enabled())
        page.screenshot(path=str(ARTIFACTS / ('%s-4-pay.png' % name)),
            full_page=True)
        # Stripe.js confirms the PaymentIntent with the card typed, then
        # sends the buyer back to the order (urbantherapy.emulators.
        # localstripe_server does what Stripe does for it)
        if name == 'desktop':
            # Stripe's decline card first: said on the page, the order
            # still waits for its payment, another card pays
            card.fill('4000 0000 0000 0002')
            page.click('#pay')
            expect(page.locator('#payment-message')).to_have_text(
                'Your card was declined.')
            self.assertEqual(page.url, order_url)
            expect(page.locator('#status')).to_have_text('Awaiting payment')
            card.fill('4242 4242 4242 4242')
        page.click('#pay')
        page.wait_for_url('**redirect_status=succeeded*')
        self.assertTrue(page.url.startswith(order_url))
        expect(page.locator('#status')).to_have_text('Confirmed',
            timeout=30000)
        expect(page.locator('#pickup')).to_be_visible()
        self.assertTrue(page.locator('#number').inner_text())
        page.screenshot(path=str(ARTIFACTS / ('%s-5-confirmed.png' % name)),
            full_page=True)
        self.assertEqual(errors, [])
        context.close()
