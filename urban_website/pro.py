"""The pro portal under /pro (FR, NL under /nl/pro, EN under /en/pro).

Public: /pro/ (presentation and login) and /pro/apply (application form).
Every other page and endpoint needs the session of a buyer of an approved
pro company (pro_session): anonymous visitors are sent to the login page
(GET) or refused (403), B2C customers and suspended companies are refused
(403). Every form carries a CSRF token. Pro prices only appear on these
pages. The rules live in urban_b2b; this module renders and parses."""
import functools
import math
import re
import urllib.parse
from http import HTTPStatus

from trytond.exceptions import RateLimitException, UserError
from trytond.model.exceptions import ValidationError
from trytond.protocols.wrappers import Response, redirect
from trytond.transaction import Transaction

from urban_b2b import documents
from urbantherapy.routing import parse_id

from . import catalog, forms, i18n, pro_catalog, pro_session, settings
from .render import page
from .routes import localized

# (method, path) of every page and endpoint that needs a pro session
PROTECTED = []

STATES = ('draft', 'quotation', 'confirmed', 'processing', 'done',
    'cancelled')


def _(lang, text, **variables):
    return i18n.gettext(lang, text, **variables)


def pro_page(request, template, lang, path, status=200, **values):
    token, cookie = pro_session.csrf_token(request)
    response = page(request, template, lang,
        {l: path for l in i18n.LANGUAGES}, status=status, cache=False,
        noindex=True, csrf=token, pro_nav=True, **values)
    pro_session.set_csrf_cookie(response, cookie)
    response.headers['X-Frame-Options'] = 'DENY'
    return response


def refused(request, lang, status=HTTPStatus.FORBIDDEN, message=None):
    return pro_page(request, 'pro/refused.html', lang, '/pro/',
        status=status, title="%s — Urban Therapy Pro" % _(lang,
            "Access refused"),
        message=message or _(lang, "This page is reserved for approved "
            "pro accounts."), user=None, company=None)


def protected(path, methods=('GET',)):
    """A pro page: the handler gets (request, pool, lang, user, company,
    **arguments); POSTs need a valid CSRF token"""
    def decorator(func):
        for method in methods:
            PROTECTED.append((method, path))

        @localized(path, methods=methods)
        @functools.wraps(func)
        def handler(request, pool, lang, **kwargs):
            user, company = pro_session.current(request)
            if not user:
                if request.method == 'GET':
                    return redirect(i18n.url(lang, '/pro/') + '?'
                        + urllib.parse.urlencode({'next': request.path}),
                        code=303)
                return refused(request, lang, HTTPStatus.UNAUTHORIZED)
            if not company:
                return refused(request, lang)
            if request.method == 'POST':
                if not pro_session.csrf_valid(request):
                    return refused(request, lang, message=_(lang,
                            "The form expired. Please try again."))
                pro_session.touch(request)
            with Transaction().set_context(customer=company.id):
                return func(request, pool, lang, user, company, **kwargs)
        return func
    return decorator


# -- public pages -----------------------------------------------------------

@localized('/pro/', methods=('GET',))
def pro_home(request, pool, lang, error=None, status=200):
    user, company = pro_session.current(request)
    if company and not error:
        return redirect(i18n.url(lang, '/pro/catalogue'), code=303)
    return pro_page(request, 'pro/home.html', lang, '/pro/', status=status,
        title=_(lang, "Urban Therapy Pro — trade showroom"),
        description=_(lang, "Order Urban Therapy's objects at trade "
            "prices: ceramics, textiles, jewellery and plants for your "
            "shop, concept store or company."),
        error=error, user=None, company=None,
        next=request.args.get('next', ''))


# where a login may lead: a page of the portal, by a plain path
NEXT = re.compile(r'(/(%s))?/pro/[A-Za-z0-9._~/-]*' % '|'.join(
        l for l in i18n.LANGUAGES if l != i18n.DEFAULT))


def next_page(target, lang):
    "The page to open after login: target when it is a page of the portal"
    if target and NEXT.fullmatch(target) and '//' not in target:
        return target
    return i18n.url(lang, '/pro/catalogue')


@localized('/pro/login', methods=('POST',))
def pro_login(request, pool, lang):
    WebUser = pool.get('web.user')
    if not pro_session.csrf_valid(request):
        return pro_home(request, pool, lang, status=403, error=_(lang,
                "The form expired. Please try again."))
    email = request.form.get('email', '').strip().lower()
    password = request.form.get('password', '')
    try:
        user = WebUser.authenticate(email, password)
    except RateLimitException as error:
        # urban_stock's login limits say when to come back
        retry_after = getattr(error, 'retry_after', 60)
        response = pro_home(request, pool, lang, status=429, error=_(lang,
                "Too many attempts. Please try again in %(minutes)s min.",
                minutes=math.ceil(retry_after / 60)))
        response.headers['Retry-After'] = str(retry_after)
        return response
    if not user:
        # returned, not raised: the failed attempt is committed for the
        # rate limit
        return pro_home(request, pool, lang, status=401, error=_(lang,
                "Wrong e-mail or password."))
    if not user.b2b_company:
        return pro_home(request, pool, lang, status=403, error=_(lang,
                "This account is not an approved pro account."))
    response = redirect(next_page(request.form.get('next'), lang), code=303)
    pro_session.open_session(response, user)
    return response


@localized('/pro/apply', methods=('GET', 'POST'))
def pro_apply(request, pool, lang):
    Application = pool.get('urban.b2b.application')
    Category = pool.get('urban.b2b.category')
    Country = pool.get('country.country')
    categories = Category.search([])
    countries = Country.search([], order=[('name', 'ASC')])
    form, error, status, wait = {}, None, 200, None
    if request.method == 'POST':
        form = {k: request.form.get(k, '').strip()[:200] for k in (
                'company_name', 'vat_number', 'peppol_id', 'category',
                'street', 'postal_code', 'city', 'country', 'contact_name',
                'email', 'phone')}
        if not pro_session.csrf_valid(request):
            error, status = _(lang, "The form expired. Please try again."), 403
        elif wait := forms.throttle(request, 'pro_apply'):
            error, status = _(lang, "Too many attempts. Please wait a few "
                "minutes."), 429
        else:
            missing = [k for k in ('company_name', 'vat_number', 'category',
                    'street', 'postal_code', 'city', 'country',
                    'contact_name', 'email') if not form[k]]
            category = [c for c in categories if str(c.id) == form[
                    'category']]
            country = [c for c in countries if c.code == form['country']]
            if missing or not category or not country:
                error, status = _(lang, "Please fill in every required "
                    "field."), 400
            else:
                values = dict(form, category=category[0].id,
                    country=country[0].id, language=lang)
                try:
                    Application.submit(values,
                        request.form.get('password', ''))
                except (ValidationError, UserError) as exception:
                    Transaction().rollback()
                    error, status = exception.message, 400
                else:
                    return pro_page(request, 'pro/applied.html', lang,
                        '/pro/apply', title=_(lang, "Thank you"),
                        user=None, company=None, email=form['email'])
    response = pro_page(request, 'pro/apply.html', lang, '/pro/apply',
        status=status, title=_(lang, "Open a pro account"),
        description=_(lang, "Apply for an Urban Therapy pro account."),
        categories=categories, countries=countries,
        form={k: forms.printable(v) for k, v in form.items()}, error=error,
        user=None, company=None)
    return forms.too_many(response, wait) if wait else response


# -- pro pages --------------------------------------------------------------

@protected('/pro/logout', methods=('POST',))
def pro_logout(request, pool, lang, user, company):
    response = redirect(i18n.url(lang, '/pro/'), code=303)
    pro_session.close_session(request, response)
    return response


def _filters(request):
    return {
        'collection': request.args.get('collection') or None,
        'universe': parse_id(request.args.get('universe')),
        'query': (request.args.get('q') or '').strip()[:100] or None,
        'in_stock': request.args.get('in_stock') == '1',
        }


def _facets_chosen(request):
    return {f: (request.args.get(f) or '').strip()[:64] or None
        for f in pro_catalog.PRO_FACETS}


@protected('/pro/catalogue')
def pro_catalogue(request, pool, lang, user, company):
    filters = _filters(request)
    chosen = _facets_chosen(request)
    view = 'list' if request.args.get('view') == 'list' else 'grid'
    found = pro_catalog.rows(company, language=lang, **filters)
    rows = pro_catalog.narrow(found, chosen)
    return pro_page(request, 'pro/catalogue.html', lang, '/pro/catalogue',
        title=_(lang, "Pro catalogue"), user=user, company=company,
        rows=rows, view=view, filters=filters,
        facets=pro_catalog.facets(found, chosen, language=lang),
        collections=pro_catalog.collections(),
        universes=catalog.universes(),
        query_string=request.query_string.decode('latin-1'),
        added=request.args.get('added'))


@protected('/pro/line-sheet.pdf')
def pro_line_sheet(request, pool, lang, user, company):
    rows = pro_catalog.rows(company, language=lang, **_filters(request),
        **_facets_chosen(request))
    data = documents.line_sheet_pdf([{
                'template': r.template, 'product': r.product,
                'tiers': r.tiers, 'rrp': r.rrp, 'currency': r.currency}
            for r in rows], lang=lang,
        title="%s — %s" % (_(lang, "Pro line sheet"), company.rec_name))
    response = Response(data, content_type='application/pdf')
    response.headers['Content-Disposition'] = (
        'attachment; filename="urban-therapy-line-sheet.pdf"')
    response.headers['Cache-Control'] = 'no-store'
    return response


def _cart_page(request, pool, lang, user, company, errors=None,
        status=200, quick='', row_errors=None):
    Sale = pool.get('sale.sale')
    Location = pool.get('stock.location')
    cart = Sale.b2b_cart(user, create=False)
    lines = [l for l in cart.lines if l.type == 'line'] if cart else []
    problems = cart.b2b_errors() if cart and lines else []
    return pro_page(request, 'pro/cart.html', lang, '/pro/cart',
        status=status, title=_(lang, "Cart"), user=user, company=company,
        cart=cart, lines=lines, problems=problems, errors=errors or [],
        row_errors=row_errors or [], quick=quick,
        minimum=pool.get('urban.b2b.configuration')(1).minimum_order_amount,
        card=_card_available(pool),
        shops=Location.search([('type', '=', 'warehouse'),
                ('shop', '=', True), ('pickup_enabled', '=', True)],
            order=[('name', 'ASC')]))


def _stripe():
    """The Stripe settings of urban_checkout: card payments of pro orders
    go through the online payments of the shop and the app"""
    from urban_checkout import stripe_provider
    return stripe_provider


def _card_available(pool):
    "Whether pros may pay by card: the way exists and Stripe.js is set up"
    Sale = pool.get('sale.sale')
    return 'card' in Sale.b2b_payments() and bool(
        _stripe().publishable_key())


@protected('/pro/cart', methods=('GET', 'POST'))
def pro_cart(request, pool, lang, user, company):
    Sale = pool.get('sale.sale')
    Product = pool.get('product.product')
    if request.method == 'POST':
        quantities = {}
        for key, value in request.form.items():
            product_id = parse_id(key[4:]) if key.startswith('qty-') else None
            if product_id:
                quantity = pro_catalog.parse_quantity(value or '0')
                if quantity is None and (value or '').strip() not in {
                        '0', ''}:
                    return _cart_page(request, pool, lang, user, company,
                        status=400, errors=[_(lang,
                                "Quantities are whole numbers.")])
                quantities[Product(product_id)] = quantity or 0
        cart = Sale.b2b_cart(user)
        try:
            cart.b2b_set_quantities(quantities)
        except UserError as exception:
            Transaction().rollback()
            return _cart_page(request, pool, lang, user, company,
                status=400, errors=[exception.message])
        return redirect(i18n.url(lang, '/pro/cart'), code=303)
    return _cart_page(request, pool, lang, user, company)


@protected('/pro/cart/add', methods=('POST',))
def pro_cart_add(request, pool, lang, user, company):
    Sale = pool.get('sale.sale')
    Product = pool.get('product.product')
    product_id = parse_id(request.form.get('product'))
    quantity = pro_catalog.parse_quantity(request.form.get('quantity', ''))
    products = Product.search([('id', '=', product_id),
            ('template.b2b_published', '=', True)]) if product_id else []
    if not products or not quantity:
        return _cart_page(request, pool, lang, user, company, status=400,
            errors=[_(lang, "Quantities are whole numbers.")])
    cart = Sale.b2b_cart(user)
    try:
        cart.b2b_set_quantities({products[0]: quantity}, add=True)
    except UserError as exception:
        Transaction().rollback()
        return _cart_page(request, pool, lang, user, company, status=400,
            errors=[exception.message])
    return redirect(i18n.url(lang, '/pro/cart'), code=303)


def _add_rows(request, pool, lang, user, company, pairs, quick=''):
    "Add the rows to the cart when every row is valid, else show them all"
    Sale = pool.get('sale.sale')
    if not pairs:
        return _cart_page(request, pool, lang, user, company, status=400,
            quick=quick, errors=[_(lang, "Nothing to order.")])
    quantities, errors = pro_catalog.parse_rows(pairs)
    if errors:
        Transaction().rollback()
        return _cart_page(request, pool, lang, user, company, status=400,
            quick=quick, row_errors=errors)
    cart = Sale.b2b_cart(user)
    try:
        cart.b2b_set_quantities(quantities, add=True)
    except UserError as exception:
        Transaction().rollback()
        return _cart_page(request, pool, lang, user, company, status=400,
            quick=quick, errors=[exception.message])
    return redirect(i18n.url(lang, '/pro/cart'), code=303)


@protected('/pro/quick-order', methods=('POST',))
def pro_quick_order(request, pool, lang, user, company):
    text = request.form.get('lines', '')[:20000]
    return _add_rows(request, pool, lang, user, company,
        pro_catalog.quick_rows(text), quick=text)


@protected('/pro/csv', methods=('POST',))
def pro_csv(request, pool, lang, user, company):
    upload = request.files.get('file')
    data = upload.read(2 * 1024 * 1024) if upload else b''
    return _add_rows(request, pool, lang, user, company,
        pro_catalog.csv_rows(data))


@protected('/pro/checkout', methods=('POST',))
def pro_checkout(request, pool, lang, user, company):
    Sale = pool.get('sale.sale')
    Location = pool.get('stock.location')
    cart = Sale.b2b_cart(user, create=False)
    if not cart:
        return redirect(i18n.url(lang, '/pro/cart'), code=303)
    shop = None
    if request.form.get('delivery') == 'pickup':
        shops = Location.search([('type', '=', 'warehouse'),
                ('shop', '=', True), ('pickup_enabled', '=', True),
                ('id', '=', parse_id(request.form.get('shop')) or -1)])
        if not shops:
            return _cart_page(request, pool, lang, user, company,
                status=400, errors=[_(lang, "Choose the pickup shop.")])
        shop = shops[0]
    payment = request.form.get('payment', 'invoice')
    if payment == 'card' and not _card_available(pool):
        return _cart_page(request, pool, lang, user, company, status=400,
            errors=[_(lang, "Card payment is not available right now.")])
    try:
        cart.b2b_place(pickup_shop=shop, payment=payment)
    except UserError as exception:
        Transaction().rollback()
        return _cart_page(request, pool, lang, user, company, status=400,
            errors=[exception.message])
    if cart.b2b_payment == 'card':
        return redirect(i18n.url(lang, '/pro/orders/%s/pay' % cart.id),
            code=303)
    return redirect(i18n.url(lang, '/pro/orders/%s' % cart.id)
        + '?placed=1', code=303)


def _orders(pool, company):
    Sale = pool.get('sale.sale')
    return Sale.search([('party', '=', company.id),
            ('b2b_buyer', '!=', None), ('state', '!=', 'draft')],
        order=[('id', 'DESC')])


def _order(pool, company, order_id):
    Sale = pool.get('sale.sale')
    found = Sale.search([('id', '=', order_id), ('party', '=', company.id),
            ('b2b_buyer', '!=', None), ('state', '!=', 'draft')])
    return found[0] if found else None


def _invoice(pool, company, invoice_id):
    Invoice = pool.get('account.invoice')
    found = Invoice.search([('id', '=', invoice_id),
            ('party', '=', company.id), ('type', '=', 'out'),
            ('state', 'in', ['posted', 'paid'])])
    return found[0] if found else None


def _invoices(order):
    return [i for i in order.invoices if i.state in {'posted', 'paid'}]


PEPPOL_LABELS = {
    'draft': "Being sent through Peppol",
    'submitted': "Being sent through Peppol",
    'processing': "Being sent through Peppol",
    'succeeded': "Delivered through Peppol",
    'failed': "Refused through Peppol",
    'cancelled': "Peppol sending cancelled",
    }


def peppol_status(invoice, lang):
    """(state, label, reason) of the invoice's last Peppol sending (the
    delivery status edocument_peppol's cron polls), or None"""
    document = invoice.peppol_last
    if not document:
        return None
    return (document.state, _(lang, PEPPOL_LABELS[document.state]),
        document.status if document.state == 'failed' else None)


@protected('/pro/orders')
def pro_orders(request, pool, lang, user, company):
    orders = _orders(pool, company)
    return pro_page(request, 'pro/orders.html', lang, '/pro/orders',
        title=_(lang, "Orders"), user=user, company=company,
        orders=[(o, _invoices(o)) for o in orders],
        peppol=lambda i: peppol_status(i, lang))


def _awaiting_payment(order):
    "A pro order placed for payment by card whose payment is not done"
    return order.b2b_payment == 'card' and order.state == 'quotation'


def _payment_failed(order):
    "A pro order cancelled because its card payment failed"
    return order.state == 'cancelled' and any(
        p.state in {'failed', 'cancelled'}
        for p in getattr(order, 'api_payments', []))


@protected('/pro/orders/<id:order_id>')
def pro_order(request, pool, lang, user, company, order_id):
    order = _order(pool, company, order_id)
    if not order:
        return refused(request, lang, HTTPStatus.NOT_FOUND,
            _(lang, "This order does not exist."))
    awaiting = _awaiting_payment(order)
    # back from Stripe (return_url): Stripe's webhook confirms the order
    # in a moment, the page refreshes until then
    returned = request.args.get('redirect_status')
    return pro_page(request, 'pro/order.html', lang,
        '/pro/orders/%s' % order.id, title="%s %s" % (
            _(lang, "Order"), order.number), user=user, company=company,
        order=order, invoices=_invoices(order),
        placed=request.args.get('placed') == '1',
        sent=request.args.get('sent'), awaiting=awaiting,
        peppol=lambda i: peppol_status(i, lang),
        returned=returned if awaiting else None,
        refresh=5 if awaiting and returned in {
            'succeeded', 'processing'} else None,
        payment_failed=_payment_failed(order))


@protected('/pro/orders/<id:order_id>/pay')
def pro_order_pay(request, pool, lang, user, company, order_id):
    """The payment by card (or Bancontact) of a pro order: Stripe's Payment
    Element confirms the order's PaymentIntent in the browser; the order is
    confirmed by Stripe's webhook, never by this page"""
    order = _order(pool, company, order_id)
    if not order:
        return refused(request, lang, HTTPStatus.NOT_FOUND,
            _(lang, "This order does not exist."))
    target = i18n.url(lang, '/pro/orders/%s' % order.id)
    payment = order.b2b_card_payment if _awaiting_payment(order) else None
    if not payment:
        return redirect(target, code=303)
    from urban_checkout.payment import PaymentError
    stripe_provider = _stripe()
    error, secret, status = None, None, 200
    try:
        secret = payment.fetch_client_secret()
    except PaymentError:
        error, status = _(lang, "Card payment is not available right "
            "now."), 503
    return pro_page(request, 'pro/pay.html', lang,
        '/pro/orders/%s/pay' % order.id, status=status,
        title="%s %s" % (_(lang, "Payment of order"), order.number),
        user=user, company=company, order=order, error=error,
        client_secret=secret,
        publishable_key=stripe_provider.publishable_key(),
        stripe_js=stripe_provider.js_url(),
        return_url=settings.absolute(target))


@protected('/pro/orders/<id:order_id>/reorder', methods=('POST',))
def pro_reorder(request, pool, lang, user, company, order_id):
    Sale = pool.get('sale.sale')
    order = _order(pool, company, order_id)
    if not order:
        return refused(request, lang, HTTPStatus.NOT_FOUND,
            _(lang, "This order does not exist."))
    try:
        Sale.b2b_reorder(order, user)
    except UserError as exception:
        Transaction().rollback()
        return _cart_page(request, pool, lang, user, company, status=400,
            errors=[exception.message])
    return redirect(i18n.url(lang, '/pro/cart'), code=303)


def _download(data, content_type, name):
    response = Response(data, content_type=content_type)
    response.headers['Content-Disposition'] = 'attachment; filename="%s"' % (
        name)
    response.headers['Cache-Control'] = 'no-store'
    return response


@protected('/pro/invoices/<id:invoice_id>.pdf')
def pro_invoice_pdf(request, pool, lang, user, company, invoice_id):
    invoice = _invoice(pool, company, invoice_id)
    if not invoice:
        return refused(request, lang, HTTPStatus.NOT_FOUND,
            _(lang, "This invoice does not exist."))
    return _download(documents.invoice_pdf(invoice, lang),
        'application/pdf', 'invoice-%s.pdf' % invoice.number)


@protected('/pro/invoices/<id:invoice_id>.xml')
def pro_invoice_ubl(request, pool, lang, user, company, invoice_id):
    invoice = _invoice(pool, company, invoice_id)
    if not invoice:
        return refused(request, lang, HTTPStatus.NOT_FOUND,
            _(lang, "This invoice does not exist."))
    return _download(documents.invoice_ubl(invoice),
        'application/xml', 'invoice-%s.xml' % invoice.number)


@protected('/pro/invoices/<id:invoice_id>/peppol', methods=('POST',))
def pro_invoice_peppol(request, pool, lang, user, company, invoice_id):
    "Send the invoice to the company's Peppol ID (edocument_peppol)"
    Peppol = pool.get('edocument.peppol')
    Service = pool.get('edocument.peppol.service')
    invoice = _invoice(pool, company, invoice_id)
    if not invoice:
        return refused(request, lang, HTTPStatus.NOT_FOUND,
            _(lang, "This invoice does not exist."))
    orders = [l.origin.sale for l in invoice.lines
        if l.origin and getattr(l.origin, 'sale', None)]
    target = i18n.url(lang, '/pro/orders/%s' % orders[0].id) if orders else (
        i18n.url(lang, '/pro/orders'))
    if not any(p.state not in {'failed', 'cancelled'}
            for p in invoice.peppol):
        document = Peppol(direction='out', company=invoice.company,
            type='bis-billing-3', invoice=invoice)
        if not Service.get_service(document):
            return redirect(target + '?sent=unavailable', code=303)
        document.save()
        Peppol.submit([document])
    return redirect(target + '?sent=peppol', code=303)


def routes():
    "Every protected (method, path)"
    return list(PROTECTED)
