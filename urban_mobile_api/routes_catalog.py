"""The catalogue: /universes, /products (filters, sort, cursor pages),
/search/suggestions,
/products/{id}, /products/by-slug/{slug}, /images/{id}.webp.

Public reads: ETag + Cache-Control, varying on Accept-Language."""
import datetime as dt
import json

from trytond.pool import Pool
from trytond.protocols.wrappers import Response

from urban_stock import availability

from . import api, catalog, product_document
from . import schemas_catalog as schemas

TAGS = ['catalogue']
MAX_AGE = 60
IMAGE_MAX_AGE = 365 * 24 * 3600


def brand_schema(row):
    if not row:
        return None
    return schemas.Brand(code=row['code'], name=row['name'], kind=row['kind'])


def universe_ref(row):
    if not row:
        return None
    return schemas.UniverseRef(id=row['id'], slug=row['slug'],
        name=row['name'])


@api.endpoint('GET', '/universes', summary="List the universes",
    tags=TAGS, response=schemas.UniverseList, public_cache=True)
def list_universes(call):
    return api.etag_response(call.request, schemas.UniverseList(items=[
                schemas.Universe(id=u.id, slug=u.slug, name=u.name,
                    description=u.universe_description or None,
                    product_count=count)
                for u, count in catalog.universes_with_counts()]),
        max_age=MAX_AGE)


@api.endpoint('GET', '/products', summary="Browse and search products",
    tags=TAGS, query=schemas.ProductQuery, response=schemas.ProductPage,
    public_cache=True)
def list_products(call):
    """Filters combine (AND). Cursor pagination: pass `next_cursor` back as
    `cursor` with the same filters."""
    query = call.query
    if (query.price_min is not None and query.price_max is not None
            and float(query.price_min) > float(query.price_max)):
        raise api.Problem(422, 'validation_error', "Invalid request",
            "price_min is above price_max.", errors=[{
                    'loc': ['query', 'price_min'],
                    'msg': "greater than price_max",
                    'type': 'value_error'}])
    try:
        ids, next_cursor = catalog.page_ids(query, call.language)
    except catalog.InvalidCursor:
        raise api.Problem(422, 'invalid_cursor', "Invalid cursor",
            "Use the next_cursor of a page with the same filters.")
    except catalog.UnknownShop:
        raise api.Problem(422, 'unknown_shop', "Unknown shop",
            "See /api/v1/shops for the shop codes.")
    return api.etag_response(call.request, schemas.ProductPage(
            items=product_cards(ids, call.language), next_cursor=next_cursor),
        max_age=MAX_AGE)


def catalogue_parts(template_ids, language, find=None):
    """{template id: the catalogue part of its detail (JSON text, '' when it
    has none)}: from this worker's cache, else the stored documents (one
    query), else built now. The ids are of published templates, or find(id)
    gives the published template (or None)."""
    pool = Pool()
    Template = pool.get('product.template')
    Document = pool.get('urban.api.product.document')
    parts, missing = {}, []
    for template_id in template_ids:
        cached = catalog.DETAILS.get(catalog.detail_key(template_id, language))
        if cached is None:
            missing.append(template_id)
        else:
            parts[template_id] = cached
    if missing:
        stored = Document.fetch_many(missing, language, catalog.company())
        unbuilt = [i for i in missing if i not in stored]
        if find:
            templates = [t for t in map(find, unbuilt) if t]
        else:
            templates = Template.browse(unbuilt)
        if templates:
            stored.update(product_document.render(templates))
        for template_id in missing:
            parts[template_id] = stored.get(template_id) or ''
            catalog.DETAILS.set(
                catalog.detail_key(template_id, language),
                parts[template_id])
    return parts


def product_cards(ids, language):
    """ProductCard of the templates ids, in their order: their catalogue
    part from the product details (catalogue_parts), their availability
    read now (one query)"""
    parts = {}
    for template_id, text in catalogue_parts(ids, language).items():
        if text:
            data = json.loads(text)
            parts[template_id] = (data['detail'], data['new_arrival_date'])
    atp = availability.for_products([v['id']
            for detail, _ in parts.values() for v in detail['variants']])
    today = catalog.today()
    cards = []
    for template_id in ids:
        if template_id not in parts:
            continue
        detail, new_arrival = parts[template_id]
        brand = detail['brand']
        online = sum(atp.total(v['id']) for v in detail['variants'])
        cards.append(schemas.ProductCard(
                id=detail['id'],
                slug=detail['slug'],
                name=detail['name'],
                brand=schemas.Brand(code=brand['code'], name=brand['name'],
                    kind=brand['kind']) if brand else None,
                universe=detail['universe'],
                price=detail['price'],
                price_varies=len({v['price']['amount']
                        for v in detail['variants']}) > 1,
                image=next((i['card'] for i in detail['images']
                        if i['card']), None),
                online_quantity=online,
                in_stock=online > 0,
                new=catalog.is_new(dt.date.fromisoformat(new_arrival)
                    if new_arrival else None, today),
                ))
    return cards


def _shop(code):
    "The shop of a recommendation query's code, or None; 422 when unknown"
    if not code:
        return None
    shop = catalog.shop_by_code(code)
    if not shop:
        raise api.Problem(422, 'unknown_shop', "Unknown shop",
            "See /api/v1/shops for the shop codes.")
    return shop.id


@api.endpoint('GET', '/products/<id:product_id>/recommendations',
    summary="What goes with a product", tags=TAGS,
    query=schemas.RecommendationQuery, response=schemas.ProductPage,
    public_cache=True, errors=(404, 422))
def product_recommendations(call, product_id):
    """Up to 8 products the product's buyers also bought (all channels),
    completed by its universe's best sellers and new arrivals; only what
    the app sells and the shop (or online stock) has"""
    if not catalog.find_template(template_id=product_id):
        raise api.Problem(404, 'not_found', "No such product")
    Recommendation = Pool().get('urban.analytics.recommendation')
    proposed = Recommendation.propose([product_id], channel='app',
        shop=_shop(call.query.shop))
    return api.etag_response(call.request, schemas.ProductPage(
            items=product_cards([t.id for t in proposed], call.language)),
        max_age=MAX_AGE)


@api.endpoint('GET', '/recommendations', summary="For you",
    tags=TAGS, auth='required', query=schemas.RecommendationQuery,
    response=schemas.ProductPage, errors=(422,))
def my_recommendations(call):
    """Up to 8 products for the customer: what goes with what they bought
    in the last year in every channel (not what they have already,
    consumables aside), else the best sellers and new arrivals"""
    Recommendation = Pool().get('urban.analytics.recommendation')
    from urban_analytics.recommend import bought_by
    party = call.party
    seeds = bought_by(party.id) if party else []
    proposed = Recommendation.propose(seeds, channel='app',
        party=party.id if party else None, shop=_shop(call.query.shop))
    return schemas.ProductPage(items=product_cards(
        [t.id for t in proposed], call.language))


@api.endpoint('GET', '/search/suggestions',
    summary="Suggestions as the customer types", tags=TAGS,
    query=schemas.SuggestionQuery, response=schemas.SuggestionList,
    public_cache=True)
def search_suggestions(call):
    """Up to 8 universes and product names matching what was typed (accents
    and case ignored, the last word as a prefix), in the request's
    language; the same search as `q` of /products."""
    items = catalog.suggestions(call.query.q, call.language)
    return api.etag_response(call.request, schemas.SuggestionList(
            items=[schemas.Suggestion(**i) for i in items]),
        max_age=MAX_AGE)


def product_detail(call, template_id, find):
    """The detail of template_id: its catalogue part from this worker's
    cache, else from its stored document, else built now (find() gives the
    published template, or None); its availability per shop and for
    delivery read now"""
    cached = catalogue_parts([template_id], call.language,
        find=lambda _: find())[template_id]
    if not cached:
        raise api.Problem(404, 'not_found', "No such product")
    data = json.loads(cached)
    detail = data['detail']
    new_arrival = data['new_arrival_date']
    detail['new'] = catalog.is_new(
        dt.date.fromisoformat(new_arrival) if new_arrival else None,
        catalog.today())
    atp = availability.for_products([v['id'] for v in detail['variants']])
    shops = catalog.shop_rows(call.language)
    for variant in detail['variants']:
        variant['online_quantity'] = online = atp.total(variant['id'])
        variant['in_stock'] = online > 0
        variant['shops'] = [{'shop': code, 'name': name,
                'quantity': atp[(variant['id'], shop_id)],
                'in_stock': atp[(variant['id'], shop_id)] > 0}
            for shop_id, code, name in shops]
    return api.etag_response(call.request,
        schemas.ProductDetail.model_validate(detail), max_age=MAX_AGE)


@api.endpoint('GET', '/products/<id:product_id>',
    summary="A product with its variants", tags=TAGS,
    response=schemas.ProductDetail, public_cache=True, errors=(404,))
def get_product(call, product_id):
    """Variants with attributes, price and availability per shop and for
    delivery; image renditions; long description; brand."""
    return product_detail(call, product_id,
        lambda: catalog.find_template(template_id=product_id))


@api.endpoint('GET', '/products/by-slug/<slug>',
    summary="A product by its slug", tags=TAGS,
    response=schemas.ProductDetail, public_cache=True, errors=(404,))
def get_product_by_slug(call, slug):
    "The slug of any language finds the product; texts follow the request."
    template = None
    if len(slug) <= 96:
        template = catalog.find_template(slug=slug, language=call.language)
    if not template:
        raise api.Problem(404, 'not_found', "No such product")
    return product_detail(call, template.id, lambda: template)


@api.endpoint('GET', '/images/<id:rendition_id>.webp',
    summary="An image rendition (WebP)", tags=TAGS, errors=(404,),
    produces='image/webp', public_cache=True)
def get_image(call, rendition_id):
    "Immutable: a new picture gets new rendition ids."
    found = catalog.rendition(rendition_id)
    if not found:
        raise api.Problem(404, 'not_found', "No such image")
    data, digest = found
    etag = '"%s"' % digest
    headers = {
        'ETag': etag,
        'Cache-Control': 'public, max-age=%d, immutable' % IMAGE_MAX_AGE,
        }
    if etag in [e.strip() for e in
            call.request.headers.get('If-None-Match', '').split(',')]:
        return Response(status=304, headers=headers)
    return Response(data, headers=headers, content_type='image/webp')
