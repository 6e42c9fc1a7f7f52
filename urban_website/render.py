"""Rendering of the pages: Jinja2 templates, responses with ETag and
Cache-Control, JSON-LD, hreflang alternates."""
import hashlib
import json
import pathlib

import jinja2
import segno
from markupsafe import Markup
from werkzeug.wrappers import Response

from urbantherapy import security

from . import i18n, settings

HERE = pathlib.Path(__file__).resolve().parent
STATIC = HERE / 'static'
_env = None


def environment():
    global _env
    if _env is None:
        _env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / 'templates')),
            autoescape=True, trim_blocks=True, lstrip_blocks=True)
        _env.filters['money'] = money
        _env.globals['css'] = Markup((STATIC / 'site.css').read_text())
        _env.globals['asset'] = asset
    return _env


_asset_versions = {}


def asset(name):
    "URL of a static asset, versioned by its content for long caching"
    if name not in _asset_versions:
        data = (STATIC / name).read_bytes()
        _asset_versions[name] = hashlib.sha256(data).hexdigest()[:10]
    return '/assets/%s?v=%s' % (name, _asset_versions[name])


def money(amount, lang='fr'):
    "Belgian-style price: 44,90 € (fr, nl) or €44.90 (en)"
    text = '{:,.2f}'.format(amount)
    if lang == 'en':
        return '€' + text
    text = text.replace(',', ' ').replace('.', ',').replace(' ', '.')
    return text + ' €'


def qr_svg(url, title):
    "Inline SVG of a QR code for url"
    qr = segno.make(url, error='m')
    svg = qr.svg_inline(scale=4, dark='#2b2118', light='#fffaf3',
        title=title, omitsize=False)
    return Markup(svg)


def json_ld(*items):
    "<script type=application/ld+json> of schema.org items"
    data = [i for i in items if i]
    if not data:
        return ''
    payload = data[0] if len(data) == 1 else {'@context': 'https://schema.org',
        '@graph': [{k: v for k, v in d.items() if k != '@context'}
            for d in data]}
    text = json.dumps(payload, ensure_ascii=False, separators=(',', ':'))
    text = text.replace('</', '<\\/')
    return Markup('<script type="application/ld+json">%s</script>' % text)


def breadcrumb(items):
    "BreadcrumbList of [(name, absolute url)]"
    return {
        '@context': 'https://schema.org',
        '@type': 'BreadcrumbList',
        'itemListElement': [{
                '@type': 'ListItem', 'position': i + 1, 'name': name,
                'item': url}
            for i, (name, url) in enumerate(items)],
        }


def alternates(paths):
    """[(hreflang, absolute url)] of the page in each language
    (paths: {lang: path without prefix}), plus x-default (French)."""
    result = [(lang, settings.absolute(i18n.url(lang, paths[lang])))
        for lang in i18n.LANGUAGES if paths.get(lang)]
    if paths.get(i18n.DEFAULT):
        result.append(('x-default', settings.absolute(
                    i18n.url(i18n.DEFAULT, paths[i18n.DEFAULT]))))
    return result


def page(request, template, lang, paths, status=200, cache=True,
        stripe_js=None, **values):
    """Render template in lang; paths: {lang: path} of this page in each
    language (for hreflang and the language switcher); stripe_js: the URL
    of Stripe.js when the page loads it (allowed by its CSP)."""
    from . import customer_session, seller, shop_cart

    def _(text, **variables):
        return i18n.gettext(lang, text, **variables)
    # the header's cart count and account link are the visitor's: such a
    # page is not shared
    cart_count = shop_cart.count(request)
    signed_in = bool(customer_session.key(request))
    if shop_cart.token(request) or signed_in:
        cache = False
    canonical = settings.absolute(i18n.url(lang, paths[lang]))
    # the language switcher shows the same view (variant, search, sort) in
    # the other language; hreflang and canonical links stay without it
    query = request.query_string.decode('latin-1') if request else ''
    switch_query = '?' + query if query and request.method == 'GET' else ''
    values.setdefault('og_type', 'website')
    body = environment().get_template(template).render(
        _=_, lang=lang, i18n=i18n, settings=settings, url=lambda p:
        i18n.url(lang, p), canonical=canonical,
        alternates=alternates(paths), paths=paths,
        locale=i18n.LOCALES[lang], money=lambda a: money(a, lang),
        stripe_js=stripe_js, cart_count=cart_count, signed_in=signed_in,
        switch_query=switch_query,
        seller=seller.identity(), **values)
    response = Response(body, status=status,
        content_type='text/html; charset=utf-8')
    response.headers['Content-Language'] = lang
    response.headers['Content-Security-Policy'] = str(
        security.website_policy(body, stripe_js=stripe_js))
    if cache and status == 200:
        cached(request, response, settings.get('page_max_age'))
    else:
        response.headers['Cache-Control'] = 'no-store'
    return response


def cached(request, response, max_age):
    "Strong ETag of the body, Cache-Control, 304 when the client has it"
    response.headers['Cache-Control'] = 'public, max-age=%s' % max_age
    response.add_etag()
    return response.make_conditional(request)
