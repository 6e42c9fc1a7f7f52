"""The web shop's cart on the site (/cart, FR/NL/EN), without JavaScript.

The cart is urban_checkout's (cart.py), the app's too: a draft sale of the
web shop the app and the site sell through. A visitor's cart is found by
the SHA-256 of an opaque token kept in an HttpOnly, SameSite=Lax cookie,
like the app's guest token. The
forms of the cart carry the CSRF token of the site's forms (pro_session,
double submit cookie); the product page's form, on a cached public page,
is checked by its origin (forms.same_origin)."""
import re
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.protocols.wrappers import redirect
from trytond.transaction import Transaction

from urban_checkout import cart
from urban_checkout.cart import CartError
from urbantherapy.routing import parse_id

from . import catalog, forms, i18n, pro_session, settings
from .render import page
from .routes import localized

CART_COOKIE = 'ut_cart'
TOKEN = re.compile(r'^[A-Za-z0-9_-]{32,64}$')
MONTH = 30 * 24 * 3600

# codes of urban_checkout/cart.py's refusals (CartError) said to a visitor
MESSAGES = {
    'product_not_found': "This product cannot be bought online.",
    'quantity_too_large': "At most 99 of one product per order.",
    'cart_line_not_found': "This line is no longer in your cart.",
    'coupon_not_found': "Unknown or expired code.",
    'cart_not_found': "Your cart is empty.",
    'channel_unavailable': "The web shop is closed right now.",
    }


def _(lang, text, **variables):
    return i18n.gettext(lang, text, **variables)


def token(request):
    value = request.cookies.get(CART_COOKIE) or ''
    return value if TOKEN.match(value) else None


def set_cookie(response, value):
    response.set_cookie(CART_COOKIE, value, max_age=MONTH, httponly=True,
        samesite='Lax', path='/',
        secure=settings.get('site_url').startswith('https://'))
    return response


def current(request):
    "The visitor's cart (a draft sale) or None"
    value = token(request)
    return cart.find_cart(token=value) if value else None


def count(request):
    "Units in the visitor's cart, for the header (0 without a cart)"
    if not token(request):
        return 0
    try:
        sale = current(request)
    except CartError:
        return 0
    if not sale:
        return 0
    return int(sum(l.quantity for l in sale.lines
            if l.type == 'line' and l.product
            and not getattr(l, 'api_delivery', False)))


def shop_page(request, template, lang, path, status=200, **values):
    "A page of the shop: never cached, its forms protected against CSRF"
    csrf, cookie = pro_session.csrf_token(request)
    response = page(request, template, lang,
        {l: path for l in i18n.LANGUAGES}, status=status, cache=False,
        noindex=True, csrf=csrf, **values)
    pro_session.set_csrf_cookie(response, cookie)
    return response


def view(sale):
    """The cart as the page shows it: lines (name, variant in the
    request's language, quantity, amounts as Decimal), coupons, totals"""
    data = cart.cart_view(sale)
    return {
        'lines': [{
                'id': l['id'], 'name': l['name'],
                'variant': l['variant_label'], 'slug': l['slug'],
                'quantity': l['quantity'], 'unit_price': l['unit_price'],
                'amount': l['amount'],
                } for l in data['lines']],
        'coupons': data['coupons'],
        'quantity': data['quantity'],
        'untaxed': data['untaxed'],
        'tax': data['tax'],
        'total': data['total'],
        'before_discount': sum((l['amount'] for l in data['lines']),
            Decimal(0)),
        }


def cart_page(request, lang, sale=None, status=200, error=None, code=''):
    if sale is None:
        sale = current(request)
    return shop_page(request, 'cart.html', lang, '/cart', status=status,
        title="%s — Urban Therapy" % _(lang, "Your cart"),
        description=_(lang, "Your cart"), cart=view(sale) if sale else None,
        error=error, code=forms.printable(code),
        complete=complete_the_look(sale))


def complete_the_look(sale, limit=4):
    """Cards of what goes with the cart's articles (urban_analytics),
    sold online, not for a customer who has them already"""
    lines = [l for l in sale.lines if l.type == 'line' and l.product] if (
        sale) else []
    if not lines:
        return []
    Recommendation = Pool().get('urban.analytics.recommendation')
    party = sale.party if sale.party != sale.web_shop.guest_party else None
    return catalog.cards(Recommendation.propose(
            {l.product.template.id for l in lines}, channel='web',
            party=party.id if party else None, limit=limit))


def refusal(request, lang, problem, code=''):
    "The cart page with a domain refusal (CartError) said in lang"
    Transaction().rollback()
    text = MESSAGES.get(problem.code)
    # a shop not configured is no fault of the visitor
    status = problem.status if 400 <= problem.status < 500 else 503
    return cart_page(request, lang, status=status,
        error=_(lang, text) if text else problem.title, code=code)


def form_expired(request, lang):
    return cart_page(request, lang, status=403,
        error=_(lang, "The form expired. Please try again."))


def quantity_of(value):
    "A quantity typed in a form: 0 to 99, else None"
    value = (value or '').strip()
    if not value.isdigit() or len(value) > 3:
        return None
    return int(value)


@localized('/cart', methods=('GET',))
def cart_view(request, pool, lang):
    return cart_page(request, lang)


@localized('/cart/add', methods=('POST',))
def cart_add(request, pool, lang):
    """Add the chosen variant (product.product) in the quantity; a new
    visitor gets the cart cookie"""
    # the product page is a cached public page: no visitor's token in it
    if not forms.same_origin(request):
        return form_expired(request, lang)
    product_id = parse_id(request.form.get('product'))
    quantity = quantity_of(request.form.get('quantity', '1'))
    if not product_id or not quantity:
        return cart_page(request, lang, status=400, error=_(lang,
                "Choose a variant and a quantity from 1 to 99."))
    try:
        product = cart.sellable_product(product_id)
        sale = current(request)
        new = None
        if sale is None:
            sale, new = cart.new_cart()
        cart.set_quantity(sale, product, quantity, add=True)
    except CartError as problem:
        return refusal(request, lang, problem)
    response = redirect(i18n.url(lang, '/cart') + '?added=1', code=303)
    if new:
        set_cookie(response, new)
    return response


@localized('/cart/lines', methods=('POST',))
def cart_lines(request, pool, lang):
    """Change the quantities (qty-<line id>; 0 removes the line) or remove
    one line (the remove button's value)"""
    Line = pool.get('sale.line')
    if not pro_session.csrf_valid(request):
        return form_expired(request, lang)
    sale = current(request)
    if sale is None:
        return redirect(i18n.url(lang, '/cart'), code=303)
    try:
        removed = parse_id(request.form.get('remove'))
        if removed:
            Line.delete([cart.cart_line(sale, removed)])
        else:
            for key, value in request.form.items():
                line_id = parse_id(key[4:]) if key.startswith('qty-') else None
                if not line_id:
                    continue
                line = cart.cart_line(sale, line_id)
                quantity = quantity_of(value)
                if quantity is None:
                    Transaction().rollback()
                    return cart_page(request, lang, status=400,
                        error=_(lang, "Quantities are whole numbers from 0 "
                            "to 99."))
                if quantity:
                    cart.set_quantity(sale, line.product, quantity)
                else:
                    Line.delete([line])
    except CartError as problem:
        return refusal(request, lang, problem)
    return redirect(i18n.url(lang, '/cart'), code=303)


@localized('/cart/coupon', methods=('POST',))
def cart_coupon(request, pool, lang):
    """Apply a coupon or welcome code (any case), or remove one (the remove
    button's value)"""
    if not pro_session.csrf_valid(request):
        return form_expired(request, lang)
    sale = current(request)
    code = request.form.get('code', '')[:64].strip()
    if sale is None:
        return cart_page(request, lang, status=409,
            error=_(lang, "Your cart is empty."))
    try:
        if request.form.get('remove'):
            cart.remove_coupon(sale, request.form['remove'][:64])
        elif code:
            cart.add_coupon(sale, code)
        else:
            return cart_page(request, lang, status=400,
                error=_(lang, "Enter a code."))
    except CartError as problem:
        return refusal(request, lang, problem, code=code)
    except UserError as exception:
        Transaction().rollback()
        return cart_page(request, lang, status=409, error=exception.message,
            code=code)
    return redirect(i18n.url(lang, '/cart'), code=303)
