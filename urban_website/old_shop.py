"""/shop/*: addresses of the former web shop (the app's web export, now
served at /webapp for the app's own tests and previews) lead to the site's
matching pages with a 301, so links in old e-mails, bookmarks and search
engines keep working and nothing customer-facing is a phone app stretched
on a desktop.

The app's paths: /shop/product/<template id>?variant=<product id>,
/shop/universe/<slug>, /shop/search?q=, /shop/cart, /shop/checkout; the
site's first links were /shop/products/<code>. Account pages (orders,
loyalty, payment) live in the app: they lead to its download page. The
language follows Accept-Language (the old addresses had none)."""
from urllib.parse import urlencode

from trytond.pool import Pool
from trytond.protocols.wrappers import redirect

from . import catalog, i18n
from .routes import localized

IN_THE_APP = {'account', 'orders', 'loyalty', 'pay', 'onboarding'}


def _published_template(template_id):
    Template = Pool().get('product.template')
    found = Template.search(catalog.published([('id', '=', template_id)]),
        limit=1)
    return found[0] if found else None


def _product_by_code(code):
    Product = Pool().get('product.product')
    for product in Product.search([('code', '=', code)], limit=1):
        if _published_template(product.template.id):
            return product


def _product_page(lang, template, variant=None):
    slug = catalog.slugs(template.__class__, [template.id])[template.id]
    if not slug.get(lang):
        return None
    path = i18n.url(lang, '/products/%s' % slug[lang])
    if variant is not None and variant.code:
        path += '?' + urlencode({'variant': variant.code})
    return path


def _variant_of(template, value):
    try:
        product_id = int(value or '')
    except ValueError:
        return None
    return next((p for p in template.products if p.id == product_id), None)


def target(lang, path, args):
    "The site's page for the former web shop's path (or the home page)"
    parts = [p for p in path.strip('/').split('/') if p]
    head, rest = (parts[0], parts[1:]) if parts else ('', [])
    if head == 'product' and len(rest) == 1 and rest[0].isdigit():
        template = _published_template(int(rest[0]))
        if template:
            return _product_page(lang, template,
                _variant_of(template, args.get('variant')))
    elif head == 'products' and len(rest) == 1:
        product = _product_by_code(rest[0][:64])
        if product:
            return _product_page(lang, product.template, product)
    elif head == 'universe' and len(rest) == 1:
        with_lang = catalog.universe_by_slug(rest[0][:96])
        if with_lang:
            slug = catalog.slugs(with_lang.__class__,
                [with_lang.id])[with_lang.id].get(lang)
            if slug:
                return i18n.url(lang, '/universes/%s' % slug)
    elif head == 'search':
        query = (args.get('q') or '').strip()[:100]
        return i18n.url(lang, '/search') + (
            '?' + urlencode({'q': query}) if query else '')
    elif head in {'cart', 'checkout'} and not rest:
        return i18n.url(lang, '/' + head)
    elif head in IN_THE_APP:
        return i18n.url(lang, '/app')
    return None


@localized('/shop', languages=False)
def old_shop_root(request, pool, lang):
    return old_shop(request, pool, lang, '')


@localized('/shop/', languages=False)
def old_shop_index(request, pool, lang):
    return old_shop(request, pool, lang, '')


@localized('/shop/<path:path>', languages=False)
def old_shop(request, pool, lang, path):
    lang = i18n.best_language(request.headers.get('Accept-Language'))
    response = redirect(target(lang, path, request.args)
        or i18n.url(lang, '/'), code=301)
    response.headers['Vary'] = 'Accept-Language'
    return response
