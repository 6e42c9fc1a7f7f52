"""Placing a cart as an order: the checkout rules every channel shares (the
app's POST /checkout, the website's checkout form).

`place_order()` validates, routes the cart (urban_stock.routing), quotes
the sale, reserves its goods in the chosen shop (all or nothing, under the
reservation lock) and starts the payment at the provider. A refusal raises
CheckoutError (a problem code and the HTTP status a channel answers with)
or the domain's UserError; either way the caller rolls the transaction
back, so no half-made order and no dangling reservation remain."""
import datetime as dt
import logging
import re

import phonenumbers

from trytond.pool import Pool
from trytond.tools import escape_wildcard

from urban_stock import routing, transfer as transfers
from urban_stock.reservation import (
    HoldLimitError, LastUnitsError, wanted_quantities)

from . import shipping
from .payment import PaymentError

PREPARATION = dt.timedelta(hours=2)
# postal codes of the countries we deliver to (shipping.COUNTRIES): what a
# carrier's label takes
POSTAL_CODES = {
    'BE': (r'\d{4}', "a Belgian postal code has 4 digits"),
    'LU': (r'(L-)?\d{4}', "a Luxembourg postal code has 4 digits"),
    'FR': (r'\d{5}', "a French postal code has 5 digits"),
    'NL': (r'\d{4} ?[A-Z]{2}', "a Dutch postal code has 4 digits and 2 "
        "letters"),
    }
logger = logging.getLogger(__name__)


class CheckoutError(Exception):
    """A refused checkout: status and code are what an HTTP channel answers
    (problem+json for the API, a message in the page for the website);
    errors point at the fields at fault"""

    def __init__(self, status, code, title, detail=None, errors=None):
        super().__init__(title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors


def cart_lines(sale):
    "[(product id, quantity)] of the goods of sale"
    return [(l.product.id, l.quantity) for l in sale.lines
        if l.type == 'line' and l.product
        and l.product.type in {'goods', 'assets'}]


def check_not_empty(sale):
    if not sale or not [l for l in sale.lines if l.type == 'line']:
        raise CheckoutError(409, 'cart_empty', "Your cart is empty")
    return sale


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
        raise CheckoutError(422, 'unknown_shop', "Unknown shop",
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


def phone_number(value):
    "value in E.164 (Belgian when it has no country prefix)"
    try:
        number = phonenumbers.parse(value or '', 'BE')
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise CheckoutError(422, 'invalid_phone', "Invalid phone number",
            errors=[{'loc': ['body', 'phone'], 'msg': "not a valid phone "
                    "number", 'type': 'phone'}])
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164)


def delivery_address(party, data):
    """A party address for the delivery address data ({street, postal_code,
    city, country}); 422 when incomplete, invalid or in a country we do not
    deliver to"""
    pool = Pool()
    Address = pool.get('party.address')
    Country = pool.get('country.country')
    data = data or {}
    missing = [name for name in ['street', 'postal_code', 'city', 'country']
        if not (data.get(name) or '').strip()]
    if missing:
        raise CheckoutError(422, 'invalid_address', "Incomplete address",
            errors=[{'loc': ['body', 'address', m], 'msg': "required",
                    'type': 'missing'} for m in missing])
    countries = Country.search([('code', '=', data['country'].upper())],
        limit=1)
    if not countries:
        raise CheckoutError(422, 'invalid_address', "Unknown country",
            errors=[{'loc': ['body', 'address', 'country'],
                    'msg': "unknown country", 'type': 'value_error'}])
    country, = countries
    if country.code not in shipping.COUNTRIES:
        raise CheckoutError(422, 'country_not_served',
            "We do not deliver to this country",
            errors=[{'loc': ['body', 'address', 'country'],
                    'msg': "we deliver to %s" % ', '.join(
                        shipping.COUNTRIES), 'type': 'value_error'}])
    postal_code = ' '.join(data['postal_code'].upper().split())
    pattern, rule = POSTAL_CODES[country.code]
    if not re.fullmatch(pattern, postal_code):
        raise CheckoutError(422, 'invalid_address', "Invalid postal code",
            errors=[{'loc': ['body', 'address', 'postal_code'],
                    'msg': rule, 'type': 'value_error'}])
    values = {
        'street': data['street'].strip(), 'postal_code': postal_code,
        'city': data['city'].strip(), 'country': country.id,
        }
    for address in party.addresses:
        if all((getattr(address, k).id if k == 'country' and address.country
                else getattr(address, k)) == v
                for k, v in values.items()):
            return address
    address, = Address.create([dict(values, party=party.id)])
    return address


def pickup_address(party):
    "click & collect: the customer's address for the invoice"
    Address = Pool().get('party.address')
    if party.addresses:
        return party.addresses[0]
    address, = Address.create([{'party': party.id}])
    return address


def transfer_holds(lines, shop, transfer):
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


def shipping_unavailable(error):
    "502 without the carrier's text (it stays in the log)"
    logger.warning("Sendcloud unavailable: %s", error)
    return CheckoutError(502, 'shipping_unavailable',
        "Shipping is unavailable")


def _click_collect(sale, party, lines, shop_code):
    "(shop, transfer option or None) after setting the pickup on sale"
    shop = shop_by_code(shop_code)
    ready_by, transfer = pickup_plan(lines, shop)
    if ready_by is None:
        raise CheckoutError(409, 'not_available_in_shop',
            "This shop cannot get everything",
            "See GET /checkout/options for other shops or dates.")
    address = pickup_address(party)
    sale.invoice_address = address
    sale.shipment_address = address
    sale.click_collect = True
    # the goods leave the shop (to the customer) from then on
    sale.shipping_date = ready_by
    return shop, transfer


def _delivery(sale, party, lines, shipping_method, service_point, address):
    "the shop routing picks, after setting the delivery on sale"
    # the address first: what a method costs depends on its country
    address = delivery_address(party, address)
    method = shipping.delivery_method(shipping_method,
        country=address.country.code)
    if method is None:
        raise CheckoutError(422, 'unknown_shipping_method',
            "Unknown shipping method",
            "Choose one from GET /checkout/options.")
    if method['service_point'] and not service_point:
        raise CheckoutError(422, 'service_point_required',
            "Choose a service point for this shipping method")
    point = None
    if method['service_point']:
        try:
            point = shipping.service_point(service_point)
        except shipping.ShippingError as error:
            raise shipping_unavailable(error)
        if not point or point['carrier'] != method['carrier']:
            raise CheckoutError(422, 'unknown_service_point',
                "Unknown service point for this shipping method",
                "Choose one from GET /checkout/service-points.")
    plan = routing.route(lines, 'delivery')
    if plan['action'] != 'ship':
        raise CheckoutError(409, 'not_available_online',
            "Not everything can be shipped from one shop now")
    sale.invoice_address = address
    sale.shipment_address = address
    sale.api_shipping_method = str(method['id'])
    sale.api_service_point = point['id'] if point else None
    sale.api_service_point_name = (
        shipping.point_label(point) if point else None)
    shipping.set_delivery_line(sale, method)
    return Pool().get('stock.location')(plan['shop']), None


def place_order(sale, party, mode, phone, shop_code=None,
        shipping_method=None, service_point=None, address=None,
        user=None, holder=None, holder_verified=False,
        payment_provider='stripe', payment_method='card',
        idempotency_key=None, terms_version=None):
    """Place the cart sale of party as an order: click & collect in the
    shop of shop_code (a shop offered with a transfer gets the goods from
    another shop, held there until they travel) or delivery (address
    {street, postal_code, city, country}) from the shop routing picks;
    reserve its goods for holder (the customer or guest, bounded per
    holder; the last units only for a verified holder) and start the
    payment. Returns (sale, payment, provider's extra: client_secret or
    checkout_url)."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Reservation = pool.get('urban.stock.reservation')
    Payment = pool.get('urban.api.payment')
    phone = phone_number(phone)
    check_not_empty(sale)
    lines = cart_lines(sale)
    wanted_quantities(lines)
    if sale.party != party:
        # a guest's cart belongs to the shop's guest party until now: the
        # order is the customer's (per-customer coupon rules, history)
        sale.party = party
        sale.on_change_party()
    if mode == 'click_collect':
        shop, transfer = _click_collect(sale, party, lines, shop_code)
    elif mode == 'delivery':
        shop, transfer = _delivery(sale, party, lines, shipping_method,
            service_point, address)
    else:
        raise CheckoutError(422, 'unknown_mode', "Unknown checkout mode")
    sale.warehouse = shop
    sale.api_mode = mode
    sale.api_phone = phone
    sale.api_user = user
    sale.terms_version = terms_version
    sale.save()
    Sale.quote([sale])
    sale = Sale(sale.id)
    # what the shop gives from its shelves, and from where the rest comes
    holds = [(shop, lines, ('click_collect' if mode == 'click_collect'
                else 'checkout'))]
    if transfer:
        holds = transfer_holds(lines, shop, transfer)
    try:
        # an unpaid hold: short, and bounded per customer (urban_stock's
        # hold.py)
        for where, what, kind in holds:
            Reservation.reserve(what, where, kind=kind,
                origin=sale, reference=sale.number, holder=holder,
                holder_verified=holder_verified)
    except (HoldLimitError, LastUnitsError) as error:
        raise CheckoutError(409, error.problem, error.message)
    if transfer:
        # the goods travel to the pickup shop for this order; cancelled
        # with it (urban_stock's Sale.release_stock)
        transfers.transfers_from_plan(transfer, reference=sale.number,
            order=sale)
    try:
        payment, result = Payment.start(sale, payment_provider,
            payment_method, idempotency_key=idempotency_key)
    except PaymentError as error:
        # the provider's text (hosts, keys' names) stays in the log
        logger.warning("Payment of order %s not started: %s", sale.id,
            error)
        raise CheckoutError(502, 'payment_unavailable',
            "Payment unavailable")
    return Sale(sale.id), payment, result


def party_by_email(email, name, language=None):
    """The customer party whose e-mail address is email (the oldest, any
    case), else a new one speaking language (its e-mails' language): a
    guest order belongs to its buyer"""
    pool = Pool()
    Party = pool.get('party.party')
    Contact = pool.get('party.contact_mechanism')
    Lang = pool.get('ir.lang')
    email = email.strip()
    contacts = Contact.search([
            ('type', '=', 'email'),
            ('value', 'ilike', escape_wildcard(email)),
            ('party.active', '=', True),
            ], order=[('party', 'ASC')], limit=1)
    if contacts:
        return contacts[0].party
    langs = Lang.search([('code', '=', language)], limit=1) if language \
        else []
    party = Party(name=name.strip() or email,
        lang=langs[0] if langs else None,
        contact_mechanisms=[{'type': 'email', 'value': email}])
    party.save()
    return party


def guest_holder(party):
    "The holder of a guest's unpaid holds (bounded per customer)"
    return 'party.party,%s' % party.id
