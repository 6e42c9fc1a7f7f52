"""The links of the account e-mails lead somewhere: without
`[web] email_validation_url` / `reset_password_url` configured, the
verification and reset e-mails link to the site's own pages
(/account/verify-email, /account/reset-password, in the customer's
language), which confirm the address and set a new password through
web.user's own methods."""
import re
import urllib.parse

from trytond.config import config

from tests.api_support import ApiTestCase

SITE = 'https://www.urbantherapy.test'


class WebsiteAccountTestCase(ApiTestCase):
    CONFIG = {
        ('session', 'max_attempt'): '5',
        ('email', 'from'): 'hello@urban-therapy.be',
        ('urban', 'api_cache_ttl'): '0',
        ('urban', 'site_url'): SITE,
        }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # as in the demo: the e-mails' links are not configured
        cls._web = {}
        for option in ('email_validation_url', 'reset_password_url'):
            cls._web[option] = config.get('web', option)
            if cls._web[option] is not None:
                config._config.remove_option('web', option)
        config._cache_clear()

    @classmethod
    def tearDownClass(cls):
        for option, value in cls._web.items():
            if value is not None:
                config.set('web', option, value)
        super().tearDownClass()

    def link(self, to, path):
        "The path and query of the last link to path e-mailed to to"
        for _, text in reversed(self.smtp.texts(to)):
            match = re.search(r'(https?://[^\s"<>]*%s\?[^\s"<>]+)'
                % re.escape(path), text)
            if match:
                url = urllib.parse.urlsplit(match.group(1).replace('&amp;',
                        '&'))
                self.assertEqual('%s://%s' % (url.scheme, url.netloc), SITE)
                return url.path + '?' + url.query
        self.fail('no link to %s in the e-mails to %s' % (path, to))

    def register(self, email, language):
        client = self.client()
        response = client.post('/api/v1/auth/register', json={
                'email': email, 'password': 'Correct-Horse-Battery-9',
                'name': "Camille Test", 'language': language})
        self.assertEqual(response.status_code, 202, response.data)
        login = client.post('/api/v1/auth/login', json={
                'email': email, 'password': 'Correct-Horse-Battery-9'})
        self.assertEqual(login.status_code, 200, login.data)
        return {'Authorization': 'Bearer %s' % self.json(login)['token']}

    def test_verify_email_page(self):
        "The verification link opens a page whose button confirms"
        auth = self.register('verify.page@example.be', 'nl')
        path = self.link('verify.page@example.be', '/account/verify-email')
        self.assertTrue(path.startswith('/nl/account/verify-email?'), path)
        client = self.client()
        shown = client.get(path)
        self.assertEqual(shown.status_code, 200)
        html = shown.get_data(as_text=True)
        self.assertIn('Bevestig je e-mailadres', html)
        self.assertIn('noindex', html)
        # a mail scanner's GET changed nothing
        me = self.json(self.client().get('/api/v1/me', headers=auth))
        self.assertFalse(me['email_verified'])
        token = urllib.parse.parse_qs(path.split('?', 1)[1])['token'][0]
        done = client.post('/nl/account/verify-email',
            data={'token': token})
        self.assertEqual(done.status_code, 200)
        self.assertIn('Je e-mailadres is bevestigd',
            done.get_data(as_text=True))
        me = self.json(self.client().get('/api/v1/me', headers=auth))
        self.assertTrue(me['email_verified'])
        # used once only
        again = client.post('/nl/account/verify-email',
            data={'token': token})
        self.assertEqual(again.status_code, 400)
        self.assertEqual(client.post('/account/verify-email',
                data={'token': 'nope'}).status_code, 400)

    def test_reset_password_page(self):
        "The reset link opens a form; the new password logs in"
        old_session = self.register('reset.page@example.be', 'fr')
        client = self.client()
        asked = client.post('/api/v1/auth/password-reset',
            json={'email': 'reset.page@example.be'})
        self.assertEqual(asked.status_code, 202)
        path = self.link('reset.page@example.be', '/account/reset-password')
        self.assertTrue(path.startswith('/account/reset-password?'), path)
        form = client.get(path)
        self.assertEqual(form.status_code, 200)
        self.assertIn('Choisissez un nouveau mot de passe',
            form.get_data(as_text=True))
        query = urllib.parse.parse_qs(path.split('?', 1)[1])
        values = {'token': query['token'][0], 'email': query['email'][0]}

        weak = client.post('/account/reset-password',
            data=dict(values, password='password', confirm='password'))
        self.assertEqual(weak.status_code, 422)
        differ = client.post('/account/reset-password', data=dict(values,
                password='Moss-Lantern-Quartz-41',
                confirm='Moss-Lantern-Quartz-42'))
        self.assertEqual(differ.status_code, 422)
        self.assertIn('Les deux mots de passe sont différents',
            differ.get_data(as_text=True))

        changed = client.post('/account/reset-password', data=dict(values,
                password='Moss-Lantern-Quartz-41',
                confirm='Moss-Lantern-Quartz-41'))
        self.assertEqual(changed.status_code, 200,
            changed.get_data(as_text=True))
        self.assertIn('Votre mot de passe est modifié',
            changed.get_data(as_text=True))
        login = client.post('/api/v1/auth/login', json={
                'email': 'reset.page@example.be',
                'password': 'Moss-Lantern-Quartz-41'})
        self.assertEqual(login.status_code, 200)
        # the sessions opened with the old password are closed
        self.assertEqual(client.get('/api/v1/me',
                headers=old_session).status_code, 401)
        # the link is used up
        self.assertEqual(client.post('/account/reset-password',
                data=dict(values, password='Other-Lantern-Quartz-77',
                    confirm='Other-Lantern-Quartz-77')).status_code, 400)

    def test_broken_links(self):
        client = self.client()
        for path in ['/account/reset-password',
                '/account/reset-password?token=abc',
                '/en/account/verify-email']:
            response = client.get(path)
            self.assertEqual(response.status_code, 400, path)
            self.assertIn('invalid', response.get_data(as_text=True))

    def test_guessing_tokens_is_limited(self):
        "Wrong reset tokens count as failed logins: 429 at once past them"
        self.register('guess.page@example.be', 'fr')
        client = self.client()
        statuses = []
        for i in range(12):
            response = client.post('/account/reset-password', data={
                    'email': 'guess.page@example.be', 'token': 'f%031d' % i,
                    'password': 'Moss-Lantern-Quartz-41',
                    'confirm': 'Moss-Lantern-Quartz-41'})
            statuses.append(response.status_code)
        self.assertEqual(set(statuses), {400, 429}, statuses)
        self.assertEqual(statuses[-1], 429)
        self.assertTrue(response.headers['Retry-After'].isdigit())
