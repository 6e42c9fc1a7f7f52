"""The web shop's checkout on the site: /checkout (guest, click & collect)
and the order's page /order/<token> (payment with Stripe's Payment
Element, then the confirmation).

The rules are urban_checkout's (checkout.py `place_order`), the app's
too: the same quote, reservation and payment start. A guest is a customer: the
order belongs to the party of the e-mail address, found or created, so the
per-customer coupon rules apply. The order's page is reached by an
unguessable token only its buyer gets (its SHA-256 is on the order). The
order is confirmed by Stripe's webhook, never by a page."""
import re
import secrets

from trytond.exceptions import UserError
from trytond.protocols.wrappers import redirect
from trytond.transaction import Transaction

from . import i18n, legal, pro_session, settings, shop_cart
from .routes import localized, not_found

EMAIL = re.compile(r'^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$')
ORDER_TOKEN = re.compile(r'^[A-Za-z0-9_-]{40,64}$')

# problem codes of checkout.place_order said to a visitor
MESSAGES = {
    'cart_empty': "Your cart is empty.",
    'invalid_phone': "Please enter a valid phone number.",
    'unknown_shop': "Choose the shop where you collect your order.",
    'not_available_in_shop': "This shop cannot get everything in your cart. Please choose another shop.",
    'unpaid_hold_limit': "You already hold too many of these articles in unpaid orders.",
    'email_verification_required': "These are the last units: they can only be ordered from a customer account with a verified e-mail address.",
    'payment_unavailable': "Card payment is not available right now.",
    }


def _(lang, text, **variables):
    return i18n.gettext(lang, text, **variables)


def _stripe():
    from urban_checkout import stripe_provider
    return stripe_provider


def pickup_options(sale):
    "[(shop, ready-by date or None)] of click & collect of the cart"
    from urban_checkout import checkout
    lines = checkout.cart_lines(sale)
    return [(shop,) + (checkout.pickup_plan(lines, shop)[0],)
        for shop in checkout.pickup_shops()]


def checkout_page(request, lang, sale, status=200, error=None, values=None):
    return shop_cart.shop_page(request, 'checkout.html', lang, '/checkout',
        status=status, title="%s — Urban Therapy" % _(lang, "Checkout"),
        description=_(lang, "Checkout"), cart=shop_cart.view(sale),
        shops=pickup_options(sale), error=error, values=values or {},
        card=bool(_stripe().publishable_key()))


def _values(request):
    "What the visitor typed, to show it back"
    from .forms import printable
    return {name: printable(request.form.get(name, ''))[:254]
        for name in ('email', 'name', 'phone', 'shop')} | {
        'terms': request.form.get('terms') == 'yes'}


@localized('/checkout', methods=('GET', 'POST'))
def checkout(request, pool, lang):
    from urban_checkout import checkout as rules
    from urban_checkout.sale import token_hash
    sale = shop_cart.current(request)
    if sale is None or not [l for l in sale.lines if l.type == 'line']:
        return redirect(i18n.url(lang, '/cart'), code=303)
    if request.method == 'GET':
        return checkout_page(request, lang, sale)
    values = _values(request)

    def refused(status, text):
        Transaction().rollback()
        return checkout_page(request, lang, shop_cart.current(request),
            status=status, error=text, values=values)
    if not pro_session.csrf_valid(request):
        return refused(403, _(lang, "The form expired. Please try again."))
    email = request.form.get('email', '').strip()[:254]
    name = ' '.join(request.form.get('name', '').split())[:120]
    if not EMAIL.match(email):
        return refused(422, _(lang, "Please enter a valid e-mail address."))
    if not name:
        return refused(422, _(lang, "Please enter your name."))
    if not values['terms']:
        return refused(422, _(lang, "Please accept the terms of sale."))
    if not _stripe().publishable_key():
        return refused(503, _(lang, MESSAGES['payment_unavailable']))
    party = rules.party_by_email(email, name, language=lang)
    order_token = secrets.token_urlsafe(32)
    sale.api_order_token = token_hash(order_token)
    sale.api_cart_token = None
    try:
        order, _payment, _result = rules.place_order(sale, party,
            'click_collect', request.form.get('phone', '')[:32],
            shop_code=request.form.get('shop', '')[:16],
            holder=rules.guest_holder(party), holder_verified=False,
            payment_provider='stripe', payment_method=None,
            idempotency_key='web-order-%s' % token_hash(order_token),
            terms_version=legal.terms_version())
    except rules.CheckoutError as error:
        text = MESSAGES.get(error.code)
        # a provider that cannot be reached is no fault of the visitor
        return refused(503 if error.status >= 500 else error.status,
            _(lang, text) if text else error.title)
    except UserError as exception:
        # the domain's rules (a coupon this customer may not use, stock
        # gone): its message is in the page's language
        return refused(409, exception.message)
    response = redirect(i18n.url(lang, '/order/%s' % order_token),
        code=303)
    response.delete_cookie(shop_cart.CART_COOKIE, path='/')
    return response


def _awaiting_payment(order):
    return order.state == 'quotation' and any(
        p.provider == 'stripe' and p.state == 'pending'
        for p in order.api_payments)


def status_label(order, lang):
    if _awaiting_payment(order):
        return _(lang, "Awaiting payment")
    if order.state == 'cancelled':
        return _(lang, "Cancelled")
    if order.collect_state == 'ready':
        return _(lang, "Ready for pickup")
    if order.collect_state == 'collected':
        return _(lang, "Collected")
    return _(lang, "Confirmed")


@localized('/order/<token>', methods=('GET',))
def order_page(request, pool, lang, token):
    """The buyer's order: the payment form while it awaits its payment,
    then its state and pickup shop"""
    from urban_checkout.payment import PaymentError
    from urban_checkout.sale import token_hash
    Sale = pool.get('sale.sale')
    found = Sale.search([
            ('api_order_token', '=', token_hash(token)),
            ]) if ORDER_TOKEN.match(token) else []
    if not found:
        return not_found(request, lang)
    order, = found
    awaiting = _awaiting_payment(order)
    returned = request.args.get('redirect_status') if awaiting else None
    secret, error, status = None, None, 200
    if awaiting and not returned:
        payment = next(p for p in order.api_payments
            if p.provider == 'stripe' and p.state == 'pending')
        try:
            secret = payment.fetch_client_secret()
        except PaymentError:
            error, status = _(lang, MESSAGES['payment_unavailable']), 503
    stripe = _stripe()
    target = settings.absolute(i18n.url(lang, '/order/%s' % token))
    lines = [l for l in order.lines if l.type == 'line' and l.product]
    response = shop_cart.shop_page(request, 'order.html', lang,
        '/order/%s' % token, status=status,
        title="%s %s — Urban Therapy" % (_(lang, "Order"), order.number),
        description=_(lang, "Your order"), order=order, lines=lines,
        variants=_variant_names(lines), awaiting=awaiting,
        status_label=status_label(order, lang), returned=returned,
        refresh=5 if returned in {'succeeded', 'processing'} else None,
        error=error, client_secret=secret,
        publishable_key=stripe.publishable_key() if secret else None,
        stripe_js=stripe.js_url() if secret else None, return_url=target,
        shop_address=_address(order.warehouse))
    response.headers['X-Frame-Options'] = 'DENY'
    response.headers['Referrer-Policy'] = 'no-referrer'
    return response


def _variant_names(lines):
    "{product id: name and variant in the request's language}"
    from urban_checkout.cart import line_products
    products = line_products([l.product.id for l in lines])
    return {p: (d['name'], d['variant_label']) for p, d in products.items()}


def _address(shop):
    address = shop.address if shop else None
    if not address:
        return ''
    return ', '.join(filter(None, [address.street,
                ' '.join(filter(None, [address.postal_code,
                            address.city]))]))
