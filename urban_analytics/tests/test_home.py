"""The manager's home on known data: the scorecard against a week and a
year before, sales by week and the best sellers running low; on PostgreSQL
(`make test`) and SQLite alike (see test_figures.py to run on SQLite)."""
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import ActivatedTestCase

from .test_figures import sale_on, till_sale
from .tools import load_known_data


class HomeTestCase(ActivatedTestCase):
    "Manager's home figures"

    def known_data(self):
        "The scenario's data (March 2026) and orders around today"
        self.company = create_company()
        Transaction().set_context(company=self.company.id)
        ids = load_known_data()
        today = Pool().get('ir.date').today()
        with set_company(self.company):
            # today: a till sale of 10.00 (tax excl.) in Antwerp
            till_sale(ids, 'T-today', 'Bob',
                dt.datetime.combine(today, dt.time(10)), 'antwerp',
                '12.10', '2.10')
            # a week before: a pro sale of 10.00 in Brussels
            sale_on(ids, 'S-week', 'Dan', today - dt.timedelta(days=7))
            # 52 weeks before: two of them
            for name in ['S-year-1', 'S-year-2']:
                sale_on(ids, name, 'Dan', today - dt.timedelta(days=364))
        return ids

    @with_transaction()
    def test_scorecard_today(self):
        "Today's figures against the same weekday a week and a year before"
        Scorecard = Pool().get('urban.analytics.scorecard')
        ids = self.known_data()
        with Transaction().set_context(company=ids['company'],
                period='today'):
            rows = {(r.scope, r.channel or r.shop and r.shop.id): r
                for r in Scorecard.search([])}
            total = rows[('total', None)]
            self.assertEqual(
                (total.revenue, total.revenue_week_before,
                    total.revenue_year_before),
                (Decimal('10.00'), Decimal('10.00'), Decimal('20.00')))
            self.assertEqual(
                (total.orders, total.orders_week_before,
                    total.orders_year_before), (1, 1, 2))
            self.assertEqual(total.revenue_vs_week, 0)
            self.assertEqual(total.revenue_vs_year, Decimal('-0.5'))
            self.assertEqual(total.average_basket, Decimal('10.00'))
            self.assertEqual(total.currency, self.company.currency)

            till, pro = rows[('channel', 'till')], rows[('channel', 'pro')]
            self.assertEqual((till.revenue, till.revenue_week_before),
                (Decimal('10.00'), Decimal('0')))
            # nothing to compare with: no ratio rather than a division by 0
            self.assertIsNone(till.revenue_vs_week)
            self.assertEqual((pro.revenue, pro.revenue_vs_week),
                (Decimal('0'), Decimal('-1')))
            self.assertEqual(pro.label, "Pro")

            antwerp = rows[('shop', ids['antwerp'])]
            brussels = rows[('shop', ids['brussels'])]
            self.assertEqual(antwerp.label, "Antwerp")
            self.assertEqual(antwerp.revenue, Decimal('10.00'))
            self.assertEqual(
                (brussels.revenue, brussels.revenue_week_before,
                    brussels.orders_year_before),
                (Decimal('0'), Decimal('10.00'), 2))
            # the business first, then the channels, then the shops
            self.assertEqual(Scorecard.search([])[0].scope, 'total')

        # a shop's filter keeps its own figures
        with Transaction().set_context(company=ids['company'],
                period='today', shop=ids['brussels']):
            total, = [r for r in Scorecard.search([])
                if r.scope == 'total']
            self.assertEqual((total.revenue, total.revenue_week_before),
                (Decimal('0'), Decimal('10.00')))

    @with_transaction()
    def test_sales_by_week(self):
        "Sales by week: each Monday with its week's revenue and orders"
        SalesWeek = Pool().get('urban.analytics.sales.week')
        ids = self.known_data()
        today = Pool().get('ir.date').today()
        monday = today - dt.timedelta(days=today.weekday())
        with Transaction().set_context(company=ids['company'],
                period='last_12_weeks'):
            weeks = {w.week: (w.revenue, w.orders)
                for w in SalesWeek.search([])}
        self.assertEqual(weeks, {
                monday: (Decimal('10.00'), 1),
                monday - dt.timedelta(days=7): (Decimal('10.00'), 1),
                })

    @with_transaction()
    def test_low_stock_best_sellers(self):
        "A best seller a shop sells is low when it lasts under two weeks"
        pool = Pool()
        LowStock = pool.get('urban.analytics.low_stock')
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        Product = pool.get('product.product')
        ids = self.known_data()
        with Transaction().set_context(company=ids['company']):
            low = {(r.product.id, r.shop.id): r for r in LowStock.search([])}
            # sold in the last 30 days: P1 in Antwerp (today, ten in stock:
            # 300 days at one a month), P2 in Brussels (a week ago, none)
            self.assertEqual(set(low), {(ids['P2'], ids['brussels'])})
            row = low[(ids['P2'], ids['brussels'])]
            self.assertEqual(
                (row.sold, row.available, row.days_left, row.rank),
                (1, 0, 0, 2))

            # ten P2 in Brussels: no longer low
            brussels = Location(ids['brussels'])
            supplier, = Location.search([('type', '=', 'supplier')], limit=1)
            product = Product(ids['P2'])
            with set_company(self.company):
                move, = Move.create([{
                            'product': product.id,
                            'unit': product.default_uom.id, 'quantity': 10,
                            'from_location': supplier.id,
                            'to_location': brussels.storage_location.id,
                            'company': ids['company'],
                            'unit_price': Decimal('1'),
                            'currency': self.company.currency.id}])
                Move.do([move])
            self.assertEqual(LowStock.search([]), [])

    @with_transaction()
    def test_filters_kept_in_preferences(self):
        "The shop and channel a user keeps filter the board until changed"
        pool = Pool()
        Scorecard = pool.get('urban.analytics.scorecard')
        Context = pool.get('urban.analytics.context')
        User = pool.get('res.user')
        ids = self.known_data()
        user = User(Transaction().user)
        User.write([user], {
                'analytics_shop': ids['brussels'],
                'analytics_channel': 'pro',
                })
        preferences = User.get_preferences(context_only=True)
        self.assertEqual(
            (preferences['analytics_shop'], preferences['analytics_channel']),
            (ids['brussels'], 'pro'))
        with Transaction().set_context(preferences, company=ids['company'],
                period='today'):
            self.assertEqual(Context.default_shop(), ids['brussels'])
            self.assertEqual(Context.default_channel(), 'pro')
            total, = [r for r in Scorecard.search([]) if r.scope == 'total']
            # Brussels' pro sale of a week before, not Antwerp's till sale
            self.assertEqual((total.revenue, total.revenue_week_before),
                (Decimal('0'), Decimal('10.00')))
        # the context form's own choice wins, all shops included
        with Transaction().set_context(preferences, company=ids['company'],
                period='today', shop=None, channel=None):
            total, = [r for r in Scorecard.search([]) if r.scope == 'total']
            self.assertEqual(total.revenue, Decimal('10.00'))
