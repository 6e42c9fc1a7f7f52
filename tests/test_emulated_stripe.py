"""The emulated Stripe's browser confirm (urbantherapy.emulators.
localstripe_server), as Stripe answers it: only with the PaymentIntent's
client secret, a declined card refused with Stripe's error, a PaymentIntent
waiting for 3-D Secure answered as it is."""
import unittest

import requests
import stripe

from urbantherapy.emulators.localstripe import LocalStripe

KEY = 'sk_test_emulated'
CARD = {'number': '4242424242424242', 'exp_month': '12',
    'exp_year': '2030', 'cvc': '123'}


class EmulatedStripeTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.stripe = LocalStripe().start()
        # a client of its own: the module's global api_base stays as is
        cls.client = stripe.StripeClient(KEY,
            base_addresses={'api': cls.stripe.url})

    @classmethod
    def tearDownClass(cls):
        cls.stripe.stop()

    def intent(self):
        return self.client.payment_intents.create(params={
                'amount': 7290, 'currency': 'eur',
                'payment_method_types': ['card']})

    def confirm(self, intent, card=CARD, secret=None, key='pk_test_demo'):
        return requests.post('%s/v1/payment_intents/%s/confirm'
            % (self.stripe.url, intent.id), json={'key': key,
                'client_secret': secret or intent.client_secret,
                'payment_method_data': {'type': 'card', 'card': card}},
            timeout=10)

    def status(self, intent):
        return self.client.payment_intents.retrieve(intent.id).status

    def test_paid_with_the_client_secret(self):
        intent = self.intent()
        response = self.confirm(intent)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()['status'], 'succeeded')
        self.assertEqual(self.status(intent), 'succeeded')

    def test_refused_without_the_client_secret(self):
        intent = self.intent()
        other = self.intent()
        response = self.confirm(intent, secret=other.client_secret)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.status(intent), 'requires_payment_method')
        # nor with a secret key's name in the body
        response = requests.post('%s/v1/payment_intents/%s/confirm'
            % (self.stripe.url, intent.id), json={'key': 'sk_test_x',
                'client_secret': intent.client_secret}, timeout=10)
        self.assertEqual(response.status_code, 401)

    def test_declined_card(self):
        intent = self.intent()
        response = self.confirm(intent,
            card=dict(CARD, number='4000000000000002'))
        self.assertEqual(response.status_code, 402, response.text)
        self.assertEqual(response.json()['error']['code'], 'card_declined')
        self.assertEqual(self.status(intent), 'requires_payment_method')
        # the buyer tries another card
        self.assertEqual(self.confirm(intent).json()['status'], 'succeeded')

    def test_incomplete_card(self):
        intent = self.intent()
        response = self.confirm(intent, card=dict(CARD, cvc=''))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.status(intent), 'requires_payment_method')

    def test_three_d_secure_then_confirmed_again(self):
        intent = self.intent()
        response = self.confirm(intent,
            card=dict(CARD, number='4000002760003184'))
        self.assertEqual(response.json()['status'], 'requires_action')
        # Stripe.js asks again before authenticating: answered as it is
        again = self.confirm(intent)
        self.assertEqual(again.json()['status'], 'requires_action')

    def test_stripe_js_has_the_browser_confirm(self):
        script = requests.get(self.stripe.url + '/js.stripe.com/v3/',
            timeout=10).text
        self.assertIn('stripe.confirmPayment = ', script)
        self.assertIn('stripe.confirmCardPayment = ', script)
