"""Pro and customer sessions are separate scopes, and closing a pro
buyer's account removes the buyer, never its company (demo business, the
whole WSGI app)."""
import json
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware

from .test_pro_portal import csrf_of

PASSWORD = 'urban-demo'


class ProScopesTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def pro_login(self, client, email):
        "The pro portal's session cookie after logging in"
        home = client.get('/pro/')
        response = client.post('/pro/login', data={
                'csrf_token': csrf_of(home), 'email': email,
                'password': PASSWORD})
        self.assertEqual(response.status_code, 303, response.data[-500:])
        return client.get_cookie('ut_pro').value

    def api_login(self, client, email):
        "A bearer token of the app's API"
        response = client.post('/api/v1/auth/login',
            json={'email': email, 'password': PASSWORD})
        self.assertEqual(response.status_code, 200, response.data)
        return json.loads(response.data)['token']

    def test_sessions_do_not_cross_channels(self):
        "A portal cookie is no API bearer token, an API token no cookie"
        portal = self.client()
        cookie = self.pro_login(portal, 'gifts@kantoorco.be')
        # the portal takes its own session
        self.assertEqual(portal.get('/en/pro/').status_code, 303)
        self.assertEqual(portal.get('/en/pro/catalogue').status_code, 200)
        response = self.client().get('/api/v1/me',
            headers={'Authorization': 'Bearer %s' % cookie})
        self.assertEqual(response.status_code, 401, response.data)
        self.assertEqual(json.loads(response.data)['code'],
            'unauthenticated')

        token = self.api_login(self.client(), 'gifts@kantoorco.be')
        response = self.client().get('/api/v1/me',
            headers={'Authorization': 'Bearer %s' % token})
        self.assertEqual(response.status_code, 200, response.data)
        other = self.client()
        other.set_cookie('ut_pro', token, domain='localhost')
        response = other.get('/en/pro/catalogue')
        self.assertEqual(response.status_code, 303)
        self.assertIn('/en/pro/', response.headers['Location'])
        self.assertEqual(other.get('/en/pro/').status_code, 200)

    def test_closing_a_buyer_keeps_the_company(self):
        "DELETE /api/v1/me of a pro buyer removes the buyer, not its company"
        email = 'inkoop@hetwinkeltje.be'
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            WebUser = pool.get('web.user')
            buyer, = WebUser.search([('email', '=', email)])
            company = buyer.party
            company_id, name = company.id, company.name
            identifiers = sorted(i.code for i in company.identifiers)
            addresses = len(company.addresses)
        # a colleague buys for the same company
        with Transaction().start(DB_NAME, 0) as transaction:
            WebUser = Pool().get('web.user')
            # the demo's published password, stored as the demo stores it
            # (too easy to guess for the password policy)
            WebUser.create([{'email': 'tom@hetwinkeltje.be',
                        'password_hash': WebUser.hash_password(PASSWORD),
                        'email_valid': True, 'party': company_id}])
            transaction.commit()
        portal = self.client()
        self.pro_login(portal, email)
        token = self.api_login(self.client(), email)

        response = self.client().delete('/api/v1/me',
            headers={'Authorization': 'Bearer %s' % token})
        self.assertEqual(response.status_code, 204, response.data)

        with Transaction().start(DB_NAME, 0, readonly=True,
                context={'active_test': False}):
            pool = Pool()
            Party = pool.get('party.party')
            WebUser = pool.get('web.user')
            company = Party(company_id)
            self.assertTrue(company.active)
            self.assertEqual(company.name, name)
            self.assertEqual(company.b2b_state, 'approved')
            self.assertEqual(
                sorted(i.code for i in company.identifiers), identifiers)
            self.assertEqual(len(company.addresses), addresses)
            # the buyer's own e-mail address is gone from the company
            self.assertNotIn(email,
                [c.value for c in company.contact_mechanisms])
            removed = WebUser(buyer.id)
            self.assertFalse(removed.active)
            self.assertIsNone(removed.email)
            self.assertIsNone(removed.password_hash)
            colleague, = WebUser.search([
                    ('email', '=', 'tom@hetwinkeltje.be')])
            self.assertTrue(colleague.active)
            self.assertEqual(colleague.party.id, company_id)
        # logged out everywhere; the colleague still buys for the company
        self.assertEqual(portal.get('/en/pro/catalogue').status_code, 303)
        login = self.client()
        home = login.get('/pro/')
        response = login.post('/pro/login', data={
                'csrf_token': csrf_of(home), 'email': email,
                'password': PASSWORD})
        self.assertEqual(response.status_code, 401)
        self.pro_login(self.client(), 'tom@hetwinkeltje.be')
