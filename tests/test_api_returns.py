"""Returns of app orders across channels, on the demo data with localstripe:
an order collected in one shop is returned in another shop (the goods go
back into that shop's stock) and the returned amount, VAT included, is
refunded once through Stripe, even when staff run the return twice, a
refund fails and is retried, or the retry is clicked again."""
from decimal import Decimal
from unittest import mock

import stripe

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.transaction import Transaction

from tests.fakes.harness import ApiTestCase, committed, set_config
from urbantherapy.emulators.localstripe import LocalStripe
from urbantherapy.emulators.mollie import FakeMollie
from tests.paid_orders import paid_click_collect, staff_steps
from tests.test_api_checkout import KEY
from urban_checkout.payment import PaymentError


def receive_return(login, quantities, sale_id=None, number=None,
        channel='shop', warehouse=None):
    """What staff do (Tryton's wizard RPC): "Receive Return" on an order or
    a return request (sale_id), or from the menu with the order's number;
    fill in the quantities {product id: quantity} and receive"""
    pool = Pool()
    User = pool.get('res.user')
    Company = pool.get('company.company')
    Wizard = pool.get('urban.stock.receive_return', type='wizard')
    user, = User.search([('login', '=', login)])
    company, = Company.search([], limit=1)
    context = {'company': company.id}
    if sale_id:
        context.update(active_model='sale.sale', active_id=sale_id,
            active_ids=[sale_id])
    with Transaction().set_user(user.id), \
            Transaction().set_context(**context):
        session_id, _, _ = Wizard.create()
        result = Wizard.execute(session_id, {}, 'choose')
        if not sale_id:
            Wizard.execute(session_id, {'find': {'number': number}},
                'search')
            result = Wizard.execute(session_id, {}, 'start')
        defaults = result['view']['defaults']
        lines = [dict(l, quantity=quantities.get(l['product'], 0))
            for l in defaults['lines']]
        Wizard.execute(session_id, {'start': {
                    'channel': channel,
                    'warehouse': warehouse or defaults['warehouse'],
                    'reason': defaults['reason'],
                    'lines': lines,
                    }}, 'receive')
        Wizard.delete(session_id)
    return defaults


class ApiReturnsTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stripe = LocalStripe().start()
        cls.mollie = FakeMollie().start()
        set_config(stripe_api_base=cls.stripe.url,
            mollie_api_base=cls.mollie.url, mollie_api_key='test_fake')

    @classmethod
    def tearDownClass(cls):
        cls.stripe.stop()
        cls.mollie.stop()
        super().tearDownClass()

    def stripe_refunds(self, reference):
        return [r for r in stripe.Refund.list(api_key=KEY, limit=100).data
            if r.payment_intent == reference]

    def collected_order(self, quantity=2, provider='stripe'):
        "(order, payment reference, product, shop) collected by its buyer"
        client = self.client()
        _, auth = self.new_user()
        product, shop, _ = self.in_stock(minimum=quantity)
        order, reference = paid_click_collect(self, client, auth, product,
            shop, quantity, provider)
        staff_steps(order['id'], 'mark_ready_for_pickup', 'mark_collected')
        return client, auth, order, reference, product, shop

    def other_shop_staff(self, shop):
        "Login and code of the staff of a shop other than shop"
        def find():
            User = Pool().get('res.user')
            for user in User.search([('login', 'like', 'staff.%')],
                    order=[('login', 'ASC')]):
                codes = [s.shop_code for s in user.shops]
                if codes and shop not in codes:
                    return user.login, codes[0]
        return committed(find)

    def on_hand(self, product, shop_code):
        def read():
            pool = Pool()
            Location = pool.get('stock.location')
            Product = pool.get('product.product')
            warehouse, = Location.search([('shop_code', '=', shop_code)])
            # "today" is the company's (Europe/Brussels), as for the moves
            company, = pool.get('company.company').search([], limit=1)
            with Transaction().set_context(locations=[warehouse.id],
                    with_childs=True, company=company.id):
                return Product(product).quantity
        return committed(read)

    def test_return_in_another_shop_refunded_once(self):
        "Returned in another shop: stock there, Stripe refund once"
        client, auth, order, reference, product, shop = (
            self.collected_order(quantity=2))
        login, other = self.other_shop_staff(shop)
        before = self.on_hand(product, other)

        # the customer asks to return one of the two through the app
        response = client.post('/api/v1/orders/%d/returns' % order['id'],
            headers=auth, json={'reason': "Colour not as pictured",
                'lines': [{'product_id': product, 'quantity': 1}]})
        self.assertEqual(response.status_code, 201, response.data)
        request = self.json(response)
        self.assertProblem(client.post('/api/v1/orders/%d/returns'
                % order['id'], headers=auth, json={'reason': "again",
                    'lines': [{'product_id': product, 'quantity': 1}]}),
            409, 'return_already_requested')

        def to_receive():
            Sale = Pool().get('sale.sale')
            return [(s.id, s.origin.id) for s in Sale.search([
                        ('return_state', '=', 'requested')])]
        self.assertIn((request['id'], order['id']), committed(to_receive))
        # the request is not an order of the customer
        orders = self.json(client.get('/api/v1/orders', headers=auth))
        self.assertEqual([o['id'] for o in orders['items']], [order['id']])

        # staff of another shop open the request from "Returns to Receive"
        defaults = committed(receive_return, login, {product: 1},
            request['id'])
        number = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))['number']
        self.assertTrue(number)
        self.assertIn(number, defaults['order'])
        self.assertEqual(defaults['reason'], "Colour not as pictured")
        self.assertEqual([(l['product'], l['returnable'], l['quantity'])
                for l in defaults['lines']], [(product, 2, 1)])
        self.assertEqual(self.on_hand(product, other), before + 1)

        def returned():
            Sale = Pool().get('sale.sale')
            sale = Sale(request['id'])
            return (sale.return_state, sale.warehouse.shop_code,
                sale.api_refund_state, -sale.total_amount,
                [(r.state, r.amount) for r in sale.api_refunds])
        state, warehouse, refund_state, amount, refunds = committed(
            returned)
        self.assertEqual((state, warehouse, refund_state),
            ('received', other, 'done'))
        # one of two: half of the order's total, VAT included
        total = Decimal(order['total_amount']['amount'])
        self.assertEqual(amount, (total / 2).quantize(Decimal('0.01')))
        self.assertEqual(refunds, [('done', amount)])
        stripe_refunds = self.stripe_refunds(reference)
        self.assertEqual([r.amount for r in stripe_refunds],
            [int(amount * 100)])

        detail = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))
        statuses = [e['status'] for e in detail['timeline']]
        self.assertEqual(statuses[-2:], ['returned', 'refunded'])
        self.assertEqual(detail['status'], 'refunded')

        # the wizard run again (from the menu, with the order's number)
        # for both units: refused, no refund
        with self.assertRaises(UserError):
            committed(lambda: receive_return(login, {product: 2},
                    number=detail['number']))
        # retrying a refund that went through asks Stripe nothing

        def retry():
            Sale = Pool().get('sale.sale')
            Sale.api_retry_refund([Sale(request['id'])])
        committed(retry)
        self.assertEqual(len(self.stripe_refunds(reference)), 1)
        self.assertEqual(self.on_hand(product, other), before + 1)

        # the second unit comes back while Stripe is unreachable: the
        # return is recorded, the refund failed and can be retried
        with mock.patch('urban_checkout.stripe_provider.refund',
                side_effect=PaymentError("Stripe unreachable")):
            committed(lambda: receive_return(login, {product: 1},
                    number=detail['number'].lower()))
        self.assertEqual(self.on_hand(product, other), before + 2)
        self.assertEqual(len(self.stripe_refunds(reference)), 1)

        def second():
            Sale = Pool().get('sale.sale')
            original = Sale(order['id'])
            latest, = [r for r in original.returns
                if r.id != request['id']]
            return (latest.id, latest.return_state, latest.api_refund_state,
                [r.error for r in latest.api_refunds])
        second_id, state, refund_state, errors = committed(second)
        self.assertEqual((state, refund_state), ('received', 'failed'))
        self.assertIn("Stripe unreachable", errors[0])

        def retry_second():
            Sale = Pool().get('sale.sale')
            Sale.api_retry_refund([Sale(second_id)])
        with mock.patch('urban_checkout.stripe_provider.refund',
                side_effect=PaymentError("still down")):
            with self.assertRaises(UserError):
                committed(retry_second)
        self.assertEqual(len(self.stripe_refunds(reference)), 1)
        committed(retry_second)
        committed(retry_second)   # clicked twice: nothing more
        refunds = self.stripe_refunds(reference)
        self.assertEqual(sorted(r.amount for r in refunds),
            [int(amount * 100)] * 2)
        self.assertEqual(committed(second)[2], 'done')

        def payment_state():
            Sale = Pool().get('sale.sale')
            payment, = Sale(order['id']).api_payments
            return payment.state, payment.refunded_amount
        self.assertEqual(committed(payment_state),
            ('refunded', 2 * amount))
        detail = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))
        statuses = [e['status'] for e in detail['timeline']]
        self.assertEqual(statuses.count('returned'), 2)
        self.assertEqual(statuses.count('refunded'), 2)
        # nothing left to return
        self.assertProblem(client.post('/api/v1/orders/%d/returns'
                % order['id'], headers=auth, json={'reason': "more",
                    'lines': [{'product_id': product, 'quantity': 1}]}),
            409, 'order_not_delivered')

    def test_postal_return_refunded_by_mollie(self):
        "Sent back by post: central stock room, partial Mollie refund once"
        client, auth, order, reference, product, _ = self.collected_order(
            quantity=2, provider='mollie')

        def central():
            "The central stock room receives postal returns"
            pool = Pool()
            Configuration = pool.get('stock.configuration')
            Location = pool.get('stock.location')
            warehouse, = Location.search([('type', '=', 'warehouse'),
                    ('shop', '=', False)], limit=1)
            Configuration.write([Configuration(1)],
                {'postal_return_warehouse': warehouse.id})
            return warehouse.id, warehouse.code, warehouse.shop
        central_id, code, is_shop = committed(central)
        self.assertFalse(is_shop)

        def on_hand():
            pool = Pool()
            Location = pool.get('stock.location')
            Product = pool.get('product.product')
            warehouse, = Location.search([('code', '=', code),
                    ('type', '=', 'warehouse')])
            # "today" is the company's (Europe/Brussels), as for the moves
            company, = pool.get('company.company').search([], limit=1)
            with Transaction().set_context(locations=[warehouse.id],
                    with_childs=True, company=company.id):
                return Product(product).quantity
        before = committed(on_hand)

        # the manager (no shop of their own) opens the parcel
        defaults = committed(lambda: receive_return('manager',
                {product: 1}, order['id'], channel='post'))
        self.assertEqual(defaults['warehouse'], central_id)
        self.assertEqual(committed(on_hand), before + 1)
        # one of two: half of the order's total, VAT included
        total = Decimal(order['total_amount']['amount'])
        refund, = [r for r in self.mollie.refunds
            if r['paymentId'] == reference]
        self.assertEqual(refund['amount'], {'currency': 'EUR',
                'value': str((total / 2).quantize(Decimal('0.01')))})
        # the same parcel received twice: refused, no second refund
        with self.assertRaises(UserError):
            committed(lambda: receive_return('manager', {product: 2},
                    order['id'], channel='post'))
        self.assertEqual(len([r for r in self.mollie.refunds
                    if r['paymentId'] == reference]), 1)
        detail = self.json(client.get('/api/v1/orders/%d' % order['id'],
                headers=auth))
        self.assertEqual([e['status'] for e in detail['timeline']][-2:],
            ['returned', 'refunded'])
