"""The website's pages over real HTTP semantics (werkzeug test client on the
whole WSGI app) on the demo business: SEO tags, hreflang, JSON-LD, sitemap,
robots, caching, QR landing, newsletter consent."""
import json
from decimal import Decimal
import re
import unittest
from unittest import mock
import xml.etree.ElementTree as ET

from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware

from urban_website import settings

from .api_support import FakeSMTP

SITE = 'https://www.urbantherapy.test'


def json_ld(html):
    items = []
    for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        items.extend(data.get('@graph', [data]))
    return {item['@type']: item for item in items}


def demo_urls():
    "Some page paths of the demo in French, Dutch and English"
    with Transaction().start(DB_NAME, 0, readonly=True):
        pool = Pool()
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        result = {}
        for lang in ('fr', 'nl', 'en'):
            with Transaction().set_context(language=lang):
                universe, = Category.search([('code', '=', 'ceramics')])
                template = Template.search(
                    [('universe', '=', universe.id)], order=[('id', 'ASC')],
                    limit=1)[0]
                prefix = '' if lang == 'fr' else '/' + lang
                result[lang] = {
                    'universe': '%s/universes/%s' % (prefix, universe.slug),
                    'universe_name': universe.name,
                    'product': '%s/products/%s' % (prefix, template.slug),
                    'product_name': template.name,
                    'product_id': template.id,
                    }
        return result


def variant_product():
    """A published product with colour variants that have their own
    pictures, and a second variant whose availability differs from the
    first's in some shop: dict(paths {lang: path}, first, second); a
    variant is dict(id, code, colours {lang: label}, image (its picture's
    id), shops {shop code: 'in'|'low'|'out'}, online (same)). The variants
    in the order the page lists them (Tryton's)."""
    from urban_stock import availability
    from urban_website.catalog import LOW_STOCK
    from urbantherapy.demo.data import VARIANT_VALUE_LABELS

    def status(quantity):
        return ('out' if quantity <= 0 else 'low' if quantity <= LOW_STOCK
            else 'in')
    with Transaction().start(DB_NAME, 0, readonly=True):
        pool = Pool()
        Template = pool.get('product.template')
        Image = pool.get('product.image')
        Location = pool.get('stock.location')
        shops = Location.search([('shop', '=', True),
                ('type', '=', 'warehouse')])
        for template in Template.search(Template.published_in('web') + [
                    ('salable', '=', True)], order=[('id', 'ASC')]):
            products = [p for p in template.products if p.active]
            if not all((p.attributes or {}).get('colour')
                    for p in products):
                continue
            atp = availability.for_products([p.id for p in products])
            pictures = {i.product.id: i.id for i in Image.search(
                    [('product', 'in', [p.id for p in products])])}
            variants = [{
                    'id': p.id, 'code': p.code,
                    'colours': dict(zip(('fr', 'nl', 'en'),
                            VARIANT_VALUE_LABELS[p.attributes['colour']])),
                    'image': pictures.get(p.id),
                    'shops': {s.shop_code.lower(): status(atp[(p.id, s.id)])
                        for s in shops},
                    'online': status(atp.total(p.id)),
                    } for p in products]
            differing = [v for v in variants[1:]
                if v['shops'] != variants[0]['shops']]
            if (len(variants) < 2 or not differing
                    or not all(v['image'] for v in variants)):
                continue
            paths = {}
            for lang in ('fr', 'nl', 'en'):
                with Transaction().set_context(language=lang):
                    paths[lang] = '%s/products/%s' % (
                        '' if lang == 'fr' else '/' + lang,
                        Template(template.id).slug)
            return {'paths': paths, 'first': variants[0],
                'second': differing[0]}
    raise AssertionError("the demo has no product with colour pictures")


def shop_statuses(html):
    "{shop code: 'in'|'low'|'out'} of the product page's shop list"
    block = re.search(r'<ul class="plain stock"[^>]*>(.*?)</ul>', html,
        re.S).group(1)
    return dict(re.findall(
            r'href="(?:/\w\w)?/shops/(\w+)">[^<]*</a>\s*'
            r'<span class="(in|low|out)"', block))


class WebsiteTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()
        config.set('urban', 'site_url', SITE)
        cls.urls = demo_urls()

    @classmethod
    def tearDownClass(cls):
        config.set('urban', 'site_url', settings.DEFAULTS['site_url'])
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def get(self, path, status=200, **kwargs):
        response = self.client().get(path, **kwargs)
        if response.status_code != status:
            self.fail('%s: %s != %s\n%s' % (path, response.status_code,
                    status, response.data[-1500:]))
        return response

    def assert_seo(self, html, lang, path):
        self.assertIn('<html lang="%s">' % lang, html)
        self.assertRegex(html, r'<title>[^<]{10,}</title>')
        self.assertRegex(html,
            r'<meta name="description" content="[^"]{20,}">')
        self.assertIn('<link rel="canonical" href="%s%s">' % (SITE, path),
            html)
        for hreflang in ('fr', 'nl', 'en', 'x-default'):
            self.assertIn('hreflang="%s"' % hreflang, html)
        for tag in ('og:title', 'og:description', 'og:url', 'og:type'):
            self.assertIn('property="%s"' % tag, html)
        self.assertIn('name="twitter:card"', html)
        # no inline script: JSON-LD data, and our own small scripts from
        # /assets/ (allowed by the CSP's 'self'), loaded as modules
        self.assertNotRegex(html, r'<script(?! type="application/ld\+json")'
            r'(?! type="module" src="/assets/\w[\w.-]*\?v=\w+"></script>)')
        self.assertNotIn('rel="stylesheet"', html)
        self.assertIn('<style>', html)

    def test_landing_in_three_languages(self):
        for lang, path, heading in [
                ('fr', '/', "Des objets pour vivre plus doucement"),
                ('nl', '/nl/', "Objecten voor een trager leven"),
                ('en', '/en/', "Objects for a slower life")]:
            response = self.get(path)
            html = response.get_data(as_text=True)
            self.assert_seo(html, lang, path)
            self.assertIn(heading, html)
            self.assertEqual(response.headers['Content-Language'], lang)
            self.assertIn(self.urls[lang]['universe'], html)
            self.assertIn('/shops/bxl', html)
            self.assertIn('apps.apple.com', html)
            self.assertIn('play.google.com', html)
            self.assertIn('<svg', html)  # QR code
            self.assertIn('/pro/', html)
            self.assertIn('name="consent"', html)
            items = json_ld(html)
            self.assertEqual(items['Organization']['name'], "Urban Therapy")
            self.assertEqual(items['WebSite']['url'], SITE + '/')

    def test_universe_page(self):
        for lang in ('fr', 'nl', 'en'):
            urls = self.urls[lang]
            html = self.get(urls['universe']).get_data(as_text=True)
            self.assert_seo(html, lang, urls['universe'])
            self.assertIn('<h1>%s</h1>' % urls['universe_name'], html)
            self.assertIn(urls['product'], html)
            for other in ('fr', 'nl', 'en'):
                self.assertIn(SITE + self.urls[other]['universe'], html)
            crumbs = json_ld(html)['BreadcrumbList']['itemListElement']
            self.assertEqual(crumbs[-1]['name'], urls['universe_name'])
            self.assertIn('srcset="/media/', html)
            self.assertIn('loading="lazy"', html)

    def cards_of(self, path):
        "[(name, price in euros)] of the product cards of a page"
        html = self.get(path).get_data(as_text=True)
        names = re.findall(r'<span class="card-name">([^<]*)<', html)
        prices = [Decimal(p.replace('.', '').replace(',', '.'))
            for p in re.findall(
                r'<span class="price">(?:[^<0-9]*)([0-9.,]+) €', html)]
        self.assertEqual(len(names), len(prices), path)
        return list(zip(names, prices)), html

    def options(self, html, name):
        "{value: (label, count)} of a facet's select"
        block = re.search(r'<select name="%s">(.*?)</select>' % name, html,
            re.S).group(1)
        return {v: (label.strip(), int(count)) for v, label, count in
            re.findall(r'<option value="([^"]+)"[^>]*>([^<]*?)\((\d+)\)',
                block)}

    def test_search_narrowed_by_facets(self):
        """Search results offer universe, designer, colour and price with
        counts, a shop and a sort; each choice keeps what it says"""
        everything, html = self.cards_of('/search?q=plaid')
        self.assertTrue(everything)
        colours = self.options(html, 'colour')
        self.assertTrue(colours)
        # colours are named in the reader's language
        nl = self.get('/nl/search?q=plaid').get_data(as_text=True)
        self.assertNotEqual(
            sorted(l for l, _ in colours.values()),
            sorted(l for l, _ in self.options(nl, 'colour').values()))
        key, (label, count) = sorted(colours.items())[0]
        narrowed, html = self.cards_of('/search?q=plaid&colour=%s' % key)
        self.assertEqual(len(narrowed), count)
        self.assertLess(len(narrowed), len(everything) + 1)
        self.assertIn('value="%s" selected' % key, html)
        for band, (low, high) in [(0, (0, 25)), (2, (50, 100))]:
            cards, _ = self.cards_of('/search?q=plaid&price=%s' % band)
            self.assertTrue(all(low <= p < high for _, p in cards), cards)
        ascending, _ = self.cards_of('/search?q=plaid&sort=price_asc')
        self.assertEqual([p for _, p in ascending],
            sorted(p for _, p in everything))
        self.assertEqual(sorted(ascending), sorted(everything))
        # nonsense in the query string is left out, never a 5xx
        junk, _ = self.cards_of('/search?q=plaid&price=9&universe=x'
            '&sort=%27;drop&shop=ZZZZ')
        self.assertEqual(sorted(junk), sorted(everything))

    def test_in_stock_at_a_shop(self):
        "The shop filter keeps the products that shop has available"
        with Transaction().start(DB_NAME, 0, readonly=True,
                context={'language': 'fr'}):
            pool = Pool()
            Template = pool.get('product.template')
            Location = pool.get('stock.location')
            from urban_stock import availability
            gent, = Location.search([('shop_code', '=', 'GNT')])
            universe_templates = Template.search([
                    ('universe.code', '=', 'ceramics'),
                    ('salable', '=', True)])
            variants = {p.id: t.name for t in universe_templates
                for p in t.products}
            atp = availability.for_products(list(variants), [gent.id])
            in_gent = {n for p, n in variants.items()
                if atp[(p, gent.id)] > 0}
        path = self.urls['fr']['universe']
        everything, html = self.cards_of(path)
        self.assertIn('<option value="gnt">', html)
        cards, html = self.cards_of(path + '?shop=gnt')
        self.assertTrue(cards)
        self.assertLessEqual({n for n, _ in cards}, in_gent)
        self.assertIn('noindex', html)
        # the universe facet is not offered on its own page
        self.assertNotIn('<select name="universe">', html)

    def test_search_page(self):
        "The header's search box and its results as product cards, FR/NL"
        landing = self.get('/nl/').get_data(as_text=True)
        self.assertIn('action="/nl/search"', landing)
        self.assertIn('name="q"', landing)
        for path, h1, name, product in [
                ('/search?q=vases', "Résultats pour « vases »", 'Vase ',
                    '/products/'),
                ('/nl/search?q=vazen', "Resultaten voor ‘vazen’", 'Vaas ',
                    '/nl/products/'),
                ('/search?q=cousin', "Résultats pour « cousin »",
                    'Housse de coussin', '/products/'),
                ('/en/search?q=CER-VAS-002', "Results for “CER-VAS-002”",
                    'Vase ', '/en/products/'),
                ]:
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 200)
                html = response.get_data(as_text=True)
                self.assertIn('<h1>%s</h1>' % h1, html)
                self.assertIn('href="%s' % product, html)
                cards = re.findall(r'<span class="card-name">([^<]*)<', html)
                self.assertTrue(cards and cards[0].startswith(name),
                    cards[:3])
                self.assertIn('noindex', html)
        html = self.get('/nl/search?q=zzqqxx').get_data(as_text=True)
        self.assertIn("Geen product komt overeen met ‘zzqqxx’", html)
        html = self.get('/search').get_data(as_text=True)
        self.assertIn("Tapez un produit, une marque ou une référence.", html)

    def test_you_may_also_like(self):
        """A product page proposes 4 other products its buyers also
        bought (or its universe's best sellers), each a page of the site"""
        for lang in ('fr', 'en'):
            path = self.urls[lang]['product']
            html = self.get(path).get_data(as_text=True)
            section = html.split('id="related"')[1].split('</ul>')[0]
            links = re.findall(r'href="((?:/[a-z]{2})?/products/[^"]+)"',
                section)
            self.assertEqual(len(links), 4, section)
            self.assertNotIn(path, links)
            for link in links:
                self.get(link)

    def test_product_page(self):
        for lang in ('fr', 'nl', 'en'):
            urls = self.urls[lang]
            html = self.get(urls['product']).get_data(as_text=True)
            self.assert_seo(html, lang, urls['product'])
            items = json_ld(html)
            product = items['Product']
            self.assertEqual(product['name'], urls['product_name'])
            offer = product['offers']
            self.assertEqual(offer['priceCurrency'], 'EUR')
            price = offer.get('price') or offer['lowPrice']
            self.assertRegex(price, r'^\d+\.\d\d$')
            self.assertTrue(price.endswith('.90'), price)  # demo: X.90 taxed
            self.assertIn(offer['availability'], {
                    'https://schema.org/InStock',
                    'https://schema.org/OutOfStock'})
            self.assertEqual(len(
                    items['BreadcrumbList']['itemListElement']), 3)
            # bought on the site: the add-to-cart form
            self.assertIn('action="%s/cart/add"' % (
                    '' if lang == 'fr' else '/' + lang), html)
            self.assertNotIn('urbantherapy://', html)
            for city in ('Bruxelles', 'Gent', 'Antwerpen', 'Leuven'):
                self.assertIn(city, html)
            self.assertIn('fetchpriority="high"', html)
            self.assertRegex(html, r'<img [^>]*width="\d+" height="\d+"')

    def chosen_variant(self, html):
        """(swatch text, swatch href, main picture src, form's product,
        {shop: status}, online status) of a product page"""
        swatches = re.findall(r'<a class="swatch"([^>]*)>(.*?)</a>', html,
            re.S)
        current = [(attributes, text) for attributes, text in swatches
            if 'aria-current="true"' in attributes]
        self.assertEqual(len(current), 1, swatches)
        (attributes, text), = current
        href = re.search(r'href="([^"]*)"', attributes).group(1)
        gallery = html[html.index('<div class="gallery">'):]
        picture = re.search(r'<img src="([^"]*)"', gallery).group(1)
        form = re.search(r'<form class="[^"]*add-to-cart".*?</form>', html,
            re.S).group(0)
        product = re.search(r'name="product" value="(\d+)"', form).group(1)
        online = re.search(r'id="online-stock" class="(in|low|out)"',
            html).group(1)
        return (' '.join(re.sub('<[^>]*>', ' ', text).split()),
            href.replace('&amp;', '&'), picture, int(product),
            shop_statuses(html), online)

    def test_product_variant_chosen(self):
        """?variant=<code> chooses a variant (a link, no script needed): its
        colour in the reader's language, marked; its own picture; its
        availability in each shop and online; the add-to-cart form posts
        it. The canonical URL stays the product's."""
        case = variant_product()
        first, second = case['first'], case['second']
        for lang in ('fr', 'nl', 'en'):
            path = case['paths'][lang]
            seen = {}
            for variant in (first, second):
                with self.subTest(lang=lang, variant=variant['code']):
                    html = self.get('%s?variant=%s' % (
                            path, variant['code'])).get_data(as_text=True)
                    self.assert_seo(html, lang, path)
                    label, href, picture, product, shops, online = (
                        self.chosen_variant(html))
                    self.assertIn(variant['colours'][lang], label)
                    self.assertEqual(href,
                        '%s?variant=%s' % (path, variant['code']))
                    self.assertTrue(picture.startswith(
                            '/media/%s/' % variant['image']), picture)
                    self.assertEqual(product, variant['id'])
                    self.assertEqual(shops, variant['shops'])
                    self.assertEqual(online, variant['online'])
                    seen[variant['code']] = (picture, shops)
                    # the language switcher shows this variant in the
                    # other languages
                    for other in ('fr', 'nl', 'en'):
                        self.assertIn('href="%s?variant=%s" hreflang="%s"'
                            % (case['paths'][other], variant['code'], other),
                            html)
                    # each variant is an offer of its own (SEO)
                    offers = json_ld(html)['Product']['offers']['offers']
                    self.assertLessEqual({first['code'], second['code']},
                        {o['sku'] for o in offers})
            # what differs between the two: picture and shop availability
            self.assertNotEqual(seen[first['code']][0],
                seen[second['code']][0])
            self.assertNotEqual(seen[first['code']][1],
                seen[second['code']][1])
            # without a choice, or with one that means nothing: the first
            for query in ('', '?variant=nope', '?variant=',
                    '?variant=%s%%27%%3B&variant=x' % second['code']):
                with self.subTest(lang=lang, query=query):
                    html = self.get(path + query).get_data(as_text=True)
                    self.assert_seo(html, lang, path)
                    label, _, picture, product, shops, _ = (
                        self.chosen_variant(html))
                    self.assertEqual(product, first['id'])
                    self.assertIn(first['colours'][lang], label)
                    self.assertEqual(shops, first['shops'])

    def test_product_slug_of_another_language_redirects(self):
        response = self.get('/en' + self.urls['fr']['product'], status=301)
        self.assertTrue(response.headers['Location'].endswith(
                self.urls['en']['product']))
        self.get('/products/no-such-product', status=404)
        self.get('/universes/no-such-universe', status=404)

    def test_shop_pages(self):
        for lang, prefix, monday in [('fr', '', 'Lundi'),
                ('nl', '/nl', 'Maandag'), ('en', '/en', 'Monday')]:
            path = prefix + '/shops/gnt'
            html = self.get(path).get_data(as_text=True)
            self.assert_seo(html, lang, path)
            self.assertIn('Veldstraat 34', html)
            self.assertIn(monday, html)
            self.assertIn('https://www.google.com/maps/dir/?api=1'
                '&amp;destination=51.052520,3.722610', html)
            store = json_ld(html)['Store']
            self.assertIn('Tu 10:00-18:30', store['openingHours'])
            self.assertEqual(store['address']['postalCode'], '9000')
            self.assertEqual(store['telephone'], '+32 9 223 45 67')
            html = self.get(prefix + '/shops/').get_data(as_text=True)
            self.assertEqual(html.count('"@type":"Store"'), 6)
        self.assertTrue(self.get('/shops/GNT', status=301)
            .headers['Location'].endswith('/shops/gnt'))
        self.get('/shops/zzz', status=404)

    def test_legal_pages(self):
        for prefix, title in [('', "Politique de confidentialité"),
                ('/nl', "Privacybeleid"), ('/en', "Privacy policy")]:
            html = self.get(prefix + '/legal/privacy').get_data(as_text=True)
            self.assertIn('<h1>%s</h1>' % title, html)
        for name in ('terms', 'cookies'):
            self.get('/nl/legal/' + name)
        self.get('/legal/other', status=404)

    def test_delivery_page(self):
        """Delivery and returns: a public page in three languages, like the
        legal ones; without Sendcloud (not configured here) it offers click
        & collect and says home delivery is not available"""
        for lang, path, title in [('fr', '/delivery', "Livraison et retours"),
                ('nl', '/nl/delivery', "Levering en retour"),
                ('en', '/en/delivery', "Delivery and returns")]:
            response = self.get(path)
            html = response.get_data(as_text=True)
            self.assert_seo(html, lang, path)
            self.assertIn('<h1>%s</h1>' % title, html)
            self.assertIn('id="click-collect"', html)
            self.assertIn('id="returns"', html)
            self.assertIn('public', response.headers['Cache-Control'])
        self.assertIn("No home delivery to this country right now.", html)

    def test_one_company_number_everywhere(self):
        """The seller is named as the back office holds the company: its
        enterprise number (a valid one) on every page's footer and in the
        terms, the privacy page and the structured data"""
        from stdnum.be import vat
        with Transaction().start(DB_NAME, 0, readonly=True):
            Company = Pool().get('company.company')
            company, = Company.search([], limit=1)
            party = company.party
            code, = [i.code for i in party.identifiers
                if i.type == 'eu_vat']
            name = party.name
        self.assertTrue(vat.is_valid(code))
        digits = vat.compact(code)
        written = 'BE %s.%s.%s' % (digits[:4], digits[4:7], digits[7:])
        for path in ('/', '/nl/legal/terms', '/en/legal/privacy',
                self.urls['fr']['product']):
            html = self.get(path).get_data(as_text=True)
            footer = html[html.index('<footer'):]
            self.assertIn(written, footer, path)
            self.assertIn(name, footer, path)
            # no other enterprise number anywhere on the page
            self.assertEqual(set(re.findall(
                        r'BE ?0\d{3}[. ]?\d{3}[. ]?\d{3}', html)), {written},
                path)
        terms = self.get('/legal/terms').get_data(as_text=True)
        main = terms[:terms.index('<footer')]
        self.assertIn(written, main)
        organization = json_ld(self.get('/').get_data(as_text=True))[
            'Organization']
        self.assertEqual(organization['vatID'], written)

    def test_sitemap_and_robots(self):
        robots = self.get('/robots.txt').get_data(as_text=True)
        self.assertIn('Sitemap: %s/sitemap.xml' % SITE, robots)
        self.assertIn('Disallow: /admin/', robots)
        response = self.get('/sitemap.xml')
        self.assertTrue(response.content_type.startswith('application/xml'))
        root = ET.fromstring(response.data)
        ns = {'s': 'http://www.sitemaps.org/schemas/sitemap/0.9',
            'x': 'http://www.w3.org/1999/xhtml'}
        locs = [u.find('s:loc', ns).text for u in root.findall('s:url', ns)]
        for lang in ('fr', 'nl', 'en'):
            self.assertIn(SITE + self.urls[lang]['product'], locs)
            self.assertIn(SITE + self.urls[lang]['universe'], locs)
        for path in ('/', '/nl/', '/en/', '/shops/bxl', '/nl/shops/bxl',
                '/en/legal/terms', '/delivery', '/nl/delivery'):
            self.assertIn(SITE + path, locs)
        self.assertEqual(len(locs), len(set(locs)))
        first = root.find('s:url', ns)
        self.assertEqual(len(first.findall('x:link', ns)), 4)
        with Transaction().start(DB_NAME, 0, readonly=True):
            Template = Pool().get('product.template')
            published = Template.search(Template.published_in('web')
                + [('salable', '=', True)], count=True)
        self.assertEqual(
            sum('/products/' in l for l in locs), 3 * published)

    def test_caching(self):
        response = self.get('/en/')
        self.assertIn('max-age=', response.headers['Cache-Control'])
        etag = response.headers['ETag']
        again = self.get('/en/', status=304,
            headers={'If-None-Match': etag})
        self.assertEqual(again.data, b'')
        html = response.get_data(as_text=True)
        image = re.search(r'src="(/media/\d+/card\.webp\?v=\w+)"', html)[1]
        picture = self.get(image)
        self.assertEqual(picture.content_type, 'image/webp')
        self.assertEqual(picture.data[8:12], b'WEBP')
        self.assertIn('max-age=31536000', picture.headers['Cache-Control'])
        self.get(image, status=304,
            headers={'If-None-Match': picture.headers['ETag']})
        asset = re.search(r'src="(/assets/logo\.svg\?v=\w+)"', html)[1]
        self.assertIn('immutable', self.get(asset).headers['Cache-Control'])
        self.get('/assets/..%2Fsettings.py', status=404)
        self.get('/media/999999/card.webp', status=404)

    def scans(self, code):
        with Transaction().start(DB_NAME, 0, readonly=True):
            Scan = Pool().get('urban.loyalty.qr_scan')
            return Scan.search([('shop.shop_code', '=', code)], count=True)

    def test_app_landing_records_scan(self):
        before = self.scans('ANT')
        response = self.get('/app?shop=ant',
            headers={'Accept-Language': 'nl-BE,nl;q=0.9,en;q=0.5'})
        html = response.get_data(as_text=True)
        self.assertEqual(self.scans('ANT'), before + 1)
        self.assertIn('<html lang="nl">', html)
        self.assertIn('WELCOME-ANT', html)
        self.assertIn('Antwerpen', html)
        self.assertIn('apps.apple.com', html)
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        self.assertIn('noindex', html)

        html = self.get('/en/app?shop=BXL').get_data(as_text=True)
        self.assertIn('WELCOME-BXL', html)
        self.assertIn('Thanks for scanning', html)

        html = self.get('/app?shop=nope', status=404).get_data(as_text=True)
        self.assertIn('play.google.com', html)
        self.assertNotIn('WELCOME', html)
        html = self.get('/app').get_data(as_text=True)
        self.assertIn('<html lang="fr">', html)
        self.assertNotIn('WELCOME', html)

    def consents(self, email):
        with Transaction().start(DB_NAME, 0, readonly=True):
            Consent = Pool().get('urban.loyalty.newsletter_consent')
            return [(c.language, c.channel, c.wording, c.party.name)
                for c in Consent.search([('email', '=', email)])]

    def test_newsletter_sign_up(self):
        "Double opt-in: the consent is recorded by the e-mailed link"
        smtp = FakeSMTP()
        with mock.patch('trytond.sendmail.get_smtp_server',
                return_value=smtp):
            response = self.client().post('/nl/newsletter',
                data={'email': 'lotte@example.be', 'consent': 'yes'})
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers['Location'].endswith(
                '/nl/?subscribed=1#newsletter'))
        self.assertEqual(self.consents('lotte@example.be'), [])
        html = self.get('/nl/?subscribed=1').get_data(as_text=True)
        self.assertIn('Bijna klaar', html)
        (subject, text), = smtp.texts('lotte@example.be')
        self.assertIn('nieuwsbrief', subject)
        link = re.search(r'(%s/nl/newsletter/confirm\?token=[\w-]+)' % SITE,
            text).group(1)
        # the link shows a button (mail scanners follow links); its POST
        # records the consent
        html = self.get(link[len(SITE):]).get_data(as_text=True)
        token = re.search(r'name="token" value="([\w-]+)"', html).group(1)
        self.assertEqual(self.consents('lotte@example.be'), [])
        response = self.client().post('/nl/newsletter/confirm',
            data={'token': token})
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers['Location'].endswith(
                '/nl/?confirmed=1#newsletter'))
        (consent,) = self.consents('lotte@example.be')
        self.assertEqual(consent[:2], ('nl', 'web'))
        self.assertIn('nieuwsbrief', consent[2])
        html = self.get('/nl/?confirmed=1').get_data(as_text=True)
        self.assertIn('Bedankt!', html)
        again = self.client().post('/nl/newsletter/confirm',
            data={'token': token})
        self.assertEqual(again.status_code, 400)
        self.assertIn('ongeldig', again.get_data(as_text=True))

        response = self.client().post('/newsletter',
            data={'email': 'noconsent@example.be'})
        self.assertEqual(response.status_code, 400)
        self.assertIn('Cochez la case', response.get_data(as_text=True))
        self.assertEqual(self.consents('noconsent@example.be'), [])
        response = self.client().post('/en/newsletter',
            data={'email': 'nope', 'consent': 'yes'})
        self.assertEqual(response.status_code, 400)
        self.assertIn('Please enter a valid e-mail',
            response.get_data(as_text=True))

    def test_health_and_admin_untouched(self):
        self.assertEqual(json.loads(self.get('/health').data)['status'], 'ok')
        self.assertIn(b'sao', self.get('/admin/').data.lower())
