"""/cart: the server-side cart, for guests (X-Cart-Token) and customers
(bearer token). See cart.py."""
from decimal import Decimal

from trytond.pool import Pool

from urban_catalog.pricing import public_prices

from . import api, cart, catalog, schemas_cart, shipping
from .schemas import Money
from .schemas_catalog import Rendition

TOKEN_HEADER = (cart.CART_TOKEN_HEADER,
    "Guest cart token returned when the cart was created", False)


def _token(call):
    return call.request.headers.get(cart.CART_TOKEN_HEADER) or None


def current_cart(call, create=False):
    "(sale, new token) of the caller; sale None when there is none"
    sale = cart.find_cart(user=call.user, token=_token(call))
    token = None
    if sale is None and create:
        sale, token = cart.new_cart(user=call.user)
        if token:
            call.headers[cart.CART_TOKEN_HEADER] = token
    return sale, token


def delivery_lines(sale):
    return [l for l in sale.lines if l.type == 'line'
        and getattr(l, 'api_delivery', False)]


def cart_schema(sale, token=None):
    pool = Pool()
    Sale = pool.get('sale.sale')
    shop = cart._shop()
    currency = shop.currency.code
    if sale is None:
        zero = Money.of(0, currency)
        return schemas_cart.Cart(token=None, lines=[], coupons=[],
            quantity=0, untaxed_amount=zero, tax_amount=zero,
            delivery_amount=zero, total_amount=zero)
    sale = Sale(sale.id)
    goods = [l for l in sale.lines if l.type == 'line' and l.product
        and l not in delivery_lines(sale)]
    prices = public_prices([l.product.id for l in goods],
        company=sale.company)
    products = catalog.line_products([l.product.id for l in goods])
    lines = []
    for line in goods:
        taxed = prices.get(line.product.id, (None, line.unit_price, None))[1]
        product = products[line.product.id]
        lines.append(schemas_cart.CartLine(
                id=line.id, product_id=line.product.id,
                template_id=product['template'], slug=product['slug'],
                code=line.product.code or None,
                name=product['name'],
                variant_label=product['variant_label'],
                thumbnail=Rendition.of(product['thumbnail']),
                quantity=int(line.quantity),
                unit_price=Money.of(taxed, currency),
                amount=Money.of(taxed * Decimal(str(line.quantity)),
                    currency)))
    untaxed, tax, total = cart.preview_totals(sale)
    delivery_taxed = sum((shipping.taxed_amount(l)
            for l in delivery_lines(sale)), Decimal(0))
    return schemas_cart.Cart(
        token=token,
        lines=lines,
        coupons=sorted(n.number for n in sale.coupons),
        quantity=sum(l.quantity for l in lines),
        untaxed_amount=Money.of(untaxed, currency),
        tax_amount=Money.of(tax, currency),
        delivery_amount=Money.of(delivery_taxed, currency),
        total_amount=Money.of(total, currency))


@api.endpoint('GET', '/cart', summary="The current cart", tags=['cart'],
    auth='optional', response=schemas_cart.Cart, headers=[TOKEN_HEADER])
def get_cart(call):
    "The customer's cart, or the guest cart of X-Cart-Token (empty if none)"
    sale, _ = current_cart(call)
    return cart_schema(sale)


@api.endpoint('POST', '/cart/lines', summary="Add a product to the cart",
    tags=['cart'], auth='optional', body=schemas_cart.CartLineIn,
    response=schemas_cart.Cart, status=201, errors=(404, 422),
    headers=[TOKEN_HEADER])
def add_cart_line(call):
    """Adds quantity of a product (added to the quantity already there).
    Without a cart, creates one: a guest gets its token in the body and in
    the X-Cart-Token response header."""
    product = cart.sellable_product(call.body.product_id)
    sale, token = current_cart(call, create=True)
    cart.set_quantity(sale, product, call.body.quantity, add=True)
    return cart_schema(sale, token)


def _existing_cart(call):
    sale, _ = current_cart(call)
    if sale is None:
        raise api.Problem(404, 'cart_not_found', "No cart",
            "Add a product first (POST /cart/lines).")
    return sale


@api.endpoint('PATCH', '/cart/lines/<id:line_id>',
    summary="Change the quantity of a cart line", tags=['cart'],
    auth='optional', body=schemas_cart.CartLinePatch,
    response=schemas_cart.Cart, errors=(404, 422), headers=[TOKEN_HEADER])
def update_cart_line(call, line_id):
    sale = _existing_cart(call)
    line = cart.cart_line(sale, line_id)
    cart.set_quantity(sale, line.product, call.body.quantity)
    return cart_schema(sale)


@api.endpoint('DELETE', '/cart/lines/<id:line_id>',
    summary="Remove a cart line", tags=['cart'], auth='optional',
    response=schemas_cart.Cart, errors=(404,), headers=[TOKEN_HEADER])
def delete_cart_line(call, line_id):
    Line = Pool().get('sale.line')
    sale = _existing_cart(call)
    Line.delete([cart.cart_line(sale, line_id)])
    return cart_schema(sale)


@api.endpoint('POST', '/cart/coupons', summary="Apply a coupon code",
    tags=['cart'], auth='optional', body=schemas_cart.CouponIn,
    response=schemas_cart.Cart, errors=(404, 409, 422), headers=[TOKEN_HEADER])
def add_cart_coupon(call):
    sale = _existing_cart(call)
    cart.add_coupon(sale, call.body.code)
    return cart_schema(sale)


@api.endpoint('DELETE', '/cart/coupons/<code>', summary="Remove a coupon",
    tags=['cart'], auth='optional', response=schemas_cart.Cart,
    errors=(404,), headers=[TOKEN_HEADER])
def delete_cart_coupon(call, code):
    sale = _existing_cart(call)
    cart.remove_coupon(sale, code)
    return cart_schema(sale)
