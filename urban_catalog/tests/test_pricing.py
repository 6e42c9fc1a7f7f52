"""urban_catalog.pricing.public_prices on a company with a chart and VAT."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool
from trytond.tests.test_tryton import drop_db, with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import URBAN_MODULES, activate_module

from urban_catalog.pricing import public_prices


class PublicPricesTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def setup_catalog(self):
        pool = Pool()
        Account = pool.get('account.account')
        Tax = pool.get('account.tax')
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        company = create_company(currency=create_currency('EUR'))
        self.company = company
        with set_company(company):
            create_chart(company)
            account, = Account.search([('code', '=', '6.3.4')])
            vat21, vat6, old = Tax.create([{
                        'name': name, 'description': name,
                        'type': 'percentage', 'rate': rate,
                        'invoice_account': account.id,
                        'credit_note_account': account.id,
                        'company': company.id, **dates}
                    for name, rate, dates in [
                        ("VAT 21%", Decimal('0.21'), {}),
                        ("VAT 6%", Decimal('0.06'), {}),
                        ("Old tax", Decimal('0.5'),
                            {'end_date': dt.date(2000, 1, 1)}),
                        ]])
            cat21, cat6 = Category.create([
                    {'name': "21", 'accounting': True,
                        'customer_taxes': [('add', [vat21.id, old.id])]},
                    {'name': "6", 'accounting': True,
                        'customer_taxes': [('add', [vat6.id])]},
                    ])
            unit, = Uom.search([('symbol', '=', 'u')])
            vase, soap, free = Template.create([{
                        'name': name, 'default_uom': unit.id,
                        'list_price': price, 'account_category': category,
                        'products': [('create', variants)]}
                    for name, price, category, variants in [
                        ("Vase", Decimal('37.1074'), cat21.id,
                            [{'suffix_code': 'S'}, {'suffix_code': 'L',
                                    'list_price': Decimal('49.50')}]),
                        ("Soap", Decimal('8.3962'), cat6.id, [{}]),
                        ("Gift card", Decimal('25'), None, [{}]),
                        ]])
        return vase, soap, free

    @with_transaction()
    def test_prices_with_taxes_rounded(self):
        "Untaxed and taxed prices per variant, rounded to the currency"
        vase, soap, free = self.setup_catalog()
        small, large = vase.products
        ids = [small.id, large.id, soap.products[0].id, free.products[0].id]
        prices = public_prices(ids, company=self.company,
            date=dt.date(2026, 3, 1))
        self.assertEqual(prices, {
                small.id: (Decimal('37.11'), Decimal('44.90'), 'EUR'),
                large.id: (Decimal('49.50'), Decimal('59.90'), 'EUR'),
                soap.products[0].id: (
                    Decimal('8.40'), Decimal('8.90'), 'EUR'),
                free.products[0].id: (
                    Decimal('25.00'), Decimal('25.00'), 'EUR'),
                })

    @with_transaction()
    def test_default_company_and_records(self):
        "Without company: the context's, else the only one; records accepted"
        vase, soap, _ = self.setup_catalog()
        product = soap.products[0]
        with Transaction().set_context(company=None):
            self.assertEqual(public_prices([product])[product.id][1],
                Decimal('8.90'))
        self.assertEqual(public_prices([]), {})

    @with_transaction()
    def test_batch_query_count(self):
        "The number of queries does not grow with the number of products"
        pool = Pool()
        Template = pool.get('product.template')
        vase, soap, free = self.setup_catalog()
        with set_company(self.company):
            Template.copy([vase, soap] * 10)
        products = Pool().get('product.product').search([])
        self.assertGreater(len(products), 25)
        cursor_class = Transaction().connection.cursor().__class__
        counts = []
        for subset in (products[:3], products):
            count = [0]
            original = cursor_class.execute

            def counting(self, *args, **kwargs):
                count[0] += 1
                return original(self, *args, **kwargs)
            cursor_class.execute = counting
            try:
                Transaction().cache.clear()
                public_prices([p.id for p in subset], company=self.company)
            finally:
                cursor_class.execute = original
            counts.append(count[0])
        self.assertLessEqual(counts[1], counts[0] + 2, counts)
