"""The former web shop's addresses (/shop/*, the app's web export) lead to
the site's matching pages: the site is the web shop; the app's export
lives at /webapp, for the app's tests and previews, never indexed."""
import re
import unittest
from urllib.parse import urlsplit

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.testing import activate_demo

from . import test_website


def variant_of(template_id):
    "(product id, code) of the template's last variant"
    with Transaction().start(DB_NAME, 0, readonly=True):
        Template = Pool().get('product.template')
        product = Template(template_id).products[-1]
        return product.id, product.code


class OldShopTestCase(unittest.TestCase):

    client = test_website.WebsiteTestCase.client

    @classmethod
    def setUpClass(cls):
        activate_demo()
        cls.urls = test_website.demo_urls()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def moved(self, path, lang='fr'):
        "Where path leads (path and query), after checking it is a 301"
        response = self.client().get(path,
            headers={'Accept-Language': '%s;q=0.9' % lang})
        self.assertEqual(response.status_code, 301, path)
        self.assertIn('Accept-Language', response.headers['Vary'])
        location = urlsplit(response.headers['Location'])
        target = location.path + ('?' + location.query
            if location.query else '')
        # the page it leads to is there
        self.assertEqual(self.client().get(target).status_code, 200, target)
        return target

    def test_pages_of_the_site(self):
        urls = self.urls
        template = urls['fr']['product_id']
        product, code = variant_of(template)
        universe = urls['fr']['universe'].rsplit('/', 1)[1]
        for lang, prefix in [('fr', ''), ('nl', '/nl'), ('en', '/en')]:
            with self.subTest(lang=lang):
                self.assertEqual(self.moved('/shop', lang), prefix + '/')
                self.assertEqual(self.moved('/shop/', lang), prefix + '/')
                self.assertEqual(
                    self.moved('/shop/product/%d' % template, lang),
                    urls[lang]['product'])
                self.assertEqual(self.moved('/shop/product/%d?variant=%d'
                        % (template, product), lang),
                    '%s?variant=%s' % (urls[lang]['product'], code))
                # the site's first links named the variant's code
                self.assertEqual(self.moved('/shop/products/%s' % code, lang),
                    '%s?variant=%s' % (urls[lang]['product'], code))
                self.assertEqual(
                    self.moved('/shop/universe/%s' % universe, lang),
                    urls[lang]['universe'])
                self.assertEqual(self.moved('/shop/search?q=vases', lang),
                    prefix + '/search?q=vases')
                self.assertEqual(self.moved('/shop/cart', lang),
                    prefix + '/cart')
                # the account is the app's: its download page
                for path in ('/shop/orders/12', '/shop/account',
                        '/shop/pay/3'):
                    self.assertEqual(self.moved(path, lang), prefix + '/app')

    def test_unknown_addresses(self):
        "Unknown products, junk: the home page, never an error"
        for path in ('/shop/product/999999', '/shop/product/12?variant=x',
                '/shop/products/NOPE', '/shop/universe/nowhere',
                '/shop/%C3%A9t%C3%A9', '/shop/product/' + '9' * 40,
                '/shop/a/b/c'):
            with self.subTest(path=path):
                target = self.moved(path)
                if '?variant=x' in path:
                    # a product's page, without the junk
                    self.assertNotIn('variant', target)
                else:
                    self.assertEqual(target, '/')

    def test_export_never_indexed(self):
        robots = self.client().get('/robots.txt').get_data(as_text=True)
        self.assertIn('Disallow: /webapp/', robots)
        response = self.client().get('/webapp/')
        # built (make app-web) or not, it says noindex
        self.assertIn(response.status_code, {200, 503})
        self.assertEqual(response.headers['X-Robots-Tag'], 'noindex')

    def test_site_links_its_own_pages(self):
        "No page of the site sends its visitors to the former web shop"
        urls = self.urls
        for path in ('/', '/nl/', urls['en']['product'],
                urls['fr']['universe'], '/account/verify-email?token=x',
                '/en/cart'):
            with self.subTest(path=path):
                html = self.client().get(path).get_data(as_text=True)
                self.assertIsNone(re.search(r'href="/shop[/"?]', html))
        invalid = self.client().post('/nl/account/verify-email',
            data={'token': 'x'}).get_data(as_text=True)
        self.assertIn('href="/nl/app"', invalid)
