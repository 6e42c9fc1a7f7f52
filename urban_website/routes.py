"""Public pages of the website, served by trytond (no database in URLs).

French at /, Dutch under /nl/, English under /en/. Handlers run as user 0:
they only read published catalogue data, shops and the first-order code,
and write only through the domain models' own methods (QR scan, newsletter
consent)."""
import functools
import mimetypes
from http import HTTPStatus
from urllib.parse import quote
from xml.sax.saxutils import escape

from trytond.exceptions import UserError
from trytond.protocols.wrappers import (
    Response, redirect, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from urban_loyalty import newsletter as newsletter_module
from urbantherapy import routing  # noqa: F401  (the <id:...> converter)

from . import catalog, forms, i18n, render, settings
from .render import json_ld, page

LEGAL = ('terms', 'privacy', 'cookies')
IMAGE_KINDS = ('thumbnail', 'card', 'zoom')
SEARCH_RESULTS = 48
YEAR = 31536000


def _database():
    return settings.get('database')


def localized(path, methods=('GET',), readonly=None, languages=True):
    """Register the handler for path in French (no prefix) and, when
    languages, under /nl and /en; the handler gets (request, pool, lang,
    **arguments) inside a transaction whose context has the language and
    the company."""
    def decorator(func):
        @with_pool
        @with_transaction(readonly=readonly)
        def handler(request, pool, lang, **kwargs):
            if not clean_form(request):
                return bad_request(request, lang)
            company = catalog.company()
            with Transaction().set_context(language=lang,
                    company=company.id if company else None):
                return func(request, pool, lang, **kwargs)

        def entry(request, database_name=None, lang=i18n.DEFAULT, **kwargs):
            return handler(request, _database(), lang, **kwargs)

        def default_entry(request, database_name=None, **kwargs):
            return entry(request, lang=i18n.DEFAULT, **kwargs)
        default_entry.__name__ = 'urban_website_%s' % func.__name__
        app.route(path, methods=set(methods),
            defaults={'database_name': None})(default_entry)
        if languages:
            def prefixed_entry(request, database_name=None, **kwargs):
                return entry(request, **kwargs)
            prefixed_entry.__name__ = 'urban_website_%s_i18n' % func.__name__
            app.route('/<any(%s):lang>%s' % (
                    ','.join(l for l in i18n.LANGUAGES if l != i18n.DEFAULT),
                    path), methods=set(methods),
                defaults={'database_name': None})(prefixed_entry)
        return func
    return decorator


def clean_form(request):
    """Whether the posted form has no NUL character (PostgreSQL refuses
    them in any text; no field of ours takes one)"""
    return request.method != 'POST' or not any(
        '\x00' in key or '\x00' in value
        for key, value in request.form.items(multi=True))


def bad_request(request, lang):
    return page(request, 'bad_request.html', lang,
        {l: '/' for l in i18n.LANGUAGES}, status=400, cache=False,
        title=i18n.gettext(lang, "Invalid request"), noindex=True)


def not_found(request, lang):
    return page(request, 'not_found.html', lang,
        {l: '/' for l in i18n.LANGUAGES}, status=404, cache=False,
        title=i18n.gettext(lang, "Page not found"), noindex=True)


def organization(company):
    party = company.party if company else None
    address = party.addresses[0] if party and party.addresses else None
    data = {
        '@context': 'https://schema.org',
        '@type': 'Organization',
        '@id': settings.absolute('/#organization'),
        'name': party.name if party else "Urban Therapy",
        'url': settings.absolute('/'),
        'logo': settings.absolute(render.asset('logo.svg')),
        'sameAs': [settings.get('app_store_url'),
            settings.get('play_store_url')],
        }
    if address:
        data['address'] = postal_address(address)
    from . import seller
    identity = seller.identity()
    if identity['vat']:
        data['vatID'] = identity['vat']
    if identity['email']:
        data['email'] = identity['email']
    return data


def postal_address(address):
    return {
        '@type': 'PostalAddress',
        'streetAddress': address.street or '',
        'postalCode': address.postal_code or '',
        'addressLocality': address.city or '',
        'addressCountry': address.country.code if address.country else 'BE',
        }


def store(shop, lang):
    data = {
        '@context': 'https://schema.org',
        '@type': 'Store',
        '@id': settings.absolute('/shops/%s#store' % shop.shop_code.lower()),
        'name': shop.name,
        'url': settings.absolute(
            i18n.url(lang, '/shops/%s' % shop.shop_code.lower())),
        'telephone': shop.phone or '',
        'openingHours': [h.opening_specification
            for h in shop.opening_hours],
        'parentOrganization': {'@id': settings.absolute('/#organization')},
        }
    if shop.address:
        data['address'] = postal_address(shop.address)
    if shop.latitude is not None and shop.longitude is not None:
        data['geo'] = {'@type': 'GeoCoordinates',
            'latitude': float(shop.latitude),
            'longitude': float(shop.longitude)}
    return data


def directions(shop):
    if shop.latitude is not None and shop.longitude is not None:
        destination = '%s,%s' % (shop.latitude, shop.longitude)
    else:
        destination = shop.name
    return ('https://www.google.com/maps/dir/?api=1&destination=%s'
        % destination)


def store_links():
    return {'ios': settings.get('app_store_url'),
        'android': settings.get('play_store_url')}


# -- pages ------------------------------------------------------------------

@localized('/', methods=('GET', 'HEAD'))
def landing(request, pool, lang, subscribed=False, error=None, email='',
        confirm_token=None):
    _ = functools.partial(i18n.gettext, lang)
    subscribed = subscribed or request.args.get('subscribed') == '1'
    confirmed = request.args.get('confirmed') == '1'
    company = catalog.company()
    universes = catalog.universes()
    covers, counts = catalog.universe_covers(universes)
    slugs = catalog.slugs(pool.get('product.category'),
        [u.id for u in universes])
    shops = catalog.shops()
    app_url = settings.absolute('/app')
    return page(request, 'landing.html', lang,
        {l: '/' for l in i18n.LANGUAGES},
        status=400 if error else 200,
        cache=not (subscribed or confirmed or error or confirm_token),
        noindex=bool(confirm_token), confirmed=confirmed,
        confirm_token=confirm_token,
        title=_("Urban Therapy — boho lifestyle concept stores in Belgium"),
        description=_("Six Belgian concept stores of objects for a slower "
            "life: ceramics, textiles, jewellery, plants, made by "
            "independent designers and our own workshop."),
        universes=[(u, covers.get(u.id), counts.get(u.id, 0), slugs[u.id])
            for u in universes],
        arrivals=catalog.new_arrivals(),
        shops=shops, store_links=store_links(),
        qr=render.qr_svg(app_url,
            _("QR code to download the Urban Therapy app")),
        pro_url=settings.get('pro_url'),
        subscribed=subscribed, error=error, email=email,
        og_image=(settings.absolute(
                '/media/%s/zoom.webp' % covers[universes[0].id].image_id)
            if universes and covers.get(universes[0].id) else None),
        structured=json_ld(organization(company), {
                '@context': 'https://schema.org', '@type': 'WebSite',
                'name': "Urban Therapy", 'url': settings.absolute('/'),
                'inLanguage': lang}))


@localized('/newsletter', methods=('POST',))
def newsletter(request, pool, lang):
    """Double opt-in: the form's sign-up is confirmed by the link of an
    e-mail (newsletter_confirm), which records the consent"""
    Consent = pool.get('urban.loyalty.newsletter_consent')
    wording = i18n.gettext(lang, "I agree to receive the Urban Therapy "
        "newsletter by e-mail. I can unsubscribe at any time.")
    email = request.form.get('email', '')
    consent = request.form.get('consent') == 'yes'
    wait = forms.throttle(request, 'newsletter')
    if wait:
        return forms.too_many(landing(request, pool, lang,
                error=i18n.gettext(lang, "Too many attempts. Please wait a "
                    "few minutes."), email=email[:254]), wait)
    try:
        Consent.request_confirmation(email, consent, wording,
            settings.absolute(i18n.url(lang, '/newsletter/confirm')),
            language=lang, channel='web')
    except UserError as exception:
        Transaction().rollback()
        # the form's own wording in the page's language; the domain's
        # message otherwise
        if not consent:
            error = i18n.gettext(lang, "Please tick the box to agree to "
                "receive the newsletter.")
        elif not newsletter_module.EMAIL.match(email.strip()):
            error = i18n.gettext(lang, "Please enter a valid e-mail "
                "address.")
        else:
            error = exception.message
        return landing(request, pool, lang, error=error,
            email=forms.printable(email[:254]))
    return redirect(i18n.url(lang, '/') + '?subscribed=1#newsletter',
        code=303)


@localized('/newsletter/confirm', methods=('GET', 'POST'))
def newsletter_confirm(request, pool, lang):
    """The link of the confirmation e-mail: GET shows a button (mail
    scanners follow links), its POST records the consent"""
    Consent = pool.get('urban.loyalty.newsletter_consent')
    token = request.values.get('token', '')[:128]
    if request.method == 'GET':
        return landing(request, pool, lang, confirm_token=token)
    if Consent.confirm(token):
        return redirect(i18n.url(lang, '/') + '?confirmed=1#newsletter',
            code=303)
    return landing(request, pool, lang, error=i18n.gettext(lang,
            "This confirmation link is invalid or has expired. Please "
            "subscribe again."))


@localized('/universes/<slug>')
def universe(request, pool, lang, slug):
    _ = functools.partial(i18n.gettext, lang)
    Category = pool.get('product.category')
    found = catalog.universe_by_slug(slug)
    if not found:
        return moved(request, pool, lang, Category, slug, '/universes/%s',
            lambda: catalog.universe_by_slug(slug))
    slugs = catalog.slugs(Category, [found.id])[found.id]
    products, facet_values, chosen, shop, sort = catalog.narrowed(
        catalog.universe_templates(found), request.args, lang)
    covers, _counts = catalog.universe_covers([found])
    cover = covers.get(found.id)
    home = settings.absolute(i18n.url(lang, '/'))
    canonical = settings.absolute(i18n.url(lang, '/universes/' + slug))
    return page(request, 'universe.html', lang,
        {l: '/universes/%s' % s for l, s in slugs.items() if s},
        title="%s — Urban Therapy" % found.name,
        description=(found.universe_description or found.name)[:160],
        universe=found, products=products, cover=cover,
        facets=facet_values, chosen=chosen, chosen_shop=shop, sort=sort,
        shops=catalog.shops(), facet_skip=('universe',),
        noindex=bool(request.args),
        og_image=settings.absolute('/media/%s/zoom.webp' % cover.image_id)
        if cover else None,
        structured=json_ld(render.breadcrumb([
                    (_("Home"), home), (found.name, canonical)]), {
                '@context': 'https://schema.org', '@type': 'CollectionPage',
                'name': found.name, 'url': canonical,
                'description': found.universe_description or '',
                'mainEntity': {'@type': 'ItemList',
                    'numberOfItems': len(products),
                    'itemListElement': [{
                            '@type': 'ListItem', 'position': i + 1,
                            'url': settings.absolute(i18n.url(
                                    lang, '/products/%s' % p.slug))}
                        for i, p in enumerate(products)]}}))


@localized('/search')
def search(request, pool, lang):
    """Results of the catalogue search (urban_catalog/search.py) as product
    cards; the site header's search box sends its form here"""
    Template = pool.get('product.template')
    query = ' '.join(request.args.get('q', '').split())[:200]
    products, facet_values, chosen, shop, sort = [], {}, {}, None, None
    if query:
        ids = Template.search_catalog(query, language=lang,
            limit=SEARCH_RESULTS, channel='web')
        found = {t.id: t for t in Template.search(
                catalog.published([('id', 'in', ids)]))}
        products, facet_values, chosen, shop, sort = catalog.narrowed(
            [found[i] for i in ids if i in found], request.args, lang)
    return page(request, 'search.html', lang,
        {l: '/search' for l in i18n.LANGUAGES},
        title="%s — Urban Therapy" % (i18n.gettext(lang, "Search")),
        description=i18n.gettext(lang, "Search the catalogue"),
        query=query, products=products, noindex=True,
        facets=facet_values, chosen=chosen, chosen_shop=shop, sort=sort,
        shops=catalog.shops(), facet_skip=())


@localized('/products/<slug>')
def product(request, pool, lang, slug):
    """A product with its variants; ?variant=<code> chooses the one shown
    (picture, price, availability) and put in the cart: a plain link, the
    page's script only spares the reload"""
    _ = functools.partial(i18n.gettext, lang)
    Template = pool.get('product.template')
    template = catalog.product_by_slug(slug)
    if not template:
        return moved(request, pool, lang, Template, slug, '/products/%s',
            lambda: catalog.product_by_slug(slug))
    variants, shared = catalog.product_details(template)
    if not variants:
        return not_found(request, lang)
    chosen = catalog.chosen_variant(variants,
        request.args.get('variant', '')[:64])
    slugs = catalog.slugs(Template, [template.id])[template.id]
    universe_slug = (catalog.slugs(pool.get('product.category'),
            [template.universe.id])[template.universe.id][lang]
        if template.universe else None)
    pictures = catalog.pictures([template.id])[template.id]
    code = template.code or str(template.id)
    canonical = settings.absolute(i18n.url(lang, '/products/' + slug))
    home = settings.absolute(i18n.url(lang, '/'))
    low = min(variants, key=lambda v: v.price)
    high = max(variants, key=lambda v: v.price)
    in_stock = any(v.online > 0 or any(s.quantity > 0 for s in v.stock)
        for v in variants)
    offer = {
        '@type': 'AggregateOffer' if len(variants) > 1 else 'Offer',
        'priceCurrency': low.currency,
        'availability': availability_ld(in_stock),
        'url': canonical,
        'seller': {'@id': settings.absolute('/#organization')},
        }
    if len(variants) > 1:
        offer.update(lowPrice=str(low.price), highPrice=str(high.price),
            offerCount=len(variants),
            offers=[variant_offer(v, template, canonical) for v in variants])
    else:
        offer['price'] = str(low.price)
    description = (template.description_long or template.name)
    crumbs = [(_("Home"), home)]
    if template.universe and universe_slug:
        crumbs.append((template.universe.name, settings.absolute(
                    i18n.url(lang, '/universes/' + universe_slug))))
    crumbs.append((template.name, canonical))
    product_ld = {
        '@context': 'https://schema.org', '@type': 'Product',
        'name': template.name, 'sku': code, 'url': canonical,
        'description': description,
        'image': [settings.absolute('/media/%s/zoom.webp' % p.image_id)
            for p in pictures],
        'offers': offer,
        }
    if template.creator:
        product_ld['brand'] = {'@type': 'Brand',
            'name': template.creator.name}
    # the chosen variant's own picture takes the place of the product's
    # first one
    main = chosen.picture
    return page(request, 'product.html', lang,
        {l: '/products/%s' % s for l, s in slugs.items() if s},
        title="%s — Urban Therapy" % template.name,
        description=description[:160], og_type='product',
        product=template, slug=slug, variants=variants, chosen=chosen,
        from_price=len({v.price for v in variants}) > 1,
        stock=chosen.stock, in_stock=in_stock, low_stock=catalog.LOW_STOCK,
        main_picture=main, pictures=shared[1:],
        universe_slug=universe_slug, related=related(pool, template),
        og_image=settings.absolute('/media/%s/zoom.webp' % main.image_id)
        if main else None,
        structured=json_ld(product_ld, render.breadcrumb(crumbs)))


def related(pool, template, limit=4):
    """Cards of what the product's buyers also bought (urban_analytics),
    sold online: the page is cached for everyone, so nothing personal"""
    Recommendation = pool.get('urban.analytics.recommendation')
    return catalog.cards(Recommendation.propose([template.id],
            channel='web', limit=limit))


def availability_ld(in_stock):
    return 'https://schema.org/%s' % ('InStock' if in_stock else 'OutOfStock')


def variant_offer(variant, template, canonical):
    "The schema.org Offer of one variant (its SKU, colour, own page)"
    offer = {
        '@type': 'Offer', 'sku': variant.code or variant.key,
        'price': str(variant.price), 'priceCurrency': variant.currency,
        'availability': availability_ld(variant.online > 0
            or any(s.quantity > 0 for s in variant.stock)),
        'url': '%s?variant=%s' % (canonical, quote(variant.key)),
        }
    if variant.label:
        offer['itemOffered'] = {'@type': 'Product',
            'name': '%s, %s' % (template.name, variant.label)}
        if variant.colour:
            offer['itemOffered']['color'] = variant.colour
    return offer


def moved(request, pool, lang, Model, slug, pattern, lookup):
    """A slug of another language: 301 to the page's slug in lang; else
    404."""
    for other in i18n.LANGUAGES:
        if other == lang:
            continue
        with Transaction().set_context(language=other):
            record = lookup()
        if record:
            own = catalog.slugs(Model, [record.id])[record.id].get(lang)
            if own and own != slug:
                return redirect(i18n.url(lang, pattern % own), code=301)
    return not_found(request, lang)


@localized('/shops/')
def shop_list(request, pool, lang):
    _ = functools.partial(i18n.gettext, lang)
    shops = catalog.shops()
    return page(request, 'shops.html', lang,
        {l: '/shops/' for l in i18n.LANGUAGES},
        title="%s — Urban Therapy" % _("Our shops"),
        description=_("Our boutiques in Belgium: addresses, opening hours "
            "and directions."),
        shops=[(s, catalog.shop_hours(s, lang), directions(s))
            for s in shops],
        structured=json_ld(*[store(s, lang) for s in shops]))


@localized('/shops/<code>')
def shop(request, pool, lang, code):
    _ = functools.partial(i18n.gettext, lang)
    found = catalog.shop_by_code(code)
    if not found:
        return not_found(request, lang)
    if code != found.shop_code.lower():
        return redirect(i18n.url(lang, '/shops/%s'
                % found.shop_code.lower()), code=301)
    city = found.address.city if found.address else found.name
    canonical = settings.absolute(i18n.url(lang, '/shops/' + code))
    home = settings.absolute(i18n.url(lang, '/'))
    return page(request, 'shop.html', lang,
        {l: '/shops/%s' % code for l in i18n.LANGUAGES},
        title="%s — %s" % (found.name, _("Opening hours")),
        description=_("Urban Therapy shop in %(city)s: address, opening "
            "hours, phone and directions.", city=city),
        shop=found, city=city, hours=catalog.shop_hours(found, lang),
        directions=directions(found),
        structured=json_ld(store(found, lang), render.breadcrumb([
                    (_("Home"), home),
                    (_("Our shops"), settings.absolute(
                            i18n.url(lang, '/shops/'))),
                    (found.name, canonical)])))


@localized('/legal/<any(terms,privacy,cookies):name>')
def legal(request, pool, lang, name):
    from . import legal as texts, seller
    title, sections = texts.page(name, lang, seller.identity())
    return page(request, 'legal.html', lang,
        {l: '/legal/%s' % name for l in i18n.LANGUAGES},
        title="%s — Urban Therapy" % title, description=sections[0][1][:160],
        heading=title, sections=sections)


@localized('/app', readonly=False)
def app_landing(request, pool, lang):
    """QR landing: records the scan with its shop, shows the shop's
    first-order code and the store links. Without a language prefix the
    language follows Accept-Language."""
    Scan = pool.get('urban.loyalty.qr_scan')
    if request.path == '/app':
        lang = i18n.best_language(request.headers.get('Accept-Language'))
    code = request.args.get('shop')
    shop, first_order, unknown = None, None, False
    device, new_device = forms.device(request)
    if code is not None:
        try:
            scan = Scan.record(code, language=lang, channel='web',
                device=device, new_device=new_device,
                client=forms.client(request))
        except UserError:
            Transaction().rollback()
            unknown = True
        else:
            shop = scan.shop
            first_order = shop.get_first_order_number()
    with Transaction().set_context(language=lang):
        response = page(request, 'app.html', lang,
            {l: '/app' for l in i18n.LANGUAGES},
            status=404 if unknown else 200, cache=False,
            title="%s — %s" % (i18n.gettext(lang, "Get the app"),
                "Urban Therapy"),
            description=i18n.gettext(lang, "Install the app to order from "
                "our shops, reserve and collect."),
            shop=shop, first_order=first_order, unknown=unknown,
            city=(shop.address.city if shop and shop.address else
                shop.name if shop else None),
            store_links=store_links(), noindex=True)
    response.headers['Vary'] = 'Accept-Language'
    if new_device and shop:
        forms.set_device(response, device)
    return response


@localized('/<path:path>', languages=False)
def unknown(request, pool, lang, path):
    "Any other GET: our 404 page (in the language of the path's prefix)"
    first = path.split('/', 1)[0]
    return not_found(request, first if first in i18n.LANGUAGES else lang)


# -- SEO files and assets ---------------------------------------------------

def plain(request, body, content_type, max_age=3600):
    response = Response(body, content_type=content_type)
    return render.cached(request, response, max_age)


@localized('/robots.txt', languages=False)
def robots(request, pool, lang):
    body = '\n'.join([
            'User-agent: *',
            'Allow: /',
            'Disallow: /admin/',
            'Disallow: /app',
            'Disallow: /webapp/',
            'Disallow: /newsletter',
            # the visitor's own pages (noindex too)
            'Disallow: /cart', 'Disallow: /checkout', 'Disallow: /order/',
            'Disallow: /*/cart', 'Disallow: /*/checkout',
            'Disallow: /*/order/',
            'Disallow: /account', 'Disallow: /*/account',
            'Sitemap: %s' % settings.absolute('/sitemap.xml'),
            '']).encode()
    return plain(request, body, 'text/plain; charset=utf-8')


@localized('/sitemap.xml', languages=False)
def sitemap(request, pool, lang):
    Template = pool.get('product.template')
    Category = pool.get('product.category')
    pages = [{l: '/' for l in i18n.LANGUAGES},
        {l: '/shops/' for l in i18n.LANGUAGES}]
    universes = catalog.universes()
    for slugs in catalog.slugs(Category, [u.id for u in universes]).values():
        pages.append({l: '/universes/%s' % s for l, s in slugs.items() if s})
    templates = Template.search(catalog.published(), order=[('id', 'ASC')])
    for slugs in catalog.slugs(Template, [t.id for t in templates]).values():
        pages.append({l: '/products/%s' % s for l, s in slugs.items() if s})
    for shop in catalog.shops():
        pages.append({l: '/shops/%s' % shop.shop_code.lower()
                for l in i18n.LANGUAGES})
    for name in LEGAL:
        pages.append({l: '/legal/%s' % name for l in i18n.LANGUAGES})
    pages.append({l: '/delivery' for l in i18n.LANGUAGES})
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for paths in pages:
        links = render.alternates(paths)
        for lang_ in i18n.LANGUAGES:
            if not paths.get(lang_):
                continue
            lines.append('<url><loc>%s</loc>' % escape(
                    settings.absolute(i18n.url(lang_, paths[lang_]))))
            lines.extend('<xhtml:link rel="alternate" hreflang="%s" '
                'href="%s"/>' % (hreflang, escape(href))
                for hreflang, href in links)
            lines.append('</url>')
    lines.append('</urlset>')
    return plain(request, '\n'.join(lines).encode(),
        'application/xml; charset=utf-8')


@app.route('/assets/<name>', methods={'GET', 'HEAD'})
def assets(request, name):
    path = render.STATIC / name
    if ('/' in name or name.startswith('.') or not path.is_file()):
        return Response('Not Found', status=HTTPStatus.NOT_FOUND,
            content_type='text/plain')
    response = Response(path.read_bytes(), content_type=(
            mimetypes.guess_type(name)[0] or 'application/octet-stream'))
    render.cached(request, response, YEAR)
    response.headers['Cache-Control'] += ', immutable'
    return response


@localized('/media/<id:image_id>/<any(thumbnail,card,zoom):kind>.webp',
    languages=False)
def media(request, pool, lang, image_id, kind):
    "WebP rendition of a product picture of a published product"
    Image = pool.get('product.image')
    Template = pool.get('product.template')
    images = Image.search([('id', '=', image_id)], limit=1)
    if not images or not images[0].template or not Template.search(
            catalog.published([('id', '=', images[0].template.id)])):
        return Response('Not Found', status=HTTPStatus.NOT_FOUND,
            content_type='text/plain')
    data = images[0].get_rendition(kind)
    response = Response(data, content_type='image/webp')
    render.cached(request, response, YEAR)
    response.headers['Cache-Control'] += ', immutable'
    return response
