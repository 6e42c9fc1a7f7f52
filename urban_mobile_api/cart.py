"""The app's cart: a draft sale.sale of the app's web shop.

A signed-in customer has one cart (sale.api_user). A guest's cart is found
by the SHA-256 of an opaque token the API hands out once (response body
`token` and header `X-Cart-Token`) and the app sends back in `X-Cart-Token`.

`merge_guest_cart(user, token)` moves a guest cart into the user's cart;
the login route calls it with the `X-Cart-Token` it received:

    from urban_mobile_api.cart import merge_guest_cart
    merge_guest_cart(user, request.headers.get('X-Cart-Token'))

Quantities of a product in both carts are added; the guest cart is
deleted (or, when the user has no cart yet, becomes the user's cart).
"""
import secrets
import uuid
from decimal import Decimal

from trytond.pool import Pool
from trytond.tools import escape_wildcard
from trytond.transaction import Transaction

from .api import Problem
from .channel import web_shop
from .sale import token_hash

CART_TOKEN_HEADER = 'X-Cart-Token'
MAX_QUANTITY = 99


def _shop():
    shop = web_shop(Pool())
    if not shop:
        raise Problem(503, 'channel_unavailable', "The app shop is not "
            "configured")
    return shop


def find_cart(user=None, token=None):
    "The draft sale of user, else of the guest token; None if none"
    Sale = Pool().get('sale.sale')
    shop = _shop()
    if user:
        domain = [('api_user', '=', user.id)]
    elif token:
        domain = [
            ('api_user', '=', None),
            ('api_cart_token', '=', token_hash(token)),
            ]
    else:
        return None
    sales = Sale.search(domain + [
            ('web_shop', '=', shop.id),
            ('state', '=', 'draft'),
            ], order=[('id', 'DESC')], limit=1)
    return sales[0] if sales else None


def customer_party(user):
    "The party of a web user, created on first need"
    pool = Pool()
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    if user.party:
        return user.party
    party = Party(name=user.email,
        contact_mechanisms=[{'type': 'email', 'value': user.email}])
    party.save()
    WebUser.write([user], {'party': party.id})
    return party


def new_cart(user=None):
    """A new draft sale; returns (sale, token) where token is the guest
    token (None for a user's cart)"""
    shop = _shop()
    party = customer_party(user) if user else shop.guest_party
    sale = shop.get_sale(party)
    sale.web_id = uuid.uuid4().hex
    sale.api_user = user
    token = None
    if not user:
        token = secrets.token_urlsafe(32)
        sale.api_cart_token = token_hash(token)
    sale.lines = []
    sale.save()
    return sale, token


def sellable_product(product_id):
    "The product.product if the app sells it, else a 404 problem"
    pool = Pool()
    Product = pool.get('product.product')
    shop = _shop()
    products = Product.search([
            ('id', '=', product_id),
            ('salable', '=', True),
            ('web_shops', '=', shop.id),
            ], limit=1)
    if not products:
        raise Problem(404, 'product_not_found', "No such product",
            "This product is not sold in the app.")
    return products[0]


def set_quantity(sale, product, quantity, add=False):
    "Set (or add to) the quantity of product in the cart"
    pool = Pool()
    Line = pool.get('sale.line')
    line = next((l for l in sale.lines
            if l.type == 'line' and l.product == product), None)
    if line and add:
        quantity += int(line.quantity)
    if quantity > MAX_QUANTITY:
        raise Problem(422, 'quantity_too_large', "Quantity too large",
            "At most %d of one product per order." % MAX_QUANTITY)
    if line is None:
        line = Line(sale=sale, type='line', product=product,
            quantity=quantity)
        line.on_change_product()
    line.quantity = quantity
    line.on_change_quantity()
    line.save()
    return line


def cart_line(sale, line_id):
    for line in sale.lines:
        if line.id == line_id and line.type == 'line':
            return line
    raise Problem(404, 'cart_line_not_found', "No such cart line")


def find_coupon_number(sale, code):
    """The coupon number of code (case-insensitive: a code is read from a
    QR code, a receipt or typed) that sale may take, else 404.
    Uses are counted per customer for a customer's cart only: a guest cart
    belongs to the shared guest party, so other guests' carts would count
    as this visitor's uses (the customer is checked at checkout)."""
    pool = Pool()
    Number = pool.get('sale.promotion.coupon.number')
    code = (code or '').strip()
    for number in sale.coupons:
        if number.number.lower() == code.lower():
            return number
    numbers = Number.search([
            ('number', 'ilike', escape_wildcard(code)),
            ('company', '=', sale.company.id),
            ], limit=1) if code else []
    if numbers:
        context = {'party': sale.party.id} if sale.api_user else {}
        with Transaction().set_context(context):
            number = Number(numbers[0].id)
            if number.active:
                return number
    raise Problem(404, 'coupon_not_found', "Unknown or expired coupon")


def add_coupon(sale, code):
    Sale = Pool().get('sale.sale')
    number = find_coupon_number(sale, code)
    # urban_loyalty's rules (first order, reserved reward, own referral
    # code) for a customer's cart: a refusal is a 409 business rule (a
    # guest's cart is checked when the customer checks out)
    if sale.api_user:
        sale.check_coupon_number(number)
    if number not in sale.coupons:
        Sale.write([sale], {'coupons': [('add', [number.id])]})
    return number


def remove_coupon(sale, code):
    Sale = Pool().get('sale.sale')
    code = (code or '').strip().lower()
    numbers = [n for n in sale.coupons if n.number.lower() == code]
    if not numbers:
        raise Problem(404, 'coupon_not_found', "This coupon is not on the "
            "cart")
    Sale.write([sale], {'coupons': [('remove', [n.id for n in numbers])]})


def preview_totals(sale):
    """(untaxed, tax, total) with the promotions and coupons that will apply
    at checkout, computed in memory (nothing saved)"""
    Sale = Pool().get('sale.sale')
    preview = Sale(sale.id)
    if preview.state == 'draft' and preview.lines:
        preview.apply_promotion()
        for line in preview.lines:
            if line.type == 'line':
                line.amount = line.on_change_with_amount()
    preview.on_change_lines()
    return (preview.untaxed_amount or Decimal(0),
        preview.tax_amount or Decimal(0),
        preview.total_amount or Decimal(0))


def merge_guest_cart(user, token):
    """Merge the guest cart of token into user's cart (see the module
    docstring); returns the user's cart or None. Call it in the login
    transaction."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    if not user or not token:
        return find_cart(user=user) if user else None
    guest = find_cart(token=token)
    mine = find_cart(user=user)
    if not guest:
        return mine
    party = customer_party(user)
    if not mine:
        guest.api_user = user
        guest.api_cart_token = None
        guest.party = party
        guest.on_change_party()
        guest.save()
        return guest
    for line in guest.lines:
        if line.type == 'line' and line.product:
            set_quantity(mine, line.product, int(line.quantity), add=True)
            mine = Sale(mine.id)
    numbers = [n.id for n in guest.coupons if n not in mine.coupons]
    if numbers:
        Sale.write([mine], {'coupons': [('add', numbers)]})
    Sale.delete([guest])
    return Sale(mine.id)
