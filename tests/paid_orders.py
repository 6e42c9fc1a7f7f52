"""A click & collect app order placed and paid through the API (Stripe at
localstripe or Mollie at its fake, confirmed by the provider's webhook):
the start of the returns and expiry journeys."""
import uuid

from trytond.pool import Pool
from trytond.transaction import Transaction

from tests.fakes.harness import committed
from tests.test_api_checkout import event, pay, signed


def paid_click_collect(test, client, auth, product, shop, quantity,
        provider='stripe'):
    """(order, payment reference) of quantity of product picked up at shop,
    paid; test is an ApiTestCase with a `mollie` fake"""
    test.assertEqual(client.post('/api/v1/cart/lines', headers=auth,
            json={'product_id': product, 'quantity': quantity}
            ).status_code, 201)
    body = {'mode': 'click_collect', 'shop': shop,
        'phone': '+32 2 511 22 33'}
    if provider == 'mollie':
        body.update(payment_provider='mollie', payment_method='kbc')
    response = client.post('/api/v1/checkout', json=body, headers=dict(
            auth, **{'Idempotency-Key': uuid.uuid4().hex}))
    test.assertEqual(response.status_code, 201, response.data)
    placed = test.json(response)
    order, reference = placed['order'], placed['payment']['reference']
    if provider == 'mollie':
        test.mollie.set_status(reference, 'paid')
        response = client.post('/webhooks/mollie', data={'id': reference})
    else:
        test.assertEqual(pay(reference).status, 'succeeded')
        payload = event('payment_intent.succeeded', reference)
        response = client.post('/webhooks/stripe', data=payload,
            headers={'Stripe-Signature': signed(payload),
                'Content-Type': 'application/json'})
    test.assertEqual(test.json(response)['result'], 'paid')
    return order, reference


def staff_steps(order_id, *steps):
    """Run the click & collect steps (the sale's buttons, e.g.
    'mark_ready_for_pickup', 'mark_collected') on the order as the shop
    would, once its shipments exist"""
    def run():
        Sale = Pool().get('sale.sale')
        sale = Sale(order_id)
        with Transaction().set_context(company=sale.company.id):
            if not sale.shipments:
                Sale.process([sale])
            for step in steps:
                getattr(Sale, step)([Sale(order_id)])
    committed(run)
