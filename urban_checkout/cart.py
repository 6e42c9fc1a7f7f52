"""The app's cart: a draft sale.sale of the app's web shop.

A signed-in customer has one cart (sale.api_user). A guest's cart is found
by the SHA-256 of an opaque token the API hands out once (response body
`token` and header `X-Cart-Token`) and the app sends back in `X-Cart-Token`.

`merge_guest_cart(user, token)` moves a guest cart into the user's cart;
the login route calls it with the `X-Cart-Token` it received:

    from urban_checkout.cart import merge_guest_cart
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

from urban_catalog.pricing import public_prices
from urban_catalog.variants import attribute_values, variant_label

from . import shipping
from .channel import web_shop
from .sale import token_hash

CART_TOKEN_HEADER = 'X-Cart-Token'
MAX_QUANTITY = 99
CENT = Decimal('0.01')


class CartError(Exception):
    """A refused cart operation: status and code are what an HTTP channel
    answers (problem+json for the API, a message in the page for the
    website)"""

    def __init__(self, status, code, title, detail=None):
        super().__init__(title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail


def _shop():
    shop = web_shop(Pool())
    if not shop:
        raise CartError(503, 'channel_unavailable', "The app shop is not "
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
    "The product.product if the app sells it, else a 404 CartError"
    pool = Pool()
    Product = pool.get('product.product')
    shop = _shop()
    products = Product.search([
            ('id', '=', product_id),
            ('salable', '=', True),
            ('web_shops', '=', shop.id),
            ], limit=1)
    if not products:
        raise CartError(404, 'product_not_found', "No such product",
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
        raise CartError(422, 'quantity_too_large', "Quantity too large",
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
    raise CartError(404, 'cart_line_not_found', "No such cart line")


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
    raise CartError(404, 'coupon_not_found', "Unknown or expired coupon")


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
        raise CartError(404, 'coupon_not_found', "This coupon is not on the "
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


def line_products(product_ids):
    """{product id: dict(template, slug, name, variant_label)} of the
    variants of cart or order lines, in the transaction's language: what
    leads back to the product"""
    Product = Pool().get('product.product')
    products = Product.browse(sorted(set(product_ids)))
    values = attribute_values(products)
    return {p.id: {
            'template': p.template.id,
            'slug': p.template.slug or None,
            'name': p.template.name,
            'variant_label': variant_label(values[p.id]),
            } for p in products}


def delivery_lines(sale):
    "The delivery cost lines of a cart or order"
    return [l for l in sale.lines if l.type == 'line'
        and getattr(l, 'api_delivery', False)]


def cart_view(sale):
    """The cart as channels show it, amounts VAT included rounded to the
    cent: dict(currency, lines, coupons, quantity, untaxed, tax, delivery,
    total); a line is dict(id, product, template, slug, code, name,
    variant_label, quantity, unit_price, amount). sale None: an empty
    cart."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    currency = _shop().currency.code
    if sale is None:
        return {
            'currency': currency, 'lines': [], 'coupons': [], 'quantity': 0,
            'untaxed': CENT * 0, 'tax': CENT * 0, 'delivery': CENT * 0,
            'total': CENT * 0,
            }
    sale = Sale(sale.id)
    delivery = delivery_lines(sale)
    goods = [l for l in sale.lines if l.type == 'line' and l.product
        and l not in delivery]
    prices = public_prices([l.product.id for l in goods],
        company=sale.company)
    products = line_products([l.product.id for l in goods])
    lines = []
    for line in goods:
        taxed = prices.get(line.product.id, (None, line.unit_price, None))[1]
        product = products[line.product.id]
        lines.append({
                'id': line.id, 'product': line.product.id,
                'template': product['template'], 'slug': product['slug'],
                'code': line.product.code or None, 'name': product['name'],
                'variant_label': product['variant_label'],
                'quantity': int(line.quantity),
                'unit_price': _cents(taxed),
                # the line's own amount: VAT rounded per line, as the
                # order's total counts it
                'amount': _cents(shipping.taxed_amount(line)),
                })
    untaxed, tax, total = preview_totals(sale)
    delivery_taxed = sum((shipping.taxed_amount(l) for l in delivery),
        Decimal(0))
    return {
        'currency': currency,
        'lines': lines,
        'coupons': sorted(n.number for n in sale.coupons),
        'quantity': sum(l['quantity'] for l in lines),
        'untaxed': _cents(untaxed),
        'tax': _cents(tax),
        'delivery': _cents(delivery_taxed),
        'total': _cents(total),
        }


def _cents(amount):
    return Decimal(amount or 0).quantize(CENT)


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
