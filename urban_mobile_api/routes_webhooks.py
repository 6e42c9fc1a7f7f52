"""Payment webhooks: POST /webhooks/stripe and POST /webhooks/mollie.

Stripe: the Stripe-Signature header is verified
(stripe.Webhook.construct_event) and the event id stored, so a replay
changes nothing; the PaymentIntent is re-read from Stripe, so events may
arrive in any order. Mollie only posts a payment id: it is re-fetched from
Mollie (Mollie's security model). Both end in Payment.reconcile()."""
import json
import logging

from trytond.protocols.wrappers import (
    Response, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from urban_checkout import stripe_provider
from urban_checkout.payment import PaymentError

from . import api

logger = logging.getLogger(__name__)


def _answer(status, **body):
    return Response(json.dumps(body), status=status,
        content_type='application/json')


def webhook(path):
    "Register a webhook handler(request, pool) in a transaction"
    def decorator(func):
        @with_transaction()
        def transactional(request, pool):
            with Transaction().set_context(
                    company=api._company_id(pool), language='fr'):
                return func(request, pool)

        @with_pool
        def pooled(request, pool):
            try:
                return transactional(request, pool)
            except api.Problem as problem:
                return problem.response(request.path)
            except PaymentError as error:
                # the provider is unreachable: answer 503 so that it
                # retries later
                logger.warning("webhook %s: %s", path, error)
                return api.Problem(503, 'provider_unavailable',
                    "Payment provider unreachable").response(request.path)

        def entry(request, database_name=None):
            return pooled(request, api.database_name())
        entry.__name__ = 'urban_webhook_%s' % func.__name__
        app.route(path, methods={'POST'},
            defaults={'database_name': None})(entry)
        return func
    return decorator


@webhook('/webhooks/stripe')
def stripe_webhook(request, pool):
    Payment = pool.get('urban.api.payment')
    Event = pool.get('urban.api.webhook.event')
    payload = request.get_data(cache=True)
    signature = request.headers.get('Stripe-Signature', '')
    try:
        event = stripe_provider.construct_event(payload, signature)
    except (ValueError, stripe_provider.SignatureError):
        raise api.Problem(400, 'invalid_signature',
            "Invalid Stripe signature or payload")
    if Event.seen('stripe', event.id):
        return _answer(200, received=True, duplicate=True)
    result = 'ignored'
    obj = event.data.object
    if getattr(obj, 'object', None) == 'payment_intent':
        payment = Payment.by_reference('stripe', obj.id)
        if payment:
            # the event only says "look": the PaymentIntent is the truth
            result = payment.reconcile()
    Event.record('stripe', event.id, event.type, result)
    return _answer(200, received=True, result=result)


@webhook('/webhooks/mollie')
def mollie_webhook(request, pool):
    Payment = pool.get('urban.api.payment')
    Event = pool.get('urban.api.webhook.event')
    reference = request.form.get('id') or ''
    if not reference and request.is_json:
        reference = (request.get_json(silent=True) or {}).get('id') or ''
    if not reference:
        raise api.Problem(400, 'missing_id', "Send the payment id")
    payment = Payment.by_reference('mollie', reference)
    if not payment:
        # Mollie must not learn which ids exist: 200 without effect
        return _answer(200, received=True)
    status = payment.fetch_status()
    key = '%s:%s' % (reference, status)
    if Event.seen('mollie', key):
        return _answer(200, received=True, duplicate=True)
    result = payment.reconcile(status)
    Event.record('mollie', key, status, result)
    return _answer(200, received=True, result=result)
