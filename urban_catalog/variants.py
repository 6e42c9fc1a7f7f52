"""Variants as customers read them: the attributes of a product.product
(labels in the transaction's language) and the short label of a variant
('S / Sand'), for the catalogue and the lines of carts and orders."""
from trytond.pool import Pool


def attribute_values(products):
    """{product id: [dict(name, label, value, value_label)]} of the
    attributes of the variants, labels in the transaction's language"""
    Attribute = Pool().get('product.attribute')
    names = {n for p in products for n in (p.attributes or {})}
    attributes = {a.name: a for a in Attribute.search(
            [('name', 'in', sorted(names))])} if names else {}
    result = {}
    for product in products:
        values = result[product.id] = []
        for name, value in sorted((product.attributes or {}).items()):
            attribute = attributes.get(name)
            values.append({
                    'name': name,
                    'label': attribute.string if attribute else name,
                    'value': str(value),
                    'value_label': attribute.format(value)
                    if attribute else str(value),
                    })
    return result


def variant_label(values):
    "The label of a variant from its attribute_values: 'S / Sand'; None"
    return ' / '.join(v['value_label'] for v in values) or None
