"""The customer's account on the site (the whole WSGI app, a werkzeug
client, localstripe as Stripe, on the demo data): register, confirm the
e-mail address, log in (throttled: 429 with Retry-After), the account's
orders of every channel (one placed through the app's API for the same web
user) and an order's timeline; another customer's order is a 404; the
site's session is its own scope (no pro portal, no API token, and theirs
open no account); logout ends it; the forms need their CSRF token; a
logged-in checkout orders for the customer's own party."""
import re
import uuid
from unittest import mock

from trytond.config import config
from trytond.pool import Pool
from trytond.transaction import Transaction

from .api_support import FakeSMTP
from .fakes.harness import ApiTestCase, committed, set_config
from .paid_orders import paid_click_collect, staff_steps
from .test_pro_portal import csrf_of
from urban_website.i18n import url
from urbantherapy.emulators.localstripe import LocalStripe

PASSWORD = 'Correct-Horse-Battery-9'
PRO_PASSWORD = 'urban-demo'
PHONE = '0470 12 34 56'
CONFIG = {
    ('session', 'max_attempt'): '4',
    ('email', 'from'): 'hello@urban-therapy.be',
    ('urban', 'api_cache_ttl'): '0',
    ('urban', 'form_throttle'): '50/3600',
    }


class WebsiteCustomerTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._saved = {}
        for (section, option), value in CONFIG.items():
            if not config.has_section(section):
                config.add_section(section)
            cls._saved[section, option] = config.get(section, option)
            config.set(section, option, value)
        cls.smtp = FakeSMTP()
        cls._patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._patch.start()
        cls.stripe = LocalStripe().start()
        set_config(stripe_api_base=cls.stripe.url,
            stripe_publishable_key='pk_test_local',
            stripe_js_url=cls.stripe.url + '/js.stripe.com/v3/')

    @classmethod
    def tearDownClass(cls):
        cls.stripe.stop()
        cls._patch.stop()
        for option in ('stripe_publishable_key', 'stripe_js_url',
                'stripe_api_base'):
            config._config.remove_option('urban', option)
        for (section, option), value in cls._saved.items():
            if value is None:
                config._config.remove_option(section, option)
            else:
                config.set(section, option, value)
        config._cache_clear()
        super().tearDownClass()

    # -- helpers ------------------------------------------------------------

    def html(self, response):
        return response.get_data(as_text=True)

    def register(self, client, email, lang='en', status=200, **values):
        form = client.get(url(lang, '/account/register'))
        self.assertEqual(form.status_code, 200)
        data = {'csrf_token': csrf_of(form), 'email': email,
            'name': "Camille Client", 'password': PASSWORD,
            'confirm': PASSWORD, 'terms': 'yes'}
        data.update(values)
        response = client.post(url(lang, '/account/register'),
            data={k: v for k, v in data.items() if v is not None})
        self.assertEqual(response.status_code, status,
            self.html(response)[-1500:])
        return response

    def verify(self, email):
        "Confirm the address with the token of its verification e-mail"
        token = self.smtp.token(email)
        self.assertTrue(token, self.smtp.texts(email))
        response = self.client().post('/en/account/verify-email',
            data={'token': token})
        self.assertEqual(response.status_code, 200)

    def login(self, client, email, password=PASSWORD, lang='en',
            status=303, next=None):
        form = client.get(url(lang, '/account/login'))
        data = {'csrf_token': csrf_of(form), 'email': email,
            'password': password}
        if next:
            data['next'] = next
        response = client.post(url(lang, '/account/login'), data=data)
        self.assertEqual(response.status_code, status,
            self.html(response)[-1500:])
        return response

    def new_customer(self):
        "(e-mail, web user id) of a customer with a party and password"
        email = 'site-%s@example.com' % uuid.uuid4().hex[:12]

        def create():
            pool = Pool()
            WebUser = pool.get('web.user')
            Party = pool.get('party.party')
            party, = Party.create([{'name': "Other Customer",
                        'contact_mechanisms': [('create', [{
                                        'type': 'email', 'value': email}])],
                        }])
            user, = WebUser.create([{'email': email,
                        'password_hash': WebUser.hash_password(PASSWORD),
                        'email_valid': True, 'party': party.id}])
            return user.id
        return email, committed(create)

    def app_order(self, email):
        "The number of an order placed through the app's API"
        client = self.client()
        login = client.post('/api/v1/auth/login',
            json={'email': email, 'password': PASSWORD})
        self.assertEqual(login.status_code, 200, login.data)
        auth = {'Authorization': 'Bearer %s' % self.json(login)['token']}
        product, shop, _ = self.in_stock()
        added = client.post('/api/v1/cart/lines', headers=auth,
            json={'product_id': product, 'quantity': 1})
        self.assertEqual(added.status_code, 201, added.data)
        placed = client.post('/api/v1/checkout', headers=dict(auth, **{
                    'Idempotency-Key': uuid.uuid4().hex}),
            json={'mode': 'click_collect', 'shop': shop, 'phone': PHONE})
        self.assertEqual(placed.status_code, 201, placed.data)
        return self.json(placed)['order']['number']

    def site_order(self, client, lang='en', **values):
        "(response, form data) of a checkout on the site from a new cart"
        product, shop, _ = self.in_stock()
        added = client.post(url(lang, '/cart/add'), data={
                'product': str(product), 'quantity': '1'},
            headers={'Origin': 'http://localhost'})
        self.assertEqual(added.status_code, 303, self.html(added)[-800:])
        page = client.get(url(lang, '/checkout'))
        self.assertEqual(page.status_code, 200, self.html(page)[-800:])
        data = {'csrf_token': csrf_of(page), 'name': "Camille Client",
            'phone': PHONE, 'shop': shop, 'terms': 'yes',
            'mode': 'click_collect'}
        data.update(values)
        response = client.post(url(lang, '/checkout'), data=data)
        return page, response

    def order_facts(self, number):
        def read():
            Sale = Pool().get('sale.sale')
            sale, = Sale.search([('number', '=', number)])
            return {'party': sale.party.id, 'user': sale.api_user.id
                if sale.api_user else None, 'state': sale.state}
        return committed(read)

    def user_party(self, user_id):
        return committed(lambda: Pool().get('web.user')(user_id).party.id)

    # -- tests --------------------------------------------------------------

    def test_register_verify_login_orders(self):
        """Register on the site, confirm the address, log in: the account
        lists the orders of the site and the app, with their timeline"""
        email = 'camille-%s@example.be' % uuid.uuid4().hex[:8]
        client = self.client()
        anonymous = client.get('/en/')
        self.assertIn('id="account-link"', self.html(anonymous))
        self.assertIn('>Log in<', self.html(anonymous))
        # the account needs a session
        away = client.get('/en/account')
        self.assertEqual(away.status_code, 303)
        self.assertIn('/en/account/login?next=%2Fen%2Faccount',
            away.headers['Location'])

        # refusals say why, in the page's language, and create nothing
        weak = self.register(client, email, lang='fr', status=422,
            password='password', confirm='password')
        self.assertIn('mot de passe', self.html(weak).lower())
        no_terms = self.register(client, email, status=422, terms=None)
        self.assertIn('Please accept the terms of sale.',
            self.html(no_terms))
        forged = client.post('/en/account/register', data={
                'email': email, 'name': "X", 'password': PASSWORD,
                'confirm': PASSWORD, 'terms': 'yes'})
        self.assertEqual(forged.status_code, 403)

        done = self.register(client, email)
        self.assertIn('id="registered"', self.html(done))
        # an address that has an account: the same answer, nothing created
        again = self.register(self.client(), email)
        self.assertIn('id="registered"', self.html(again))
        self.verify(email)

        response = self.login(client, email, next='/en/account')
        self.assertTrue(response.headers['Location'].endswith('/en/account'))
        cookie = response.headers['Set-Cookie']
        self.assertIn('ut_account=', cookie)
        self.assertIn('HttpOnly', cookie)
        self.assertIn('SameSite=Lax', cookie)
        self.assertIn('Path=/', cookie)
        self.assertNotIn('Secure', cookie)
        # on an https site, the cookie goes over https only
        before = config.get('urban', 'site_url')
        config.set('urban', 'site_url', 'https://www.urbantherapy.test')
        try:
            secure = self.login(self.client(), email)
        finally:
            if before is None:
                config._config.remove_option('urban', 'site_url')
            else:
                config.set('urban', 'site_url', before)
            config._cache_clear()
        self.assertIn('Secure', secure.headers['Set-Cookie'])

        page = client.get('/en/account')
        self.assertEqual(page.status_code, 200)
        html = self.html(page)
        self.assertIn('id="no-orders"', html)
        self.assertNotIn('id="unverified"', html)
        self.assertIn('noindex', html)
        self.assertEqual(page.headers['Cache-Control'], 'no-store')
        self.assertIn('>My account<', html)
        # a public page seen logged in is the visitor's own
        home = client.get('/en/')
        self.assertEqual(home.headers['Cache-Control'], 'no-store')
        self.assertIn('>My account<', self.html(home))

        app_number = self.app_order(email)
        _, placed = self.site_order(client)
        self.assertEqual(placed.status_code, 303, self.html(placed)[-1500:])
        html = self.html(client.get('/en/account'))
        self.assertIn(app_number, html)
        site_numbers = [n for n in re.findall(
                r'/en/account/orders/([^"]+)"', html) if n != app_number]
        self.assertEqual(len(site_numbers), 1, html)

        detail = client.get('/en/account/orders/%s' % app_number)
        self.assertEqual(detail.status_code, 200)
        html = self.html(detail)
        self.assertIn('id="timeline"', html)
        self.assertIn('Placed', html)
        self.assertIn('id="pickup"', html)
        french = self.html(client.get('/account/orders/%s' % app_number))
        self.assertIn('Suivi', french)

    def test_wrong_password_throttled(self):
        "Five wrong passwords: the next attempt is a 429 with Retry-After"
        email, _ = self.new_customer()
        client = self.client()
        for _attempt in range(5):
            wrong = self.login(client, email, password='not-the-one',
                status=401)
            self.assertIn('Wrong e-mail or password.', self.html(wrong))
        refused = self.login(client, email, lang='nl', status=429)
        self.assertGreater(int(refused.headers['Retry-After']), 0)
        self.assertIn('Te veel pogingen', self.html(refused))
        self.assertNotIn('ut_account', refused.headers.get('Set-Cookie', ''))

    def test_another_customers_order(self):
        "Another customer's order number is a 404, never the order"
        owner, _ = self.new_customer()
        number = self.app_order(owner)
        other, _ = self.new_customer()
        client = self.client()
        self.login(client, other)
        response = client.get('/en/account/orders/%s' % number)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(number, self.html(response))
        self.assertNotIn(number, self.html(client.get('/en/account')))
        self.assertEqual(client.get('/en/account/orders/%3Cx%3E')
            .status_code, 404)
        mine = self.client()
        self.login(mine, owner)
        self.assertEqual(mine.get('/en/account/orders/%s' % number)
            .status_code, 200)

    def test_sessions_do_not_cross(self):
        """A pro session opens no account, a site session no pro portal nor
        the app's API"""
        portal = self.client()
        home = portal.get('/pro/')
        response = portal.post('/pro/login', data={
                'csrf_token': csrf_of(home), 'email': 'gifts@kantoorco.be',
                'password': PRO_PASSWORD})
        self.assertEqual(response.status_code, 303)
        pro_key = portal.get_cookie('ut_pro').value
        visitor = self.client()
        visitor.set_cookie('ut_account', pro_key, domain='localhost')
        self.assertEqual(visitor.get('/en/account').status_code, 303)

        site = self.client()
        self.login(site, 'gifts@kantoorco.be', password=PRO_PASSWORD)
        site_key = site.get_cookie('ut_account').value
        self.assertEqual(site.get('/en/account').status_code, 200)
        # the site's cookie is no pro session ...
        self.assertEqual(site.get('/en/pro/catalogue').status_code, 303)
        other = self.client()
        other.set_cookie('ut_pro', site_key, domain='localhost')
        self.assertEqual(other.get('/en/pro/catalogue').status_code, 303)
        # ... nor a bearer token of the app
        self.assertProblem(self.client().get('/api/v1/me', headers={
                    'Authorization': 'Bearer %s' % site_key}), 401,
            'unauthenticated')
        token = self.json(self.client().post('/api/v1/auth/login', json={
                    'email': 'gifts@kantoorco.be',
                    'password': PRO_PASSWORD}))['token']
        app = self.client()
        app.set_cookie('ut_account', token, domain='localhost')
        self.assertEqual(app.get('/en/account').status_code, 303)

    def test_logout_and_csrf(self):
        """Logout (POST with the form's token) ends the session: its cookie
        no longer opens the account; forms without the token are refused"""
        email, user_id = self.new_customer()
        client = self.client()
        self.login(client, email)
        key = client.get_cookie('ut_account').value
        page = client.get('/en/account')
        token = csrf_of(page)

        refused = client.post('/en/account/addresses', data={
                'street': 'Veldstraat 1', 'postal_code': '9000',
                'city': 'Gent', 'country': 'BE'})
        self.assertEqual(refused.status_code, 403)
        self.assertIn('The form expired', self.html(refused))
        bad = client.post('/en/account/addresses', data={
                'csrf_token': token, 'street': 'Veldstraat 1',
                'postal_code': '90', 'city': 'Gent', 'country': 'BE'})
        self.assertEqual(bad.status_code, 422)
        self.assertIn('postal code', self.html(bad))
        added = client.post('/en/account/addresses', data={
                'csrf_token': token, 'street': 'Veldstraat 1',
                'postal_code': '9000', 'city': 'Gent', 'country': 'BE'})
        self.assertEqual(added.status_code, 303, self.html(added)[-800:])
        html = self.html(client.get('/en/account'))
        self.assertIn('Veldstraat 1, 9000 Gent', html)
        address = re.search(r'name="address" value="(\d+)"', html).group(1)
        # another customer's address cannot be removed
        stranger, _ = self.new_customer()
        intruder = self.client()
        self.login(intruder, stranger)
        foreign = intruder.post('/en/account/addresses/remove', data={
                'csrf_token': csrf_of(intruder.get('/en/account')),
                'address': address})
        self.assertEqual(foreign.status_code, 404)
        removed = client.post('/en/account/addresses/remove', data={
                'csrf_token': token, 'address': address})
        self.assertEqual(removed.status_code, 303)
        self.assertNotIn('Veldstraat 1', self.html(client.get('/en/account')))

        saved = client.post('/en/account/preferences', data={
                'csrf_token': token, 'language': 'nl', 'newsletter': 'yes'})
        self.assertEqual(saved.status_code, 303)

        def preferences():
            pool = Pool()
            company, = pool.get('company.company').search([], limit=1)
            # the party's language is a value per company
            with Transaction().set_context(company=company.id):
                party = pool.get('web.user')(user_id).party
                return party.lang.code, party.newsletter_subscribed
        self.assertEqual(committed(preferences), ('nl', True))

        forged = client.post('/en/account/logout')
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(client.get('/en/account').status_code, 200)
        out = client.post('/en/account/logout', data={'csrf_token': token})
        self.assertEqual(out.status_code, 303)
        self.assertEqual(client.get('/en/account').status_code, 303)
        replay = self.client()
        replay.set_cookie('ut_account', key, domain='localhost')
        self.assertEqual(replay.get('/en/account').status_code, 303)

    def test_checkout_logged_in(self):
        """Logged in, the checkout is prefilled and places the order for
        the customer's own party and web user; guests still order"""
        email, user_id = self.new_customer()
        client = self.client()
        self.login(client, email)
        page, placed = self.site_order(client,
            email='someone.else@example.com')
        self.assertIn('value="%s"' % email, self.html(page))
        self.assertIn('readonly', self.html(page))
        self.assertEqual(placed.status_code, 303, self.html(placed)[-1500:])
        html = self.html(client.get('/en/account'))
        number = re.search(r'/en/account/orders/([^"]+)"', html).group(1)
        facts = self.order_facts(number)
        self.assertEqual(facts['party'], self.user_party(user_id))
        self.assertEqual(facts['user'], user_id)

        guest = self.client()
        page, placed = self.site_order(guest,
            email='guest-%s@example.com' % uuid.uuid4().hex[:8])
        self.assertNotIn('readonly', self.html(page))
        self.assertEqual(placed.status_code, 303, self.html(placed)[-1500:])

    def test_collected_order_timeline_and_return(self):
        """A paid order collected in a shop: its timeline says so, and its
        articles can be returned once (urban_stock's return request)"""
        email, _ = self.new_customer()
        app = self.client()
        login = app.post('/api/v1/auth/login',
            json={'email': email, 'password': PASSWORD})
        auth = {'Authorization': 'Bearer %s' % self.json(login)['token']}
        product, shop, _ = self.in_stock(minimum=2)
        order, _ = paid_click_collect(self, app, auth, product, shop, 2)
        staff_steps(order['id'], 'mark_ready_for_pickup', 'mark_collected')
        client = self.client()
        self.login(client, email)
        path = '/en/account/orders/%s' % order['number']
        html = self.html(client.get(path))
        timeline = re.search(r'id="timeline">(.*?)</ol>', html, re.S).group(1)
        for step in ['Placed', 'Paid', 'Ready for pickup', 'Collected']:
            self.assertIn(step, timeline)
        self.assertIn('Collected', self.html(client.get('/en/account')))
        self.assertIn('id="return-form"', html)
        token = csrf_of(client.get(path))

        no_reason = client.post(path + '/return', data={
                'csrf_token': token, 'qty-%s' % product: '1'})
        self.assertEqual(no_reason.status_code, 422)
        too_many = client.post(path + '/return', data={
                'csrf_token': token, 'qty-%s' % product: '3',
                'reason': "Too small"})
        self.assertEqual(too_many.status_code, 422)
        self.assertIn('was not in the order', self.html(too_many))
        forged = client.post(path + '/return', data={
                'qty-%s' % product: '1', 'reason': "Too small"})
        self.assertEqual(forged.status_code, 403)
        asked = client.post(path + '/return', data={
                'csrf_token': token, 'qty-%s' % product: '1',
                'reason': "Too small"})
        self.assertEqual(asked.status_code, 303, self.html(asked)[-800:])
        html = self.html(client.get(asked.headers['Location']))
        self.assertIn('id="return-requested"', html)
        self.assertNotIn('id="return-form"', html)
        again = client.post(path + '/return', data={
                'csrf_token': token, 'qty-%s' % product: '1',
                'reason': "Too small"})
        self.assertEqual(again.status_code, 409)

        def requested():
            Sale = Pool().get('sale.sale')
            return [(l.product.id, l.quantity) for r in Sale(
                    order['id']).returns for l in r.lines]
        self.assertEqual(committed(requested), [(product, -1.0)])
        # the request is no order of the account
        self.assertEqual(len(re.findall(r'/en/account/orders/',
                    self.html(client.get('/en/account')))), 1)
