"""Public (consumer) prices of products, shared by every channel.

`public_prices(products, company=None, date=None)` returns
{product_id: (price_untaxed, price_taxed, currency_code)} where

- price_untaxed is the variant's list price for the company (the template's
  when the variant has none), rounded to the company currency;
- price_taxed adds the customer taxes of the product's account category
  (`customer_taxes_used`: the category's taxes of the company, or its
  parent's), computed by Tryton's `account.tax.compute` at date (default:
  today: taxes out of their validity dates are skipped) and rounded to the
  currency. A product without account category is sold without tax.

It reads list prices and taxes for the whole batch with a fixed number of
queries (one per distinct account category for the taxes), never one per
product. It needs the `account_product` module in the pool (activated by
urban_stock through `sale`); it registers nothing.

Products without a list price for the company are left out of the result.
"""
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction


def _company(company):
    pool = Pool()
    Company = pool.get('company.company')
    if company is None:
        company = Transaction().context.get('company')
    if company is None:
        companies = Company.search([], limit=2)
        if len(companies) != 1:
            raise ValueError(
                "public_prices needs a company (none in the context and "
                "%s in the database)" % len(companies))
        company, = companies
    if isinstance(company, int):
        company = Company(company)
    return company


def public_prices(products, company=None, date=None):
    """{product_id: (untaxed Decimal, taxed Decimal, currency code)} of
    products (product.product records or ids) sold by company (record or id;
    default: the context company, else the only company) at date."""
    pool = Pool()
    Product = pool.get('product.product')
    ListPrice = pool.get('product.list_price')
    Category = pool.get('product.category')
    Tax = pool.get('account.tax')
    Date = pool.get('ir.date')

    company = _company(company)
    currency = company.currency
    product_ids = sorted({int(p) for p in products})
    if not product_ids:
        return {}
    with Transaction().set_context(company=company.id):
        if date is None:
            date = Date.today()
        # read, not browse: instantiating templates would load their
        # company-dependent fields (list price...) one record at a time.
        template_of, category_of = {}, {}
        for row in Product.read(product_ids,
                ['template', 'template.account_category']):
            template_of[row['id']] = row['template']
            category_of[row['template']] = row['template.']['account_category']

        # List prices: variant-specific rows win over template rows.
        by_template, by_product = {}, {}
        for row in ListPrice.search_read([
                    ('company', '=', company.id),
                    ('template', 'in', sorted(set(template_of.values()))),
                    ], fields_names=['template', 'product', 'list_price']):
            if row['list_price'] is None:
                continue
            if row['product']:
                by_product[row['product']] = row['list_price']
            else:
                by_template[row['template']] = row['list_price']

        # Customer taxes: one look-up per distinct account category.
        taxes_of = {None: []}
        for category in Category.browse(
                sorted({c for c in category_of.values() if c})):
            taxes_of[category.id] = list(category.customer_taxes_used or [])

    result = {}
    code = currency.code
    for product_id in product_ids:
        template_id = template_of[product_id]
        price = by_product.get(product_id, by_template.get(template_id))
        if price is None:
            continue
        untaxed = currency.round(price)
        taxes = taxes_of[category_of[template_id]]
        amount = sum((t['amount'] for t in Tax.compute(
                        taxes, price, 1, date)), Decimal(0))
        taxed = currency.round(price + amount)
        result[product_id] = (untaxed, taxed, code)
    return result
