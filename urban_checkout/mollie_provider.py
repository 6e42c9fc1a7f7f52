"""Mollie through its documented v2 REST API over plain HTTP (requests).

POST /v2/payments creates a payment with a checkout URL (methods
bancontact, creditcard, kbc, belfius); Mollie's webhook only sends the
payment id, which we re-fetch (GET /v2/payments/{id}): that is Mollie's
security model. Configuration: `[urban] mollie_api_key` (or env
MOLLIE_API_KEY), `[urban] mollie_api_base` (default
https://api.mollie.com), `[urban] mollie_redirect_url` and
`[urban] public_url` (webhook base; default: `[urban] site_url`)."""
import os
from decimal import Decimal

import requests

from trytond.config import config

METHODS = ('bancontact', 'creditcard', 'kbc', 'belfius')
DEFAULT_API_BASE = 'https://api.mollie.com'
TIMEOUT = 10


def _base():
    return config.get('urban', 'mollie_api_base',
        default=DEFAULT_API_BASE).rstrip('/')


def _headers(idempotency_key=None):
    from .payment import PaymentError
    key = (config.get('urban', 'mollie_api_key', default=None)
        or os.environ.get('MOLLIE_API_KEY'))
    if not key:
        raise PaymentError("Mollie is not configured (mollie_api_key)")
    headers = {'Authorization': 'Bearer %s' % key}
    if idempotency_key:
        headers['Idempotency-Key'] = idempotency_key
    return headers


def _request(method, path, idempotency_key=None, **kwargs):
    from .payment import PaymentError
    try:
        response = requests.request(method, _base() + path,
            headers=_headers(idempotency_key), timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise PaymentError("Mollie unreachable: %s" % error) from error
    if response.status_code >= 400:
        try:
            detail = response.json().get('detail')
        except ValueError:
            detail = response.text[:200]
        raise PaymentError("Mollie: %s" % detail,
            status=response.status_code)
    return response.json()


def _amount(amount, currency):
    return {'currency': currency,
        'value': str(Decimal(amount).quantize(Decimal('0.01')))}


def create_payment(amount, currency, method, description, metadata,
        idempotency_key=None):
    from urban_catalog.site import site_url
    public = (config.get('urban', 'public_url', default=None)
        or site_url()).rstrip('/')
    body = {
        'amount': _amount(amount, currency),
        'description': description,
        # back to the order in the app (its web export at /webapp), where it
        # shows paid once the webhook confirmed it
        'redirectUrl': config.get('urban', 'mollie_redirect_url',
            default=public + '/webapp/orders/%s' % metadata.get('sale', '')),
        'webhookUrl': public + '/webhooks/mollie',
        'metadata': metadata,
        }
    if method in METHODS:
        body['method'] = method
    payment = _request('POST', '/v2/payments', json=body,
        idempotency_key=idempotency_key)
    return {
        'reference': payment['id'],
        'checkout_url': payment['_links']['checkout']['href'],
        'status': normalise(payment),
        }


def normalise(payment):
    return {
        'paid': 'paid',
        'canceled': 'cancelled',
        'expired': 'expired',
        'failed': 'failed',
        }.get(payment.get('status'), 'pending')


def fetch_status(reference):
    return normalise(_request('GET', '/v2/payments/%s' % reference))


def refund(reference, amount, currency, idempotency_key=None):
    refund = _request('POST', '/v2/payments/%s/refunds' % reference,
        json={'amount': _amount(amount, currency)},
        idempotency_key=idempotency_key)
    return refund['id']


def cancel(reference):
    _request('DELETE', '/v2/payments/%s' % reference)


def fingerprint(reference):
    """Mollie's card fingerprint, or the paying bank account (Bancontact,
    transfers) of the payment"""
    details = _request('GET', '/v2/payments/%s' % reference).get(
        'details') or {}
    return details.get('cardFingerprint') or details.get('consumerAccount')
