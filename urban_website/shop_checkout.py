"""The web shop's checkout on the site: /checkout (guest, click & collect
or home delivery) and the order's page /order/<token> (payment with
Stripe's Payment Element, then the confirmation).

The rules are urban_checkout's (checkout.py `place_order`), the app's
too: the same quote, reservation and payment start. A guest is a customer: the
order belongs to the party of the e-mail address, found or created, so the
per-customer coupon rules apply. A customer logged in on the site
(shop_account) orders as in the app: for their own party and web user. The
order's page is reached by an unguessable token only its buyer gets (its
SHA-256 is on the order). The order is confirmed by Stripe's webhook, never
by a page.

Home delivery works without JavaScript: the "show the delivery options"
button posts the form back (nothing is written) and the page offers the
methods to the typed country (urban_checkout.shipping, Sendcloud's prices
and delivery times) with the total each gives, and the relay points near
the typed postal code for the methods that deliver to one."""
import re
import secrets

from trytond.exceptions import UserError
from trytond.protocols.wrappers import redirect
from trytond.transaction import Transaction

from . import (customer_session, forms, i18n, legal, pro_session, settings,
    shop_account, shop_cart)
from .routes import localized, not_found

EMAIL = re.compile(r'^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$')
ORDER_TOKEN = re.compile(r'^[A-Za-z0-9_-]{40,64}$')

# problem codes of checkout.place_order said to a visitor
MESSAGES = {
    'cart_empty': "Your cart is empty.",
    'invalid_phone': "Please enter a valid phone number.",
    'unknown_shop': "Choose the shop where you collect your order.",
    'not_available_in_shop': (
        "This shop cannot get everything in your cart. "
        "Please choose another shop."),
    'unpaid_hold_limit': (
        "You already hold too many of these articles in unpaid orders."),
    'email_verification_required': (
        "These are the last units: they can only be ordered from a "
        "customer account with a verified e-mail address."),
    'payment_unavailable': "Card payment is not available right now.",
    'unknown_mode': "Choose click & collect or home delivery.",
    'invalid_address': (
        "Please enter your delivery address: street and number, "
        "postal code, city and country."),
    'invalid_postal_code': (
        "Please enter a valid postal code for this country."),
    'country_not_served': "We deliver only to these countries: %(countries)s.",
    'unknown_shipping_method': (
        "Choose one of the delivery methods offered for your address."),
    'service_point_required': "Choose a relay point for this delivery method.",
    'unknown_service_point': (
        "This relay point is not one of this delivery method's. "
        "Please choose one from the list."),
    'not_available_online': (
        "Not everything in your cart can be shipped now. "
        "Please choose click & collect."),
    'shipping_unavailable': (
        "Home delivery is not available right now. "
        "Please try again later or choose click & collect."),
    'relay_points_unavailable': (
        "The relay points cannot be looked up right now. "
        "Please try again later or choose another method."),
    }
# the countries of urban_checkout.shipping.COUNTRIES in the page's words
COUNTRY_NAMES = {
    'BE': "Belgium",
    'NL': "Netherlands",
    'FR': "France",
    'LU': "Luxembourg",
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


def countries(lang):
    "[(code, name)] of the countries we deliver to"
    from urban_checkout import shipping
    return [(code, _(lang, COUNTRY_NAMES[code]))
        for code in shipping.COUNTRIES]


def delivery_choices(values):
    """(methods to the typed country, {carrier: relay points near the typed
    postal code} of the methods that deliver to one, problem code or None)"""
    from urban_checkout import shipping
    methods = shipping.delivery_methods(values.get('country') or 'BE')
    points, problem = {}, None
    if values.get('postal_code'):
        for carrier in sorted({m['carrier'] for m in methods
                    if m['service_point']}):
            try:
                points[carrier] = shipping.service_points(
                    values.get('country') or 'BE', values['postal_code'],
                    carrier)
            except shipping.ShippingError:
                problem = 'relay_points_unavailable'
    return methods, points, problem


def checkout_page(request, lang, sale, status=200, error=None, values=None):
    values = values or {}
    cart = shop_cart.view(sale)
    methods, points, problem = delivery_choices(values)
    chosen = next((m for m in methods
            if str(m['id']) == values.get('method')), None)
    delivering = values.get('mode') == 'delivery'
    # what the visitor pays: the goods and, once chosen, the delivery
    total = cart['total'] + (chosen['price'] if delivering and chosen
        else 0)
    if problem and not error:
        error = _(lang, MESSAGES[problem])
    return shop_cart.shop_page(request, 'checkout.html', lang, '/checkout',
        status=status, title="%s — Urban Therapy" % _(lang, "Checkout"),
        description=_(lang, "Checkout"), cart=cart,
        shops=pickup_options(sale), error=error, values=values,
        card=bool(_stripe().publishable_key()), methods=methods,
        points=points, delivery=chosen if delivering else None, total=total,
        countries=countries(lang),
        account=customer_session.current(request) is not None)


def _values(request):
    "What the visitor typed, to show it back"
    from .forms import printable
    values = {name: printable(request.form.get(name, ''))[:254].strip()
        for name in ('email', 'name', 'phone', 'shop', 'street', 'city')}
    for name, size in [('mode', 16), ('postal_code', 16), ('country', 2),
            ('method', 16), ('service_point', 16)]:
        values[name] = printable(request.form.get(name, ''))[:size].strip()
    values['mode'] = values['mode'] or 'click_collect'
    values['country'] = values['country'].upper() or 'BE'
    values['terms'] = request.form.get('terms') == 'yes'
    return values


def refusal_text(lang, error):
    "The visitor's words for a refused checkout (checkout.CheckoutError)"
    code = error.code
    fields = {e['loc'][-1] for e in error.errors or []}
    if code == 'invalid_address' and fields == {'postal_code'}:
        code = 'invalid_postal_code'
    elif code == 'invalid_address' and fields == {'country'}:
        code = 'country_not_served'
    if code == 'country_not_served':
        return _(lang, MESSAGES[code], countries=', '.join(
                name for _code, name in countries(lang)))
    text = MESSAGES.get(code)
    return _(lang, text) if text else error.title


@localized('/checkout', methods=('GET', 'POST'))
def checkout(request, pool, lang):
    from urban_checkout import checkout as rules
    from urban_checkout.sale import token_hash
    sale = shop_cart.current(request)
    if sale is None or not [l for l in sale.lines if l.type == 'line']:
        return redirect(i18n.url(lang, '/cart'), code=303)
    customer = customer_session.current(request)
    if request.method == 'GET':
        return checkout_page(request, lang, sale,
            values=shop_account.prefill(customer))
    values = _values(request)
    if request.form.get('refresh'):
        # "show the delivery options": the same form, offers for the typed
        # address; nothing is written
        return checkout_page(request, lang, sale, values=values)

    def refused(status, text):
        Transaction().rollback()
        return checkout_page(request, lang, shop_cart.current(request),
            status=status, error=text, values=values)
    if not pro_session.csrf_valid(request):
        return refused(403, _(lang, "The form expired. Please try again."))
    email = (customer.email if customer
        else request.form.get('email', '').strip()[:254])
    name = ' '.join(request.form.get('name', '').split())[:120]
    if not EMAIL.match(email):
        return refused(422, _(lang, "Please enter a valid e-mail address."))
    if not name:
        return refused(422, _(lang, "Please enter your name."))
    if not values['terms']:
        return refused(422, _(lang, "Please accept the terms of sale."))
    if not _stripe().publishable_key():
        return refused(503, _(lang, MESSAGES['payment_unavailable']))
    # each order holds stock and starts a payment: a client that places
    # them by the dozen is stopped before it holds a shop's shelves
    wait = forms.throttle(request, 'checkout', setting='checkout_throttle')
    if wait:
        return forms.too_many(refused(429, _(lang, "Too many attempts. "
                    "Please wait a few minutes.")), wait)
    if customer:
        party, holder, verified = shop_account.buyer(customer)
    else:
        party = rules.party_by_email(email, name, language=lang)
        holder, verified = rules.guest_holder(party), False
    order_token = secrets.token_urlsafe(32)
    sale.api_order_token = token_hash(order_token)
    sale.api_cart_token = None
    delivering = values['mode'] == 'delivery'
    try:
        order, _payment, _result = rules.place_order(sale, party,
            values['mode'], request.form.get('phone', '')[:32],
            shop_code=request.form.get('shop', '')[:16],
            shipping_method=values['method'] if delivering else None,
            service_point=values['service_point'] if delivering else None,
            address={name: values[name] for name in ('street',
                    'postal_code', 'city', 'country')} if delivering
            else None,
            user=customer, holder=holder, holder_verified=verified,
            payment_provider='stripe', payment_method=None,
            idempotency_key='web-order-%s' % token_hash(order_token),
            terms_version=legal.terms_version())
    except rules.CheckoutError as error:
        # a provider that cannot be reached is no fault of the visitor
        return refused(503 if error.status >= 500 else error.status,
            refusal_text(lang, error))
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
        shop_address=_address(order.warehouse), delivery=_delivery(order))
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


def _delivery(order):
    """{method, price, address, point} of a home delivery order (None for
    click & collect)"""
    from urban_checkout import shipping
    if order.api_mode != 'delivery':
        return None
    line = next((l for l in order.lines if l.api_delivery), None)
    address = order.shipment_address
    return {
        'method': line.description if line else '',
        'price': shipping.taxed_amount(line) if line else None,
        'address': ', '.join(filter(None, [address.street, ' '.join(
                        filter(None, [address.postal_code, address.city])),
                    address.country.code if address.country else None])),
        'point': order.api_service_point_name,
        }
