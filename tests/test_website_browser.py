"""Each page type in the three languages, in headless Chromium (Playwright)
against the whole WSGI app served on a free local port, on the demo data."""
import json
import os
import unittest

from trytond import config
from trytond.tests.test_tryton import drop_db

from urbantherapy.testing import activate_demo

from urban_website import settings

from .test_website import demo_urls, variant_product
from .website_server import LocalServer

CHROMIUM = os.environ.get('URBAN_CHROMIUM', '/usr/bin/chromium')


class WebsiteBrowserTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        from playwright.sync_api import sync_playwright
        activate_demo()
        cls.urls = demo_urls()
        cls.server = LocalServer().__enter__()
        config.set('urban', 'site_url', cls.server.url)
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=CHROMIUM, args=['--no-sandbox'])

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        cls.server.__exit__(None, None, None)
        config.set('urban', 'site_url', settings.DEFAULTS['site_url'])
        drop_db()

    def setUp(self):
        self.context = self.browser.new_context(
            viewport={'width': 390, 'height': 844}, locale='fr-BE')
        self.page = self.context.new_page()
        self.errors = []
        self.page.on('console', lambda m: m.type == 'error'
            and self.errors.append(m.text))
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))

    def tearDown(self):
        self.context.close()

    def open(self, path, status=200):
        response = self.page.goto(self.server.url + path)
        self.assertEqual(response.status, status, path)
        return response

    def check_common(self, lang):
        page = self.page
        self.assertEqual(page.locator('html').get_attribute('lang'), lang)
        self.assertEqual(page.locator('h1').count(), 1)
        self.assertTrue(page.locator('main#main').is_visible())
        self.assertEqual(page.locator('link[rel=canonical]').count(), 1)
        self.assertEqual(page.locator('link[rel=alternate]').count(), 4)
        for block in page.locator(
                'script[type="application/ld+json"]').all_inner_texts():
            json.loads(block)
        self.assertEqual(page.locator('script:not([type])').count(), 0)
        # every image has an alt attribute and explicit dimensions
        self.assertEqual(page.locator('img:not([alt])').count(), 0)
        self.assertEqual(page.locator('img:not([width])').count(), 0)
        # keyboard: the skip link comes first and leads to the content
        page.keyboard.press('Tab')
        focused = page.evaluate('document.activeElement.className')
        self.assertEqual(focused, 'skip')
        self.assertTrue(page.locator('a.skip').is_visible())
        self.assertEqual(self.errors, [])

    def test_landing(self):
        for lang, path, app_heading in [('fr', '/', "Téléchargez l'app"),
                ('nl', '/nl/', "Download de app"),
                ('en', '/en/', "Get the app")]:
            self.open(path)
            self.check_common(lang)
            page = self.page
            self.assertEqual(page.locator('#app h2').inner_text(),
                app_heading)
            self.assertEqual(page.locator('.universe').count(), 7)
            self.assertGreater(page.locator('.card').count(), 0)
            self.assertEqual(page.locator('.shop-card').count(), 6)
            self.assertTrue(page.locator('.qr svg').is_visible())
            self.assertEqual(page.locator('.badge').count(), 2)
            # images below the fold load lazily and are decoded WebP
            self.assertEqual(page.locator('.card img').first
                .get_attribute('loading'), 'lazy')
            for image in page.locator('.card img').all():
                image.scroll_into_view_if_needed()
            page.wait_for_function("[...document.querySelectorAll("
                "'.card img')].every(i => i.complete && i.naturalWidth > 0)",
                timeout=10000)
        # the language switcher leads to the same page in Dutch
        self.open('/')
        self.page.click('.langs a[hreflang=nl]')
        self.assertEqual(self.page.url, self.server.url + '/nl/')

    def test_newsletter_by_keyboard(self):
        page = self.page
        self.open('/en/')
        page.locator('#email').focus()
        page.keyboard.type('keyboard@example.be')
        page.keyboard.press('Tab')
        page.keyboard.press('Space')
        self.assertTrue(page.locator('#consent').is_checked())
        page.keyboard.press('Tab')
        with page.expect_navigation():
            page.keyboard.press('Enter')
        self.assertIn('subscribed=1', page.url)
        self.assertIn("open the link in the e-mail",
            page.locator('[role=status]').inner_text())

    def test_universe(self):
        for lang in ('fr', 'nl', 'en'):
            urls = self.urls[lang]
            self.open(urls['universe'])
            self.check_common(lang)
            self.assertEqual(self.page.locator('h1').inner_text(),
                urls['universe_name'])
            self.assertGreater(self.page.locator('.card').count(), 10)
        # from the universe to a product, by clicking its card
        self.page.locator('.card a').first.click()
        self.assertIn('/en/products/', self.page.url)
        self.assertEqual(self.page.locator('.crumbs li').count(), 3)

    def test_product(self):
        for lang, stock_title in [('fr', "Disponibilité en boutique"),
                ('nl', "Beschikbaarheid in onze winkels"),
                ('en', "Availability in our shops")]:
            urls = self.urls[lang]
            self.open(urls['product'])
            self.check_common(lang)
            page = self.page
            self.assertEqual(page.locator('h1').inner_text(),
                urls['product_name'])
            self.assertIn('€', page.locator('.price.big').inner_text())
            self.assertTrue(page.get_by_text(stock_title).is_visible())
            self.assertEqual(page.locator('.stock li').count(), 6)
            # bought right here: the form puts it in the site's cart (no
            # app needed, no dead link)
            buy = page.locator('#add-to-cart')
            self.assertTrue(buy.is_visible())
            self.assertEqual(page.locator('a[href^="urbantherapy:"]').count(),
                0)
            image = page.locator('.gallery img').first
            self.assertEqual(image.get_attribute('fetchpriority'), 'high')
            self.assertTrue(page.evaluate(
                    "document.querySelector('.gallery img').currentSrc"
                    ).split('?')[0].endswith('.webp'))
        # pressed, it puts the product in the cart
        buy.click()
        page.wait_for_url('**/en/cart?added=1')
        self.assertIn(urls['product_name'],
            page.locator('.cart-table').inner_text())
        self.assertEqual(page.locator('#cart-count').inner_text(), '1')

    def test_variant_swatches(self):
        """A click on a swatch shows that variant's picture and availability
        without reloading, puts ?variant= in the address, and the cart gets
        that variant"""
        case = variant_product()
        first, second = case['first'], case['second']
        page = self.page
        self.open(case['paths']['en'])
        self.check_common('en')
        main = page.locator('.gallery img').first
        self.assertIn('/media/%s/' % first['image'], main.get_attribute('src'))
        swatch = page.locator('a.swatch[href$="?variant=%s"]'
            % second['code'])
        self.assertIn(second['colours']['en'], swatch.inner_text())
        page.evaluate('window.notReloaded = true')
        swatch.click()
        page.wait_for_url('**?variant=%s' % second['code'])
        self.assertTrue(page.evaluate('window.notReloaded === true'))
        self.assertEqual(swatch.get_attribute('aria-current'), 'true')
        self.assertEqual(page.locator('a.swatch[aria-current]').count(), 1)
        self.assertIn('/media/%s/' % second['image'],
            main.get_attribute('src'))
        self.assertIn('/media/%s/' % second['image'],
            main.get_attribute('srcset'))
        statuses = {}
        for item in page.locator('.stock li').all():
            code = item.locator('a').get_attribute('href').rsplit('/', 1)[1]
            statuses[code] = item.locator('span').get_attribute('class')
        self.assertEqual(statuses, second['shops'])
        self.assertEqual(page.locator('#online-stock').get_attribute('class'),
            second['online'])
        # the language switcher keeps the variant chosen
        self.assertTrue(page.locator('.langs a[hreflang="nl"]').get_attribute(
                'href').endswith('?variant=%s' % second['code']))
        self.assertEqual(page.locator(
                'form.add-to-cart [name=product]').input_value(),
            str(second['id']))
        self.assertEqual(self.errors, [])
        page.locator('#add-to-cart').click()
        page.wait_for_url('**/en/cart?added=1')
        self.assertIn(second['colours']['en'],
            page.locator('.cart-table .variant').inner_text())

    def test_shop(self):
        for lang, prefix, hours in [('fr', '', "Heures d'ouverture"),
                ('nl', '/nl', "Openingsuren"),
                ('en', '/en', "Opening hours")]:
            self.open(prefix + '/shops/lgg')
            self.check_common(lang)
            page = self.page
            self.assertEqual(page.locator('h1').inner_text(),
                "Urban Therapy Liège")
            self.assertEqual(page.locator('#hours-title').inner_text(),
                hours)
            self.assertEqual(page.locator('.hours tr').count(), 7)
            self.assertIn('google.com/maps/dir',
                page.locator('a.button').get_attribute('href'))
            self.open(prefix + '/shops/')
            self.check_common(lang)
            self.assertEqual(page.locator('.shop-card').count(), 6)

    def test_legal(self):
        for lang, prefix in [('fr', ''), ('nl', '/nl'), ('en', '/en')]:
            for name in ('terms', 'privacy', 'cookies'):
                self.open('%s/legal/%s' % (prefix, name))
                self.check_common(lang)
                self.assertGreater(self.page.locator('h2').count(), 2)

    def test_app_qr_landing(self):
        for lang, prefix, welcome in [('fr', '', "Bienvenue"),
                ('nl', '/nl', "Welkom"), ('en', '/en', "Welcome")]:
            self.open(prefix + '/app?shop=NAM')
            self.check_common(lang)
            page = self.page
            self.assertIn(welcome, page.locator('h1').inner_text())
            self.assertEqual(
                page.get_by_test_id('first-order-code').inner_text(),
                'WELCOME-NAM')
            self.assertIn('Namur', page.locator('.lead').inner_text())
        self.open('/app?shop=unknown', status=404)
        self.assertEqual(self.page.locator('[role=alert]').count(), 1)
        self.assertEqual(self.page.locator('.badge').count(), 2)

    def test_not_found(self):
        self.open('/nl/no-such-page', status=404)
        # the browser reports the document's own 404 status
        self.errors = [e for e in self.errors if '404' not in e]
        self.check_common('nl')
        self.assertEqual(self.page.locator('a.button').get_attribute('href'),
            '/nl/')
