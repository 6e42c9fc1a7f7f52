"""Read side of the app's catalogue: product pages (filters, sort, cursor
pagination), product details, universes, image renditions.

Every function runs in a transaction whose context has the request's
language and the app's company. A page costs a fixed number of queries
whatever its size: one for the ids of the page (filters, prices and
order in SQL), then batched reads (names, slugs, brands, universes,
variants, prices, availability, card images). Only the products published
on the 'app' channel, active and salable are shown."""
import base64
import datetime as dt
import hashlib
import json
import weakref
from collections import defaultdict
from decimal import Decimal

from sql import Literal
from sql.aggregate import Count
from sql.conditionals import Case, Coalesce
from sql.functions import Round

from trytond.cache import Cache
from trytond.pool import Pool
from trytond.transaction import Transaction

from urban_catalog.pricing import public_prices
from urban_catalog.variants import attribute_values
from urban_checkout import cart
from urban_stock import availability

CHANNEL = 'app'
NEW_ARRIVAL_DAYS = 45
SEARCH_MAX = 100
IMAGE_URL = '/api/v1/images/%s.webp'


# The product details without their availability (JSON text), by template,
# language, company and day: everything in them changes only when the
# catalogue is edited, which clears it in every worker (catalog_cache.py);
# the availability is read live on each request.
DETAILS = Cache('urban_mobile_api.product_detail', context=False,
    duration=dt.timedelta(hours=1))


# The shops a product detail lists, per language: [(id, code, name)]
SHOPS = Cache('urban_mobile_api.shops', context=False,
    duration=dt.timedelta(hours=1))


# What a catalogue page's query needs, cleared by the same edits: the taxes
# of the accounting categories, per company and day, and the universes' ids
# by slug, per language
TAX_FACTORS = Cache('urban_mobile_api.tax_factors', context=False,
    duration=dt.timedelta(hours=1))
UNIVERSE_SLUGS = Cache('urban_mobile_api.universe_slugs', context=False,
    duration=dt.timedelta(hours=1))


def clear_caches():
    "After an edit of the catalogue"
    DETAILS.clear()
    TAX_FACTORS.clear()
    UNIVERSE_SLUGS.clear()


def detail_key(template_id, language):
    return (template_id, language, company(), str(today()))


class InvalidCursor(ValueError):
    pass


class UnknownShop(ValueError):
    pass


# ---------------------------------------------------------------- cursors

def _fingerprint(filters):
    return hashlib.sha256(json.dumps(filters, sort_keys=True,
            default=str).encode()).hexdigest()[:10]


def encode_cursor(offset, filters):
    raw = json.dumps({'o': offset, 'f': _fingerprint(filters)})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip('=')


def decode_cursor(cursor, filters):
    "Offset of an opaque cursor made for the same filters"
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + '=' * (-len(cursor) % 4))
        data = json.loads(raw)
        offset = int(data['o'])
        fingerprint = data['f']
    except (ValueError, TypeError, KeyError):
        raise InvalidCursor(cursor)
    if offset < 0 or fingerprint != _fingerprint(filters):
        raise InvalidCursor(cursor)
    return offset


# ---------------------------------------------------------------- helpers

def company():
    return Transaction().context.get('company')


def published_domain():
    Template = Pool().get('product.template')
    return Template.published_in(CHANNEL) + [('salable', '=', True)]


def _tax_factors(company_id, date):
    """{account category id: (rate, fixed)} so that the price with taxes is
    price * (1 + rate) + fixed (Tryton's taxes are affine in the price)"""
    pool = Pool()
    Category = pool.get('product.category')
    Tax = pool.get('account.tax')
    key = (company_id, str(date))
    factors = TAX_FACTORS.get(key)
    if factors is not None:
        return factors
    factors = {}
    with Transaction().set_context(company=company_id):
        for category in Category.search([('accounting', '=', True)]):
            taxes = list(category.customer_taxes_used or [])
            if not taxes:
                continue
            at_zero = sum((t['amount'] for t in Tax.compute(
                            taxes, Decimal(0), 1, date)), Decimal(0))
            at_one = sum((t['amount'] for t in Tax.compute(
                            taxes, Decimal(1), 1, date)), Decimal(0))
            factors[category.id] = (at_one - at_zero, at_zero)
    TAX_FACTORS.set(key, factors)
    return factors


# the company's day of each transaction: read once (the company's time zone
# is a query), not for each product of a page
_TODAY = weakref.WeakKeyDictionary()


def today():
    transaction = Transaction()
    key = company()
    found = _TODAY.get(transaction)
    if found is None or found[0] != key:
        found = _TODAY[transaction] = (key, Pool().get('ir.date').today())
    return found[1]


def is_new(date, today_):
    return bool(date and today_ - dt.timedelta(days=NEW_ARRIVAL_DAYS)
        <= date <= today_)


def shop_by_code(code):
    Location = Pool().get('stock.location')
    found = Location.search([('type', '=', 'warehouse'), ('shop', '=', True),
            ('shop_code', '=', code.upper())], limit=1)
    return found[0] if found else None


def universe_by_slug(slug):
    Category = Pool().get('product.category')
    found = Category.search([('universe', '=', True), ('slug', '=', slug)],
        limit=1)
    return found[0] if found else None


def universe_id(slug, language):
    "The id of the universe of slug in language, or None"
    slugs = UNIVERSE_SLUGS.get(language)
    if slugs is None:
        Category = Pool().get('product.category')
        with Transaction().set_context(language=language):
            slugs = {r['slug']: r['id'] for r in Category.search_read(
                    [('universe', '=', True)], fields_names=['slug'],
                    order=[('id', 'DESC')])}
        UNIVERSE_SLUGS.set(language, slugs)
    return slugs.get(slug)


# ---------------------------------------------------------------- listing

def page_ids(query, language):
    """(template ids of the page, next offset or None) for the
    ProductQuery; raises InvalidCursor, UnknownShop"""
    pool = Pool()
    Template = pool.get('product.template')
    Product = pool.get('product.product')
    Listing = pool.get('urban.api.product.listing')
    Creator = pool.get('urban.creator')

    filters = query.model_dump(exclude={'cursor', 'limit'})
    filters['lang'] = language
    offset = decode_cursor(query.cursor, filters)
    sort = query.sort or ('relevance' if query.q else 'new')
    company_id = company()
    date = today()

    listing = Listing.__table__()
    factors = _tax_factors(company_id, date)
    taxed = Round(Case(*[
                ((listing.account_category == c),
                    listing.price * (1 + rate) + fixed)
                for c, (rate, fixed) in sorted(factors.items())],
            else_=listing.price) if factors else listing.price, 2)

    where = (listing.company == company_id) & (listing.language == language)
    if query.universe:
        universe = universe_id(query.universe, language)
        where &= listing.universe == (universe or -1)
    if query.brand:
        creator = Creator.__table__()
        where &= listing.creator.in_(creator.select(creator.id,
                where=creator.code == query.brand))
    if query.price_min is not None:
        where &= taxed >= Decimal(query.price_min)
    if query.price_max is not None:
        where &= taxed <= Decimal(query.price_max)
    if query.new:
        where &= ((listing.new_arrival_date <= date)
            & (listing.new_arrival_date
                >= date - dt.timedelta(days=NEW_ARRIVAL_DAYS)))
    if query.in_stock_at:
        shop = shop_by_code(query.in_stock_at)
        if not shop:
            raise UnknownShop(query.in_stock_at)
        quantities = availability.quantities_query(None, [shop.id])
        variant = Product.__table__()
        where &= listing.template.in_(variant.select(variant.template,
                where=variant.id.in_(quantities.select(
                        quantities.product,
                        where=(Coalesce(quantities.on_hand, 0)
                            - Coalesce(quantities.reserved, 0)
                            - Coalesce(quantities.buffer, 0)) > 0))
                & (variant.active == Literal(True))))
    ranked = None
    if query.q:
        ranked = Template.search_catalog(query.q, language=language,
            limit=SEARCH_MAX, channel=CHANNEL)
        where &= listing.template.in_(ranked or [-1])

    if sort == 'relevance' and ranked:
        order = [Case(*[(listing.template == i, n)
                    for n, i in enumerate(ranked)],
                else_=len(ranked)), listing.template]
    elif sort == 'price_asc':
        order = [taxed.asc, listing.template.asc]
    elif sort == 'price_desc':
        order = [taxed.desc, listing.template.desc]
    elif sort == 'name':
        order = [listing.name.asc, listing.template.asc]
    else:
        order = [listing.new_arrival_date.desc.nulls_last,
            listing.template.desc]

    limit = query.limit
    cursor = Transaction().connection.cursor()
    cursor.execute(*listing.select(listing.template, where=where,
            order_by=order, limit=limit + 1, offset=offset))
    ids = [r[0] for r in cursor]
    next_cursor = None
    if len(ids) > limit:
        ids = ids[:limit]
        next_cursor = encode_cursor(offset + limit, filters)
    return ids, next_cursor


def card_images(template_ids, kind='card'):
    """{template id: (rendition id, width, height)} of the first image's
    rendition of kind (card, thumbnail, zoom)"""
    pool = Pool()
    Image = pool.get('product.image')
    Rendition = pool.get('urban.product.image.rendition')
    firsts = {}
    for row in Image.search_read([('template', 'in', list(template_ids))],
            fields_names=['template'],
            order=[('sequence', 'ASC NULLS FIRST'), ('id', 'ASC')]):
        firsts.setdefault(row['template'], row['id'])
    by_image = {}
    if firsts:
        for row in Rendition.search_read([
                    ('image', 'in', list(firsts.values())),
                    ('kind', '=', kind),
                    ], fields_names=['image', 'width', 'height']):
            by_image[row['image']] = (row['id'], row['width'], row['height'])
    return {t: by_image[i] for t, i in firsts.items() if i in by_image}


# ---------------------------------------------------------------- detail

def find_template(template_id=None, slug=None, language=None):
    "The published template by id or by slug (any language, request's first)"
    pool = Pool()
    Template = pool.get('product.template')
    domain = published_domain()
    if template_id is not None:
        found = Template.search(domain + [('id', '=', template_id)], limit=1)
        return found[0] if found else None
    for lang in [language] + [l for l in ('fr', 'nl', 'en') if l != language]:
        with Transaction().set_context(language=lang):
            found = Template.search(domain + [('slug', '=', slug)], limit=1)
        if found:
            return Template(found[0].id)
    return None


def images(template_ids):
    """{template id: [(alt, {kind: (rendition id, width, height)})]} of the
    templates, in their pictures' order"""
    pool = Pool()
    Image = pool.get('product.image')
    Rendition = pool.get('urban.product.image.rendition')
    rows = Image.search_read([('template', 'in', list(template_ids))],
        fields_names=['template', 'description'],
        order=[('sequence', 'ASC NULLS FIRST'), ('id', 'ASC')])
    kinds = defaultdict(dict)
    if rows:
        for row in Rendition.search_read(
                [('image', 'in', [r['id'] for r in rows])],
                fields_names=['image', 'kind', 'width', 'height']):
            kinds[row['image']][row['kind']] = (
                row['id'], row['width'], row['height'])
    result = {t: [] for t in template_ids}
    for row in rows:
        if kinds[row['id']]:
            result[row['template']].append(
                (row['description'], kinds[row['id']]))
    return result


def shop_rows(language):
    "[(id, code, name)] of the shops by name, cached per process"
    rows = SHOPS.get(language)
    if rows is None:
        rows = [(s.id, s.shop_code, s.name) for s in shops()]
        SHOPS.set(language, rows)
    return rows


def shops():
    "The shops, by name"
    Location = Pool().get('stock.location')
    return Location.search([('type', '=', 'warehouse'), ('shop', '=', True)],
        order=[('name', 'ASC')])


def variants(template_ids):
    """{template id: [dict(product, attributes, price)]} of the active
    variants with a price (their availability is read per request, apart)"""
    pool = Pool()
    Product = pool.get('product.product')
    products = Product.search([('template', 'in', list(template_ids))],
        order=[('id', 'ASC')])
    prices = public_prices(products, company=company())
    values = attribute_values(products)
    result = {t: [] for t in template_ids}
    for product in products:
        if product.id not in prices:
            continue
        result[product.template.id].append({
                'product': product,
                'attributes': values[product.id],
                'price': prices[product.id],
                })
    return result


def line_products(product_ids):
    """{product id: dict(template, slug, name, variant_label, thumbnail)}
    of the variants of cart or order lines, in the transaction's language:
    what leads back to the product (/products/{template}); thumbnail is
    (rendition id, width, height) or None"""
    products = cart.line_products(product_ids)
    thumbnails = card_images({p['template'] for p in products.values()},
        kind='thumbnail')
    for product in products.values():
        product['thumbnail'] = thumbnails.get(product['template'])
    return products


def slugs(template_ids):
    """{template id: {language: slug}} in one query: the translations,
    falling back to the column (as Tryton's translated read does)"""
    pool = Pool()
    Template = pool.get('product.template')
    Translation = pool.get('ir.translation')
    template = Template.__table__()
    translation = Translation.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*template.join(translation, 'LEFT',
            condition=(translation.res_id == template.id)
            & (translation.name == 'product.template,slug')
            & (translation.type == 'model')
            & (translation.fuzzy == Literal(False))
            & (translation.value != '')
            & translation.lang.in_(['fr', 'nl'])).select(
            template.id, template.slug, translation.lang, translation.value,
            where=template.id.in_(list(template_ids))))
    found = defaultdict(lambda: {'fr': None, 'nl': None, 'en': None})
    for template_id, column, lang, value in cursor:
        found[template_id]['en'] = column
        if lang:
            found[template_id][lang] = value
    return {template_id: {lang: value or found[template_id]['en']
            for lang, value in found[template_id].items()}
        for template_id in template_ids}


# ---------------------------------------------------------------- universes

def universes_with_counts():
    "[(category, published product count)] in universe order"
    pool = Pool()
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    universes = Category.search([('universe', '=', True)],
        order=[('universe_sequence', 'ASC NULLS LAST'), ('id', 'ASC')])
    # counted in SQL: a large catalogue is not read to count it
    template = Template.__table__()
    published = Template.search(published_domain() + [
            ('universe', 'in', [u.id for u in universes])], query=True)
    cursor = Transaction().connection.cursor()
    cursor.execute(*template.select(template.universe, Count(Literal(1)),
            where=template.id.in_(published),
            group_by=[template.universe]))
    counts = dict(cursor)
    return [(u, counts.get(u.id, 0)) for u in universes]


def rendition(rendition_id):
    """(webp bytes, digest) of a rendition of a published product's image,
    else None"""
    pool = Pool()
    Rendition = pool.get('urban.product.image.rendition')
    Template = pool.get('product.template')
    rows = Rendition.search_read([('id', '=', rendition_id)],
        fields_names=['data', 'source_digest', 'image.template', 'kind'])
    if not rows or not rows[0]['image.']['template']:
        return None
    row = rows[0]
    if not Template.search(published_domain()
            + [('id', '=', row['image.']['template'])], limit=1):
        return None
    return bytes(row['data']), '%s-%s' % (row['source_digest'][:16],
        row['kind'])


def suggestions(text, language):
    """[{kind, id, slug, name}] of the universes and products published on
    the app that match what a customer is typing, in language"""
    pool = Pool()
    Template = pool.get('product.template')
    Category = pool.get('product.category')
    items = Template.search_suggestions(text, language=language,
        channel=CHANNEL)
    with Transaction().set_context(language=language):
        slugs = {}
        for kind, Model in (('product', Template), ('universe', Category)):
            ids = [i['id'] for i in items if i['kind'] == kind]
            slugs.update({(kind, r['id']): r['slug']
                    for r in Model.read(ids, ['slug'])})
    return [dict(i, slug=slugs.get((i['kind'], i['id'])) or None)
        for i in items]
