"""Hardening of the public doors on the demo data: no account enumeration
(API register and password reset, pro application), the password policy
through the API, public forms throttled per client address (429 with
Retry-After at once), QR scans counted once per device and day."""
import re
import time

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from .api_support import ApiTestCase, load_translations

KNOWN_PRO = 'achats@maisonfleurie.be'


def csrf_of(response):
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"',
        response.get_data(as_text=True))
    return match.group(1) if match else None


class ClientFrom:
    "A werkzeug test client with its own WSGI environment values"

    def __init__(self, client, environ):
        self.client, self.environ = client, environ

    def open(self, method, *args, **kwargs):
        kwargs.setdefault('environ_base', self.environ)
        return getattr(self.client, method)(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self.open('get', *args, **kwargs)

    def post(self, *args, **kwargs):
        return self.open('post', *args, **kwargs)


class ChannelHardeningTestCase(ApiTestCase):
    CONFIG = {**ApiTestCase.CONFIG,
        ('urban', 'form_throttle'): '3/3600',
        ('urban', 'site_url'): 'https://www.urbantherapy.test'}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_translations('urban_catalog')

    def client_from(self, address):
        "A client whose requests come from address"
        return ClientFrom(self.client(), {'REMOTE_ADDR': address,
                'HTTP_USER_AGENT': 'Hardening/1.0'})

    def timed(self, function, *args, **kwargs):
        start = time.perf_counter()
        response = function(*args, **kwargs)
        return response, time.perf_counter() - start

    def count(self, model, domain):
        with Transaction().start(DB_NAME, 0, readonly=True):
            return Pool().get(model).search(domain, count=True)

    # -- accounts (API) -----------------------------------------------------

    def test_register_answers_the_same(self):
        "A new and a known address: same status and body, both hashed"
        client = self.client()
        body = {'password': 'tulipe orange velo', 'name': "Noor Claes",
            'language': 'nl'}
        client.post('/api/v1/auth/register',
            json=dict(body, email='warm-up@example.be'))
        new_times, known_times = [], []
        for i in range(2):
            email = 'noor%s@example.be' % i
            new, new_time = self.timed(client.post, '/api/v1/auth/register',
                json=dict(body, email=email))
            known, known_time = self.timed(client.post,
                '/api/v1/auth/register', json=dict(body,
                    email=email.upper(), password='another fine phrase'))
            self.assertEqual(new.status_code, 202, new.data)
            self.assertEqual((known.status_code, known.data),
                (new.status_code, new.data))
            new_times.append(new_time)
            known_times.append(known_time)
        self.assertEqual(self.count('web.user',
                [('email', '=', 'noor0@example.be')]), 1)
        # the owner of the known address is told by e-mail
        subjects = [s for s, _ in self.smtp.texts('noor0@example.be')]
        self.assertIn("E-mailvalidatie", subjects)
        self.assertIn("Je hebt al een Urban Therapy-account", subjects)
        # the password of the account did not change; logging in works
        login = client.post('/api/v1/auth/login', json={
                'email': 'noor0@example.be',
                'password': 'tulipe orange velo'})
        self.assertEqual(login.status_code, 200, login.data)
        # the known branch hashes the password too: argon2 is most of the
        # time of a registration (without it: a few ms against ~1 s)
        print('register_new_s=%s register_known_s=%s' % (
                ','.join('%.3f' % t for t in new_times),
                ','.join('%.3f' % t for t in known_times)))
        self.assertGreater(sum(known_times), sum(new_times) * 0.3)

    def work(self, call, *args, **kwargs):
        """The costly work call(...) does in the request: password hashes,
        password strength checks (zxcvbn), e-mails sent and tasks queued
        (with a queue worker, as in production, so that queued work stays
        out of the request)"""
        import zxcvbn
        from trytond.config import config
        from trytond.res.user import PASSWORD_HASH
        from unittest import mock
        queued = lambda: self.count('ir.queue', [])  # noqa: E731
        sent, tasks = len(self.smtp.sent), queued()
        saved = config.get('queue', 'worker')
        config.set('queue', 'worker', 'True')
        try:
            with mock.patch.object(PASSWORD_HASH, 'hash',
                        wraps=PASSWORD_HASH.hash) as hashing, \
                    mock.patch('zxcvbn.zxcvbn',
                        wraps=zxcvbn.zxcvbn) as strength:
                response = call(*args, **kwargs)
        finally:
            config.set('queue', 'worker', saved or 'False')
        return response, {'hash': hashing.call_count,
            'strength': strength.call_count,
            'sent': len(self.smtp.sent) - sent, 'queued': queued() - tasks}

    def run_queue(self):
        "Run the tasks left for the worker (queued by work())"
        from trytond.transaction import TransactionError
        extras = {}
        while True:
            try:
                with Transaction().start(DB_NAME, 0, **extras
                        ) as transaction:
                    Queue = Pool().get('ir.queue')
                    for task in Queue.search([('dequeued_at', '=', None)],
                            order=[('id', 'ASC')]):
                        task.run()
                    transaction.commit()
                return
            except TransactionError as error:
                # a task must lock its table first: retry as trytond does
                error.fix(extras)

    def test_same_work_known_or_new(self):
        """Register, password reset and pro application do the same costly
        work in the request for a known and a new address: one password
        hash and one strength check (register, application), no e-mail
        sent in the request, the same number of tasks queued"""
        client = self.client()
        body = {'password': 'tulipe orange velo', 'name': "An Peeters",
            'language': 'nl'}
        self.register_ok('an.known@example.be')
        self.run_queue()
        new, new_work = self.work(client.post, '/api/v1/auth/register',
            json=dict(body, email='an.new@example.be'))
        known, known_work = self.work(client.post, '/api/v1/auth/register',
            json=dict(body, email='an.known@example.be'))
        self.assertEqual((new.status_code, new.data),
            (known.status_code, known.data))
        self.assertEqual(new_work, known_work)
        self.assertEqual(new_work['hash'], 1)
        self.assertEqual(new_work['sent'], 0)
        self.run_queue()
        self.assertIn("E-mailvalidatie",
            [s for s, _ in self.smtp.texts('an.new@example.be')])
        self.assertIn("Je hebt al een Urban Therapy-account",
            [s for s, _ in self.smtp.texts('an.known@example.be')])
        # the new account logs in with its password (hashed once)
        login = client.post('/api/v1/auth/login', json={
                'email': 'an.new@example.be',
                'password': 'tulipe orange velo'})
        self.assertEqual(login.status_code, 200, login.data)

        known, known_work = self.work(client.post,
            '/api/v1/auth/password-reset',
            json={'email': 'an.known@example.be'})
        new, new_work = self.work(client.post, '/api/v1/auth/password-reset',
            json={'email': 'an.nobody@example.be'})
        self.assertEqual((new.status_code, new.data),
            (known.status_code, known.data))
        self.assertEqual(new_work, known_work)
        self.assertEqual(new_work['sent'], 0)
        self.run_queue()
        self.assertTrue(self.smtp.token('an.known@example.be'))
        self.assertTrue(self.smtp.texts('an.nobody@example.be'))

        known, known_work = self.work(self.apply,
            self.client_from('192.0.2.61'), KNOWN_PRO)
        new, new_work = self.work(self.apply,
            self.client_from('192.0.2.62'), 'an@atelierpeeters.be')
        self.assertEqual(new[0].status_code, 200)
        self.assertEqual(self.page_text(known[0], KNOWN_PRO),
            self.page_text(new[0], 'an@atelierpeeters.be'))
        self.assertEqual(new_work['hash'], 1)
        self.assertEqual(new_work['sent'], 0)
        self.assertEqual(new_work, known_work)
        self.run_queue()
        self.assertTrue(self.smtp.texts('an@atelierpeeters.be'))

    def test_register_weak_password(self):
        "422 with the policy's message, whether the address is known or not"
        client = self.client()
        self.register_ok('weak@example.be')
        answers = []
        for email in ['weak@example.be', 'fresh-weak@example.be']:
            response = client.post('/api/v1/auth/register', json={
                    'email': email, 'password': 'wachtwoord123',
                    'name': "Wim", 'language': 'nl'},
                headers={'Accept-Language': 'nl'})
            problem = self.assertProblem(response, 422, 'weak_password')
            answers.append(problem['title'])
        self.assertEqual(answers[0], answers[1])
        self.assertIn('te makkelijk te raden', answers[0])
        for password in ['wim.example', 'urbantherapy2024', 'Bruxelles1000']:
            response = client.post('/api/v1/auth/register', json={
                    'email': 'wim@example.be', 'password': password,
                    'name': "Wim Example"})
            self.assertProblem(response, 422, 'weak_password')
        self.assertEqual(self.count('web.user',
                [('email', '=', 'wim@example.be')]), 0)

    def register_ok(self, email, password='tulipe orange velo'):
        response = self.client().post('/api/v1/auth/register', json={
                'email': email, 'password': password, 'name': "Test"})
        self.assertEqual(response.status_code, 202, response.data)

    def test_password_reset_answers_the_same(self):
        client = self.client()
        self.register_ok('reset-known@example.be')
        known = client.post('/api/v1/auth/password-reset',
            json={'email': 'reset-known@example.be'})
        unknown = client.post('/api/v1/auth/password-reset',
            json={'email': 'reset-unknown@example.be'},
            headers={'Accept-Language': 'en'})
        self.assertEqual((known.status_code, known.data),
            (unknown.status_code, unknown.data))
        self.assertEqual(known.status_code, 202)
        self.assertTrue(self.smtp.token('reset-known@example.be'))
        (subject, text), = self.smtp.texts('reset-unknown@example.be')
        self.assertEqual(subject, "Your Urban Therapy password request")
        self.assertIn('it has no account', text)
        # once a day for an unknown address
        again = client.post('/api/v1/auth/password-reset',
            json={'email': 'reset-unknown@example.be'})
        self.assertEqual((again.status_code, again.data),
            (known.status_code, known.data))
        self.assertEqual(len(self.smtp.texts('reset-unknown@example.be')), 1)

    def test_password_reset_confirm_weak_password(self):
        "A weak new password: 422, and the token still works after"
        client = self.client()
        self.register_ok('reset-weak@example.be')
        client.post('/api/v1/auth/password-reset',
            json={'email': 'reset-weak@example.be'})
        token = self.smtp.token('reset-weak@example.be')
        weak = client.post('/api/v1/auth/password-reset/confirm', json={
                'email': 'reset-weak@example.be', 'token': token,
                'password': 'password1234'})
        self.assertProblem(weak, 422, 'weak_password')
        ok = client.post('/api/v1/auth/password-reset/confirm', json={
                'email': 'reset-weak@example.be', 'token': token,
                'password': 'mouette ardoise grise'})
        self.assertEqual(ok.status_code, 204, ok.data)

    # -- pro application ----------------------------------------------------

    def apply(self, client, email, password='mouette ardoise grise',
            **values):
        form = client.get('/en/pro/apply')
        category = re.search(r'<option value="(\d+)"',
            form.get_data(as_text=True)).group(1)
        data = {
            'csrf_token': csrf_of(form), 'company_name': "Atelier Zinc",
            'vat_number': 'BE0403.170.701', 'peppol_id': '',
            'category': category, 'street': "Rue Haute 10",
            'postal_code': '1000', 'city': "Bruxelles", 'country': 'BE',
            'contact_name': "Zoé", 'email': email, 'phone': '',
            'password': password}
        data.update(values)
        return self.timed(client.post, '/en/pro/apply', data=data)

    def page_text(self, response, email):
        "The page without what differs by design (token, e-mail shown)"
        html = response.get_data(as_text=True)
        html = re.sub(r'name="csrf_token" value="[0-9a-f]+"', '', html)
        return html.replace(email, 'EMAIL')

    def test_pro_apply_answers_the_same(self):
        known, known_time = self.apply(self.client_from('192.0.2.21'),
            KNOWN_PRO)
        new, new_time = self.apply(self.client_from('192.0.2.22'),
            'zoe@atelierzinc.be')
        self.assertEqual(new.status_code, 200,
            new.get_data(as_text=True)[-600:])
        self.assertEqual(known.status_code, new.status_code)
        self.assertEqual(self.page_text(known, KNOWN_PRO),
            self.page_text(new, 'zoe@atelierzinc.be'))
        print('pro_apply_new_s=%.3f pro_apply_known_s=%.3f'
            % (new_time, known_time))
        self.assertGreater(known_time, new_time * 0.3)
        self.assertEqual(self.count('urban.b2b.application',
                [('email', '=', KNOWN_PRO)]), 0)
        self.assertEqual(self.count('urban.b2b.application',
                [('email', '=', 'zoe@atelierzinc.be')]), 1)
        subjects = [s for s, _ in self.smtp.texts(KNOWN_PRO)]
        self.assertIn("Urban Therapy Pro: your e-mail address", subjects)
        # a pending application's address: the same answer again
        pending, _ = self.apply(self.client_from('192.0.2.23'),
            'zoe@atelierzinc.be')
        self.assertEqual(self.page_text(pending, 'zoe@atelierzinc.be'),
            self.page_text(new, 'zoe@atelierzinc.be'))
        # invalid input is refused the same way for both
        address = iter(range(50, 100))
        for values in [{'password': 'password1234'},
                {'vat_number': 'BE0403.170.702'},
                {'contact_name': 'Zo\x00é'},
                {'city': 'Brux\u2028elles'}]:
            pages = []
            for email in [KNOWN_PRO, 'other@atelierzinc.be']:
                response, _ = self.apply(
                    self.client_from('192.0.2.%s' % next(address)),
                    email, **values)
                with self.subTest(email=email, values=values):
                    self.assertEqual(response.status_code, 400)
                pages.append(self.page_text(response, email))
            self.assertEqual(pages[0], pages[1])

    def clear_throttle(self):
        with Transaction().start(DB_NAME, 0) as transaction:
            Throttle = Pool().get('urban.throttle')
            Throttle.delete(Throttle.search([]))
            transaction.commit()

    def test_pro_apply_throttled(self):
        "Past the limit per address: 429 with Retry-After, nothing hashed"
        self.clear_throttle()
        statuses = []
        for _ in range(4):
            response, _ = self.apply(self.client_from('192.0.2.31'),
                'someone@example.be', password='short')
            statuses.append(response.status_code)
        self.assertEqual(statuses, [400, 400, 400, 429])
        self.assertTrue(0 < int(response.headers['Retry-After']) <= 3600)
        self.assertIn('Too many attempts', response.get_data(as_text=True))
        other, _ = self.apply(self.client_from('192.0.2.32'),
            'someone@example.be', password='short')
        self.assertEqual(other.status_code, 400)

    # -- newsletter ---------------------------------------------------------

    def test_newsletter_throttled_and_checked(self):
        self.clear_throttle()
        client = self.client_from('192.0.2.41')
        # a NUL is refused by every form (the generic 400 page); other
        # control characters by the newsletter's own check
        bad = client.post('/en/newsletter',
            data={'email': 'a\x07b@example.be', 'consent': 'yes'})
        self.assertEqual(bad.status_code, 400)
        self.assertIn('valid e-mail', bad.get_data(as_text=True))
        self.assertNotIn('\x07', bad.get_data(as_text=True))
        for _ in range(2):
            ok = client.post('/en/newsletter',
                data={'email': 'many@example.be', 'consent': 'yes'})
            self.assertEqual(ok.status_code, 303)
        limited = client.post('/en/newsletter',
            data={'email': 'many@example.be', 'consent': 'yes'})
        self.assertEqual(limited.status_code, 429)
        self.assertTrue(int(limited.headers['Retry-After']) > 0)
        self.assertIn('Too many attempts', limited.get_data(as_text=True))
        self.assertEqual(self.count('urban.loyalty.newsletter_consent',
                [('email', '=', 'many@example.be')]), 0)
        other = self.client_from('192.0.2.42').post('/en/newsletter',
            data={'email': 'many@example.be', 'consent': 'yes'})
        self.assertEqual(other.status_code, 303)

    # -- QR scans -----------------------------------------------------------

    def scans(self, code):
        return self.count('urban.loyalty.qr_scan',
            [('shop.shop_code', '=', code)])

    def test_qr_landing_once_per_device(self):
        before = self.scans('GNT')
        client = self.client_from('198.51.100.7')
        first = client.get('/app?shop=gnt')
        self.assertEqual(first.status_code, 200)
        self.assertIn('ut_device=', first.headers['Set-Cookie'])
        self.assertIn('HttpOnly', first.headers['Set-Cookie'])
        # reloading with the cookie, or without cookies from the same
        # browser and address: not counted again
        client.get('/app?shop=gnt')
        client.get('/nl/app?shop=GNT')
        self.client_from('198.51.100.7').get('/app?shop=gnt')
        self.assertEqual(self.scans('GNT'), before + 1)
        # another device counts
        self.client_from('198.51.100.8').get('/app?shop=gnt')
        self.assertEqual(self.scans('GNT'), before + 2)

    def test_qr_api_once_per_device(self):
        before = self.scans('LGG')
        client = self.client_from('198.51.100.20')
        for _ in range(2):
            response = client.post('/api/v1/qr-scans', json={'code': 'lgg'})
            self.assertEqual(response.status_code, 201, response.data)
        self.assertEqual(self.scans('LGG'), before + 1)
        self.register_ok('scanner@example.be')
        session = self.json(client.post('/api/v1/auth/login', json={
                    'email': 'scanner@example.be',
                    'password': 'tulipe orange velo'}))
        headers = {'Authorization': 'Bearer %s' % session['token']}
        for address in ['198.51.100.21', '198.51.100.22']:
            response = self.client_from(address).post('/api/v1/qr-scans',
                json={'code': 'lgg'}, headers=headers)
            self.assertEqual(response.status_code, 201, response.data)
            self.assertEqual(self.json(response)['shop'], 'LGG')
        self.assertEqual(self.scans('LGG'), before + 2)
