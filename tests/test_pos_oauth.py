"""POS bridge OAuth (issue 21.5): access tokens expire, the bridge renews
them with the stored refresh token, before they expire and once after a
401, keeps the rotated refresh token whatever happens to the transaction
that needed it, and shows a refused renewal on the account.

Against the emulated tills (urbantherapy/emulators/pos.py), which issue
short-lived tokens from their real token endpoints and answer 401 to an
expired one. Committed transactions: a renewal commits on its own."""
import datetime as dt
import threading
import time
import unittest

from trytond.config import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.emulators import pos as fake_pos
from urbantherapy.testing import URBAN_MODULES, activate_module

SECTION = 'urban_pos_bridge'
CLIENT = {
    'lightspeed_x_client_id': fake_pos.CLIENT_ID,
    'lightspeed_x_client_secret': fake_pos.CLIENT_SECRET,
    'square_client_id': fake_pos.CLIENT_ID,
    'square_client_secret': fake_pos.CLIENT_SECRET,
    }


def remove_option(section, option):
    config._config.remove_option(section, option)
    config._cache_clear()


def utc(timestamp):
    return dt.datetime.utcfromtimestamp(timestamp)


class PosOAuthTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)
        # the application's client credentials: configuration only
        if not config.has_section(SECTION):
            config.add_section(SECTION)
        cls.saved = {k: config.get(SECTION, k) for k in CLIENT}
        for key, value in CLIENT.items():
            config.set(SECTION, key, value)
        from trytond.modules.company.tests import create_company
        from urban_pos_bridge.tests.tools import setup_business
        with Transaction().start(DB_NAME, 0) as transaction:
            company = create_company()
            with Transaction().set_context(company=company.id):
                shops, _ = setup_business(company)
            cls.company = company.id
            cls.shops = {k: s.id for k, s in shops.items()}
            transaction.commit()

    @classmethod
    def tearDownClass(cls):
        for key, value in cls.saved.items():
            if value is None:
                remove_option(SECTION, key)
            else:
                config.set(SECTION, key, value)
        drop_db()

    def setUp(self):
        self.fakes = []

    def tearDown(self):
        for fake in self.fakes:
            fake.stop()
        with Transaction().start(DB_NAME, 0) as transaction:
            Account = Pool().get('urban.pos.account')
            Account.delete(Account.search([
                        ('active', 'in', [True, False])]))
            transaction.commit()

    def connect(self, connector, lifetime=3600):
        """A till account connected through OAuth: the tokens the
        authorization gave (the access token lives lifetime seconds);
        returns (fake till, account id)"""
        from urban_pos_bridge.tests.tools import create_account
        fake = (fake_pos.FakeLightspeedX() if connector == 'lightspeed_x'
            else fake_pos.FakeSquare())
        self.fakes.append(fake)
        access, refresh, expires = fake.grant(lifetime)
        with Transaction().start(DB_NAME, 0,
                context={'company': self.company}) as transaction:
            pool = Pool()
            Company = pool.get('company.company')
            Location = pool.get('stock.location')
            shops = {k: Location(i) for k, i in self.shops.items()}
            account = create_account(connector, fake.url, shops,
                Company(self.company), access_token=access,
                refresh_token=refresh, access_token_expires=utc(expires))
            transaction.commit()
            return fake, account.id

    def stored(self, account_id):
        "(access token, refresh token, expiry, last error, paused) stored"
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            account = pool.get('urban.pos.account')(account_id)
            access, _, _ = pool.get('urban.pos.account.oauth').read_values(
                [account_id]).get(account_id, (None, None, None))
            return (access or account.access_token, account.refresh_token,
                account.access_token_expires, account.last_error,
                account.is_paused())

    def run_as_cron(self, method, account_id):
        "method(Account, account) in a committed transaction"
        with Transaction().start(DB_NAME, 0,
                context={'company': self.company}) as transaction:
            Account = Pool().get('urban.pos.account')
            result = method(Account, Account(account_id))
            transaction.commit()
            return result

    def api_calls(self, fake):
        return [r for r in fake.requests if r[1] != fake.token_path]

    # --- Lightspeed X-Series ----------------------------------------------
    def test_lsx_renewed_before_expiry(self):
        """An access token about to expire is renewed before the call
        (POST /api/1.0/token, grant_type=refresh_token, the client
        credentials of the configuration): no call is refused, and the
        new access token, the rotated refresh token and the expiry are
        stored together"""
        fake, account_id = self.connect('lightspeed_x', lifetime=120)
        _, old_refresh, _, _, _ = self.stored(account_id)
        self.run_as_cron(lambda Account, a: Account.poll([a]), account_id)
        request, = fake.token_requests
        self.assertEqual(request, {'grant_type': 'refresh_token',
                'refresh_token': old_refresh,
                'client_id': fake_pos.CLIENT_ID,
                'client_secret': fake_pos.CLIENT_SECRET})
        self.assertEqual(fake.rejected, 0)
        self.assertTrue(self.api_calls(fake))
        access, refresh, expires, error, paused = self.stored(account_id)
        self.assertIn(access, fake.access_tokens)
        self.assertNotEqual(refresh, old_refresh)
        self.assertEqual(fake.refresh_tokens, {refresh})
        self.assertAlmostEqual(expires, utc(fake.access_tokens[access]),
            delta=dt.timedelta(seconds=2))
        self.assertFalse(error)
        self.assertFalse(paused)
        # fresh for an hour: the next poll renews nothing
        self.run_as_cron(lambda Account, a: Account.poll([a]), account_id)
        self.assertEqual(len(fake.token_requests), 1)
        # the application's secret is never a field users could read
        with Transaction().start(DB_NAME, 0, readonly=True):
            fields = Pool().get('urban.pos.account')._fields
            self.assertFalse({'client_id', 'client_secret'} & set(fields))

    def test_lsx_401_renews_once_and_retries(self):
        """A token the till refuses (401) although not expired by our
        clock: one renewal, one retry; a till that refuses the renewed
        token too gets no third call and the account shows the problem"""
        fake, account_id = self.connect('lightspeed_x')
        fake.expire_access_tokens()
        self.run_as_cron(lambda Account, a: Account.poll([a]), account_id)
        self.assertEqual(fake.rejected, 1)
        self.assertEqual(len(fake.token_requests), 1)
        self.assertFalse(self.stored(account_id)[3])
        # every token the till issues now is refused
        fake.token_lifetime = -10
        fake.expire_access_tokens()
        calls = len(self.api_calls(fake))
        self.run_as_cron(lambda Account, a: Account.cron_poll(), account_id)
        self.assertEqual(len(fake.token_requests), 2)
        self.assertEqual(len(self.api_calls(fake)), calls + 2)
        self.assertEqual(fake.rejected, 3)
        _, _, _, error, paused = self.stored(account_id)
        self.assertIn('401', error)
        self.assertTrue(paused)

    def test_lsx_renewal_refused_shows_problem(self):
        """A refresh token the till no longer accepts (revoked): the
        cron and Poll Now do not crash, the account is paused and says
        what to do"""
        fake, account_id = self.connect('lightspeed_x', lifetime=-10)
        fake.refresh_tokens.clear()
        self.run_as_cron(lambda Account, a: Account.cron_poll(), account_id)
        _, _, _, error, paused = self.stored(account_id)
        self.assertTrue(paused)
        self.assertIn('invalid_grant', error)
        self.assertIn('lightspeed_x', error)  # the account's name
        self.assertEqual(self.api_calls(fake), [])
        # Poll Now by a POS administrator: the same problem, no traceback
        self.run_as_cron(lambda Account, a: Account.write([a],
                {'paused_until': None}), account_id)
        self.run_as_cron(lambda Account, a: Account.poll([a]), account_id)
        _, _, _, error, paused = self.stored(account_id)
        self.assertTrue(paused)
        self.assertIn('invalid_grant', error)

    def test_lsx_no_client_credentials_shows_problem(self):
        "No client id/secret configured: a clear problem, no call"
        fake, account_id = self.connect('lightspeed_x', lifetime=-10)
        remove_option(SECTION, 'lightspeed_x_client_secret')
        self.addCleanup(config.set, SECTION, 'lightspeed_x_client_secret',
            fake_pos.CLIENT_SECRET)
        self.run_as_cron(lambda Account, a: Account.cron_poll(), account_id)
        _, _, _, error, paused = self.stored(account_id)
        self.assertTrue(paused)
        self.assertIn('lightspeed_x_client_secret', error)
        self.assertEqual(fake.token_requests, [])

    def test_lsx_rotation_kept_when_caller_rolls_back(self):
        """The renewal commits on its own: the transaction that needed it
        rolling back does not lose the rotated refresh token (the till
        revoked the old one)"""
        fake, account_id = self.connect('lightspeed_x', lifetime=-10)
        with Transaction().start(DB_NAME, 0) as transaction:
            Account = Pool().get('urban.pos.account')
            Account(account_id).client.poll_sales(None)
            transaction.rollback()
        self.assertEqual(len(fake.token_requests), 1)
        access, refresh, _, _, _ = self.stored(account_id)
        self.assertEqual(fake.refresh_tokens, {refresh})
        self.run_as_cron(lambda Account, a: Account.poll([a]), account_id)
        self.assertEqual(len(fake.token_requests), 1)
        self.assertEqual(fake.rejected, 0)
        self.assertEqual(self.stored(account_id)[0], access)

    def test_lsx_concurrent_renewals_keep_one_rotation(self):
        """Two jobs needing a renewal at once: one asks the till, the
        other waits for it and uses its token (asking too would spend the
        refresh token the first one rotated)"""
        fake, account_id = self.connect('lightspeed_x', lifetime=-10)
        fake.token_delay = 0.5
        results, errors = [], []

        def job():
            try:
                with Transaction().start(DB_NAME, 0) as transaction:
                    Account = Pool().get('urban.pos.account')
                    results.append(
                        Account(account_id).client.poll_sales(None))
                    transaction.commit()
            except Exception as exception:
                errors.append(exception)
        threads = [threading.Thread(target=job) for _ in range(2)]
        for thread in threads:
            thread.start()
            time.sleep(0.05)
        for thread in threads:
            thread.join(30)
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 2)
        self.assertEqual(len(fake.token_requests), 1)
        _, refresh, _, _, _ = self.stored(account_id)
        self.assertEqual(fake.refresh_tokens, {refresh})
        self.assertEqual(fake.rejected, 0)

    # --- Square -----------------------------------------------------------
    def test_square_renewed_before_expiry_and_after_401(self):
        """Square: POST /oauth2/token (JSON, client id and secret) before
        the access token expires (expires_at), the same refresh token
        back; a 401 renews once and retries"""
        fake, account_id = self.connect('square', lifetime=120)
        _, old_refresh, _, _, _ = self.stored(account_id)
        self.run_as_cron(lambda Account, a: Account.poll([a]), account_id)
        request, = fake.token_requests
        self.assertEqual(request['grant_type'], 'refresh_token')
        self.assertEqual(request['refresh_token'], old_refresh)
        self.assertEqual(request['client_id'], fake_pos.CLIENT_ID)
        self.assertEqual(request['client_secret'], fake_pos.CLIENT_SECRET)
        self.assertEqual(fake.rejected, 0)
        access, refresh, expires, error, _ = self.stored(account_id)
        self.assertEqual(refresh, old_refresh)
        self.assertIn(access, fake.access_tokens)
        self.assertAlmostEqual(expires, utc(fake.access_tokens[access]),
            delta=dt.timedelta(seconds=2))
        self.assertFalse(error)
        fake.expire_access_tokens()
        self.run_as_cron(lambda Account, a: Account.poll([a]), account_id)
        self.assertEqual(fake.rejected, 1)
        self.assertEqual(len(fake.token_requests), 2)
        self.assertFalse(self.stored(account_id)[3])
