"""/checkout: options (pickup shops with availability, delivery methods),
service points, and placing the order with its reservation and payment.

POST /checkout runs in one transaction: the checkout rules shared with
the website (checkout.place_order: validate, route, quote, reserve, start
the payment), then the answer is stored under the Idempotency-Key. Any
refusal raises, so the transaction rolls back: no half-made order."""
import hashlib

from trytond.i18n import gettext
from trytond.pool import Pool

from urban_checkout import cart, checkout as checkouts, shipping

from . import api, schemas_checkout
from .routes_orders import order_schema
from .schemas import Money

IDEMPOTENCY_HEADER = ('Idempotency-Key',
    "Unique key of this checkout attempt: a retry with the same key and "
    "body gets the same answer", True)


def problem(error):
    """The problem+json of a refused checkout (checkouts.CheckoutError); the
    carrier's and the provider's texts stay in the log"""
    if error.code == 'shipping_unavailable':
        return api.Problem(502, error.code,
            gettext('urban_mobile_api.msg_api_shipping_unavailable'),
            gettext('urban_mobile_api.msg_api_shipping_unavailable_detail'))
    if error.code == 'payment_unavailable':
        return api.Problem(502, error.code,
            gettext('urban_mobile_api.msg_api_payment_unavailable'),
            gettext('urban_mobile_api.msg_api_payment_unavailable_detail'))
    extra = {'errors': error.errors} if error.errors else {}
    return api.Problem(error.status, error.code, error.title, error.detail,
        **extra)


def stripe_settings(provider):
    "What a client needs to confirm a Stripe payment itself"
    if provider != 'stripe':
        return {}
    from urban_checkout import stripe_provider
    return {'publishable_key': stripe_provider.publishable_key(),
        'stripe_js_url': stripe_provider.js_url()}


def _cart_or_problem(call):
    try:
        return checkouts.check_not_empty(cart.find_cart(user=call.user))
    except checkouts.CheckoutError as error:
        raise problem(error)


@api.endpoint('GET', '/checkout/options', summary="Ways to get the cart",
    tags=['checkout'], auth='required',
    response=schemas_checkout.CheckoutOptions, errors=(401, 409))
def checkout_options(call):
    """Click & collect in each shop (whole cart available now, or after a
    transfer, with a ready-by date) and home delivery methods with
    prices."""
    sale = _cart_or_problem(call)
    lines = checkouts.cart_lines(sale)
    options = []
    for shop in checkouts.pickup_shops():
        # POST /checkout takes what is offered here (pickup_plan)
        ready_by, transfer = checkouts.pickup_plan(lines, shop)
        options.append(schemas_checkout.PickupOption(
                shop=shop.shop_code, name=shop.name,
                available=bool(ready_by and not transfer),
                ready_by=ready_by, transfer=bool(transfer)))
    delivery = []
    currency = sale.currency.code
    for method in shipping.delivery_methods(country='BE'):
        delivery.append(schemas_checkout.DeliveryOption(
                carrier=method['carrier'], method=str(method['id']),
                name=method['name'],
                price=Money.of(method['price'], currency),
                service_point=method['service_point']))
    return schemas_checkout.CheckoutOptions(
        click_collect=options, delivery=delivery)


@api.endpoint('GET', '/checkout/service-points',
    summary="Search parcel service points", tags=['checkout'],
    auth='required', query=schemas_checkout.ServicePointQuery,
    response=schemas_checkout.ServicePointList, errors=(401, 422, 502))
def service_points(call):
    if call.query.carrier not in shipping.CARRIERS:
        raise api.Problem(422, 'unknown_carrier', "Unknown carrier",
            "Carriers: %s." % ', '.join(shipping.CARRIERS))
    if not shipping.configured():
        # no home delivery offered (see delivery_methods): no points
        return schemas_checkout.ServicePointList(items=[])
    try:
        points = shipping.service_points(call.query.country,
            call.query.postal_code, call.query.carrier)
    except shipping.ShippingError as error:
        raise problem(checkouts.shipping_unavailable(error))
    return schemas_checkout.ServicePointList(items=[
            schemas_checkout.ServicePoint(**p) for p in points])


def _request_hash(call):
    return hashlib.sha256(call.request.get_data(cache=True)
        or b'').hexdigest()


@api.endpoint('POST', '/checkout', summary="Place the order",
    tags=['checkout'], auth='required', body=schemas_checkout.CheckoutIn,
    response=schemas_checkout.CheckoutOut, status=201,
    errors=(401, 409, 422, 502), headers=[IDEMPOTENCY_HEADER])
def checkout(call):
    """Places the cart as an order in the chosen shop (click & collect) or
    in the shop routing picks (delivery), reserves its goods and starts the
    payment. Click & collect takes what GET /checkout/options offers: a
    shop offered with transfer gets the goods from another shop (they are
    held there and a transfer is made) and the order is ready by the
    later date. Same Idempotency-Key and body: the same answer; same key with
    another body: 409. Stock gone: 409 with code business_rule. Until it
    is paid the order holds its units for a short while and within limits
    (README, "Unpaid orders"): more units of a product than one customer
    may hold unpaid: 409 unpaid_hold_limit; the last units of a product in
    the shop while the e-mail address is not verified: 409
    email_verification_required."""
    Idempotency = Pool().get('urban.api.idempotency')
    key = (call.request.headers.get('Idempotency-Key') or '').strip()
    if not key or len(key) > 255:
        raise api.Problem(422, 'idempotency_key_required',
            "Send an Idempotency-Key header (at most 255 characters)")
    scope = 'checkout:%s' % call.user.id
    request_hash = _request_hash(call)
    Idempotency.lock_key(scope, key)
    previous = Idempotency.lookup(scope, key)
    if previous:
        if previous.request_hash != request_hash:
            raise api.Problem(409, 'idempotency_key_reused',
                "This Idempotency-Key was used for another request")
        call.headers['Idempotent-Replayed'] = 'true'
        return api.Response(previous.response, status=previous.status,
            content_type='application/json')

    body = call.body
    # the rules (phone, then cart, ...) and their order: checkout.py
    sale = cart.find_cart(user=call.user)
    try:
        sale, payment, result = checkouts.place_order(sale,
            cart.customer_party(call.user), body.mode, body.phone,
            shop_code=body.shop, shipping_method=body.shipping_method,
            service_point=body.service_point,
            address=body.address.model_dump() if body.address else None,
            user=call.user, holder='web.user,%s' % call.user.id,
            holder_verified=bool(call.user.email_valid),
            payment_provider=body.payment_provider,
            payment_method=body.payment_method,
            idempotency_key='checkout-%s-%s' % (call.user.id, key))
    except checkouts.CheckoutError as error:
        raise problem(error)
    answer = schemas_checkout.CheckoutOut(
        order=order_schema(sale),
        payment=schemas_checkout.PaymentOut(
            provider=payment.provider, reference=payment.reference,
            status=payment.state,
            amount=Money.of(payment.amount, payment.currency),
            client_secret=result.get('client_secret'),
            checkout_url=result.get('checkout_url'),
            **stripe_settings(payment.provider)))
    text = answer.model_dump_json(by_alias=True)
    Idempotency.create([{
                'scope': scope, 'key': key, 'request_hash': request_hash,
                'status': 201, 'response': text,
                }])
    return api.Response(text, status=201, content_type='application/json')
