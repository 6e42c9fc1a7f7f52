"""/api/v1 accounts on the demo data: register + e-mail verification,
login with rate limit, logout, /me, password reset, GDPR export and
erasure."""
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from tests.api_support import ApiTestCase


class ApiAuthTestCase(ApiTestCase):

    def register(self, email, language='fr', consent=False,
            password='correct horse'):
        "Register then log in, as the app does; the session"
        client = self.client()
        response = client.post('/api/v1/auth/register', json={
                'email': email, 'password': password, 'name': "Camille Test",
                'language': language, 'marketing_consent': consent})
        self.assertEqual(response.status_code, 202, response.data)
        login = client.post('/api/v1/auth/login', json={
                'email': email, 'password': password})
        self.assertEqual(login.status_code, 200, login.data)
        return self.json(login)

    def auth(self, token):
        return {'Authorization': 'Bearer %s' % token}

    def test_register_verify_and_me(self):
        "Register sends the verification e-mail in the chosen language"
        session = self.register('Camille.Reg@Example.be', language='nl',
            consent=True)
        user = session['user']
        self.assertEqual(user['email'], 'camille.reg@example.be')
        self.assertFalse(user['email_verified'])
        self.assertEqual(user['language'], 'nl')
        self.assertTrue(user['consent']['marketing'])
        self.assertTrue(user['consent']['marketing_changed_at'])
        self.assertTrue(session['expires_at'])

        texts = self.smtp.texts('camille.reg@example.be')
        self.assertTrue(texts)
        subject, text = texts[0]
        self.assertEqual(subject, "E-mailvalidatie")
        self.assertIn("Nog maar één stap", text)
        token = self.smtp.token('camille.reg@example.be')
        self.assertTrue(token)

        client = self.client()
        bad = client.post('/api/v1/auth/verify-email', json={'token': 'nope'})
        self.assertProblem(bad, 400, 'invalid_token')
        verified = client.post('/api/v1/auth/verify-email',
            json={'token': token})
        self.assertEqual(verified.status_code, 200, verified.data)
        self.assertTrue(self.json(verified)['email_verified'])

        me = client.get('/api/v1/me', headers=self.auth(session['token']))
        self.assertEqual(me.status_code, 200)
        self.assertTrue(self.json(me)['email_verified'])

    def test_register_bad_input(self):
        "Short password, bad e-mail, unknown language: 422"
        client = self.client()
        for body in [
                {'email': 'x@example.be', 'password': 'short', 'name': 'X'},
                {'email': 'not-an-email', 'password': 'long enough',
                    'name': 'X'},
                {'email': 'x@example.be', 'password': 'long enough',
                    'name': 'X', 'language': 'de'},
                {'email': 'x@example.be', 'password': 'long enough'},
                # line breaks for the e-mail headers (found by schemathesis)
                {'email': 'p\x1cq@example.be', 'password': 'long enough',
                    'name': 'X'},
                {'email': 'p@exa\u2028mple.be', 'password': 'long enough',
                    'name': 'X'},
                {'email': 'p@exa\x85mple.be', 'password': 'long enough',
                    'name': 'X'},
                ]:
            response = client.post('/api/v1/auth/register', json=body)
            problem = self.assertProblem(response, 422, 'validation_error')
            self.assertTrue(problem['errors'])

    def test_login_logout(self):
        "Login opens a session usable as bearer; logout closes it"
        self.register('login@example.be')
        client = self.client()
        wrong = client.post('/api/v1/auth/login', json={
                'email': 'login@example.be', 'password': 'wrong password'})
        self.assertProblem(wrong, 401, 'invalid_credentials')
        response = client.post('/api/v1/auth/login', json={
                'email': 'LOGIN@example.be', 'password': 'correct horse'})
        self.assertEqual(response.status_code, 200, response.data)
        session = self.json(response)
        self.assertEqual(session['user']['email'], 'login@example.be')
        headers = self.auth(session['token'])
        self.assertEqual(client.get('/api/v1/me', headers=headers)
            .status_code, 200)
        self.assertEqual(client.post('/api/v1/auth/logout', headers=headers)
            .status_code, 204)
        self.assertProblem(client.get('/api/v1/me', headers=headers), 401,
            'unauthenticated')
        self.assertProblem(client.get('/api/v1/me'), 401, 'unauthenticated')
        self.assertProblem(client.get('/api/v1/me',
                headers=self.auth('f' * 64)), 401, 'unauthenticated')

    def test_login_rate_limited(self):
        "Repeated failures for an e-mail answer 429 (max_attempt = 1 here)"
        self.register('brute@example.be')
        client = self.client()
        statuses = []
        for _ in range(3):
            response = client.post('/api/v1/auth/login', json={
                    'email': 'brute@example.be', 'password': 'guess guess'})
            statuses.append(response.status_code)
        self.assertEqual(statuses, [401, 401, 429])
        problem = self.assertProblem(response, 429, 'rate_limited')
        self.assertTrue(problem['title'])
        self.assertIn('Retry-After', response.headers)
        # even the right password is refused while limited
        right = client.post('/api/v1/auth/login', json={
                'email': 'brute@example.be', 'password': 'correct horse'})
        self.assertProblem(right, 429, 'rate_limited')

    def test_patch_me(self):
        "Name, language and consent change; bad values are 422"
        session = self.register('patch@example.be')
        client = self.client()
        headers = self.auth(session['token'])
        response = client.patch('/api/v1/me', headers=headers, json={
                'name': "Camille Patched", 'language': 'en',
                'marketing_consent': True})
        self.assertEqual(response.status_code, 200, response.data)
        user = self.json(response)
        self.assertEqual(user['name'], "Camille Patched")
        self.assertEqual(user['language'], 'en')
        self.assertTrue(user['consent']['marketing'])
        self.assertProblem(client.patch('/api/v1/me', headers=headers,
                json={'language': 'xx'}), 422, 'validation_error')
        self.assertProblem(client.patch('/api/v1/me', headers=headers,
                json={'unknown': 1}), 422, 'validation_error')
        self.assertProblem(client.patch('/api/v1/me', json={'name': 'x'}),
            401)

    def test_password_reset(self):
        "Reset always 202; the e-mailed token sets a new password once"
        session = self.register('reset@example.be')
        client = self.client()
        unknown = client.post('/api/v1/auth/password-reset',
            json={'email': 'nobody@example.be'})
        self.assertEqual(unknown.status_code, 202)
        response = client.post('/api/v1/auth/password-reset',
            json={'email': 'reset@example.be'})
        self.assertEqual(response.status_code, 202)
        subjects = [s for s, _ in self.smtp.texts('reset@example.be')]
        self.assertIn("Réinitialiser le mot de passe", subjects)
        token = self.smtp.token('reset@example.be')
        bad = client.post('/api/v1/auth/password-reset/confirm', json={
                'email': 'reset@example.be', 'token': 'bad',
                'password': 'brand new pass'})
        self.assertProblem(bad, 400, 'invalid_token')
        # the bad attempt cleared the token (Tryton's set_password_token):
        # ask again
        client.post('/api/v1/auth/password-reset',
            json={'email': 'reset@example.be'})
        token2 = self.smtp.token('reset@example.be')
        self.assertProblem(client.post('/api/v1/auth/password-reset/confirm',
                json={'email': 'reset@example.be', 'token': token2,
                    'password': 'short'}), 422, 'validation_error')
        ok = client.post('/api/v1/auth/password-reset/confirm', json={
                'email': 'reset@example.be', 'token': token2,
                'password': 'brand new pass'})
        self.assertEqual(ok.status_code, 204, ok.data)
        # old sessions are closed, the new password works
        self.assertProblem(client.get('/api/v1/me',
                headers=self.auth(session['token'])), 401)
        login = client.post('/api/v1/auth/login', json={
                'email': 'reset@example.be', 'password': 'brand new pass'})
        self.assertEqual(login.status_code, 200, login.data)
        self.assertNotEqual(token, None)

    def test_export_and_delete(self):
        "GDPR: export lists party, addresses, orders; delete anonymises"
        session = self.register('gdpr@example.be', consent=True)
        client = self.client()
        headers = self.auth(session['token'])
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            WebUser = pool.get('web.user')
            Party = pool.get('party.party')
            Country = pool.get('country.country')
            user, = WebUser.search([('email', '=', 'gdpr@example.be')])
            party_id = user.party.id
            belgium, = Country.search([('code', '=', 'BE')])
            Party.write([user.party], {'addresses': [('create', [{
                                'street': 'Rue Haute 1', 'city': 'Bruxelles',
                                'postal_code': '1000',
                                'country': belgium.id}])]})
            transaction.commit()
        export = client.get('/api/v1/me/export', headers=headers)
        self.assertEqual(export.status_code, 200, export.data)
        self.assertEqual(export.headers['Cache-Control'], 'no-store')
        data = self.json(export)
        self.assertEqual(data['party']['name'], "Camille Test")
        self.assertEqual(data['addresses'][0]['city'], 'Bruxelles')
        self.assertIn({'type': 'email', 'value': 'gdpr@example.be'},
            data['contacts'])
        self.assertTrue(data['user']['consent']['marketing'])
        self.assertEqual(data['orders'], [])

        deleted = client.delete('/api/v1/me', headers=headers)
        self.assertEqual(deleted.status_code, 204, deleted.data)
        self.assertProblem(client.get('/api/v1/me', headers=headers), 401)
        self.assertProblem(client.post('/api/v1/auth/login', json={
                    'email': 'gdpr@example.be',
                    'password': 'correct horse'}), 401)
        with Transaction().start(DB_NAME, 0, context={
                    'active_test': False}):
            pool = Pool()
            Party = pool.get('party.party')
            party = Party(party_id)
            self.assertFalse(party.active)
            self.assertFalse(party.name)
            self.assertFalse(party.marketing_consent)
            self.assertFalse(party.addresses[0].city)
            self.assertTrue(all(c.value == '****'
                    for c in party.contact_mechanisms))
        # the address can register again
        self.register('gdpr@example.be')
