"""The customer's account on the site (FR/NL/EN): log in, register, log
out, and under /account their orders of every channel with each one's
timeline, their delivery addresses and their preferences.

The account is the app's (a Tryton web user and its party); the rules are
the domain's: registration and the order history in urban_checkout
(account.py, history.py), the login limits in urban_stock (login.py), the
newsletter consent in urban_loyalty. The session is customer_session's;
every form carries pro_session's CSRF token. Pages are noindex and
never cached; another customer's order is a 404."""
import functools
import math
import re
import urllib.parse

from trytond.exceptions import RateLimitException, UserError
from trytond.protocols.wrappers import redirect
from trytond.transaction import Transaction

from . import customer_session, forms, i18n, pro_session, settings, shop_cart
from .routes import localized, not_found

EMAIL = re.compile(r'^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$')
# where a login may lead: a page of the account or the checkout
NEXT = re.compile(r'(/(%s))?/(account|checkout)[A-Za-z0-9._~/-]*' % '|'.join(
        l for l in i18n.LANGUAGES if l != i18n.DEFAULT))
ORDERS = 50

# urban_stock's refusals of a return request in the reader's words
RETURN_REFUSALS = {
    'order_not_delivered': (
        "Only collected or delivered orders can be returned."),
    'return_already_requested': (
        "A return of this order is already waiting for the articles."),
    'invalid_return_line': "This article or quantity was not in the order.",
    }
# the steps of urban_checkout.history.timeline in the reader's words
STEPS = {
    'placed': "Placed",
    'paid': "Paid",
    'preparing': "Being prepared",
    'ready_for_pickup': "Ready for pickup",
    'collected': "Collected",
    'expired': "Not collected in time",
    'shipped': "Shipped",
    'delivered': "Delivered",
    'cancelled': "Cancelled",
    'returned': "Returned",
    'refunded': "Refunded",
    }


def _(lang, text, **variables):
    return i18n.gettext(lang, text, **variables)


def account_page(request, template, lang, path, status=200, **values):
    "A page of the account: noindex, never cached, not framed"
    response = shop_cart.shop_page(request, template, lang, path,
        status=status, **values)
    response.headers['X-Frame-Options'] = 'DENY'
    response.headers['Referrer-Policy'] = 'no-referrer'
    return response


def next_page(target, lang):
    "The page to open after login: a page of the account or the checkout"
    if target and NEXT.fullmatch(target) and '//' not in target:
        return target
    return i18n.url(lang, '/account')


def signed_in(path, methods=('GET',)):
    """A page of the account: the handler gets (request, pool, lang, user,
    **arguments); anonymous GETs go to the login page, POSTs need the
    session and a valid CSRF token"""
    def decorator(func):
        @localized(path, methods=methods, readonly=False)
        @functools.wraps(func)
        def handler(request, pool, lang, **kwargs):
            user = customer_session.current(request)
            if not user:
                if request.method == 'GET':
                    return redirect(i18n.url(lang, '/account/login') + '?'
                        + urllib.parse.urlencode({'next': request.path}),
                        code=303)
                return login_page(request, lang, status=401, error=_(lang,
                        "Your session has ended. Please log in again."))
            if (request.method == 'POST'
                    and not pro_session.csrf_valid(request)):
                return account_view(request, lang, user, status=403,
                    error=_(lang, "The form expired. Please try again."))
            response = func(request, pool, lang, user, **kwargs)
            customer_session.touch(request, response)
            return response
        return func
    return decorator


# -- log in, register, log out -------------------------------------------

def login_page(request, lang, status=200, error=None, email=''):
    return account_page(request, 'customer/login.html', lang,
        '/account/login', status=status,
        title="%s — Urban Therapy" % _(lang, "Log in"),
        description=_(lang, "Log in"), error=error,
        email=forms.printable(email)[:254],
        next=next_page(request.values.get('next'), lang))


@localized('/account/login', methods=('GET', 'POST'))
def login(request, pool, lang):
    WebUser = pool.get('web.user')
    if request.method == 'GET':
        if customer_session.current(request):
            return redirect(next_page(request.args.get('next'), lang),
                code=303)
        return login_page(request, lang)
    email = request.form.get('email', '')[:254].strip().lower()
    if not pro_session.csrf_valid(request):
        return login_page(request, lang, status=403, email=email,
            error=_(lang, "The form expired. Please try again."))
    try:
        user = WebUser.authenticate(email,
            request.form.get('password', '')[:1024])
    except RateLimitException as error:
        # urban_stock's login limits say when to come back, at once
        Transaction().rollback()
        wait = int(getattr(error, 'retry_after', None) or 60)
        return forms.too_many(login_page(request, lang, email=email,
                error=_(lang, "Too many attempts. Please try again in "
                    "%(minutes)s min.", minutes=math.ceil(wait / 60))),
            wait)
    if not user:
        # returned, not raised: the failed attempt is committed for the
        # limits
        return login_page(request, lang, status=401, email=email,
            error=_(lang, "Wrong e-mail or password."))
    response = redirect(next_page(request.form.get('next'), lang), code=303)
    customer_session.open_session(request, response, user)
    return response


def register_page(request, lang, status=200, error=None, values=None):
    return account_page(request, 'customer/register.html', lang,
        '/account/register', status=status,
        title="%s — Urban Therapy" % _(lang, "Create an account"),
        description=_(lang, "Create an account"), error=error,
        values=values or {})


@localized('/account/register', methods=('GET', 'POST'))
def register(request, pool, lang):
    "The app's registration: the same answer for a known address"
    from urban_checkout import account
    if request.method == 'GET':
        return register_page(request, lang)
    values = {name: forms.printable(request.form.get(name, ''))[:254]
        .strip() for name in ('email', 'name')}
    values['email'] = values['email'].lower()
    values['name'] = ' '.join(values['name'].split())[:120]

    def refused(status, text):
        Transaction().rollback()
        return register_page(request, lang, status=status, error=text,
            values=values)
    if not pro_session.csrf_valid(request):
        return refused(403, _(lang, "The form expired. Please try again."))
    if not EMAIL.match(values['email']):
        return refused(422, _(lang, "Please enter a valid e-mail address."))
    if not values['name']:
        return refused(422, _(lang, "Please enter your name."))
    password = request.form.get('password', '')[:1024]
    if password != request.form.get('confirm', '')[:1024]:
        return refused(422, _(lang, "The two passwords differ."))
    if request.form.get('terms') != 'yes':
        return refused(422, _(lang, "Please accept the terms of sale."))
    # a password hash per submission: bounded per client address
    wait = forms.throttle(request, 'account_register')
    if wait:
        return forms.too_many(register_page(request, lang, values=values,
                error=_(lang, "Too many attempts. Please wait a few "
                    "minutes.")), wait)
    try:
        account.register(values['email'], password, values['name'], lang,
            marketing_consent=False)
    except UserError as error:
        # the password policy's words, in the page's language
        return refused(422, error.message)
    return account_page(request, 'customer/registered.html', lang,
        '/account/register',
        title="%s — Urban Therapy" % _(lang, "Create an account"),
        description=_(lang, "Create an account"), email=values['email'])


@localized('/account/logout', methods=('POST',))
def logout(request, pool, lang):
    if not pro_session.csrf_valid(request):
        return login_page(request, lang, status=403,
            error=_(lang, "The form expired. Please try again."))
    response = redirect(i18n.url(lang, '/'), code=303)
    customer_session.close_session(request, response)
    return response


# -- the account ---------------------------------------------------------

def status_of(sale, lang):
    "The order's state in the reader's words: its timeline's last step"
    from urban_checkout import history
    steps = history.timeline(sale)
    return _(lang, STEPS[steps[-1][0]]) if steps else ''


def account_view(request, lang, user, status=200, error=None,
        values=None):
    "The account's page; error: why a form of it was refused"
    from urban_checkout import history
    orders = history.customer_orders(user, limit=ORDERS)
    party = user.party
    return account_page(request, 'customer/account.html', lang, '/account',
        status=status, title="%s — Urban Therapy" % _(lang, "My account"),
        description=_(lang, "My account"), user=user,
        orders=[(o, status_of(o, lang)) for o in orders],
        addresses=[a for a in party.addresses if a.active] if party else [],
        newsletter=bool(party and party.newsletter_subscribed),
        language=(party.lang.code[:2] if party and party.lang else lang),
        countries=_countries(lang),
        notice=not error and request.args.get('saved'), error=error,
        values=values or {})


@signed_in('/account')
def overview(request, pool, lang, user):
    return account_view(request, lang, user)


def _countries(lang):
    from .shop_checkout import countries
    return countries(lang)


@signed_in('/account/orders/<number>')
def order(request, pool, lang, user, number):
    from urban_checkout import history
    sale = history.customer_order(user, number[:64])
    if sale is None:
        return not_found(request, lang)
    return order_view(request, lang, user, sale)


def order_view(request, lang, user, sale, status=200, error=None):
    "An order's page; error: why its return form was refused"
    from urban_checkout import history
    from urban_checkout.cart import line_products
    from .shop_checkout import _address, _delivery
    number = sale.number
    lines = [l for l in sale.lines if l.type == 'line' and l.product
        and not l.api_delivery]
    products = line_products([l.product.id for l in lines])
    steps = [(_(lang, STEPS[status]), at, detail)
        for status, at, detail in history.timeline(sale)]
    returnable = {l.product.id: int(q)
        for l, q in sale.returnable_quantities().items() if q >= 1}
    return account_page(request, 'customer/order.html', lang,
        '/account/orders/%s' % number, status=status,
        title="%s %s — Urban Therapy" % (_(lang, "Order"), sale.number),
        description=_(lang, "Your order"), order=sale,
        lines=[(l, products.get(l.product.id, {})) for l in lines],
        steps=steps, status_label=status_of(sale, lang),
        shop_address=_address(sale.warehouse), delivery=_delivery(sale),
        returnable=returnable if not sale.return_pending() else {},
        return_pending=sale.return_pending(), error=error,
        notice=not error and request.args.get('returned'))


@signed_in('/account/orders/<number>/return', methods=('POST',))
def return_articles(request, pool, lang, user, number):
    """Ask to return collected or delivered articles (urban_stock's return
    request, the app's too): staff receive them and refund them"""
    from urban_checkout import history
    from urban_stock.returns import ReturnRefused
    from urbantherapy.routing import parse_id
    sale = history.customer_order(user, number[:64])
    if sale is None:
        return not_found(request, lang)
    wanted = []
    for key, value in request.form.items():
        product_id = parse_id(key[4:]) if key.startswith('qty-') else None
        quantity = shop_cart.quantity_of(value)
        if product_id and quantity is None:
            return order_view(request, lang, user, sale, status=400,
                error=_(lang, "Quantities are whole numbers from 0 to 99."))
        if product_id and quantity:
            wanted.append((product_id, quantity))
    reason = ' '.join(request.form.get('reason', '').split())[:500]
    if not wanted:
        return order_view(request, lang, user, sale, status=422,
            error=_(lang, "Choose the articles to return."))
    if len(reason) < 3:
        return order_view(request, lang, user, sale, status=422,
            error=_(lang, "Please tell us why you return them."))
    try:
        sale.request_return(wanted, forms.printable(reason))
    except ReturnRefused as refused:
        Transaction().rollback()
        return order_view(request, lang, user, sale, status=409
            if refused.code != 'invalid_return_line' else 422,
            error=_(lang, RETURN_REFUSALS[refused.code]))
    return redirect(i18n.url(lang, '/account/orders/%s' % sale.number)
        + '?returned=1', code=303)


# -- addresses and preferences -------------------------------------------

@signed_in('/account/addresses', methods=('POST',))
def add_address(request, pool, lang, user):
    "A delivery address of the customer's party (the checkout's rules)"
    from urban_checkout import cart, checkout
    from .shop_checkout import refusal_text
    values = {name: forms.printable(request.form.get(name, ''))[:size]
        .strip() for name, size in [('street', 120), ('postal_code', 16),
            ('city', 80), ('country', 2)]}
    try:
        checkout.delivery_address(cart.customer_party(user), values)
    except checkout.CheckoutError as error:
        Transaction().rollback()
        return account_view(request, lang, user, status=error.status,
            error=refusal_text(lang, error), values=values)
    return redirect(i18n.url(lang, '/account') + '?saved=1', code=303)


@signed_in('/account/addresses/remove', methods=('POST',))
def remove_address(request, pool, lang, user):
    "Deactivated, not deleted: orders may still name it"
    from urbantherapy.routing import parse_id
    Address = pool.get('party.address')
    address_id = parse_id(request.form.get('address'))
    addresses = Address.search([
            ('id', '=', address_id),
            ('party', '=', user.party.id if user.party else -1),
            ]) if address_id else []
    if not addresses:
        return account_view(request, lang, user, status=404,
            error=_(lang, "This address is no longer in your account."))
    Address.write(addresses, {'active': False})
    return redirect(i18n.url(lang, '/account') + '?saved=1', code=303)


@signed_in('/account/preferences', methods=('POST',))
def preferences(request, pool, lang, user):
    """The language of the customer's e-mails and the newsletter: a
    confirmed address subscribes at once, another gets the double opt-in
    e-mail first (urban_loyalty's newsletter consent)"""
    from urban_checkout import cart
    Party = pool.get('party.party')
    Lang = pool.get('ir.lang')
    Consent = pool.get('urban.loyalty.newsletter_consent')
    party = cart.customer_party(user)
    language = request.form.get('language', '')[:2]
    if language not in i18n.LANGUAGES:
        return account_view(request, lang, user, status=400,
            error=_(lang, "Choose one of the languages offered."))
    langs = Lang.search([('code', '=', language)], limit=1)
    Party.write([party], {'lang': langs[0].id if langs else None})
    wanted = request.form.get('newsletter') == 'yes'
    if wanted and not party.newsletter_subscribed:
        wording = _(language, "I agree to receive the Urban Therapy "
            "newsletter by e-mail. I can unsubscribe at any time.")
        if user.email_valid:
            Consent.subscribe(user.email, True, wording, language=language,
                channel='web')
        else:
            Consent.request_confirmation(user.email, True, wording,
                settings.absolute(i18n.url(language,
                        '/newsletter/confirm')), language=language,
                channel='web')
    elif not wanted:
        Consent.withdraw([c for c in party.newsletter_consents
                if not c.withdrawn_at])
    return redirect(i18n.url(lang, '/account') + '?saved=1', code=303)


# -- the checkout of a logged-in customer --------------------------------

def prefill(user):
    "What the checkout's form starts with for user (None: a guest)"
    if not user:
        return None
    party = user.party
    phones = [c.value for c in party.contact_mechanisms
        if c.type in {'mobile', 'phone'}] if party else []
    if not phones:
        from urban_checkout import history
        phones = [s.api_phone for s in history.customer_orders(user,
                limit=5) if s.api_phone]
    return {'email': user.email, 'name': party.name if party else '',
        'phone': phones[0] if phones else '', 'mode': 'click_collect',
        'country': 'BE'}


def buyer(user):
    """(party, holder, verified) of an order of user: their own party; as
    in the app, a confirmed e-mail address may take the last units"""
    from urban_checkout import cart
    return (cart.customer_party(user), 'web.user,%s' % user.id,
        bool(user.email_valid))
