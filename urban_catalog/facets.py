"""Facets of a list of catalogue products: what a shopper can narrow a
search or a universe by (universe, creator, colour, price band), each value
with the number of products it keeps, and the narrowing itself. The
channels (site, app, pro portal) show them; availability in a shop is
urban_stock's and is applied by the channel beside these.

Counts are those of the list narrowed by the other facets chosen, so that
every value shown keeps at least one product when it is added to the
current choice. Colours are the values of the variants' `colour`
attribute, named in the reader's language (the attribute's selection)."""
from collections import Counter, namedtuple
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

COLOUR = 'colour'
# price bands in euros, upper bound excluded; None: no upper bound
PRICE_BANDS = [
    (Decimal(0), Decimal(25)),
    (Decimal(25), Decimal(50)),
    (Decimal(50), Decimal(100)),
    (Decimal(100), None),
    ]
FACETS = ('universe', 'creator', 'colour', 'price')

Value = namedtuple('Value', 'key label count selected')


def band_of(price):
    "Index of the price band of price (None: no price)"
    if price is None:
        return None
    for index, (low, high) in enumerate(PRICE_BANDS):
        if price >= low and (high is None or price < high):
            return index


def _keys(template, prices, colours):
    "{facet: set of keys} of a template"
    return {
        'universe': {template.universe.id} if template.universe else set(),
        'creator': {template.creator.id} if template.creator else set(),
        'colour': colours.get(template.id, set()),
        'price': ({band_of(prices[template.id])}
            if prices.get(template.id) is not None else set()),
        }


def colours_of(templates):
    "{template id: {colour key}} from the variants' attributes"
    result = {}
    for template in templates:
        for product in template.products:
            value = (product.attributes or {}).get(COLOUR)
            if product.active and value:
                result.setdefault(template.id, set()).add(value)
    return result


def colour_labels(keys, language=None):
    "{colour key: label in language}"
    Attribute = Pool().get('product.attribute')
    context = {'language': language} if language else {}
    with Transaction().set_context(**context):
        attributes = Attribute.search([('name', '=', COLOUR)], limit=1)
        if not attributes:
            return {k: k for k in keys}
        attribute, = attributes
        return {k: attribute.format(k) for k in keys}


def narrow(templates, prices, chosen, colours=None):
    """The templates that match every facet of chosen ({facet: key});
    prices: {template id: lowest public price}"""
    colours = colours_of(templates) if colours is None else colours
    chosen = {f: k for f, k in chosen.items() if k is not None}
    return [t for t in templates
        if all(k in _keys(t, prices, colours)[f] for f, k in chosen.items())]


def facets(templates, prices, chosen, language=None, colours=None):
    """{facet: [Value]} of templates given chosen ({facet: key}): each
    value with the count of templates it keeps among those narrowed by
    the other facets chosen, the chosen one marked selected"""
    colours = colours_of(templates) if colours is None else colours
    keys = {t.id: _keys(t, prices, colours) for t in templates}
    chosen = {f: k for f, k in chosen.items() if k is not None}
    result = {}
    for facet in FACETS:
        others = {f: k for f, k in chosen.items() if f != facet}
        counts = Counter()
        for template in templates:
            if all(k in keys[template.id][f] for f, k in others.items()):
                counts.update(keys[template.id][facet])
        labels = _labels(facet, templates, counts, language)
        values = [Value(key, labels[key], counts[key],
                chosen.get(facet) == key) for key in counts]
        if facet == 'price':
            values.sort(key=lambda v: v.key)
        else:
            values.sort(key=lambda v: (v.label or '').lower())
        result[facet] = values
    return result


def _labels(facet, templates, counts, language):
    if facet == 'universe':
        return {t.universe.id: t.universe.name for t in templates
            if t.universe and t.universe.id in counts}
    if facet == 'creator':
        return {t.creator.id: t.creator.name for t in templates
            if t.creator and t.creator.id in counts}
    if facet == 'colour':
        return colour_labels(list(counts), language)
    return {i: band for i, band in enumerate(PRICE_BANDS) if i in counts}
