"""/checkout: options (pickup shops with availability, delivery methods),
service points, and placing the order with its reservation and payment.

POST /checkout runs in one transaction: validate, route the cart
(urban_stock.routing), quote the sale, reserve its goods in the chosen
shop (all or nothing, under the reservation lock), start the payment at
the provider, store the answer under the Idempotency-Key. Any refusal
raises, so the transaction rolls back: no half-made order."""
import datetime as dt
import hashlib
import logging

import phonenumbers

from trytond.i18n import gettext
from trytond.pool import Pool

from urban_stock import routing, transfer as transfers
from urban_stock.reservation import (
    HoldLimitError, LastUnitsError, wanted_quantities)

from . import api, cart, schemas_checkout, shipping
from .payment import PaymentError
from .routes_orders import order_schema
from .schemas import Money

IDEMPOTENCY_HEADER = ('Idempotency-Key',
    "Unique key of this checkout attempt: a retry with the same key and "
    "body gets the same answer", True)
PREPARATION = dt.timedelta(hours=2)
logger = logging.getLogger(__name__)


def shipping_unavailable(error):
    "502 without the carrier's text (it stays in the log)"
    logger.warning("Sendcloud unavailable: %s", error)
    return api.Problem(502, 'shipping_unavailable',
        gettext('urban_mobile_api.msg_api_shipping_unavailable'),
        gettext('urban_mobile_api.msg_api_shipping_unavailable_detail'))


def stripe_settings(provider):
    "What a client needs to confirm a Stripe payment itself"
    if provider != 'stripe':
        return {}
    from . import stripe_provider
    return {'publishable_key': stripe_provider.publishable_key(),
        'stripe_js_url': stripe_provider.js_url()}


def _cart_or_problem(call):
    sale = cart.find_cart(user=call.user)
    if not sale or not [l for l in sale.lines if l.type == 'line']:
        raise api.Problem(409, 'cart_empty', "Your cart is empty")
    return sale


def _lines(sale):
    return [(l.product.id, l.quantity) for l in sale.lines
        if l.type == 'line' and l.product
        and l.product.type in {'goods', 'assets'}]


def pickup_shops():
    Location = Pool().get('stock.location')
    return Location.search([
            ('type', '=', 'warehouse'),
            ('shop', '=', True),
            ('pickup_enabled', '=', True),
            ], order=[('name', 'ASC')])


def shop_by_code(code):
    Location = Pool().get('stock.location')
    shops = Location.search([
            ('type', '=', 'warehouse'),
            ('shop_code', '=', code or ''),
            ], limit=1)
    if not shops:
        raise api.Problem(422, 'unknown_shop', "Unknown shop",
            "Choose a shop code from GET /checkout/options.")
    return shops[0]


def pickup_plan(lines, shop):
    """(ready-by date, transfer option or None) of click & collect of lines
    in shop: now when the shop has everything, else after the transfer the
    routing proposes; None when the shop cannot get them"""
    plan = routing.route(lines, 'click_collect', shop=shop)
    if plan['action'] == 'pickup':
        return (dt.datetime.now() + PREPARATION).date(), None
    transfer = next((o for o in plan.get('options', [])
            if o['action'] == 'transfer'), None)
    if transfer:
        return transfer['date'], transfer
    return None, None


@api.endpoint('GET', '/checkout/options', summary="Ways to get the cart",
    tags=['checkout'], auth='required',
    response=schemas_checkout.CheckoutOptions, errors=(401, 409))
def checkout_options(call):
    """Click & collect in each shop (whole cart available now, or after a
    transfer, with a ready-by date) and home delivery methods with
    prices."""
    sale = _cart_or_problem(call)
    lines = _lines(sale)
    options = []
    for shop in pickup_shops():
        # POST /checkout takes what is offered here (pickup_plan)
        ready_by, transfer = pickup_plan(lines, shop)
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
        raise shipping_unavailable(error)
    return schemas_checkout.ServicePointList(items=[
            schemas_checkout.ServicePoint(**p) for p in points])


def _phone(value):
    try:
        number = phonenumbers.parse(value, 'BE')
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise api.Problem(422, 'invalid_phone', "Invalid phone number",
            errors=[{'loc': ['body', 'phone'], 'msg': "not a valid phone "
                    "number", 'type': 'phone'}])
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164)


def _address(party, body):
    "A party address for the delivery address of body (422 if incomplete)"
    pool = Pool()
    Address = pool.get('party.address')
    Country = pool.get('country.country')
    data = body.address
    missing = [name for name in ['street', 'postal_code', 'city', 'country']
        if not data or not (getattr(data, name) or '').strip()]
    if missing:
        raise api.Problem(422, 'invalid_address', "Incomplete address",
            errors=[{'loc': ['body', 'address', m], 'msg': "required",
                    'type': 'missing'} for m in missing])
    countries = Country.search([('code', '=', data.country.upper())],
        limit=1)
    if not countries:
        raise api.Problem(422, 'invalid_address', "Unknown country",
            errors=[{'loc': ['body', 'address', 'country'],
                    'msg': "unknown country", 'type': 'value_error'}])
    country, = countries
    if country.code == 'BE' and not (data.postal_code.isdigit()
            and len(data.postal_code) == 4):
        raise api.Problem(422, 'invalid_address', "Invalid postal code",
            errors=[{'loc': ['body', 'address', 'postal_code'],
                    'msg': "a Belgian postal code has 4 digits",
                    'type': 'value_error'}])
    values = {
        'street': data.street.strip(), 'postal_code': data.postal_code,
        'city': data.city.strip(), 'country': country.id,
        }
    for address in party.addresses:
        if all((getattr(address, k).id if k == 'country' and address.country
                    else getattr(address, k)) == v
                for k, v in values.items()):
            return address
    address, = Address.create([dict(values, party=party.id)])
    return address


def _pickup_address(party):
    "click & collect: the customer's address for the invoice"
    Address = Pool().get('party.address')
    if party.addresses:
        return party.addresses[0]
    address, = Address.create([{'party': party.id}])
    return address


def _transfer_holds(lines, shop, transfer):
    """[(warehouse, lines, reservation kind)] of a click & collect order
    served after transfer: what the pickup shop has is held there, what
    comes from elsewhere is held in its source until it travels"""
    wanted = wanted_quantities(lines)
    coming = {}
    for move in transfer['transfers']:
        coming.setdefault(move['from'], []).append(
            (move['product'], move['quantity']))
        wanted[move['product']] -= move['quantity']
    here = [(p, q) for p, q in sorted(wanted.items()) if q > 1e-9]
    holds = [(shop, here, 'click_collect')] if here else []
    return holds + [(source, moves, 'transfer')
        for source, moves in sorted(coming.items())]


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
    pool = Pool()
    Sale = pool.get('sale.sale')
    Idempotency = pool.get('urban.api.idempotency')
    Reservation = pool.get('urban.stock.reservation')
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
    phone = _phone(body.phone)
    sale = _cart_or_problem(call)
    party = cart.customer_party(call.user)
    lines = _lines(sale)
    wanted_quantities(lines)
    transfer = None
    if body.mode == 'click_collect':
        shop = shop_by_code(body.shop)
        ready_by, transfer = pickup_plan(lines, shop)
        if ready_by is None:
            raise api.Problem(409, 'not_available_in_shop',
                "This shop cannot get everything",
                "See GET /checkout/options for other shops or dates.")
        address = _pickup_address(party)
        sale.invoice_address = address
        sale.shipment_address = address
        sale.click_collect = True
        # the goods leave the shop (to the customer) from then on
        sale.shipping_date = ready_by
    else:
        method = shipping.delivery_method(body.shipping_method)
        if method is None:
            raise api.Problem(422, 'unknown_shipping_method',
                "Unknown shipping method",
                "Choose one from GET /checkout/options.")
        if method['service_point'] and not body.service_point:
            raise api.Problem(422, 'service_point_required',
                "Choose a service point for this shipping method")
        point = None
        if method['service_point']:
            try:
                point = shipping.service_point(body.service_point)
            except shipping.ShippingError as error:
                raise shipping_unavailable(error)
            if not point or point['carrier'] != method['carrier']:
                raise api.Problem(422, 'unknown_service_point',
                    "Unknown service point for this shipping method",
                    "Choose one from GET /checkout/service-points.")
        address = _address(party, body)
        plan = routing.route(lines, 'delivery')
        if plan['action'] != 'ship':
            raise api.Problem(409, 'not_available_online',
                "Not everything can be shipped from one shop now")
        shop = pool.get('stock.location')(plan['shop'])
        sale.invoice_address = address
        sale.shipment_address = address
        sale.api_shipping_method = str(method['id'])
        sale.api_service_point = point['id'] if point else None
        sale.api_service_point_name = (
            shipping.point_label(point) if point else None)
        shipping.set_delivery_line(sale, method)
    sale.party = party
    sale.warehouse = shop
    sale.api_mode = body.mode
    sale.api_phone = phone
    sale.api_user = call.user
    sale.save()
    Sale.quote([sale])
    sale = Sale(sale.id)
    # what the shop gives from its shelves, and from where the rest comes
    holds = [(shop, lines, ('click_collect' if body.mode == 'click_collect'
                else 'checkout'))]
    if transfer:
        holds = _transfer_holds(lines, shop, transfer)
    try:
        # an unpaid hold: short, and bounded per customer (urban_stock's
        # hold.py)
        for where, what, kind in holds:
            Reservation.reserve(what, where, kind=kind,
                origin=sale, reference=sale.number,
                holder='web.user,%s' % call.user.id,
                holder_verified=bool(call.user.email_valid))
    except (HoldLimitError, LastUnitsError) as error:
        raise api.Problem(409, error.problem, error.message)
    if transfer:
        # the goods travel to the pickup shop for this order; cancelled
        # with it (urban_stock's Sale.release_stock)
        transfers.transfers_from_plan(transfer, reference=sale.number,
            order=sale)
    try:
        payment, result = pool.get('urban.api.payment').start(
            sale, body.payment_provider, body.payment_method,
            idempotency_key='checkout-%s-%s' % (call.user.id, key))
    except PaymentError as error:
        # the provider's text (hosts, keys' names) stays in the log
        logger.warning("Payment of order %s not started: %s", sale.id,
            error)
        raise api.Problem(502, 'payment_unavailable',
            gettext('urban_mobile_api.msg_api_payment_unavailable'),
            gettext('urban_mobile_api.msg_api_payment_unavailable_detail'))
    answer = schemas_checkout.CheckoutOut(
        order=order_schema(Sale(sale.id)),
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

