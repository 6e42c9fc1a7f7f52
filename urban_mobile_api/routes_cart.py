"""/cart: the server-side cart, for guests (X-Cart-Token) and customers
(bearer token). The rules are urban_checkout/cart.py."""
from trytond.pool import Pool

from urban_checkout import cart

from . import api, catalog, schemas_cart
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


def cart_schema(sale, token=None):
    view = cart.cart_view(sale)
    currency = view['currency']
    thumbnails = catalog.card_images({l['template'] for l in view['lines']},
        kind='thumbnail')
    lines = [schemas_cart.CartLine(
            id=l['id'], product_id=l['product'], template_id=l['template'],
            slug=l['slug'], code=l['code'], name=l['name'],
            variant_label=l['variant_label'],
            thumbnail=Rendition.of(thumbnails.get(l['template'])),
            quantity=l['quantity'],
            unit_price=Money.of(l['unit_price'], currency),
            amount=Money.of(l['amount'], currency))
        for l in view['lines']]
    return schemas_cart.Cart(
        token=token if sale is not None else None,
        lines=lines,
        coupons=view['coupons'],
        quantity=view['quantity'],
        untaxed_amount=Money.of(view['untaxed'], currency),
        tax_amount=Money.of(view['tax'], currency),
        delivery_amount=Money.of(view['delivery'], currency),
        total_amount=Money.of(view['total'], currency))


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
