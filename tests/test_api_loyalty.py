"""/api/v1 engagement on the demo data with a fake Expo: points earned at a
shop's till, rewards, referral code, preferences; push campaigns targeted by
language, topic and favourite shop, throttled, opened through the app's
callback; review nudges and cart reminders by push; referral refused for a
friend paying with the referrer's card; points of a cancelled order taken
back. Every push payload is checked by the fake Expo."""
import datetime as dt
import time
import uuid
from decimal import Decimal
from unittest import mock

from trytond.pool import Pool

from tests.api_support import FakeSMTP
from urbantherapy.emulators.expo import FakeExpo
from tests.fakes.harness import ApiTestCase, committed, set_config
from urbantherapy.emulators.mollie import FakeMollie


def party_of(user_id):
    from urban_checkout.cart import customer_party
    WebUser = Pool().get('web.user')
    return customer_party(WebUser(user_id)).id


def till_sale(party_id, shop_code, total, when=None):
    "A sale rung up yesterday at the till of shop_code for party"
    pool = Pool()
    Account = pool.get('urban.pos.account')
    PosSale = pool.get('urban.pos.sale')
    Location = pool.get('stock.location')
    Company = pool.get('company.company')
    company, = Company.search([], limit=1)
    accounts = Account.search([('connector', '=', 'native')], limit=1)
    if not accounts:
        accounts = Account.create([{'name': "Test till",
                    'company': company.id, 'connector': 'native'}])
    shop, = Location.search([('shop_code', '=', shop_code)])
    sale, = PosSale.create([{
                'account': accounts[0].id, 'shop': shop.id,
                'external_id': uuid.uuid4().hex, 'state': 'booked',
                'party': party_id, 'currency': company.currency.id,
                'total_amount': Decimal(total), 'tax_amount': Decimal(0),
                'date': when or dt.datetime.now() - dt.timedelta(days=1),
                }])
    return sale.id


class ApiLoyaltyTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expo = FakeExpo().start()
        cls.mollie = FakeMollie().start()
        set_config(expo_push_url=cls.expo.url,
            mollie_api_base=cls.mollie.url, mollie_api_key='test_fake')
        cls.smtp = FakeSMTP()
        cls._smtp = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._smtp.start()

    @classmethod
    def tearDownClass(cls):
        cls._smtp.stop()
        cls.expo.stop()
        cls.mollie.stop()
        super().tearDownClass()

    def tearDown(self):
        self.assertEqual(self.expo.invalid, [])

    def device(self, auth, language='fr', topics=('orders',)):
        token = 'ExponentPushToken[%s]' % uuid.uuid4().hex
        response = self.client().post('/api/v1/push/devices', headers=auth,
            json={'token': token, 'platform': 'ios', 'language': language,
                'topics': list(topics)})
        self.assertEqual(response.status_code, 201, response.data)
        return token

    def pushed(self, token):
        return [m for m in self.expo.messages if m['to'] == token]

    def test_points_reward(self):
        "Till purchases earn points; 150 buy a reserved -15 % code"
        client = self.client()
        user_id, auth = self.new_user()
        empty = self.json(client.get('/api/v1/loyalty', headers=auth))
        self.assertEqual(empty['points'], 0)
        self.assertEqual(empty['reward_points'], 150)
        self.assertProblem(client.post('/api/v1/loyalty/rewards',
                headers=auth), 409, 'business_rule')

        party = committed(party_of, user_id)
        committed(till_sale, party, 'GNT', '120.90')
        committed(till_sale, party, 'BXL', '45.00')
        loyalty = self.json(client.get('/api/v1/loyalty', headers=auth))
        self.assertEqual(loyalty['points'], 165)
        self.assertEqual(loyalty['rewards_available'], 1)
        self.assertEqual([e['kind'] for e in loyalty['history']],
            ['earn', 'earn'])

        reward = client.post('/api/v1/loyalty/rewards', headers=auth)
        self.assertEqual(reward.status_code, 201, reward.data)
        reward = self.json(reward)
        self.assertEqual(reward['points_spent'], 150)
        self.assertEqual(reward['points'], 15)
        self.assertTrue(reward['code'].startswith('PTS-'))
        self.assertProblem(client.post('/api/v1/loyalty/rewards',
                headers=auth), 409)

        # the code is the customer's: nobody else may use it...
        product, _, _ = self.in_stock(minimum=1)
        _, other = self.new_user()
        client.post('/api/v1/cart/lines', headers=other,
            json={'product_id': product, 'quantity': 1})
        self.assertProblem(client.post('/api/v1/cart/coupons', headers=other,
                json={'code': reward['code']}), 409, 'business_rule')
        # ...it goes into their cart
        client.post('/api/v1/cart/lines', headers=auth,
            json={'product_id': product, 'quantity': 1})
        cart = client.post('/api/v1/cart/coupons', headers=auth,
            json={'code': reward['code']})
        self.assertEqual(cart.status_code, 200, cart.data)
        cart = self.json(cart)
        self.assertEqual(cart['coupons'], [reward['code']])
        # ...with the -15 % applied to the total
        lines = sum(Decimal(l['amount']['amount']) for l in cart['lines'])
        discounted = lines * Decimal('0.85')
        self.assertLessEqual(abs(Decimal(cart['total_amount']['amount'])
                - discounted), Decimal('0.02') * len(cart['lines']))
        self.assertEqual(self.json(client.get('/api/v1/loyalty',
                    headers=auth))['history'][0]['kind'], 'redeem')

    def test_referral_code(self):
        "A stable personal code; the share text in the asked language"
        client = self.client()
        _, auth = self.new_user()
        self.assertEqual(client.get('/api/v1/loyalty/referral')
            .status_code, 401)
        first = client.get('/api/v1/loyalty/referral',
            headers=dict(auth, **{'Accept-Language': 'nl'}))
        self.assertEqual(first.status_code, 200, first.data)
        first = self.json(first)
        self.assertIn(first['code'], first['share_text'])
        self.assertIn('eerste bestelling', first['share_text'])
        self.assertEqual((first['friends_rewarded'], first['points_earned']),
            (0, 0))
        again = self.json(client.get('/api/v1/loyalty/referral',
                headers=auth))
        self.assertEqual(again['code'], first['code'])

    def test_preferences(self):
        client = self.client()
        _, auth = self.new_user()
        self.assertEqual(self.json(client.get('/api/v1/loyalty/preferences',
                    headers=auth)), {'review_requests': True,
                'cart_reminders': False, 'favourite_shop': None})
        body = {'review_requests': False, 'cart_reminders': True,
            'favourite_shop': 'GNT'}
        response = client.put('/api/v1/loyalty/preferences', headers=auth,
            json=body)
        self.assertEqual(self.json(response), body)
        self.assertProblem(client.put('/api/v1/loyalty/preferences',
                headers=auth, json=dict(body, favourite_shop='NOPE')), 422,
            'unknown_shop')
        self.assertEqual(self.json(client.get('/api/v1/loyalty/preferences',
                    headers=auth)), body)

    def test_campaign(self):
        """Targeted by favourite shop and topic, in the device's language,
        throttled, opens counted"""
        client = self.client()
        users = {}
        for name, language, shop, topics in [
                ('ghent_nl', 'nl', 'GNT', ['new_arrivals']),
                ('ghent_orders_only', 'fr', 'GNT', ['orders']),
                ('namur_fr', 'fr', 'NAM', ['new_arrivals'])]:
            user_id, auth = self.new_user()
            client.put('/api/v1/loyalty/preferences', headers=auth, json={
                    'review_requests': True, 'cart_reminders': False,
                    'favourite_shop': shop})
            users[name] = (auth, self.device(auth, language, topics))

        def create(name):
            pool = Pool()
            Campaign = pool.get('urban.loyalty.campaign')
            Location = pool.get('stock.location')
            Category = pool.get('product.category')
            universe, = Category.search([('universe', '=', True)], limit=1)
            ghent, = Location.search([('shop_code', '=', 'GNT')])
            campaign, = Campaign.create([{
                        'name': name, 'title': "New in", 'body': "Fresh",
                        'topic': 'new_arrivals', 'universe': universe.id,
                        'favourite_shop': ghent.id,
                        'scheduled_at': dt.datetime.now(),
                        }])
            for lang, title, body in [
                    ('fr', "Nouveautés", "Tout frais à Gand"),
                    ('nl', "Nieuw binnen", "Vers binnen in Gent")]:
                from trytond.transaction import Transaction
                with Transaction().set_context(language=lang):
                    Campaign.write([Campaign(campaign.id)],
                        {'title': title, 'body': body})
            Campaign.schedule([campaign])
            return campaign.id

        def send():
            Pool().get('urban.loyalty.campaign').send_due()

        def figures(campaign_id):
            campaign = Pool().get('urban.loyalty.campaign')(campaign_id)
            return campaign.state, campaign.sent, campaign.opened

        campaign_id = committed(create, 'Spring')
        committed(send)
        auth, token = users['ghent_nl']
        message, = self.pushed(token)
        self.assertEqual((message['title'], message['body']),
            ("Nieuw binnen", "Vers binnen in Gent"))
        self.assertEqual(message['data']['campaign_id'], campaign_id)
        for other in ['ghent_orders_only', 'namur_fr']:
            self.assertEqual(self.pushed(users[other][1]), [])
        self.assertEqual(committed(figures, campaign_id), ('done', 1, 0))

        opened = client.post('/api/v1/campaigns/%d/open' % campaign_id,
            headers=auth)
        self.assertEqual(opened.status_code, 204, opened.data)
        self.assertEqual(client.post('/api/v1/campaigns/%d/open'
                % campaign_id, headers=auth).status_code, 204)
        self.assertEqual(committed(figures, campaign_id), ('done', 1, 1))
        self.assertProblem(client.post('/api/v1/campaigns/%d/open'
                % campaign_id, headers=users['namur_fr'][0]), 404)

        # a second campaign the same day is throttled for her
        second = committed(create, 'Spring bis')
        committed(send)
        self.assertEqual(len(self.pushed(token)), 1)
        self.assertEqual(committed(figures, second), ('done', 0, 0))

    def test_review_nudge_push(self):
        "The day after a till purchase: a push with the shop's review link"
        client = self.client()
        user_id, auth = self.new_user()
        token = self.device(auth, 'en', ['orders'])
        party = committed(party_of, user_id)
        committed(till_sale, party, 'GNT', '30')

        def nudge():
            return len(Pool().get('urban.loyalty.review_nudge').send_due())
        self.assertGreaterEqual(committed(nudge), 1)
        message, = self.pushed(token)
        self.assertEqual(message['data']['kind'], 'review')
        self.assertIn('urban-therapy-gnt', message['data']['url'])
        self.assertIn('review', message['body'])
        # once per customer in the interval
        committed(till_sale, party, 'GNT', '12')
        committed(nudge)
        self.assertEqual(len(self.pushed(token)), 1)

        # opted out: no nudge
        other_id, other_auth = self.new_user()
        other_token = self.device(other_auth, 'fr', ['orders'])
        client.put('/api/v1/loyalty/preferences', headers=other_auth,
            json={'review_requests': False, 'cart_reminders': False,
                'favourite_shop': None})
        committed(till_sale, committed(party_of, other_id), 'GNT', '10')
        committed(nudge)
        self.assertEqual(self.pushed(other_token), [])

    def test_cart_reminder(self):
        "An idle cart is pushed once, only to customers who opted in"
        client = self.client()
        product, _, _ = self.in_stock(minimum=1)
        tokens = {}
        for opted in [True, False]:
            _, auth = self.new_user()
            tokens[opted] = self.device(auth, 'fr', ['orders'])
            client.put('/api/v1/loyalty/preferences', headers=auth, json={
                    'review_requests': True, 'cart_reminders': opted,
                    'favourite_shop': None})
            client.post('/api/v1/cart/lines', headers=auth,
                json={'product_id': product, 'quantity': 2})

        def remind(hours):
            Reminder = Pool().get('urban.loyalty.cart_reminder')
            return len(Reminder.send_due(
                    dt.datetime.now() + dt.timedelta(hours=hours)))
        committed(remind, 1)
        self.assertEqual(self.pushed(tokens[True]), [])
        committed(remind, 25)
        message, = self.pushed(tokens[True])
        self.assertEqual(message['data'], {'kind': 'cart', 'quantity': 2})
        self.assertIn('2 article(s)', message['body'])
        self.assertEqual(self.pushed(tokens[False]), [])
        committed(remind, 26)
        self.assertEqual(len(self.pushed(tokens[True])), 1)

    def test_referral_same_device(self):
        "A token registered by both accounts makes them the same person"
        _, anna = self.new_user()
        token = self.device(anna)
        _, bob = self.new_user()
        self.device(bob, 'fr')
        anna_id = committed(party_of, self.user_id(anna))
        bob_id = committed(party_of, self.user_id(bob))

        def abuse():
            pool = Pool()
            Party = pool.get('party.party')
            return pool.get('urban.loyalty.referral').abuse(
                Party(anna_id), Party(bob_id))
        self.assertIsNone(committed(abuse))
        # the same phone signs in to Bob's account: the token moves
        response = self.client().post('/api/v1/push/devices', headers=bob,
            json={'token': token, 'platform': 'ios'})
        self.assertEqual(response.status_code, 201, response.data)
        self.assertEqual(committed(abuse), 'device')

    def user_id(self, auth):
        def get():
            WebUser = Pool().get('web.user')
            return WebUser.get_user(auth['Authorization'].split()[1]).id
        return committed(get)

    def paid_order(self, auth, card, code=None):
        """An app order (click & collect) with code, paid by credit card on
        Mollie: card is the fingerprint Mollie reports; returns its id once
        processed"""
        client = self.client()
        product, shop, _ = self.in_stock(minimum=1)
        response = client.post('/api/v1/cart/lines', headers=auth,
            json={'product_id': product, 'quantity': 1})
        self.assertEqual(response.status_code, 201, response.data)
        if code:
            response = client.post('/api/v1/cart/coupons', headers=auth,
                json={'code': code})
            self.assertEqual(response.status_code, 200, response.data)
        placed = client.post('/api/v1/checkout', json={
                'mode': 'click_collect', 'shop': shop,
                'phone': '0470 12 34 56', 'payment_provider': 'mollie',
                'payment_method': 'creditcard'},
            headers=dict(auth, **{'Idempotency-Key': uuid.uuid4().hex}))
        self.assertEqual(placed.status_code, 201, placed.data)
        placed = self.json(placed)
        reference = placed['payment']['reference']
        self.mollie.set_status(reference, 'paid', details={
                'cardNumber': card[-4:], 'cardHolder': 'T. Customer',
                'cardFingerprint': card, 'cardAudience': 'consumer',
                'cardLabel': 'Mastercard', 'cardCountryCode': 'BE'})
        response = client.post('/webhooks/mollie', data={'id': reference})
        self.assertEqual(self.json(response)['result'], 'paid')
        order_id = placed['order']['id']

        def processed():
            Sale = Pool().get('sale.sale')
            return Sale(order_id).state
        for _ in range(100):
            if committed(processed) == 'processing':
                break
            time.sleep(0.1)
        self.assertEqual(committed(processed), 'processing')
        return order_id

    def referral_of(self, auth):
        def get():
            pool = Pool()
            Referral = pool.get('urban.loyalty.referral')
            WebUser = pool.get('web.user')
            user = WebUser.get_user(auth['Authorization'].split()[1])
            referrals = Referral.search([('friend', '=', user.party.id)])
            return [(r.state, r.refusal, r.points) for r in referrals]
        return committed(get)

    def test_referral_same_payment_method(self):
        """A friend who pays with the referrer's card gets the discount
        but earns the referrer nothing; another card earns the points"""
        client = self.client()
        _, anna = self.new_user()
        self.paid_order(anna, 'fp-anna-mastercard')
        code = self.json(client.get('/api/v1/loyalty/referral',
                headers=anna))['code']
        before = self.json(client.get('/api/v1/loyalty',
                headers=anna))['points']

        # Bob: another e-mail, no device in common, but Anna's card
        _, bob = self.new_user()
        self.paid_order(bob, 'fp-anna-mastercard', code=code)
        self.assertEqual(self.referral_of(bob),
            [('refused', 'payment', 0)])
        self.assertEqual(self.json(client.get('/api/v1/loyalty',
                    headers=anna))['points'], before)

        # Carl pays with his own card: Anna earns the referral points
        _, carl = self.new_user()
        self.paid_order(carl, 'fp-carl-visa', code=code)
        (state, refusal, points), = self.referral_of(carl)
        self.assertEqual((state, refusal), ('rewarded', None))
        self.assertGreater(points, 0)
        loyalty = self.json(client.get('/api/v1/loyalty', headers=anna))
        self.assertEqual(loyalty['points'], before + points)
        self.assertEqual(loyalty['history'][0]['kind'], 'referral')
        referral = self.json(client.get('/api/v1/loyalty/referral',
                headers=anna))
        self.assertEqual((referral['friends_rewarded'],
                referral['points_earned']), (1, points))

    def test_cancelled_order_points(self):
        "An app order earns points; cancelled, they are taken back"
        client = self.client()
        _, auth = self.new_user()
        order_id = self.paid_order(auth, 'fp-dora-visa')
        earned = self.json(client.get('/api/v1/loyalty', headers=auth))
        self.assertGreater(earned['points'], 0)
        self.assertEqual([e['kind'] for e in earned['history']], ['earn'])

        cancelled = client.post('/api/v1/orders/%d/cancel' % order_id,
            headers=auth)
        self.assertEqual(cancelled.status_code, 200, cancelled.data)
        loyalty = self.json(client.get('/api/v1/loyalty', headers=auth))
        self.assertEqual(loyalty['points'], 0)
        reversal = loyalty['history'][0]
        self.assertEqual(reversal['kind'], 'reverse')
        self.assertEqual(reversal['points'], -earned['points'])
