"""The app's click & collect journey over real HTTP on PostgreSQL, with
localstripe as Stripe and a fake Expo push service:

customer -> shops -> cart -> checkout options -> click & collect checkout
(PaymentIntent) -> the card payment confirmed in localstripe -> signed
webhook delivered by localstripe -> order paid, stock reserved in the shop
-> staff marks it ready -> push reaches Expo, e-mail sent -> collected."""
import email
import email.policy
import threading
import time
import uuid
from unittest import mock

import stripe
from werkzeug.serving import make_server

from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wsgi import app

from urbantherapy.emulators.expo import FakeExpo
from tests.fakes.harness import (
    WEBHOOK_SECRET, ApiTestCase, committed, set_config)
from urbantherapy.emulators.localstripe import LocalStripe
from urbantherapy.wsgi import PlatformMiddleware


class Outbox(list):
    "trytond.sendmail's SMTP server, captured: parsed messages"
    uri = 'smtp://captured'

    def sendmail(self, from_addr, to_addrs, msg):
        if isinstance(msg, bytes):
            msg = msg.decode()
        self.append(email.message_from_string(msg,
                policy=email.policy.default))

    def send_message(self, msg, from_addr=None, to_addrs=None):
        self.sendmail(from_addr, to_addrs, msg.as_string())

    def quit(self):
        pass


def confirm_card_payment(reference):
    "What the app does with the client secret: pay by card (Stripe SDK)"
    key = 'sk_test_local'
    method = stripe.PaymentMethod.create(type='card', card={
            'number': '4242424242424242', 'exp_month': 12,
            'exp_year': 2030, 'cvc': '123'}, api_key=key)
    stripe.PaymentIntent.modify(reference, payment_method=method.id,
        api_key=key)
    return stripe.PaymentIntent.confirm(reference, api_key=key)


class ApiJourneyTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stripe = LocalStripe().start()
        cls.expo = FakeExpo().start()
        set_config(stripe_api_base=cls.stripe.url,
            expo_push_url=cls.expo.url)
        cls.server = make_server('127.0.0.1', 0, PlatformMiddleware(app),
            threaded=True)
        cls.server_thread = threading.Thread(
            target=cls.server.serve_forever, daemon=True)
        cls.server_thread.start()
        cls.base_url = 'http://127.0.0.1:%d' % cls.server.server_port
        cls.stripe.register_webhook('urban', cls.base_url
            + '/webhooks/stripe', WEBHOOK_SECRET)

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.stripe.stop()
        cls.expo.stop()
        super().tearDownClass()

    def wait_for(self, predicate, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.25)
        self.fail("timed out")

    def test_click_and_collect_journey(self):
        outbox = Outbox()
        patcher = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=outbox)
        patcher.start()
        self.addCleanup(patcher.stop)
        client = self.client()
        user_id, auth = self.new_user()
        product, shop, before = self.in_stock(minimum=2)

        shops = self.json(client.get('/api/v1/shops'))['items']
        self.assertIn(shop, [s['code'] for s in shops])

        added = client.post('/api/v1/cart/lines', headers=auth,
            json={'product_id': product, 'quantity': 2})
        self.assertEqual(added.status_code, 201, added.data)
        total = self.json(added)['total_amount']

        options = self.json(client.get('/api/v1/checkout/options',
                headers=auth))
        pickup = {o['shop']: o for o in options['click_collect']}
        self.assertTrue(pickup[shop]['available'])
        self.assertIsNotNone(pickup[shop]['ready_by'])

        device = client.post('/api/v1/push/devices', headers=auth, json={
                'token': 'ExponentPushToken[journey-%s]' % uuid.uuid4().hex,
                'platform': 'ios', 'language': 'nl', 'topics': ['orders']})
        self.assertEqual(device.status_code, 201, device.data)

        body = {'mode': 'click_collect', 'shop': shop,
            'phone': '0470 12 34 56', 'payment_provider': 'stripe',
            'payment_method': 'card'}
        key = {'Idempotency-Key': uuid.uuid4().hex}
        placed = client.post('/api/v1/checkout', json=body,
            headers=dict(auth, **key))
        self.assertEqual(placed.status_code, 201, placed.data)
        answer = self.json(placed)
        order, payment = answer['order'], answer['payment']
        self.assertEqual(order['state'], 'quotation')
        self.assertEqual(order['shop'], shop)
        self.assertEqual(payment['amount'], total)
        self.assertTrue(payment['client_secret'].startswith(
                payment['reference']))
        # the goods are held in that shop before payment
        self.assertEqual(self.available(product, shop), before - 2)
        # a retry (network hiccup) gets the same answer, no second order
        retry = client.post('/api/v1/checkout', json=body,
            headers=dict(auth, **key))
        self.assertEqual(retry.status_code, 201)
        self.assertEqual(self.json(retry), answer)

        intent = confirm_card_payment(payment['reference'])
        self.assertEqual(intent.status, 'succeeded')

        # localstripe signs and posts payment_intent.succeeded to us
        def paid():
            current = self.json(client.get(
                    '/api/v1/orders/%d' % order['id'], headers=auth))
            # confirmed, then processed by the queued job (shipment)
            return current if current['state'] == 'processing' else None
        current = self.wait_for(paid)
        self.assertIn('paid', [e['status'] for e in current['timeline']])
        self.assertEqual(self.available(product, shop), before - 2)

        def reservations():
            Reservation = Pool().get('urban.stock.reservation')
            return [(r.state, r.kind, r.warehouse.shop_code, r.quantity)
                for r in Reservation.search([
                        ('origin', '=', 'sale.sale,%d' % order['id'])])]
        self.assertIn(('reserved', 'click_collect', shop, 2.0),
            committed(reservations))
        confirmation, = outbox
        self.assertIn(current['number'], confirmation['Subject'])
        self.assertIn('confirm', confirmation['Subject'])

        def staff_ready():
            Sale = Pool().get('sale.sale')
            sale = Sale(order['id'])
            with Transaction().set_context(company=sale.company.id):
                Sale.mark_ready_for_pickup([sale])
        committed(staff_ready)
        ready = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))
        self.assertEqual(ready['status'], 'ready_for_pickup')
        pushed = self.wait_for(lambda: [m for m in self.expo.messages
                if m['data'].get('order_id') == order['id']])
        self.assertEqual(pushed[0]['data']['status'], 'ready')
        self.assertIn('klaar', pushed[0]['title'].lower()
            + pushed[0]['body'].lower())
        self.assertEqual(len(outbox), 2)
        self.assertIn(current['number'], outbox[1]['Subject'])
        self.assertIn(current['number'],
            outbox[1].get_body().get_content())

        # the customer can no longer cancel
        self.assertProblem(client.post('/api/v1/orders/%d/cancel'
                % order['id'], headers=auth), 409, 'order_not_cancellable')

        def staff_collected():
            Sale = Pool().get('sale.sale')
            sale = Sale(order['id'])
            with Transaction().set_context(company=sale.company.id):
                Sale.mark_collected([sale])
        committed(staff_collected)
        final = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))
        self.assertEqual(final['status'], 'collected')
        self.assertEqual([e['status'] for e in final['timeline']][:2],
            ['placed', 'paid'])

        # another customer does not see it
        _, other = self.new_user()
        self.assertProblem(client.get('/api/v1/orders/%d' % order['id'],
                headers=other), 404, 'order_not_found')
        listed = self.json(client.get('/api/v1/orders', headers=auth))
        self.assertEqual([o['id'] for o in listed['items']], [order['id']])
