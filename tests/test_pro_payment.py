"""Pro orders paid by card (Stripe) in the pro portal, over HTTP, with
localstripe as Stripe: the portal starts a PaymentIntent of the order's
total incl. VAT and shows Stripe's Payment Element; localstripe confirms
the payment (as the bank does) and sends its signed webhook to the whole
server on a local port, which confirms the order; a declined card cancels
the order and releases its goods; another pro cannot see nor pay it.

Stripe's Payment Element itself cannot be driven in a browser against
localstripe (its Stripe.js has no confirmPayment), so the payment is
confirmed through the Stripe SDK, as test_api_checkout does for the app."""
import re
import time
from unittest import mock

import stripe

from trytond.config import config
from trytond.pool import Pool

from urban_website import settings

from .api_support import FakeSMTP
from .fakes.harness import WEBHOOK_SECRET, ApiTestCase, committed, set_config
from urbantherapy.emulators.localstripe import LocalStripe
from .test_api_checkout import event, pay, signed
from .test_pro_portal import csrf_of, pro_articles_in_stock
from .website_server import LocalServer

KEY = 'sk_test_local'
SITE = 'https://www.urbantherapy.test'
BUYER = 'gifts@kantoorco.be'
OTHER = 'hello@ateliernord.be'


class ProCardPaymentTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        config.set('urban', 'site_url', SITE)
        cls.smtp = FakeSMTP()
        cls._patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._patch.start()
        cls.stripe = LocalStripe().start()
        set_config(stripe_api_base=cls.stripe.url,
            stripe_publishable_key='pk_test_local',
            stripe_js_url=cls.stripe.url + '/js.stripe.com/v3/')
        cls.server = LocalServer().__enter__()
        cls.stripe.register_webhook('urban', cls.server.url
            + '/webhooks/stripe', WEBHOOK_SECRET)

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        cls.stripe.stop()
        cls._patch.stop()
        for option in ('stripe_publishable_key', 'stripe_js_url',
                'stripe_api_base'):
            config._config.remove_option('urban', option)
        config._cache_clear()
        config.set('urban', 'site_url', settings.DEFAULTS['site_url'])
        super().tearDownClass()

    # -- helpers ------------------------------------------------------------

    def login(self, email):
        client = self.client()
        home = client.get('/en/pro/')
        response = client.post('/en/pro/login', data={
                'csrf_token': csrf_of(home), 'email': email,
                'password': 'urban-demo'})
        self.assertEqual(response.status_code, 303, response.data[-500:])
        return client

    def fill_cart(self, client):
        """Order above the minimum amount of articles in stock in the
        online warehouse; returns ({product id: quantity}, warehouse id,
        csrf token)"""
        def articles():
            central, chosen = pro_articles_in_stock()
            return central.id, [(p.id, p.code,
                    int(p.template.minimum_quantity or 1) + 2)
                for p in chosen]
        warehouse, rows = committed(articles)
        cart = client.get('/en/pro/cart')
        token = csrf_of(cart)
        # start from an empty cart (an earlier test may have left one)
        lines = re.findall(r'name="(qty-\d+)"', cart.get_data(as_text=True))
        if lines:
            response = client.post('/en/pro/cart', data=dict(
                    {name: '0' for name in lines}, csrf_token=token))
            self.assertEqual(response.status_code, 303)
        response = client.post('/en/pro/quick-order', data={
                'csrf_token': token, 'lines': '\n'.join(
                    '%s %s' % (code, quantity) for _, code, quantity in rows)})
        self.assertEqual(response.status_code, 303, response.data[-800:])
        return {p: q for p, _, q in rows}, warehouse, token

    def available(self, products, warehouse):
        from urban_stock import availability

        def read():
            result = availability.for_products(list(products), [warehouse])
            return {p: result[(p, warehouse)] for p in products}
        return committed(read)

    def sale_facts(self, order_id):
        def read():
            pool = Pool()
            Sale = pool.get('sale.sale')
            Reservation = pool.get('urban.stock.reservation')
            sale = Sale(order_id)
            return {
                'state': sale.state,
                'payment': sale.b2b_payment,
                'total': sale.total_amount,
                'payments': [(p.reference, p.state, p.amount)
                    for p in sale.api_payments],
                'reserved': sorted((r.product.id, r.quantity, r.kind)
                    for r in Reservation.search([
                            ('origin', '=', str(sale)),
                            ('state', '=', 'reserved')])),
                }
        return committed(read)

    def confirmations(self, order_id):
        "Texts of the order confirmations e-mailed to the buyer"
        number = committed(lambda: Pool().get('sale.sale')(order_id).number)
        return [text for subject, text in self.smtp.texts(BUYER)
            if number in subject]

    def wait_for(self, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.3)
        self.fail("timed out waiting")

    def status_of(self, client, order_id):
        page = client.get('/en/pro/orders/%s' % order_id)
        self.assertEqual(page.status_code, 200)
        return re.search(r'id="status">([^<]*)<',
            page.get_data(as_text=True)).group(1)

    def place_by_card(self, client, token):
        response = client.post('/en/pro/checkout', data={
                'csrf_token': token, 'delivery': 'delivery',
                'payment': 'card'})
        self.assertEqual(response.status_code, 303, re.findall(
                r'class="pro-error"[^>]*>(.*?)</(?:p|div)>',
                response.get_data(as_text=True), re.S))
        location = response.headers['Location']
        match = re.fullmatch(r'(?:https?://[^/]+)?/en/pro/orders/(\d+)/pay',
            location)
        self.assertTrue(match, location)
        return int(match.group(1)), location

    # -- tests --------------------------------------------------------------

    def test_pay_by_card(self):
        client = self.login(BUYER)
        quantities, warehouse, token = self.fill_cart(client)
        before = self.available(quantities, warehouse)
        cart = client.get('/en/pro/cart').get_data(as_text=True)
        self.assertIn('name="payment" value="card"', cart)
        # without its CSRF token, nothing is placed
        self.assertEqual(client.post('/en/pro/checkout', data={
                    'delivery': 'delivery', 'payment': 'card'}).status_code,
            403)

        order_id, pay_url = self.place_by_card(client, token)
        facts = self.sale_facts(order_id)
        self.assertEqual(facts['state'], 'quotation')
        self.assertEqual(facts['payment'], 'card')
        (reference, state, amount), = facts['payments']
        self.assertEqual(state, 'pending')
        # the total incl. VAT, which is more than the untaxed amount
        self.assertEqual(amount, facts['total'])
        intent = stripe.PaymentIntent.retrieve(reference, api_key=KEY)
        self.assertEqual(intent.amount, int(facts['total'] * 100))
        self.assertEqual(intent.currency, 'eur')
        # the goods are held while the pro pays
        self.assertEqual(sorted((p, q) for p, q, _ in facts['reserved']),
            sorted((p, float(q)) for p, q in quantities.items()))
        after = self.available(quantities, warehouse)
        for product, quantity in quantities.items():
            self.assertEqual(after[product], before[product] - quantity)

        # the payment page: Stripe.js from the configured base (localstripe
        # here) and the Payment Element of this PaymentIntent
        page = client.get(pay_url)
        self.assertEqual(page.status_code, 200)
        html = page.get_data(as_text=True)
        self.assertIn('<script src="%s/js.stripe.com/v3/">'
            % self.stripe.url, html)
        self.assertIn('id="payment-element"', html)
        self.assertIn('data-secret="%s"' % intent.client_secret, html)
        self.assertIn('data-key="pk_test_local"', html)
        self.assertIn('data-return-url="%s/en/pro/orders/%s"'
            % (SITE, order_id), html)
        self.assertIn('€%s' % '{:,.2f}'.format(facts['total']), html)
        self.assertEqual(page.headers['Cache-Control'], 'no-store')
        script = client.get(re.search(r'src="(/assets/pro-pay\.js[^"]*)"',
                html).group(1))
        self.assertEqual(script.status_code, 200)
        self.assertIn(b"elements.create('payment'", script.data)
        self.assertIn(b'confirmPayment', script.data)
        nl = client.get('/nl/pro/orders/%s/pay' % order_id)
        self.assertIn('data-locale="nl"', nl.get_data(as_text=True))
        self.assertIn('Betaling van bestelling', nl.get_data(as_text=True))
        self.assertEqual(self.status_of(client, order_id), 'Awaiting payment')
        orders = client.get('/en/pro/orders').get_data(as_text=True)
        self.assertIn('Awaiting payment', orders)

        # another pro company sees neither the order nor its payment
        other = self.login(OTHER)
        self.assertEqual(other.get(pay_url).status_code, 404)
        self.assertEqual(other.get('/en/pro/orders/%s' % order_id)
            .status_code, 404)
        self.assertNotIn(reference, other.get(pay_url).get_data(as_text=True))

        # back from Stripe before its webhook: the page waits for it
        back = client.get('/en/pro/orders/%s?payment_intent=%s'
            '&redirect_status=succeeded' % (order_id, reference))
        self.assertIn('id="payment-received"', back.get_data(as_text=True))
        self.assertIn('http-equiv="refresh"', back.get_data(as_text=True))
        # a forged webhook changes nothing
        payload = event('payment_intent.succeeded', reference)
        response = client.post('/webhooks/stripe', data=payload, headers={
                'Stripe-Signature': signed(payload, secret='whsec_wrong'),
                'Content-Type': 'application/json'})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.sale_facts(order_id)['state'], 'quotation')

        # the bank accepts: localstripe sends payment_intent.succeeded to
        # the server, whose webhook confirms the order
        self.assertEqual(pay(reference).status, 'succeeded')
        self.wait_for(lambda: self.sale_facts(order_id)['state']
            in {'confirmed', 'processing'})
        facts = self.sale_facts(order_id)
        self.assertEqual(facts['payments'][0][1], 'paid')
        # the hold became the order's reservation (no double booking)
        self.assertEqual(self.available(quantities, warehouse), after)
        self.assertIn(self.status_of(client, order_id),
            {'Confirmed', 'Processing'})
        self.assertIn('id="paid-by-card"', client.get(
                '/en/pro/orders/%s' % order_id).get_data(as_text=True))
        self.assertEqual(client.get(pay_url).status_code, 303)
        mails = self.confirmations(order_id)
        self.assertEqual(len(mails), 1)
        self.assertTrue(any(line in mails[0] for line in (
                    'Paid online (card or Bancontact).',
                    'Payée en ligne (carte ou Bancontact).',
                    'Online betaald (kaart of Bancontact).')), mails[0])
        # a replayed (signed) event changes nothing: one e-mail
        payload = event('payment_intent.succeeded', reference)
        for _ in range(2):
            response = client.post('/webhooks/stripe', data=payload,
                headers={'Stripe-Signature': signed(payload),
                    'Content-Type': 'application/json'})
            self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(self.json(response)['duplicate'], True)
        self.assertEqual(len(self.confirmations(order_id)), 1)
        self.assertEqual(self.available(quantities, warehouse), after)

    def test_declined_card(self):
        client = self.login(BUYER)
        quantities, warehouse, token = self.fill_cart(client)
        before = self.available(quantities, warehouse)
        order_id, pay_url = self.place_by_card(client, token)
        (reference, _, _), = self.sale_facts(order_id)['payments']
        intent = pay(reference, number='4000000000000341')
        self.assertEqual(intent.status, 'requires_payment_method')
        # localstripe's payment_intent.payment_failed reaches the webhook
        self.wait_for(lambda: self.sale_facts(order_id)['state']
            == 'cancelled')
        facts = self.sale_facts(order_id)
        self.assertEqual(facts['payments'][0][1], 'failed')
        self.assertEqual(facts['reserved'], [])
        self.assertEqual(self.available(quantities, warehouse), before)
        page = client.get('/en/pro/orders/%s' % order_id)
        self.assertIn('id="payment-failed"', page.get_data(as_text=True))
        self.assertEqual(self.status_of(client, order_id), 'Cancelled')
        self.assertEqual(client.get(pay_url).status_code, 303)
        self.assertEqual(self.confirmations(order_id), [])
        # the pro orders the same articles again from the cancelled order
        response = client.post('/en/pro/orders/%s/reorder' % order_id,
            data={'csrf_token': token})
        self.assertEqual(response.status_code, 303)
        cart = client.get('/en/pro/cart').get_data(as_text=True)
        self.assertEqual(len(re.findall(r'<tr data-sku=', cart)),
            len(quantities))

    def test_card_refused_without_stripe(self):
        "Without Stripe.js settings, no card option and no order"
        client = self.login(BUYER)
        _, _, token = self.fill_cart(client)
        config._config.remove_option('urban', 'stripe_publishable_key')
        config._cache_clear()
        try:
            cart = client.get('/en/pro/cart').get_data(as_text=True)
            self.assertNotIn('value="card"', cart)
            response = client.post('/en/pro/checkout', data={
                    'csrf_token': token, 'delivery': 'delivery',
                    'payment': 'card'})
            self.assertEqual(response.status_code, 400)
            self.assertIn('Card payment is not available',
                response.get_data(as_text=True))
        finally:
            set_config(stripe_publishable_key='pk_test_local')
        # the cart is still a cart
        self.assertIn('id="place-order"',
            client.get('/en/pro/cart').get_data(as_text=True))
