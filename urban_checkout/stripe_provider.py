"""Stripe through its official SDK: PaymentIntents (card, Bancontact),
refunds, signed webhooks.

Configuration (never in the repository): the secret key from
`[urban] stripe_secret_key` (env TRYTOND_URBAN__STRIPE_SECRET_KEY) or env
STRIPE_SECRET_KEY, the webhook signing secret from
`[urban] stripe_webhook_secret` or env STRIPE_WEBHOOK_SECRET, the API base
from `[urban] stripe_api_base` (tests point it at localstripe); what web
pages need for Stripe.js: the publishable key from
`[urban] stripe_publishable_key` (env STRIPE_PUBLISHABLE_KEY) and the
Stripe.js URL from `[urban] stripe_js_url` (localstripe's in tests)."""
import os

import stripe

from trytond.config import config

METHODS = ('card', 'bancontact')
DEFAULT_API_BASE = 'https://api.stripe.com'
DEFAULT_JS_URL = 'https://js.stripe.com/v3/'


def _setting(option, env):
    value = config.get('urban', option, default=None) or os.environ.get(env)
    if not value:
        from .payment import PaymentError
        raise PaymentError("Stripe is not configured (%s)" % option)
    return value


def _client_options():
    stripe.api_base = config.get('urban', 'stripe_api_base',
        default=DEFAULT_API_BASE)
    stripe.max_network_retries = 1
    return {'api_key': _setting('stripe_secret_key', 'STRIPE_SECRET_KEY')}


def publishable_key():
    "The publishable key for Stripe.js, None when not configured"
    return (config.get('urban', 'stripe_publishable_key', default=None)
        or os.environ.get('STRIPE_PUBLISHABLE_KEY') or None)


def js_url():
    "Where Stripe.js is loaded from"
    return config.get('urban', 'stripe_js_url', default=DEFAULT_JS_URL)


def _call(function, *args, **kwargs):
    from .payment import PaymentError
    try:
        return function(*args, **kwargs)
    except stripe.StripeError as error:
        raise PaymentError(str(error.user_message or error),
            status=getattr(error, 'http_status', None)) from error


def create_payment(amount, currency, method, description, metadata,
        idempotency_key=None):
    from .payment import to_cents
    methods = [method] if method in METHODS else list(METHODS)
    options = _client_options()
    if idempotency_key:
        options['idempotency_key'] = idempotency_key
    intent = _call(stripe.PaymentIntent.create,
        amount=to_cents(amount), currency=currency.lower(),
        payment_method_types=methods, metadata=metadata, **options)
    return {
        'reference': intent.id,
        'client_secret': intent.client_secret,
        'status': normalise(intent),
        }


def normalise(intent):
    status = intent.status
    if status == 'succeeded':
        return 'paid'
    if status == 'canceled':
        return 'cancelled'
    if (status == 'requires_payment_method'
            and getattr(intent, 'last_payment_error', None)):
        return 'failed'
    return 'pending'


def fetch_status(reference):
    intent = _call(stripe.PaymentIntent.retrieve, reference,
        **_client_options())
    return normalise(intent)


def refund(reference, amount, currency, idempotency_key=None):
    from .payment import to_cents
    options = _client_options()
    if idempotency_key:
        options['idempotency_key'] = idempotency_key
    result = _call(stripe.Refund.create, payment_intent=reference,
        amount=to_cents(amount), **options)
    return result.id


def client_secret(reference):
    "The client secret of the PaymentIntent, for Stripe.js"
    intent = _call(stripe.PaymentIntent.retrieve, reference,
        **_client_options())
    return intent.client_secret


def cancel(reference):
    _call(stripe.PaymentIntent.cancel, reference, **_client_options())


def construct_event(payload, signature):
    "The verified event; raises ValueError or SignatureVerificationError"
    secret = _setting('stripe_webhook_secret', 'STRIPE_WEBHOOK_SECRET')
    return stripe.Webhook.construct_event(payload, signature, secret)


SignatureError = stripe.SignatureVerificationError


def fingerprint(reference):
    """Fingerprint of the card (or bank account) of the PaymentIntent's
    charge, as Stripe reports it in payment_method_details"""
    intent = _call(stripe.PaymentIntent.retrieve, reference,
        expand=['latest_charge'], **_client_options())
    charge = intent.get('latest_charge') if hasattr(intent, 'get') else None
    if not charge or isinstance(charge, str):
        return None
    details = charge.get('payment_method_details') or {}
    for kind in ('card', 'card_present', 'sepa_debit', 'bancontact'):
        value = (details.get(kind) or {}).get('fingerprint')
        if value:
            return value
    return None
