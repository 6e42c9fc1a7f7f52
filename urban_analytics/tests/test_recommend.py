"""Recommendations on known purchases: what the same customers bought,
ranked by the Jaccard index of their buyers, kept to what can be sold
where the customer shops and what they do not already have; a product
nobody bought yet gets its universe's best sellers."""
import datetime as dt
from decimal import Decimal

from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from urbantherapy.testing import ActivatedTestCase

from .tools import _shop


class RecommendTestCase(ActivatedTestCase):
    "Product recommendations"

    def known_purchases(self):
        """Templates A..G (A-E and G in one universe, F in another), shops
        X and Y, customers 1-5; A+B bought by 1, 2, 3; A+C by 4; C by 5;
        D sold in the universe lately (a best seller); stock of everything
        in X, of A, B, D, E, F, G in Y (C only in X)"""
        pool = Pool()
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Channel = pool.get('urban.channel')
        Party = pool.get('party.party')
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        LineFact = pool.get('urban.analytics.line.fact')
        company = self.company
        Account = pool.get('account.account')
        Tax = pool.get('account.tax')
        # published products need their VAT (urban_catalog/taxes.py)
        create_chart(company)
        account, = Account.search([('code', '=', '6.3.4')])
        vat, = Tax.create([{'name': "VAT 21%", 'description': "VAT 21%",
                    'type': 'percentage', 'rate': Decimal('0.21'),
                    'invoice_account': account.id,
                    'credit_note_account': account.id,
                    'company': company.id}])
        goods, = Category.create([{'name': "Goods", 'accounting': True,
                    'customer_taxes': [('add', [vat.id])]}])
        unit, = Uom.search([('name', '=', 'Unit')])
        web, = Channel.search([('code', '=', 'web')])
        home, garden = Category.create([
                {'name': "Home", 'universe': True, 'code': 'home'},
                {'name': "Garden", 'universe': True, 'code': 'garden'}])
        templates = {}
        for name in 'ABCDEFG':
            template, = Template.create([{'name': name, 'type': 'goods',
                        'default_uom': unit.id, 'salable': True,
                        'sale_uom': unit.id, 'code': name,
                        'list_price': Decimal('10'),
                        'account_category': goods.id,
                        'universe': (garden if name == 'F' else home).id,
                        'channels': [('add', [web.id])],
                        'products': [('create', [{}])]}])
            templates[name] = template
        x, y = _shop("X", 'SHX'), _shop("Y", 'SHY')
        supplier, = Location.search([('type', '=', 'supplier')], limit=1)
        moves = Move.create([{
                    'product': templates[name].products[0].id,
                    'from_location': supplier.id,
                    'to_location': shop.storage_location.id,
                    'quantity': 5, 'unit': unit.id,
                    'unit_price': Decimal('4'),
                    'currency': company.currency.id,
                    'company': company.id}
                for name in 'ABCDEFG' for shop in (x, y)
                if not (name == 'C' and shop == y)])
        Move.do(moves)
        customers = {i: Party.create([{'name': "Customer %s" % i}])[0]
            for i in range(1, 6)}
        today = dt.date.today()
        bought = [(1, 'AB'), (2, 'AB'), (3, 'AB'), (4, 'AC'), (5, 'C')]
        rows, order = [], 0
        for customer, names in bought:
            order += 4
            for name in names:
                rows.append({'order_': order + 1, 'company': company.id,
                        'channel': 'web', 'shop': x.id,
                        'date': today - dt.timedelta(days=200),
                        'party': customers[customer].id,
                        'product': templates[name].products[0].id,
                        'quantity': Decimal(1), 'amount': Decimal(10),
                        'is_return': False})
        # D sells in shops lately (anonymous till sales: a basket each)
        for i in range(3):
            order += 4
            rows.append({'order_': order + 2, 'company': company.id,
                    'channel': 'till', 'shop': x.id,
                    'date': today - dt.timedelta(days=10), 'party': None,
                    'product': templates['D'].products[0].id,
                    'quantity': Decimal(1), 'amount': Decimal(10),
                    'is_return': False})
        LineFact.create(rows)
        pool.get('urban.analytics.recommendation').rebuild()
        return templates, customers, x, y

    def names(self, templates):
        return [t.name for t in templates]

    @with_transaction()
    def test_bought_together_first(self):
        Recommendation = Pool().get('urban.analytics.recommendation')
        self.company = create_company()
        with set_company(self.company):
            t, customers, x, y = self.known_purchases()
            # B's buyers are all A's buyers but one: B before C
            self.assertEqual(Recommendation.related([t['A'].id]),
                [t['B'].id, t['C'].id])
            proposed = self.names(Recommendation.propose([t['A'].id]))
            self.assertEqual(proposed[:3], ['B', 'C', 'D'])
            self.assertNotIn('A', proposed)

    @with_transaction()
    def test_sellable_where_the_customer_shops(self):
        Recommendation = Pool().get('urban.analytics.recommendation')
        self.company = create_company()
        with set_company(self.company):
            t, customers, x, y = self.known_purchases()
            # C is only in X
            self.assertIn('C', self.names(
                    Recommendation.propose([t['A'].id], shop=x.id)))
            self.assertNotIn('C', self.names(
                    Recommendation.propose([t['A'].id], shop=y.id)))
            # not what the customer already has, unless it is consumed
            self.assertNotIn('B', self.names(Recommendation.propose(
                        [t['A'].id], party=customers[1].id)))
            Template = Pool().get('product.template')
            Template.write([t['B']], {'consumable': True})
            self.assertIn('B', self.names(Recommendation.propose(
                        [t['A'].id], party=customers[1].id)))
            # nor what the channel does not sell
            Template.write([t['B']], {'channels': [('remove', [
                                c.id for c in t['B'].channels])]})
            self.assertNotIn('B', self.names(
                    Recommendation.propose([t['A'].id])))

    @with_transaction()
    def test_new_product_gets_its_universe(self):
        "Nobody bought G: its universe's best seller, then new arrivals"
        Recommendation = Pool().get('urban.analytics.recommendation')
        self.company = create_company()
        with set_company(self.company):
            t, customers, x, y = self.known_purchases()
            self.assertEqual(Recommendation.related([t['G'].id]), [])
            proposed = self.names(Recommendation.propose([t['G'].id],
                    limit=4))
            self.assertEqual(proposed[0], 'D')
            self.assertEqual(len(proposed), 4)
            self.assertNotIn('G', proposed)
