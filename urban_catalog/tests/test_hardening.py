"""The web users' password policy (zxcvbn with FR/NL/shop words and the
person's own data) and the throttle of public forms."""
import datetime as dt
import unittest

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import drop_db, with_transaction

from urbantherapy.testing import URBAN_MODULES, activate_module

from urban_catalog import password
from urban_catalog.throttle import client_key


class PasswordPolicyTestCase(unittest.TestCase):

    def test_weak_passwords(self):
        "Short, common, FR/NL/shop words or the person's own data: refused"
        for weak, email, name in [
                ('short1!', None, None),
                ('password123', None, None),
                ('motdepasse2024', None, None),
                ('wachtwoord123', None, None),
                ('Bruxelles1000', None, None),
                ('urbantherapy2024', None, None),
                ('boutique-gent', None, None),
                ('camille1990', 'camille@example.be', "Camille Dupont"),
                ('dupont.camille', 'c@example.be', "Camille Dupont"),
                ('Lotte.Peeters!', 'lotte@example.be', "Lotte Peeters"),
                ('x' * 129, None, None),
                ]:
            with self.subTest(password=weak):
                self.assertFalse(password.is_strong(weak, email, name))
                with self.assertRaises(UserError):
                    password.check_password(weak, email, name)

    def test_strong_passwords(self):
        for strong in ['tulipe orange velo', 'a-Long-passw0rd-for-tests',
                'correct horse battery staple', 'Gr1s-Ard01se-Mouette']:
            with self.subTest(password=strong):
                self.assertTrue(password.is_strong(strong,
                        'camille@example.be', "Camille Dupont"))
                password.check_password(strong, 'camille@example.be')

    def test_user_inputs(self):
        inputs = password.user_inputs('Camille.Dupont+shop@Example.be',
            "Camille Dupont")
        for word in ['camille', 'dupont', 'example', 'urban', 'winkel',
                'boutique', 'wachtwoord', 'motdepasse']:
            self.assertIn(word, inputs)


class HardeningDatabaseTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @with_transaction()
    def test_web_user_password_policy(self):
        "Every channel: web.user refuses a weak password, keeps a strong one"
        pool = Pool()
        WebUser = pool.get('web.user')
        Party = pool.get('party.party')
        party, = Party.create([{'name': "Lotte Peeters"}])
        # (each refused user stays inserted in this transaction that a
        # request would roll back: another address each time)
        with self.assertRaises(UserError) as context:
            WebUser.create([{'email': 'lotte1@example.be',
                        'password': 'wachtwoord1', 'party': party.id}])
        self.assertIn('too easy to guess', context.exception.message)
        with self.assertRaises(UserError) as context:
            WebUser.create([{'email': 'lotte2@example.be',
                        'password': 'lotte.peeters', 'party': party.id}])
        self.assertIn('too easy to guess', context.exception.message)
        user, = WebUser.create([{'email': 'lotte@example.be',
                    'password': 'tulipe orange velo', 'party': party.id}])
        self.assertTrue(user.password_hash)
        with self.assertRaises(UserError):
            WebUser.write([user], {'password': 'peeters2024'})
        # the placeholder the form shows leaves the password unchanged
        WebUser.write([user], {'password': 'x' * 10})
        self.assertTrue(WebUser.check_password('tulipe orange velo',
                WebUser(user.id).password_hash)[0])

    @with_transaction()
    def test_throttle(self):
        "limit actions per window; the refused one is not counted"
        pool = Pool()
        Throttle = pool.get('urban.throttle')
        for _ in range(3):
            self.assertIsNone(Throttle.hit('form', '192.0.2.1', 3, 3600))
        wait = Throttle.hit('form', '192.0.2.1', 3, 3600)
        self.assertTrue(3590 <= wait <= 3600, wait)
        # another client, another scope: their own counts
        self.assertIsNone(Throttle.hit('form', '192.0.2.2', 3, 3600))
        self.assertIsNone(Throttle.hit('other', '192.0.2.1', 3, 3600))
        self.assertEqual(Throttle.search([('scope', '=', 'form')],
                count=True), 4)
        # the window moves on: the oldest hit no longer counts
        oldest = Throttle.search([('scope', '=', 'form')],
            order=[('id', 'ASC')], limit=1)
        Throttle.write(oldest, {
                'at': dt.datetime.now() - dt.timedelta(hours=2)})
        self.assertIsNone(Throttle.hit('form', '192.0.2.1', 3, 3600))
        # the key is never stored as it is
        self.assertFalse(Throttle.search([('key', '=', '192.0.2.1')]))

    def test_client_key(self):
        self.assertEqual(client_key('192.0.2.7'), '192.0.2.7')
        self.assertEqual(client_key('2001:db8::1'), client_key(
                '2001:db8::ffff:1'))
        self.assertEqual(client_key('2001:db8::1'), '2001:db8::/64')
        self.assertEqual(client_key('garbage'), 'garbage')
