"""Fake Mollie v2 payments API: create (POST /v2/payments), get, cancel
(DELETE), refunds (partial, never more than the payment's
amountRemaining); a payment's status is set by the test (`set_status`),
as the customer would on Mollie's hosted page, with the method's `details`
Mollie adds once paid (e.g. `cardFingerprint` of a credit card,
`consumerAccount` of Bancontact). A POST repeated with the same
Idempotency-Key header gets the first answer, as Mollie documents.

The hosted checkout (`_links.checkout.href`, GET /checkout/<id>) is the page
a person sees in the demo: it shows the amount and lets them pay, fail or
cancel; Mollie then calls the payment's webhookUrl with its id (form field
`id`, nothing else, as documented) and the browser goes back to the
redirectUrl."""
import html
import itertools
from decimal import Decimal

import requests

from .server import FakeServer

METHODS = {'bancontact', 'creditcard', 'kbc', 'belfius', None}


class FakeMollie(FakeServer):

    def __init__(self, api_key='test_fake'):
        super().__init__()
        self.api_key = api_key
        self.payments = {}
        self.refunds = []
        self._ids = itertools.count(1)
        self._idempotent = {}

    def set_status(self, payment_id, status, details=None):
        self.payments[payment_id]['status'] = status
        if details is not None:
            self.payments[payment_id]['details'] = details

    def handle(self, method, path, query, body, headers):
        parts = path.strip('/').split('/')
        if parts[0] == 'checkout' and len(parts) == 2:
            return self.checkout(method, parts[1], body)
        if headers.get('Authorization') != 'Bearer %s' % self.api_key:
            return 401, {'status': 401, 'title': 'Unauthorized Request',
                'detail': 'Missing authentication, or failed to '
                'authenticate'}
        key = headers.get('Idempotency-Key')
        if method == 'POST' and key:
            if key not in self._idempotent:
                self._idempotent[key] = self._handle(
                    method, path, query, body, headers)
            return self._idempotent[key]
        return self._handle(method, path, query, body, headers)

    def _handle(self, method, path, query, body, headers):
        parts = path.strip('/').split('/')
        if parts[:2] != ['v2', 'payments']:
            return 404, {'status': 404, 'title': 'Not Found'}
        if method == 'POST' and len(parts) == 2:
            amount = (body or {}).get('amount') or {}
            if (not amount.get('value') or not amount.get('currency')
                    or not body.get('description')
                    or not body.get('redirectUrl')
                    or body.get('method') not in METHODS):
                return 422, {'status': 422,
                    'title': 'Unprocessable Entity',
                    'detail': 'The payment is invalid'}
            payment_id = 'tr_fake%d' % next(self._ids)
            payment = {
                'resource': 'payment', 'id': payment_id, 'mode': 'test',
                'status': 'open', 'amount': amount,
                'description': body['description'],
                'method': body.get('method'),
                'metadata': body.get('metadata'),
                'redirectUrl': body['redirectUrl'],
                'webhookUrl': body.get('webhookUrl'),
                '_links': {'checkout': {
                        'href': '%s/checkout/%s' % (self.url, payment_id),
                        'type': 'text/html'}},
                }
            self.payments[payment_id] = payment
            return 201, payment
        payment = self.payments.get(parts[2]) if len(parts) > 2 else None
        if payment is None:
            return 404, {'status': 404, 'title': 'Not Found',
                'detail': 'No payment exists with token %s.' % parts[-1]}
        if method == 'GET' and len(parts) == 3:
            return 200, payment
        if method == 'DELETE' and len(parts) == 3:
            if payment['status'] != 'open':
                return 422, {'status': 422, 'detail': 'not cancelable'}
            payment['status'] = 'canceled'
            return 200, payment
        if method == 'POST' and parts[3:] == ['refunds']:
            if payment['status'] != 'paid':
                return 422, {'status': 422, 'detail': 'not refundable'}
            amount = (body or {}).get('amount') or {}
            refunded = sum((Decimal(r['amount']['value'])
                    for r in self.refunds
                    if r['paymentId'] == payment['id']), Decimal(0))
            remaining = Decimal(payment['amount']['value']) - refunded
            if (amount.get('currency') != payment['amount']['currency']
                    or not amount.get('value')
                    or not 0 < Decimal(amount['value']) <= remaining):
                return 422, {'status': 422,
                    'title': 'Unprocessable Entity',
                    'detail': 'The amount is higher than the amount that '
                    'remains to be refunded (%s)' % remaining,
                    'field': 'amount'}
            refund = {'resource': 'refund',
                'id': 're_fake%d' % next(self._ids),
                'amount': body['amount'], 'status': 'pending',
                'paymentId': payment['id']}
            self.refunds.append(refund)
            return 201, refund
        return 404, {'status': 404, 'title': 'Not Found'}

    # -- the hosted checkout page (no API key: the customer's browser) ------
    OUTCOMES = {
        'paid': "Pay", 'failed': "Fail the payment",
        'canceled': "Cancel"}

    def checkout(self, method, payment_id, body):
        payment = self.payments.get(payment_id)
        if payment is None:
            return 404, b'<h1>Unknown payment</h1>', 'text/html; charset=utf-8'
        if method == 'POST' and payment['status'] == 'open':
            status = (body or {}).get('status')
            if status not in self.OUTCOMES:
                return 400, b'<h1>Unknown outcome</h1>', \
                    'text/html; charset=utf-8'
            details = None
            if status == 'paid':
                details = ({'consumerAccount': 'BE68539007547034',
                        'consumerName': 'Demo Customer'}
                    if payment['method'] in {'bancontact', 'kbc', 'belfius'}
                    else {'cardFingerprint': 'demo-%s' % payment_id,
                        'cardNumber': '4242'})
            self.set_status(payment_id, status, details)
            self.notify(payment)
        if method == 'POST':
            return 303, b'', 'text/html; charset=utf-8', {
                'Location': payment['redirectUrl']}
        return 200, self.page(payment), 'text/html; charset=utf-8'

    def notify(self, payment):
        "Mollie's webhook call: only the id, the server fetches the rest"
        if payment.get('webhookUrl'):
            try:
                requests.post(payment['webhookUrl'],
                    data={'id': payment['id']}, timeout=10)
            except requests.RequestException:
                pass

    def page(self, payment):
        amount = payment['amount']
        buttons = ''.join(
            '<button name="status" value="%s">%s</button>' % (value, label)
            for value, label in self.OUTCOMES.items())
        state = ('' if payment['status'] == 'open' else
            '<p>Status: <strong>%s</strong></p>'
            '<p><a href="%s">Back to the shop</a></p>' % (
                html.escape(payment['status']),
                html.escape(payment['redirectUrl'])))
        form = ('<form method="post">%s</form>' % buttons
            if payment['status'] == 'open' else '')
        return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            '<title>Mollie test checkout</title></head><body>'
            '<h1>Mollie test mode</h1><p>%s</p><p>%s %s (%s)</p>%s%s'
            '</body></html>' % (
                html.escape(payment['description']),
                html.escape(amount['currency']), html.escape(amount['value']),
                html.escape(payment['method'] or 'any method'),
                state, form)).encode()
