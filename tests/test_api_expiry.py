"""Paid click & collect app orders that nobody collects, on the demo data
with localstripe as Stripe, the local Mollie fake and the fake Expo push
service: the hourly cron (`sale.sale|expire_pickups`, run as ir.cron runs
it) expires the order, puts its goods back on sale, settles the sale,
refunds the payment in full exactly once however often the cron runs (or
after a provider error), and tells the customer by e-mail and push in
their language; the app's timeline ends expired, refunded."""
import datetime as dt
import time
import uuid
from decimal import Decimal
from unittest import mock

import stripe

from trytond.pool import Pool
from trytond.transaction import Transaction

from tests.api_support import FakeSMTP
from urbantherapy.emulators.expo import FakeExpo
from tests.fakes.harness import ApiTestCase, committed, set_config
from urbantherapy.emulators.localstripe import LocalStripe
from urbantherapy.emulators.mollie import FakeMollie
from tests.paid_orders import paid_click_collect
from tests.test_api_checkout import KEY
from urban_checkout.payment import PaymentError


def run_expiry_cron():
    "What the scheduler does every hour"
    Cron = Pool().get('ir.cron')
    cron, = Cron.search([('method', '=', 'sale.sale|expire_pickups')])
    Cron.run_once([cron])


class ApiExpiryTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stripe = LocalStripe().start()
        cls.mollie = FakeMollie().start()
        cls.expo = FakeExpo().start()
        set_config(stripe_api_base=cls.stripe.url,
            mollie_api_base=cls.mollie.url, mollie_api_key='test_fake',
            expo_push_url=cls.expo.url)
        cls.smtp = FakeSMTP()
        cls._smtp = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._smtp.start()

    @classmethod
    def tearDownClass(cls):
        cls._smtp.stop()
        cls.stripe.stop()
        cls.mollie.stop()
        cls.expo.stop()
        super().tearDownClass()

    def stripe_refunds(self, reference):
        return [r for r in stripe.Refund.list(api_key=KEY, limit=100).data
            if r.payment_intent == reference]

    def mollie_refunds(self, reference):
        return [r for r in self.mollie.refunds if r['paymentId'] == reference]

    def overdue_order(self, provider, language, quantity=2):
        """(client, auth, e-mail, order, payment reference, product, shop,
        available before the order) of a paid click & collect order of a
        customer speaking language, ready for pickup past its window"""
        client = self.client()
        _, auth = self.new_user()
        self.assertEqual(client.patch('/api/v1/me', headers=auth,
                json={'language': language}).status_code, 200)
        address = self.json(client.get('/api/v1/me', headers=auth))['email']
        self.assertEqual(client.post('/api/v1/push/devices', headers=auth,
                json={'token': 'ExponentPushToken[%s]' % uuid.uuid4().hex,
                    'platform': 'android', 'language': language,
                    'topics': ['orders']}).status_code, 201)
        product, shop, before = self.in_stock(minimum=quantity)
        order, reference = paid_click_collect(self, client, auth, product,
            shop, quantity, provider)

        def ready_long_ago():
            "Staff prepare it, set it aside; the customer never comes"
            Sale = Pool().get('sale.sale')
            sale = Sale(order['id'])
            with Transaction().set_context(company=sale.company.id):
                if not sale.shipments:
                    Sale.process([sale])
                Sale.mark_prepared([sale])
                Sale.mark_ready_for_pickup([sale])
                window = Sale.collect_pickup_window()
                Sale.write([sale], {'collect_ready_at': (
                            Sale(sale.id).collect_ready_at - window
                            - dt.timedelta(hours=1))})
                return Sale.search([('collect_overdue', '=', True),
                        ('id', '=', sale.id)]) == [sale]
        self.assertTrue(committed(ready_long_ago))
        # the goods are held for the customer, once
        self.assertEqual(self.available(product, shop), before - quantity)
        return client, auth, address, order, reference, product, shop, before

    def sale_facts(self, order_id):
        def read():
            pool = Pool()
            Sale = pool.get('sale.sale')
            Reservation = pool.get('urban.stock.reservation')
            sale = Sale(order_id)
            return {
                'state': sale.state,
                'collect_state': sale.collect_state,
                'shipments': sorted({s.state for s in sale.shipments}),
                'invoices': sorted(i.state for i in sale.invoices),
                'invoice_state': sale.invoice_state,
                'reserved': [r.id for r in Reservation.search([
                            ('origin', '=', str(sale)),
                            ('state', '=', 'reserved')])],
                'payments': [(p.state, p.refunded_amount)
                    for p in sale.api_payments],
                'refund_state': sale.api_refund_state,
                }
        return committed(read)

    def expiry_mails(self, address):
        "(subject, text) of the expiry e-mails sent to address"
        return [(subject, text) for subject, text in self.smtp.texts(address)
            if any(words in subject for words in ["n'a pas été retirée",
                    "werd niet afgehaald", "was not collected"])]

    def pushed(self, order_id, status):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            messages = [m for m in self.expo.messages
                if m['data'].get('order_id') == order_id
                and m['data'].get('status') == status]
            if messages:
                return messages
            time.sleep(0.2)
        return []

    def assert_expired_and_refunded(self, client, auth, order, product,
            shop, before):
        facts = self.sale_facts(order['id'])
        total = Decimal(order['total_amount']['amount'])
        self.assertEqual(facts['collect_state'], 'expired')
        # nothing was sold: shipment cancelled, invoice cancelled, the sale
        # done (not waiting for goods or payment)
        self.assertEqual(facts['shipments'], ['cancelled'])
        self.assertEqual(facts['invoices'], ['cancelled'])
        self.assertEqual((facts['state'], facts['invoice_state']),
            ('done', 'none'))
        # the goods are on sale again
        self.assertEqual(facts['reserved'], [])
        self.assertEqual(self.available(product, shop), before)
        self.assertEqual(facts['payments'], [('refunded', total)])
        self.assertEqual(facts['refund_state'], 'done')

        detail = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))
        statuses = [e['status'] for e in detail['timeline']]
        self.assertEqual(statuses, ['placed', 'paid', 'preparing',
                'ready_for_pickup', 'expired', 'refunded'])
        self.assertEqual(detail['status'], 'refunded')
        expired, = [e for e in detail['timeline']
            if e['status'] == 'expired']
        self.assertTrue(expired['at'])
        self.assertEqual(detail['timeline'][-1]['detail'],
            '%s EUR' % total)
        # an expired order cannot be cancelled (nor refunded again)
        self.assertProblem(client.post('/api/v1/orders/%d/cancel'
                % order['id'], headers=auth), 409, 'order_not_cancellable')
        return total

    def test_stripe_refunded_once_however_often_the_cron_runs(self):
        "Stripe: expired by the cron, refunded in full once, told in French"
        client, auth, address, order, reference, product, shop, before = (
            self.overdue_order('stripe', 'fr'))
        committed(run_expiry_cron)
        committed(run_expiry_cron)   # the next hour: nothing more
        total = self.assert_expired_and_refunded(client, auth, order,
            product, shop, before)
        refund, = self.stripe_refunds(reference)
        self.assertEqual(refund.amount, int(total * 100))

        (subject, text), = self.expiry_mails(address)
        self.assertIn(order['number'], subject)
        self.assertIn("n'a pas été retirée", subject)
        self.assertIn("Nous avons remboursé %s EUR" % total, text)
        push, = self.pushed(order['id'], 'expired')
        self.assertIn("retirée", push['title'])

        # staff click "Retry Refund" anyway: Stripe is not asked again
        def retry():
            Sale = Pool().get('sale.sale')
            Sale.api_retry_refund([Sale(order['id'])])
        committed(retry)
        self.assertEqual(len(self.stripe_refunds(reference)), 1)

    def test_mollie_refunded_once_however_often_the_cron_runs(self):
        "Mollie: expired by the cron, refunded in full once, told in Dutch"
        client, auth, address, order, reference, product, shop, before = (
            self.overdue_order('mollie', 'nl'))
        committed(run_expiry_cron)
        committed(run_expiry_cron)
        total = self.assert_expired_and_refunded(client, auth, order,
            product, shop, before)
        refund, = self.mollie_refunds(reference)
        self.assertEqual(refund['amount'],
            {'currency': 'EUR', 'value': str(total)})

        (subject, text), = self.expiry_mails(address)
        self.assertIn("werd niet afgehaald", subject)
        self.assertIn("We hebben %s EUR terugbetaald" % total, text)
        push, = self.pushed(order['id'], 'expired')
        self.assertIn("niet afgehaald", push['title'])

    def test_refund_refused_then_retried_by_the_next_cron_run(self):
        "The provider is down at expiry: the next runs refund once"
        client, auth, address, order, reference, product, shop, before = (
            self.overdue_order('stripe', 'en'))
        with mock.patch('urban_checkout.stripe_provider.refund',
                side_effect=PaymentError("Stripe unreachable")):
            committed(run_expiry_cron)
        # the order expired all the same, its goods are back on sale
        facts = self.sale_facts(order['id'])
        self.assertEqual((facts['collect_state'], facts['state']),
            ('expired', 'done'))
        self.assertEqual(self.available(product, shop), before)
        self.assertEqual(facts['refund_state'], 'failed')
        self.assertEqual(self.stripe_refunds(reference), [])
        detail = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))
        self.assertEqual(detail['status'], 'expired')
        self.assertNotIn('refunded',
            [e['status'] for e in detail['timeline']])
        (subject, text), = self.expiry_mails(address)
        self.assertEqual(subject,
            "Your order %s was not collected" % order['number'])
        self.assertIn("The refund of %s EUR to the payment method you used "
            "is under way." % order['total_amount']['amount'], text)

        committed(run_expiry_cron)   # Stripe is back
        committed(run_expiry_cron)
        self.assert_expired_and_refunded(client, auth, order, product,
            shop, before)
        self.assertEqual(len(self.stripe_refunds(reference)), 1)
        # one e-mail: the expiry is told once
        self.assertEqual(len(self.expiry_mails(address)), 1)

    def test_posted_invoice_credited(self):
        "The invoice was posted before the expiry: a credit note cancels it"
        client, auth, address, order, reference, product, shop, before = (
            self.overdue_order('stripe', 'en', quantity=1))

        def post_invoice():
            "The accountant posted the invoice of the paid order"
            pool = Pool()
            Sale = pool.get('sale.sale')
            Invoice = pool.get('account.invoice')
            sale = Sale(order['id'])
            invoice, = sale.invoices
            with Transaction().set_context(company=sale.company.id):
                Invoice.post([invoice])
            return invoice.id
        invoice_id = committed(post_invoice)
        committed(run_expiry_cron)
        committed(run_expiry_cron)

        def invoices():
            pool = Pool()
            Sale = pool.get('sale.sale')
            Invoice = pool.get('account.invoice')
            invoice = Invoice(invoice_id)
            credits = Invoice.search([('lines.origin', 'in',
                        [str(l) for l in invoice.lines])])
            sale = Sale(order['id'])
            return (invoice.state, bool(invoice.cancel_move),
                [(c.state, c.total_amount) for c in credits],
                sale.state, sale.invoice_state, sale.collect_state)
        total = Decimal(order['total_amount']['amount'])
        # the credit note and the invoice are reconciled: both settled
        self.assertEqual(committed(invoices), ('cancelled', True,
                [('paid', -total)], 'done', 'paid', 'expired'))
        self.assertEqual(self.available(product, shop), before)
        refund, = self.stripe_refunds(reference)
        self.assertEqual(refund.amount, int(total * 100))
