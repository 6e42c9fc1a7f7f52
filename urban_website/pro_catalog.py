"""Data of the pro portal's pages: the pro catalogue (variants sold to
pros with their pro price tiers excl. VAT, the recommended retail price
incl. VAT, a stock hint from urban_stock's availability), the cart and the
parsing of quick orders and CSV uploads. Rules stay in urban_b2b."""
import csv
import io
from collections import Counter, namedtuple
from decimal import Decimal, InvalidOperation

from trytond.i18n import gettext
from trytond.pool import Pool

from urban_b2b import rules
from urban_catalog.facets import COLOUR, Value, colour_labels
from urban_catalog.pricing import public_prices
from urban_stock import availability

from . import catalog

Row = namedtuple('Row', 'template product code ean tiers price rrp '
    'currency stock picture collection pack minimum')
LOW_STOCK = 24
#: the most products a pro catalogue search keeps (urban_catalog's limit)
SEARCH_LIMIT = 100
PRO_FACETS = ('creator', 'colour')


def stock_hint(quantity, minimum):
    if quantity <= 0:
        return 'out'
    if quantity < max(LOW_STOCK, minimum):
        return 'low'
    return 'in'


def collections():
    Template = Pool().get('product.template')
    names = {t.b2b_collection for t in Template.search([
                ('b2b_published', '=', True), ('salable', '=', True)])}
    return sorted(n for n in names if n)


def rows(company, collection=None, universe=None, query=None,
        in_stock=False, language=None, **facets):
    """[Row] of the variants sold to pros matching the filters; a query
    is the catalogue's search (stems, accents, typos, codes and EANs),
    best matches first; facets: the chosen creator and colour"""
    pool = Pool()
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    domain = [
        ('template.b2b_published', '=', True),
        ('template.salable', '=', True),
        ]
    if collection:
        domain.append(('template.b2b_collection', '=', collection))
    if universe:
        domain.append(('template.universe', '=', int(universe)))
    rank = {}
    if query:
        found = Template.search_catalog(query, language=language,
            limit=SEARCH_LIMIT)
        rank = {t: i for i, t in enumerate(found)}
        domain.append(('template', 'in', found))
    products = Product.search(domain, order=[('code', 'ASC'), ('id', 'ASC')])
    if rank:
        products.sort(key=lambda p: rank[p.template.id])
    ids = [p.id for p in products]
    prices = public_prices(ids)
    atp = availability.for_products(ids)
    pictures = catalog.pictures(list({p.template.id for p in products}),
        first_only=True)
    result = []
    for product in products:
        template = product.template
        tiers = rules.tiers(company, product)
        if not tiers:
            continue
        hint = stock_hint(atp.total(product.id), template.minimum_quantity)
        if in_stock and hint == 'out':
            continue
        public = prices.get(product.id)
        result.append(Row(template, product, product.code or '',
                next((i.code for i in product.identifiers
                    if i.type == 'ean'), ''),
                tiers, tiers[0][1], public[1] if public else None,
                public[2] if public else 'EUR', hint,
                (pictures.get(template.id) or [None])[0],
                template.b2b_collection, template.case_pack,
                template.minimum_quantity))
    return narrow(result, facets)


def _keys(row):
    "{facet: set of keys} of an article"
    colour = (row.product.attributes or {}).get(COLOUR)
    return {
        'creator': ({str(row.template.creator.id)} if row.template.creator
            else set()),
        'colour': {colour} if colour else set(),
        }


def narrow(rows, chosen):
    "The articles of rows that match every facet chosen ({facet: key})"
    chosen = {f: k for f, k in chosen.items() if k}
    return [r for r in rows
        if all(k in _keys(r)[f] for f, k in chosen.items())]


def facets(rows, chosen, language=None):
    """{facet: [Value]} of the articles of rows (narrowed by the other
    filters, not by these facets): each value with the number of articles
    it keeps among those the other facet chosen keeps"""
    chosen = {f: k for f, k in chosen.items() if k}
    keys = [_keys(r) for r in rows]
    counts = {}
    for facet in PRO_FACETS:
        others = {f: k for f, k in chosen.items() if f != facet}
        counts[facet] = Counter(key for k in keys
            if all(v in k[f] for f, v in others.items())
            for key in k[facet])
    creators = {str(r.template.creator.id): r.template.creator.rec_name
        for r in rows if r.template.creator}
    labels = {'creator': creators,
        'colour': colour_labels(counts['colour'], language)}
    return {facet: sorted((Value(key, labels[facet].get(key, key), count,
                    chosen.get(facet) == key)
                for key, count in counts[facet].items()),
            key=lambda v: v.label.lower())
        for facet in PRO_FACETS}


def parse_quantity(text):
    try:
        value = Decimal(str(text).strip().replace(',', '.'))
    except (InvalidOperation, ValueError):
        return None
    if value != value.to_integral_value() or value <= 0:
        return None
    return int(value)


def parse_rows(pairs):
    """Check [(row number, code, quantity text)]: returns ({product:
    quantity}, [(row number, message)]); the quantities of a code given
    twice add up"""
    quantities, errors = {}, []
    for number, code, text in pairs:
        product = rules.find_product(code)
        quantity = parse_quantity(text)
        if not product:
            errors.append((number, gettext('urban_b2b.msg_unknown_code',
                        code=code)))
            continue
        if quantity is None:
            errors.append((number, gettext(
                        'urban_b2b.msg_quantity_positive',
                        product=product.rec_name)))
            continue
        quantities[product] = quantities.get(product, 0) + quantity
    if not errors:
        for product, quantity in quantities.items():
            for message in rules.line_errors(product, quantity):
                errors.append((0, message))
    return quantities, errors


def quick_rows(text):
    "Rows of a quick order: one 'SKU-or-EAN quantity' per line"
    pairs = []
    for number, line in enumerate((text or '').splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = line.replace(';', ' ').replace(',', ' ').replace(
            '\t', ' ').split()
        code = parts[0]
        quantity = parts[1] if len(parts) > 1 else '1'
        pairs.append((number, code, quantity))
    return pairs


def csv_rows(data):
    """Rows of an uploaded CSV: columns code (SKU or EAN) and quantity,
    separated by , or ;, with or without a header line"""
    text = data.decode('utf-8-sig', errors='replace')
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=',;\t')
    except csv.Error:
        dialect = csv.excel
    pairs = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        row = [c.strip() for c in row]
        if not any(row):
            continue
        if number == 1 and row[0].lower() in {
                'sku', 'ean', 'code', 'sku/ean', 'reference'}:
            continue
        pairs.append((number, row[0], row[1] if len(row) > 1 else ''))
    return pairs
