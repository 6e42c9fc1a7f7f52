"""Login limits (urban_stock/login.py) on every login of the platform: the
app's /api/v1/auth/login, the pro portal's /pro/login and the back office's
JSON-RPC common.db.login. Failures are refused at once with a truthful
Retry-After, never by sleeping; a login is limited per client network
first and from anywhere only past a higher limit; the owner gets in again
once the window has passed. The clock of the limits is moved by the test."""
import datetime as dt
import json
import re
import threading
import time
from unittest import mock

from trytond.tests.test_tryton import DB_NAME

from tests.api_support import ApiTestCase

WINDOW = 900
T0 = dt.datetime(2030, 1, 1, 12, 0, 0)
NETWORK_A = {'REMOTE_ADDR': '198.51.100.7'}
NETWORK_B = {'REMOTE_ADDR': '203.0.113.9'}
NETWORK_C = {'REMOTE_ADDR': '192.0.2.44'}


class LoginThrottleTestCase(ApiTestCase):
    CONFIG = {**ApiTestCase.CONFIG,
        ('session', 'max_attempt'): '3',
        ('session', 'max_attempt_login'): '6',
        ('session', 'login_window'): str(WINDOW),
        }

    def setUp(self):
        super().setUp()
        self.clock = T0
        patch = mock.patch('urban_stock.login.now', lambda: self.clock)
        patch.start()
        self.addCleanup(patch.stop)

    def tick(self, seconds):
        self.clock += dt.timedelta(seconds=seconds)

    def timed(self, call, *args, **kwargs):
        """call(...) whose answer must come without sleeping: no sleep of
        half a second or more is asked (Tryton's were 1, 3, 7... s) and the
        answer comes within a bound generous enough for a password hash on
        a busy machine"""
        sleeps = []
        real_sleep = time.sleep
        request_thread = threading.current_thread()

        def sleep(seconds):
            # other threads of the process (trytond's status listener
            # sleeps 60 s in a loop) sleep as they would
            if threading.current_thread() is not request_thread:
                return real_sleep(seconds)
            sleeps.append(seconds)
            real_sleep(min(seconds, 0.1))
        with mock.patch('time.sleep', sleep):
            start = time.monotonic()
            response = call(*args, **kwargs)
            elapsed = time.monotonic() - start
        self.assertFalse([s for s in sleeps if s >= 0.5],
            "the request slept")
        self.assertLess(elapsed, 3, "the request took too long")
        return response

    def assertRefused(self, response, retry_after):
        self.assertEqual(response.status_code, 429, response.data[-500:])
        self.assertEqual(response.headers.get('Retry-After'),
            str(retry_after))

    # -- app API --------------------------------------------------------------

    def api_login(self, network, email, password):
        return self.timed(self.client().post, '/api/v1/auth/login',
            json={'email': email, 'password': password},
            environ_base=network)

    def test_api(self):
        "Per network, then per account; Retry-After; back after the window"
        email, password = 'limits@example.be', 'velvet lantern orbit 47'
        response = self.client().post('/api/v1/auth/register', json={
                'email': email, 'password': password, 'name': "Limits"})
        self.assertEqual(response.status_code, 202, response.data)

        # more than max_attempt (3) failures from network A: A is refused
        for _ in range(4):
            self.assertProblem(self.api_login(NETWORK_A, email, 'wrong'),
                401, 'invalid_credentials')
            self.tick(1)
        self.tick(10)                           # T0 + 14 s
        refused = self.api_login(NETWORK_A, email, password)
        self.assertRefused(refused, WINDOW - 14)
        self.assertProblem(refused, 429, 'rate_limited')
        # refusals are not counted: they do not push the end further
        self.tick(6)
        self.assertRefused(self.api_login(NETWORK_A, email, 'wrong'),
            WINDOW - 20)

        # the owner, from network B, is not locked out by A's failures
        self.assertEqual(self.api_login(NETWORK_B, email, password)
            .status_code, 200)
        # ... until the account's own limit (max_attempt_login = 6)
        for _ in range(3):
            self.assertProblem(self.api_login(NETWORK_B, email, 'wrong'),
                401, 'invalid_credentials')
        self.assertRefused(self.api_login(NETWORK_C, email, password),
            WINDOW - 20)

        # once the window has passed, the owner logs in again from A
        self.clock = T0 + dt.timedelta(seconds=WINDOW + 4)
        self.assertEqual(self.api_login(NETWORK_A, email, password)
            .status_code, 200)

    def test_api_password_reset_token(self):
        "Guessing reset tokens is limited like the logins, without sleeping"
        email = 'token-limits@example.be'
        response = self.client().post('/api/v1/auth/register', json={
                'email': email, 'password': 'velvet lantern orbit 47',
                'name': "Token"})
        self.assertEqual(response.status_code, 202, response.data)
        for _ in range(4):
            response = self.timed(self.client().post,
                '/api/v1/auth/password-reset/confirm', json={
                    'email': email, 'token': 'guess',
                    'password': 'copper meadow violin 58'},
                environ_base=NETWORK_A)
            self.assertProblem(response, 400, 'invalid_token')
        response = self.timed(self.client().post,
            '/api/v1/auth/password-reset/confirm', json={
                'email': email, 'token': 'guess',
                'password': 'copper meadow violin 58'}, environ_base=NETWORK_A)
        self.assertRefused(response, WINDOW)

    # -- pro portal -----------------------------------------------------------

    def pro_login(self, network, email, password, lang=''):
        client = self.client()
        home = client.get(lang + '/pro/', environ_base=network)
        csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"',
            home.get_data(as_text=True)).group(1)
        return self.timed(client.post, lang + '/pro/login', data={
                'csrf_token': csrf, 'email': email, 'password': password},
            environ_base=network)

    def test_pro_portal(self):
        "The pro login refuses at once, in the page's language"
        email, password = 'gifts@kantoorco.be', 'urban-demo'
        for _ in range(4):
            self.assertEqual(self.pro_login(NETWORK_A, email, 'wrong')
                .status_code, 401)
        self.tick(60)
        refused = self.pro_login(NETWORK_A, email, password, lang='/nl')
        self.assertRefused(refused, WINDOW - 60)
        self.assertIn("Probeer het over 14 min. opnieuw",
            refused.get_data(as_text=True))
        self.assertEqual(self.pro_login(NETWORK_B, email, password)
            .status_code, 303)
        self.clock = T0 + dt.timedelta(seconds=WINDOW + 1)
        self.assertEqual(self.pro_login(NETWORK_A, email, password)
            .status_code, 303)

    # -- back office ----------------------------------------------------------

    def backoffice_login(self, network, login, password):
        return self.timed(self.client().post, '/%s/rpc/' % DB_NAME,
            data=json.dumps({'id': 1, 'method': 'common.db.login',
                    'params': [login, {'password': password}, 'en']}),
            content_type='application/json', environ_base=network)

    def test_backoffice(self):
        "common.db.login: 429 at once with Retry-After instead of sleeping"
        login, password = 'manager', 'urban-demo'
        for _ in range(4):
            response = self.backoffice_login(NETWORK_A, login, 'wrong')
            self.assertEqual(response.status_code, 401, response.data)
        self.tick(30)
        self.assertRefused(self.backoffice_login(NETWORK_A, login,
                password), WINDOW - 30)
        response = self.backoffice_login(NETWORK_B, login, password)
        self.assertEqual(response.status_code, 200, response.data)
        self.assertIn('result', json.loads(response.data))
        self.clock = T0 + dt.timedelta(seconds=WINDOW + 1)
        response = self.backoffice_login(NETWORK_A, login, password)
        self.assertEqual(response.status_code, 200, response.data)

    # -- Tryton's other doors that slept (urbantherapy/nosleep.py) ----------

    def no_sleep(self, call, *args, **kwargs):
        """call(...) with time.sleep raising: Tryton's sleeps on failure
        (user applications, back-office password reset) are gone"""
        def sleep(seconds):
            raise AssertionError("the request slept %s s" % seconds)
        with mock.patch('time.sleep', sleep):
            start = time.monotonic()
            response = call(*args, **kwargs)
            elapsed = time.monotonic() - start
        self.assertLess(response.status_code, 500, response.data[-800:])
        self.assertLess(elapsed, 3, "the request took too long")
        return response

    def user_application(self, method, network, **data):
        return self.no_sleep(self.client().open,
            '/%s/user/application/' % DB_NAME, method=method,
            data=json.dumps(data), content_type='application/json',
            environ_base=network)

    def test_user_application(self):
        """POST and DELETE /<db>/user/application/ answer at once: a wrong
        key is 404, past the limit 429 with Retry-After; the right key
        still revokes the application from another network"""
        login = 'b2b'
        requested = self.user_application('POST', NETWORK_A, user=login,
            application='rest')
        self.assertEqual(requested.status_code, 200, requested.data)
        key = json.loads(requested.data)
        unknown = self.user_application('POST', NETWORK_A,
            user='nobody-here', application='rest')
        self.assertEqual(unknown.status_code, 200, unknown.data)
        for _ in range(4):
            wrong = self.user_application('DELETE', NETWORK_A, user=login,
                key='guess', application='rest')
            self.assertEqual(wrong.status_code, 404, wrong.data)
        self.tick(5)
        self.assertRefused(self.user_application('DELETE', NETWORK_A,
                user=login, key=key, application='rest'), WINDOW - 5)
        # hostile bodies: 400, nothing sleeps
        for body in [{'user': 5}, {'user': ['x']}, {},
                {'user': login, 'key': 5, 'application': 'rest'}]:
            response = self.user_application('DELETE', NETWORK_C, **body)
            self.assertIn(response.status_code, {400, 404}, body)
        revoked = self.user_application('DELETE', NETWORK_B, user=login,
            key=key, application='rest')
        self.assertEqual(revoked.status_code, 200, revoked.data)
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        with Transaction().start(DB_NAME, 0, readonly=True):
            Application = Pool().get('res.user.application')
            self.assertFalse(Application.search([('key', '=', key)]))

    def test_backoffice_reset_password(self):
        """common.db.reset_password answers at once for a known and an
        unknown login (Tryton slept up to 1 s); the known one gets its
        e-mail"""
        for login in ['staff.bxl', 'nobody-at-all']:
            response = self.no_sleep(self.client().post, '/%s/rpc/' % DB_NAME,
                data=json.dumps({'id': 1,
                        'method': 'common.db.reset_password',
                        'params': [login, 'en']}),
                content_type='application/json', environ_base=NETWORK_C)
            self.assertEqual(response.status_code, 200, response.data)
            self.assertEqual(json.loads(response.data),
                {'id': 1, 'result': None})
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        with Transaction().start(DB_NAME, 0, readonly=True):
            User = Pool().get('res.user')
            user, = User.search([('login', '=', 'staff.bxl')])
            self.assertTrue(user.password_reset)
