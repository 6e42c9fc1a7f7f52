"""Newsletter double opt-in and QR scans counted once per device and day."""
import datetime as dt
import re
import unittest
from unittest import mock

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import drop_db, with_transaction

from urbantherapy.testing import URBAN_MODULES, activate_module

from urban_loyalty import newsletter

WORDING = "I agree to receive the newsletter."
CONFIRM = 'https://www.urbantherapy.test/nl/newsletter/confirm'


class LoyaltyHardeningTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def request(self, email, consent=True, language='nl'):
        "(request, e-mail sent as (to, subject, body) or None)"
        Consent = Pool().get('urban.loyalty.newsletter_consent')
        with mock.patch('urban_loyalty.notify.send_email') as send:
            request = Consent.request_confirmation(email, consent, WORDING,
                CONFIRM, language=language, channel='web')
        return request, send.call_args[0] if send.called else None

    @with_transaction()
    def test_double_opt_in(self):
        "The sign-up records nothing until the e-mailed link is confirmed"
        pool = Pool()
        Consent = pool.get('urban.loyalty.newsletter_consent')
        Request = pool.get('urban.loyalty.newsletter_request')
        request, mail = self.request(' Lotte@Example.be ')
        to, subject, body = mail
        self.assertEqual(to, 'lotte@example.be')
        self.assertIn('nieuwsbrief', subject)
        self.assertIn(WORDING, body)
        token = re.search(re.escape(CONFIRM) + r'\?token=([\w-]+)',
            body).group(1)
        self.assertFalse(Consent.search([('email', '=', 'lotte@example.be')]))
        # only the token's hash is stored
        self.assertNotEqual(request.token_hash, token)
        self.assertFalse(Request.search([('token_hash', '=', token)]))

        self.assertIsNone(Consent.confirm('not-the-token'))
        self.assertIsNone(Consent.confirm(''))
        consent = Consent.confirm(token)
        self.assertEqual((consent.email, consent.language, consent.channel,
                consent.wording), ('lotte@example.be', 'nl', 'web', WORDING))
        self.assertTrue(consent.party.newsletter_subscribed)
        # the link works once
        self.assertIsNone(Consent.confirm(token))
        self.assertFalse(Request.search([('email', '=', 'lotte@example.be')]))

    @with_transaction()
    def test_expired_link(self):
        pool = Pool()
        Consent = pool.get('urban.loyalty.newsletter_consent')
        Request = pool.get('urban.loyalty.newsletter_request')
        request, (_, _, body) = self.request('late@example.be')
        token = re.search(r'token=([\w-]+)', body).group(1)
        Request.write([request], {
                'expires_at': dt.datetime.now() - dt.timedelta(minutes=1)})
        self.assertIsNone(Consent.confirm(token))
        self.assertFalse(Consent.search([('email', '=', 'late@example.be')]))

    @with_transaction()
    def test_invalid_sign_up(self):
        "Bad addresses (control characters too) and no consent: refused"
        Request = Pool().get('urban.loyalty.newsletter_request')
        for email, consent in [('not-an-email', True), ('', True),
                ('a\x00b@example.be', True), ('a@exa\x07mple.be', True),
                ('a@example.be\x1b', True), ('a\u2028b@example.be', True),
                ('a\x85b@example.be', True), ('ok@example.be', False),
                ('ok@example.be', None)]:
            with self.subTest(email=email, consent=consent):
                with self.assertRaises(UserError) as context:
                    self.request(email, consent)
                self.assertFalse(re.search('[\x00-\x1f\x85\u2028]',
                        context.exception.message))
        self.assertFalse(Request.search([]))

    @with_transaction()
    def test_confirmation_mails_per_day(self):
        "An address gets a few confirmation e-mails a day, whoever asks"
        sent = [self.request('flood@example.be')[1] is not None
            for _ in range(newsletter.MAILS_PER_DAY + 2)]
        self.assertEqual(sent, [True] * newsletter.MAILS_PER_DAY + [False] * 2)

    def shop(self):
        Location = Pool().get('stock.location')
        warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
        Location.write([warehouse], {'shop': True, 'shop_code': 'TST'})
        return warehouse

    @with_transaction()
    def test_qr_scan_once_per_device_and_day(self):
        pool = Pool()
        Scan = pool.get('urban.loyalty.qr_scan')
        Date = pool.get('ir.date')
        shop = self.shop()

        def count():
            return Scan.search([('shop', '=', shop.id)], count=True)
        # a device: once a day, whatever the client's address
        first = Scan.record('tst', device='cookie-1', new_device=True,
            client='198.51.100.1|Safari')
        self.assertEqual(first.scan_date, Date.today())
        self.assertNotIn('cookie-1', first.device)
        again = Scan.record('TST', device='cookie-1',
            client='198.51.100.9|Safari')
        self.assertEqual(again, first)
        self.assertEqual(count(), 1)
        # another device on the same network and browser counts
        Scan.record('tst', device='cookie-2', client='198.51.100.1|Safari')
        self.assertEqual(count(), 2)
        # a client that keeps no cookie: once by its address and browser
        Scan.record('tst', device='new-a', new_device=True,
            client='203.0.113.5|curl')
        Scan.record('tst', device='new-b', new_device=True,
            client='203.0.113.5|curl')
        Scan.record('tst', client='203.0.113.5|curl')
        self.assertEqual(count(), 3)
        # another day counts again
        Scan.write(Scan.search([('shop', '=', shop.id)]), {
                'scan_date': Date.today() - dt.timedelta(days=1)})
        Scan.record('tst', device='cookie-1', client='198.51.100.1|Safari')
        self.assertEqual(count(), 4)
        # without anything to know the device by: every scan counts
        Scan.record('tst')
        Scan.record('tst')
        self.assertEqual(count(), 6)

    @with_transaction()
    def test_qr_scan_unique_per_device_and_day(self):
        """The database keeps one scan per shop, device and day: a second
        insert is refused, and a scan that loses the race to it (its
        lookup did not see the other request's scan) counts as already
        counted instead of failing"""
        pool = Pool()
        Scan = pool.get('urban.loyalty.qr_scan')
        Date = pool.get('ir.date')
        shop = self.shop()
        first = Scan.record('tst', device='cookie-race',
            client='198.51.100.1|Safari')
        # the concurrent request: its lookup found nothing
        with mock.patch.object(Scan, 'search', return_value=[]):
            raced = Scan.record('TST', device='cookie-race',
                client='198.51.100.2|Safari')
        self.assertEqual(raced.shop, shop)
        self.assertEqual(Scan.search([('shop', '=', shop.id),
                    ('device', '=', first.device)], count=True), 1)
        # the transaction goes on after the refused insert
        Scan.record('tst', device='cookie-other')
        self.assertEqual(Scan.search([('shop', '=', shop.id)], count=True),
            2)
        # (last: the refused insert aborts the transaction on PostgreSQL)
        with self.assertRaises(UserError):
            Scan.create([{'shop': shop.id, 'scan_date': Date.today(),
                        'device': first.device}])
