"""The web shop built into the site, over HTTP (the whole server on a local
port, a cookie-keeping HTTP client) on the demo data, with localstripe as
Stripe: add to cart from the product page, the cart page (variant names,
quantities, case-insensitive codes), the guest checkout click & collect
(the order belongs to the party of the e-mail address; the terms must be
accepted) or home delivery (a fake Sendcloud's methods and relay points),
the payment confirmed by Stripe's webhook, the order page only its buyer
can open, and the page "Delivery and returns"."""
import re
import time
import uuid
from decimal import Decimal
from unittest import mock

import requests

from trytond.config import config
from trytond.pool import Pool

from urban_website import legal, settings

from .api_support import FakeSMTP
from .fakes.harness import WEBHOOK_SECRET, ApiTestCase, committed, set_config
from .test_api_cart import create_coupon
from .test_api_checkout import pay
from .website_server import LocalServer
from urbantherapy.emulators.localstripe import LocalStripe
from urbantherapy.emulators.sendcloud import FakeSendcloud

PHONE = '0470 12 34 56'
GENT = {'mode': 'delivery', 'street': 'Veldstraat 1', 'postal_code': '9000',
    'city': 'Gent', 'country': 'BE'}
SENDCLOUD_OPTIONS = ('sendcloud_api_url', 'sendcloud_servicepoints_url',
    'sendcloud_public_key', 'sendcloud_secret_key')


def csrf_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def order_token(url):
    return url.rstrip('/').rsplit('/order/', 1)[1].split('?')[0]


def total_of(html):
    "The total the checkout page shows (English)"
    return Decimal(re.search(r'id="total">€([\d,]+\.\d\d)<', html).group(1)
        .replace(',', ''))


class WebsiteShopTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smtp = FakeSMTP()
        cls._patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._patch.start()
        cls.stripe = LocalStripe().start()
        cls.sendcloud = FakeSendcloud().start()
        set_config(sendcloud_api_url=cls.sendcloud.url + '/api/v2',
            sendcloud_servicepoints_url=cls.sendcloud.url + '/api/v2',
            sendcloud_public_key='pub_fake', sendcloud_secret_key='sec_fake')
        set_config(stripe_api_base=cls.stripe.url,
            stripe_publishable_key='pk_test_local',
            stripe_js_url=cls.stripe.url + '/js.stripe.com/v3/')
        cls.server = LocalServer().__enter__()
        config.set('urban', 'site_url', cls.server.url)
        cls.stripe.register_webhook('urban', cls.server.url
            + '/webhooks/stripe', WEBHOOK_SECRET)

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.stripe.stop()
        cls.sendcloud.stop()
        cls._patch.stop()
        for option in ('stripe_publishable_key', 'stripe_js_url',
                'stripe_api_base') + SENDCLOUD_OPTIONS:
            config._config.remove_option('urban', option)
        config._cache_clear()
        config.set('urban', 'site_url', settings.DEFAULTS['site_url'])
        super().tearDownClass()

    # -- helpers ------------------------------------------------------------

    def visitor(self):
        return requests.Session()

    def url(self, path):
        return self.server.url + path

    def add(self, visitor, product, quantity=1, status=303):
        "Add to cart from the product page's form (same origin)"
        response = visitor.post(self.url('/en/cart/add'), data={
                'product': str(product), 'quantity': str(quantity)},
            headers={'Origin': self.server.url}, allow_redirects=False)
        self.assertEqual(response.status_code, status, response.text[-800:])
        return response

    def cart(self, visitor):
        response = visitor.get(self.url('/en/cart'))
        self.assertEqual(response.status_code, 200)
        return response.text

    def checkout(self, visitor, buyer, pickup, status=303, path='/en/checkout',
            **values):
        page = visitor.get(self.url(path))
        self.assertEqual(page.status_code, 200, page.text[-800:])
        data = {'csrf_token': csrf_of(page.text), 'email': buyer,
            'name': "Guest Buyer", 'phone': PHONE, 'shop': pickup,
            'terms': 'yes'}
        data.update(values)
        data = {k: v for k, v in data.items() if v is not None}
        response = visitor.post(self.url(path), data=data,
            allow_redirects=False)
        self.assertEqual(response.status_code, status, response.text[-1500:])
        return response

    def order_of(self, token):
        "Facts of the order of a page token"
        from urban_checkout import shipping
        from urban_checkout.sale import token_hash

        def read():
            Sale = Pool().get('sale.sale')
            sale, = Sale.search([('api_order_token', '=', token_hash(token))])
            emails = [c.value for c in sale.party.contact_mechanisms
                if c.type == 'email']
            return {'id': sale.id, 'state': sale.state, 'party':
                sale.party.id, 'emails': emails,
                'guest': sale.party == sale.web_shop.guest_party,
                'shop': sale.warehouse.shop_code,
                'click_collect': sale.click_collect,
                'terms': sale.terms_version, 'number': sale.number,
                'coupons': [n.number for n in sale.coupons],
                'mode': sale.api_mode, 'total': sale.total_amount,
                'address': (sale.shipment_address.street,
                    sale.shipment_address.postal_code,
                    sale.shipment_address.city,
                    sale.shipment_address.country.code
                    if sale.shipment_address.country else None),
                'service_point': sale.api_service_point,
                'delivery': [(l.description, shipping.taxed_amount(l))
                    for l in sale.lines if l.api_delivery],
                'reserved': len(Pool().get('urban.stock.reservation').search(
                        [('origin', '=', str(sale)),
                            ('state', '=', 'reserved')]))}
        return committed(read)

    def names(self, product):
        "(name, variant label, code) of a product in English"
        from urban_checkout.cart import line_products

        def read():
            data = line_products([product])[product]
            code = Pool().get('product.product')(product).code
            return data['name'], data['variant_label'], code
        return committed(read, context={'language': 'en'})

    def wait_for(self, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.3)
        self.fail("timed out waiting")

    # -- tests --------------------------------------------------------------

    def test_add_to_cart(self):
        """The product page's form adds the chosen variant; the cart shows
        its name and colour in the reader's language, never the code; the
        header counts the articles; quantities change and lines go"""
        product, template, _ = self.variant_in_stock(minimum=3)
        name, variant, code = self.names(product)
        self.assertTrue(variant)
        slug = committed(lambda: Pool().get('product.template')(
                template).slug, context={'language': 'en'})
        visitor = self.visitor()
        # the variant's swatch chosen
        page = visitor.get(self.url('/en/products/%s?variant=%s' % (
                    slug, code)))
        self.assertEqual(page.status_code, 200)
        self.assertIn('action="/en/cart/add"', page.text)
        self.assertIn('value="%s"' % product, page.text)
        self.assertIn(variant, page.text)

        # a form posted from another site is refused
        refused = visitor.post(self.url('/en/cart/add'), data={
                'product': str(product), 'quantity': '1'},
            headers={'Origin': 'https://evil.example'},
            allow_redirects=False)
        self.assertEqual(refused.status_code, 403)
        self.assertNotIn('ut_cart', visitor.cookies)

        response = self.add(visitor, product, 2)
        self.assertTrue(response.headers['Location'].endswith(
                '/en/cart?added=1'))
        cookie = response.headers['Set-Cookie']
        self.assertIn('ut_cart=', cookie)
        self.assertIn('HttpOnly', cookie)
        self.assertIn('SameSite=Lax', cookie)
        html = self.cart(visitor)
        self.assertIn(name, html)
        self.assertIn(variant, html)
        self.assertNotIn(code, html)
        self.assertIn('id="cart-count">2<', html)
        self.assertRegex(html, r'id="total"><strong>€\d+\.\d\d</strong>')
        french = visitor.get(self.url('/cart')).text
        self.assertRegex(french, r'id="total"><strong>\d+,\d\d €</strong>')
        # the public pages seen with a cart are the visitor's own
        home = visitor.get(self.url('/en/'))
        self.assertEqual(home.headers['Cache-Control'], 'no-store')

        line = re.search(r'name="qty-(\d+)"', html).group(1)
        token = csrf_of(html)
        changed = visitor.post(self.url('/en/cart/lines'), data={
                'csrf_token': token, 'qty-%s' % line: '3'},
            allow_redirects=False)
        self.assertEqual(changed.status_code, 303)
        self.assertIn('id="cart-count">3<', self.cart(visitor))
        bad = visitor.post(self.url('/en/cart/lines'), data={
                'csrf_token': token, 'qty-%s' % line: 'many'})
        self.assertEqual(bad.status_code, 400)
        self.assertIn('whole numbers', bad.text)
        forged = visitor.post(self.url('/en/cart/lines'), data={
                'qty-%s' % line: '1'})
        self.assertEqual(forged.status_code, 403)
        removed = visitor.post(self.url('/en/cart/lines'), data={
                'csrf_token': token, 'remove': line}, allow_redirects=False)
        self.assertEqual(removed.status_code, 303)
        self.assertIn('id="cart-empty"', self.cart(visitor))

        unknown = visitor.post(self.url('/en/cart/add'), data={
                'product': '999999999', 'quantity': '1'},
            headers={'Origin': self.server.url})
        self.assertEqual(unknown.status_code, 404)
        self.assertIn('cannot be bought online', unknown.text)

    def test_complete_the_look(self):
        "The cart proposes other products than those in it"
        product, _, _ = self.in_stock(minimum=2)
        visitor = self.visitor()
        self.add(visitor, product)
        html = self.cart(visitor)
        section = html.split('id="complete"')[1].split('</ul>')[0]
        links = re.findall(r'href="(/en/products/[^"]+)"', section)
        self.assertEqual(len(links), 4, section)
        name, _, _ = self.names(product)
        self.assertNotIn(name, section)

    def test_coupon_any_case(self):
        "A code typed in any case applies once; an unknown one is refused"
        product, _, _ = self.in_stock()
        committed(lambda: create_coupon('SITE-TEN'))
        visitor = self.visitor()
        self.add(visitor, product)
        token = csrf_of(self.cart(visitor))
        for typed in ['site-ten', ' Site-Ten ']:
            response = visitor.post(self.url('/en/cart/coupon'), data={
                    'csrf_token': token, 'code': typed},
                allow_redirects=False)
            self.assertEqual(response.status_code, 303)
        html = self.cart(visitor)
        self.assertEqual(html.count('Code SITE-TEN applied'), 1)
        self.assertIn('id="discount"', html)
        unknown = visitor.post(self.url('/en/cart/coupon'), data={
                'csrf_token': token, 'code': 'SITE%'})
        self.assertEqual(unknown.status_code, 404)
        self.assertIn('Unknown or expired code.', unknown.text)
        removed = visitor.post(self.url('/en/cart/coupon'), data={
                'csrf_token': token, 'remove': 'site-ten'},
            allow_redirects=False)
        self.assertEqual(removed.status_code, 303)
        self.assertNotIn('applied', self.cart(visitor))

    def test_guest_click_collect(self):
        """A guest orders for click & collect: the order belongs to the
        party of its e-mail address (found again in any case), holds its
        goods in the shop, keeps the accepted terms; Stripe's webhook
        confirms it after the payment; its page shows it to its buyer"""
        product, shop, _ = self.in_stock(minimum=6)
        email = 'guest-%s@example.com' % uuid.uuid4().hex[:10]
        visitor = self.visitor()
        self.add(visitor, product)
        response = self.checkout(visitor, email, shop)
        location = response.headers['Location']
        self.assertRegex(location, r'^/en/order/[A-Za-z0-9_-]{40,}$')
        token = order_token(location)
        facts = self.order_of(token)
        self.assertEqual(facts['state'], 'quotation')
        self.assertEqual(facts['emails'], [email])
        self.assertFalse(facts['guest'])
        self.assertTrue(facts['click_collect'])
        self.assertEqual(facts['shop'], shop)
        self.assertEqual(facts['terms'], legal.terms_version())
        self.assertGreater(facts['reserved'], 0)
        # the cart is gone with its cookie
        self.assertIn('id="cart-empty"', self.cart(visitor))

        page = visitor.get(self.url(location))
        self.assertEqual(page.status_code, 200)
        self.assertIn(facts['number'], page.text)
        self.assertIn('Awaiting payment', page.text)
        self.assertIn('data-secret="pi_', page.text)
        self.assertIn(self.stripe.url, page.headers[
                'Content-Security-Policy'])

        self.assertEqual(pay(self.payment_reference(facts['id'])).status,
            'succeeded')
        self.wait_for(lambda: self.order_of(token)['state'] in {
                'confirmed', 'processing'})
        page = visitor.get(self.url(location))
        self.assertIn('id="status">Confirmed<', page.text)
        # the guest's confirmation, in the language of the pages it used
        mails = self.wait_for(lambda: self.smtp.texts(email))
        self.assertTrue(any(facts['number'] in subject
                for subject, _ in mails), mails)
        self.assertIn('id="pickup"', page.text)

        # the same buyer again, typed in capitals: the same customer
        again = self.visitor()
        self.add(again, product)
        second = self.checkout(again, email.upper(), shop)
        self.assertEqual(self.order_of(order_token(
                    second.headers['Location']))['party'], facts['party'])

    def test_checkout_refusals(self):
        """Terms unchecked, a bad phone, a bad e-mail, a forged form: 4xx
        with the reason in the page, nothing written"""
        product, shop, _ = self.in_stock(minimum=3)
        email = 'refused-%s@example.com' % uuid.uuid4().hex[:10]
        visitor = self.visitor()
        self.add(visitor, product)
        for values, status, text in [
                ({'terms': None}, 422, "Please accept the terms of sale."),
                ({'phone': '12'}, 422, "valid phone number"),
                ({'email': 'nobody'}, 422, "valid e-mail address"),
                ({'shop': 'NOPE'}, 422, "Choose the shop"),
                ({'csrf_token': 'forged' * 8}, 403, "The form expired"),
                ]:
            response = self.checkout(visitor, email, shop, status=status,
                **values)
            self.assertIn(text, response.text)
            self.assertNotIn('Traceback', response.text)

        def parties():
            Contact = Pool().get('party.contact_mechanism')
            return Contact.search([('value', '=', email)])
        self.assertEqual(committed(parties), [])
        self.assertNotIn('id="cart-empty"', self.cart(visitor))

    def test_checkout_throttled(self):
        """A client that places orders by the dozen is stopped (each one
        holds stock and starts a payment): 429 with Retry-After, nothing
        written"""
        def forget():
            Throttle = Pool().get('urban.throttle')
            Throttle.delete(Throttle.search([('scope', '=', 'checkout')]))
        committed(forget)
        set_config(checkout_throttle='2/3600')
        try:
            product, shop, _ = self.in_stock(minimum=8)
            for _ in range(2):
                visitor = self.visitor()
                self.add(visitor, product)
                self.checkout(visitor,
                    'buyer-%s@example.com' % uuid.uuid4().hex[:10], shop)
            email = 'third-%s@example.com' % uuid.uuid4().hex[:10]
            visitor = self.visitor()
            self.add(visitor, product)
            response = self.checkout(visitor, email, shop, status=429)
            self.assertGreater(int(response.headers['Retry-After']), 0)
            self.assertIn("Too many attempts", response.text)

            def parties():
                Contact = Pool().get('party.contact_mechanism')
                return Contact.search([('value', '=', email)])
            self.assertEqual(committed(parties), [])
            # the cart is kept for later
            self.assertNotIn('id="cart-empty"', self.cart(visitor))
        finally:
            config._config.remove_option('urban', 'checkout_throttle')
            config._cache_clear()
            committed(forget)

    def test_welcome_code_for_each_guest(self):
        """A shop's welcome code (first order, once per customer) serves
        every guest: each guest is its own customer; the same customer
        cannot use it twice"""
        def welcome():
            Location = Pool().get('stock.location')
            shops = [s for s in Location.search([
                        ('type', '=', 'warehouse'),
                        ('pickup_enabled', '=', True)])
                if s.get_first_order_number()]
            return shops[0].shop_code, shops[0].get_first_order_number()
        shop, code = committed(welcome)
        product, _, _ = self.in_stock(shop_code=shop, minimum=6)
        first = 'first-%s@example.com' % uuid.uuid4().hex[:10]
        for email in [first, 'second-%s@example.com' % uuid.uuid4().hex[:10]]:
            visitor = self.visitor()
            self.add(visitor, product)
            response = visitor.post(self.url('/en/cart/coupon'), data={
                    'csrf_token': csrf_of(self.cart(visitor)),
                    'code': code.lower()}, allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            placed = self.checkout(visitor, email, shop)
            facts = self.order_of(order_token(placed.headers['Location']))
            self.assertEqual(facts['coupons'], [code])
        visitor = self.visitor()
        self.add(visitor, product)
        visitor.post(self.url('/en/cart/coupon'), data={
                'csrf_token': csrf_of(self.cart(visitor)), 'code': code})
        refused = self.checkout(visitor, first, shop, status=409)
        self.assertIn(code, refused.text)

    def test_order_page_private(self):
        """Another visitor cannot open an order: not by its id, not by a
        made-up token"""
        product, shop, _ = self.in_stock(minimum=3)
        visitor = self.visitor()
        self.add(visitor, product)
        location = self.checkout(visitor,
            'private-%s@example.com' % uuid.uuid4().hex[:10],
            shop).headers['Location']
        facts = self.order_of(order_token(location))
        other = self.visitor()
        for path in ['/en/order/%s' % facts['id'],
                '/en/order/%s' % ('A' * 43),
                location[:-2] + ('xy' if not location.endswith('xy')
                    else 'zz')]:
            response = other.get(self.url(path))
            self.assertEqual(response.status_code, 404, path)
            self.assertNotIn(facts['number'], response.text)

    def delivery_form(self, visitor, path='/en/checkout', **values):
        "The checkout page after 'show the delivery options' for values"
        page = visitor.get(self.url(path))
        data = dict(GENT, csrf_token=csrf_of(page.text), refresh='1')
        data.update(values)
        response = visitor.post(self.url(path), data=data)
        self.assertEqual(response.status_code, 200, response.text[-1500:])
        return response.text

    def sales(self):
        return committed(lambda: Pool().get('sale.sale').search([],
                count=True))

    def test_guest_home_delivery(self):
        """A guest orders for home delivery: the form offers the methods to
        the typed country with their price and the total each gives; the
        order has the address, the method's line and a total with it; its
        page shows where it goes"""
        product, _, _ = self.in_stock(minimum=3)
        email = 'home-%s@example.com' % uuid.uuid4().hex[:10]
        visitor = self.visitor()
        self.add(visitor, product)
        page = visitor.get(self.url('/en/checkout')).text
        goods = total_of(page)
        self.assertIn('bpost @home', page)
        self.assertIn('€5.95', page)
        self.assertIn('Total with this delivery: €%s' % (goods
                + Decimal('5.95')), page)
        self.assertIn('href="/en/delivery"', page)

        # another country: its own methods and prices
        dutch = self.delivery_form(visitor, street='Damrak 1',
            postal_code='1012 LG', city='Amsterdam', country='NL')
        self.assertIn('€8.95', dutch)
        self.assertNotIn('DHL Parcel', dutch)
        # a method chosen: the total includes it before the payment
        chosen = self.delivery_form(visitor, method='1001')
        self.assertIn('id="delivery-cost"', chosen)
        self.assertEqual(total_of(chosen), goods + Decimal('5.95'))
        self.assertIn('value="Veldstraat 1"', chosen)

        response = self.checkout(visitor, email, None, method='1001', **GENT)
        token = order_token(response.headers['Location'])
        facts = self.order_of(token)
        self.assertEqual(facts['mode'], 'delivery')
        self.assertFalse(facts['click_collect'])
        self.assertEqual(facts['address'],
            ('Veldstraat 1', '9000', 'Gent', 'BE'))
        (method, price), = facts['delivery']
        self.assertEqual(method, 'bpost @home')
        self.assertLessEqual(abs(price - Decimal('5.95')), Decimal('0.01'))
        self.assertEqual(facts['total'], goods + Decimal('5.95'))
        self.assertEqual(facts['emails'], [email])
        self.assertGreater(facts['reserved'], 0)
        page = visitor.get(self.url(response.headers['Location'])).text
        self.assertIn('id="delivery"', page)
        self.assertIn('Veldstraat 1, 9000 Gent', page)
        self.assertNotIn('id="pickup"', page)
        self.assertIn('data-secret="pi_', page)
        self.assertIn('Pay €%s' % facts['total'], page)

    def test_relay_point_delivery(self):
        """A relay point method: the points near the typed postal code are
        offered; the order keeps the chosen point"""
        product, _, _ = self.in_stock(minimum=3)
        visitor = self.visitor()
        self.add(visitor, product)
        before = self.delivery_form(visitor)
        self.assertNotIn('Librairie du Centre', self.delivery_form(visitor,
                postal_code=''))
        self.assertIn('Librairie du Centre', before)
        self.assertIn('name="service_point" value="501"', before)
        goods = total_of(before)
        response = self.checkout(visitor,
            'relay-%s@example.com' % uuid.uuid4().hex[:10], None,
            method='1003', service_point='501', **GENT)
        facts = self.order_of(order_token(response.headers['Location']))
        self.assertEqual(facts['service_point'], '501')
        (method, price), = facts['delivery']
        self.assertEqual(method, 'Mondial Relay Point Relais')
        # the order's VAT is rounded on its whole amount: the line's own
        # VAT-included amount may differ by a cent, never the total paid
        self.assertLessEqual(abs(price - Decimal('3.90')), Decimal('0.01'))
        self.assertEqual(facts['total'], goods + Decimal('3.90'))
        page = visitor.get(self.url(response.headers['Location'])).text
        self.assertIn('Librairie du Centre, Veldstraat 12, 9000 Gent', page)

    def test_delivery_refusals(self):
        """A missing address, an unknown method, a relay method without a
        point or with a point that is not its own, a country we do not
        serve, a bad postal code: 4xx with the reason in the page's
        language, the typed address kept, and no sale written"""
        product, _, _ = self.in_stock(minimum=3)
        email = 'nodelivery-%s@example.com' % uuid.uuid4().hex[:10]
        visitor = self.visitor()
        self.add(visitor, product)
        sales = self.sales()
        for path, values, status, text in [
                ('/en/checkout', {'street': ''}, 422,
                    "Please enter your delivery address"),
                ('/checkout', {'city': ''}, 422,
                    "Veuillez entrer votre adresse de livraison"),
                ('/en/checkout', {'method': '999'}, 422,
                    "Choose one of the delivery methods"),
                # DHL does not go to the Netherlands
                ('/en/checkout', {'method': '1002', 'country': 'NL',
                        'postal_code': '1012 LG'}, 422,
                    "Choose one of the delivery methods"),
                ('/en/checkout', {'method': '1003'}, 422,
                    "Choose a relay point"),
                ('/nl/checkout', {'method': '1003'}, 422,
                    "Kies een afhaalpunt"),
                ('/en/checkout', {'method': '1003', 'service_point': '999'},
                    422, "This relay point is not one of"),
                # a bpost point for Mondial Relay
                ('/en/checkout', {'method': '1003', 'service_point': '502'},
                    422, "This relay point is not one of"),
                ('/en/checkout', {'country': 'DE', 'postal_code': '10115'},
                    422, "We deliver only to these countries: Belgium"),
                ('/nl/checkout', {'country': 'DE', 'postal_code': '10115'},
                    422, "We leveren alleen in deze landen: België"),
                ('/en/checkout', {'postal_code': '90000'}, 422,
                    "valid postal code"),
                ('/en/checkout', {'mode': 'drone'}, 422,
                    "Choose click &amp; collect or home delivery."),
                ('/en/checkout', {'csrf_token': 'forged' * 8}, 403,
                    "The form expired"),
                ]:
            response = self.checkout(visitor, email, None, status=status,
                path=path, **{**GENT, 'method': '1001', **values})
            self.assertIn(text, response.text, (path, values))
            self.assertNotIn('Traceback', response.text)
            if values.get('street') != '':
                self.assertIn('value="Veldstraat 1"', response.text)
        self.assertEqual(self.sales(), sales)

        def parties():
            Contact = Pool().get('party.contact_mechanism')
            return Contact.search([('value', '=', email)])
        self.assertEqual(committed(parties), [])
        self.assertNotIn('id="cart-empty"', self.cart(visitor))

    def test_delivery_page(self):
        """The page "Delivery and returns" in three languages: the methods
        to each country with their price and delivery time (Sendcloud's),
        click & collect, the returns rule; the footer leads to it"""
        for path, title, prices, days, returns in [
                ('/delivery', "Livraison et retours",
                    ['5,95 €', '8,95 €', '3,90 €', '12,95 €'],
                    "jour ouvrable suivant", "quatorze jours"),
                ('/nl/delivery', "Levering en retour",
                    ['5,95 €', '8,95 €', '3,90 €', '12,95 €'],
                    "volgende werkdag", "veertien dagen"),
                ('/en/delivery', "Delivery and returns",
                    ['€5.95', '€8.95', '€3.90', '€12.95'],
                    "next working day", "fourteen days")]:
            response = self.visitor().get(self.url(path))
            self.assertEqual(response.status_code, 200, path)
            html = response.text
            self.assertIn('<h1>%s</h1>' % title, html)
            for price in prices:
                self.assertIn(price, html, path)
            self.assertIn('Mondial Relay Point Relais', html)
            self.assertIn(days, html)
            self.assertIn(returns, html)
            self.assertIn('id="click-collect"', html)
            self.assertIn('/shops/bxl"', html)
            # the footer of every page leads to it
            footer = html[html.index('<footer'):]
            self.assertIn('href="%s"' % path, footer)
