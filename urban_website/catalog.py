"""What the pages show, read from the domain modules in a few batched
queries per page: universes, product cards, product details, shops.
Every function runs inside a transaction whose context language is the
page's language."""
import datetime as dt
from collections import namedtuple

from trytond.pool import Pool
from trytond.transaction import Transaction

from urban_catalog import facets
from urban_catalog.pricing import public_prices
from urban_catalog.variants import attribute_values, variant_label
from urban_stock import availability

from . import i18n

NEW_ARRIVAL_DAYS = 45
LOW_STOCK = 3

Picture = namedtuple('Picture', 'image_id digest sources alt')
# sources: {kind: (width, height)} of the WebP renditions


def company():
    Company = Pool().get('company.company')
    companies = Company.search([], order=[('id', 'ASC')], limit=1)
    return companies[0] if companies else None


def universes():
    Category = Pool().get('product.category')
    return Category.search([('universe', '=', True)],
        order=[('universe_sequence', 'ASC'), ('id', 'ASC')])


def slugs(Model, ids):
    "{id: {lang: slug}} read in each language (one query per language)"
    result = {i: {} for i in ids}
    for lang in i18n.LANGUAGES:
        with Transaction().set_context(language=lang):
            for row in Model.read(list(ids), ['slug']):
                result[row['id']][lang] = row['slug']
    return result


def _pictures(rows):
    "{image id: Picture} of product.image rows that have renditions"
    Rendition = Pool().get('urban.product.image.rendition')
    if not rows:
        return {}
    sources, digests = {r['id']: {} for r in rows}, {}
    for row in Rendition.search_read([('image', 'in', list(sources))],
            fields_names=['image', 'kind', 'width', 'height',
                'source_digest']):
        sources[row['image']][row['kind']] = (row['width'], row['height'])
        digests[row['image']] = row['source_digest'][:12]
    return {r['id']: Picture(r['id'], digests[r['id']], sources[r['id']],
            r['description'] or '')
        for r in rows if sources[r['id']]}


def pictures(template_ids, first_only=False):
    """{template_id: [Picture]} with the renditions' sizes (not their data);
    the template's own pictures before its variants' (a card shows the
    product, not one of its colours)"""
    Image = Pool().get('product.image')
    result = {t: [] for t in template_ids}
    if not template_ids:
        return result
    images = Image.search_read([('template', 'in', list(template_ids))],
        fields_names=['template', 'product', 'description'])
    images.sort(key=lambda r: r['product'] is not None)  # stable: keeps order
    kept, seen = [], set()
    for row in images:
        if first_only and row['template'] in seen:
            continue
        seen.add(row['template'])
        kept.append(row)
    found = _pictures(kept)
    for row in kept:
        if row['id'] in found:
            result[row['template']].append(found[row['id']])
    return result


def variant_pictures(template, variant_ids):
    """(the product's pictures shared by its variants, {variant id: main
    Picture or None}): a variant's main picture is its own first one, else
    the product's first, as product_image orders them (images_used)"""
    Image = Pool().get('product.image')
    rows = Image.search_read([('template', '=', template.id)],
        fields_names=['product', 'description'])
    found = _pictures(rows)
    rows = [r for r in rows if r['id'] in found]
    shared = [found[r['id']] for r in rows if r['product'] is None]
    main = {}
    for row in rows:
        if row['product'] is not None:
            main.setdefault(row['product'], found[row['id']])
    return shared, {v: main.get(v, shared[0] if shared else None)
        for v in variant_ids}


Card = namedtuple('Card', 'id name slug universe picture price currency '
    'from_price creator')


def cards(templates):
    "Product cards (name, slug, first picture, lowest taxed price)"
    templates = list(templates)
    if not templates:
        return []
    template_ids = [t.id for t in templates]
    Product = Pool().get('product.product')
    variants = Product.search_read([('template', 'in', template_ids)],
        fields_names=['template'])
    prices = public_prices([v['id'] for v in variants], company=company())
    lowest = {}
    for variant in variants:
        price = prices.get(variant['id'])
        if price is None:
            continue
        key = variant['template']
        lowest.setdefault(key, []).append(price)
    firsts = pictures(template_ids, first_only=True)
    result = []
    for template in templates:
        offers = lowest.get(template.id)
        if not offers:
            continue
        amounts = sorted({p[1] for p in offers})
        result.append(Card(template.id, template.name, template.slug,
                template.universe, (firsts[template.id] or [None])[0],
                amounts[0], offers[0][2], len(amounts) > 1,
                template.creator.name if template.creator else None))
    return result


def published(domain=None):
    Template = Pool().get('product.template')
    return Template.published_in('web') + [('salable', '=', True)] + (
        domain or [])


def new_arrivals(limit=8, today=None):
    Template = Pool().get('product.template')
    today = today or Pool().get('ir.date').today()
    return cards(Template.search(published([
                    ('new_arrival_date', '<=', today),
                    ('new_arrival_date', '>=',
                        today - dt.timedelta(days=NEW_ARRIVAL_DAYS)),
                    ]), order=[('new_arrival_date', 'DESC'), ('id', 'DESC')],
            limit=limit))


def universe_by_slug(slug):
    Category = Pool().get('product.category')
    found = Category.search([('universe', '=', True), ('slug', '=', slug)],
        limit=1)
    return found[0] if found else None


def universe_templates(universe):
    Template = Pool().get('product.template')
    return Template.search(published([('universe', '=', universe.id)]),
        order=[('new_arrival_date', 'DESC NULLS LAST'), ('id', 'ASC')])


def universe_covers(universes_):
    "{universe id: Picture} the newest product picture of each universe"
    Template = Pool().get('product.template')
    result = {}
    firsts = {}
    templates = Template.search(published(
            [('universe', 'in', [u.id for u in universes_])]),
        order=[('new_arrival_date', 'DESC NULLS LAST'), ('id', 'ASC')])
    for template in templates:
        firsts.setdefault(template.universe.id, template.id)
    pics = pictures(list(firsts.values()), first_only=True)
    for universe_id, template_id in firsts.items():
        if pics[template_id]:
            result[universe_id] = pics[template_id][0]
    counts = {}
    for template in templates:
        counts[template.universe.id] = counts.get(template.universe.id, 0) + 1
    return result, counts


def product_by_slug(slug):
    Template = Pool().get('product.template')
    found = Template.search(published([('slug', '=', slug)]), limit=1)
    return found[0] if found else None


Variant = namedtuple('Variant', 'id key code label axes colour price '
    'untaxed currency picture stock online online_status')
# key: what ?variant= names it by (its code); axes: the names of its
# attributes ('Colour'); stock: [ShopStock] in the order of shops();
# online: its available quantity online
ShopStock = namedtuple('ShopStock', 'shop quantity status')


def status(quantity):
    "'in', 'low' or 'out': what the page says of an available quantity"
    if quantity <= 0:
        return 'out'
    return 'low' if quantity <= LOW_STOCK else 'in'


def product_details(template):
    """([Variant], [shared Picture]): the variants of a product with their
    label in the reader's language, price, main picture and availability
    per shop and online; the pictures common to them"""
    variants = [p for p in template.products if p.active]
    prices = public_prices(variants, company=company())
    values = attribute_values(variants)
    shared, main = variant_pictures(template, [v.id for v in variants])
    shop_list = shops()
    # every warehouse: the online total counts the central stock room too
    atp = availability.for_products([v.id for v in variants])
    result = []
    for v in variants:
        if v.id not in prices:
            continue
        colours = [a['value_label'] for a in values[v.id]
            if a['name'] == facets.COLOUR]
        untaxed, taxed, currency = prices[v.id]
        online = atp.total(v.id)
        result.append(Variant(id=v.id, key=v.code or str(v.id), code=v.code,
                label=variant_label(values[v.id]),
                axes=' / '.join(a['label'] for a in values[v.id]) or None,
                colour=colours[0] if colours else None,
                price=taxed, untaxed=untaxed, currency=currency,
                picture=main[v.id],
                stock=[ShopStock(s, atp[(v.id, s.id)],
                        status(atp[(v.id, s.id)])) for s in shop_list],
                online=online, online_status=status(online)))
    return result, shared


def chosen_variant(variants, key):
    "The variant ?variant= names; the first when it names none of them"
    for variant in variants:
        if key and variant.key == key:
            return variant
    return variants[0]


def shops():
    Location = Pool().get('stock.location')
    return Location.search([('type', '=', 'warehouse'), ('shop', '=', True)],
        order=[('name', 'ASC')])


def shop_by_code(code):
    Location = Pool().get('stock.location')
    if not code or len(code) > 16:
        return None
    found = Location.search([('type', '=', 'warehouse'), ('shop', '=', True),
            ('shop_code', 'ilike', code)], limit=1)
    return found[0] if found else None


def shop_hours(shop, lang):
    "[(weekday name, ['10:00–18:00', ...] or [])] Monday first"
    days = [[] for _ in range(7)]
    for hours in shop.opening_hours:
        days[int(hours.weekday)].append('%s–%s' % (
                hours.opens.strftime('%H:%M'),
                hours.closes.strftime('%H:%M')))
    return list(zip(i18n.WEEKDAYS[lang], days))


# -- narrowing a list: facets (urban_catalog), sort, stock in a shop ----------
SORTS = ('relevance', 'price_asc', 'price_desc', 'new')


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def choices(args):
    """The shopper's choice from the query string: facets (urban_catalog
    facets.FACETS), shop code and sort; values that mean nothing are left
    out rather than refused (a link shared after a product left)"""
    colour = (args.get('colour') or '').strip()[:64] or None
    price = _int(args.get('price'))
    chosen = {
        'universe': _int(args.get('universe')),
        'creator': _int(args.get('creator')),
        'colour': colour,
        'price': price if price is not None and 0 <= price < len(
            facets.PRICE_BANDS) else None,
        }
    shop = shop_by_code(args.get('shop'))
    sort = args.get('sort') if args.get('sort') in SORTS else 'relevance'
    return chosen, shop, sort


def narrowed(templates, args, lang):
    """(cards, facets, chosen, shop, sort) of templates (in relevance
    order) narrowed by the query string's choices"""
    chosen, shop, sort = choices(args)
    all_cards = {c.id: c for c in cards(templates)}
    templates = [t for t in templates if t.id in all_cards]
    prices = {i: c.price for i, c in all_cards.items()}
    colours = facets.colours_of(templates)
    values = facets.facets(templates, prices, chosen, language=lang,
        colours=colours)
    kept = facets.narrow(templates, prices, chosen, colours=colours)
    if shop:
        variants = {p.id: t.id for t in kept for p in t.products if p.active}
        atp = availability.for_products(list(variants), [shop.id])
        in_shop = {t for p, t in variants.items() if atp[(p, shop.id)] > 0}
        kept = [t for t in kept if t.id in in_shop]
    result = [all_cards[t.id] for t in kept]
    if sort == 'price_asc':
        result.sort(key=lambda c: c.price)
    elif sort == 'price_desc':
        result.sort(key=lambda c: -c.price)
    elif sort == 'new':
        arrived = {t.id: t.new_arrival_date or dt.date.min for t in kept}
        result.sort(key=lambda c: arrived[c.id], reverse=True)
    return result, values, chosen, shop, sort
