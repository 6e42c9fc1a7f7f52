"""localstripe's server with what Stripe.js does in the browser and
localstripe lacks: confirming a PaymentIntent with the publishable key and
the client secret, the card typed in the element as payment method
(`stripe.confirmPayment`, the Payment Element the site and the pro portal
use, and `stripe.confirmCardPayment` with a card element, the app's).

Without it a buyer on `make demo` typed the test card and got "card
payment unavailable": localstripe's Stripe.js has no confirmPayment, and
its confirmCardPayment only answers a 3-D Secure question for a
PaymentIntent already confirmed through the secret key.

    python -m urbantherapy.emulators.localstripe_server --port 8420
"""
import pathlib
import re

from aiohttp import web
from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent, PaymentMethod

EXTENSION = pathlib.Path(__file__).with_name('stripe_js_confirm.js')
CONFIRM = re.compile(r'^/v1/payment_intents/(pi_\w+)/confirm$')
CARD_FIELDS = ('number', 'exp_month', 'exp_year', 'cvc')


def confirm_with_client_secret(intent_id, data):
    """What Stripe does for a browser's confirm: the client secret proves
    the buyer holds the PaymentIntent; the card becomes its payment method.
    A PaymentIntent confirmed already (waiting for 3-D Secure, or paid) is
    answered as it is."""
    intent = PaymentIntent._api_retrieve(intent_id)
    if data.get('client_secret') != intent.client_secret:
        raise UserError(401, 'Unauthorized')
    if intent.status in {'requires_action', 'processing', 'succeeded'}:
        return intent
    card = (data.get('payment_method_data') or {}).get('card') or {}
    if not all(card.get(f) for f in CARD_FIELDS):
        raise UserError(400, 'Your card number is incomplete.',
            {'code': 'incomplete_number'})
    method = PaymentMethod._api_create(type='card',
        card={f: str(card[f]) for f in CARD_FIELDS})
    if method._attaching_is_declined():
        # Stripe's decline test cards (4000 0000 0000 0002, ...), which
        # localstripe declines only when attached to a customer: declined
        # at once, the PaymentIntent waits for another card
        raise UserError(402, 'Your card was declined.',
            {'code': 'card_declined', 'decline_code': 'generic_decline'})
    PaymentIntent._api_update(intent_id, payment_method=method.id)
    return PaymentIntent._api_confirm(intent_id)


@web.middleware
async def browser_confirm(request, handler):
    if request.method == 'GET' and request.path == '/js.stripe.com/v3/':
        response = await handler(request)
        return web.Response(text=response.text + EXTENSION.read_text(),
            content_type='application/javascript')
    match = CONFIRM.match(request.path)
    if request.method == 'POST' and match:
        data = await server.get_post_data(request, remove_auth=False)
        key = data.get('key')
        if isinstance(key, str) and key.startswith('pk_'):
            intent = confirm_with_client_secret(match.group(1), data)
            return server.json_response(intent._export())
    return await handler(request)


# after localstripe's error middleware (UserError -> Stripe's error body),
# before its authentication (which wants the secret key for a confirm)
server.app.middlewares.insert(1, browser_confirm)


if __name__ == '__main__':
    server.start()
