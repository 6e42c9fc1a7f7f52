"""The rules of pro orders, plain Python shared by the back office and the
pro portal: pro prices with quantity tiers (the company's price list, else
its category's: `product.price_list` lines with a minimum quantity are the
tiers), case packs, minimum order quantities and the minimum order
amount. Prices are excl. VAT."""
from decimal import ROUND_HALF_UP, Decimal

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction


def _currency():
    Company = Pool().get('company.company')
    company = Transaction().context.get('company')
    return Company(company).currency if company else None


def _round(amount):
    currency = _currency()
    if amount is None:
        return None
    if currency:
        return currency.round(Decimal(amount))
    return Decimal(amount).quantize(Decimal('0.01'), ROUND_HALF_UP)


def unit_price(party, product, quantity):
    """Pro unit price (excl. VAT) of product for party at quantity, None
    when the pro price list has no price for it"""
    price_list = party.b2b_price_list()
    if not price_list:
        return None
    price = price_list.compute(product, abs(quantity or 0) or 1,
        product.sale_uom)
    return _round(price)


def tiers(party, product):
    """[(minimum quantity, unit price)] of product for party: one tier per
    distinct minimum quantity of the price list lines that match it,
    starting with the article's minimum order quantity"""
    price_list = party.b2b_price_list()
    if not price_list:
        return []
    start = product.template.minimum_quantity
    thresholds = {start}
    for line in price_list.lines:
        if line.quantity and line.quantity > start:
            thresholds.add(int(line.quantity))
    result = []
    for quantity in sorted(thresholds):
        price = unit_price(party, product, quantity)
        if price is None:
            continue
        if not result or result[-1][1] != price:
            result.append((quantity, price))
    return result


def line_errors(product, quantity):
    """Messages of what is wrong with ordering quantity of product (empty
    when it can be ordered)"""
    template = product.template
    errors = []
    if not template.b2b_published or not template.salable:
        errors.append(gettext('urban_b2b.msg_not_for_pros',
                product=product.rec_name))
        return errors
    if quantity != int(quantity) or quantity <= 0:
        errors.append(gettext('urban_b2b.msg_quantity_positive',
                product=product.rec_name))
        return errors
    pack = template.case_pack
    if int(quantity) % pack:
        errors.append(gettext('urban_b2b.msg_case_pack',
                product=product.rec_name, pack=pack))
    if quantity < template.minimum_quantity:
        errors.append(gettext('urban_b2b.msg_minimum_quantity',
                product=product.rec_name,
                minimum=template.minimum_quantity))
    return errors


def minimum_amount():
    return Pool().get('urban.b2b.configuration')(1).minimum_order_amount


def find_product(code):
    """The variant with SKU (product code) or EAN code, sold to pros, or
    None"""
    pool = Pool()
    Product = pool.get('product.product')
    code = (code or '').strip()
    if not code or '\x00' in code:    # no code has one (nor may a query)
        return None
    products = Product.search([
            ('template.b2b_published', '=', True),
            ['OR',
                ('code', '=', code),
                ('identifiers', 'where', [
                        ('type', 'in', ['ean', 'upc', 'gtin']),
                        ('code', '=', code),
                        ]),
                ],
            ], limit=1)
    return products[0] if products else None
