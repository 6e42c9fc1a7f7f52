"""The demo's year of business (urbantherapy/demo/history.py) as the back
office shows it: the orders dashboard, the KPI board, cohorts, RFM, the
customer 360, loyalty and QR figures of every shop; and records the ORM
reads as its own (states, amounts, stock never negative)."""
import datetime as dt
import unittest
from collections import Counter, defaultdict
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.demo import data
from urbantherapy.testing import activate_demo

from .test_demo_backoffice import BackOffice

CHANNELS = ['app', 'web', 'till', 'pro']


def rpc_date(date):
    "A date as Tryton's JSON-RPC sends it"
    return {'__class__': 'date', 'year': date.year, 'month': date.month,
        'day': date.day}


def num(value):
    "A number read through JSON-RPC (a Decimal comes as a dict)"
    if isinstance(value, dict):
        value = value['decimal']
    return Decimal(str(value if value is not None else 0))


COUNTED = ['confirmed', 'processing', 'done']


class DemoHistoryTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()
        cls.manager = BackOffice('manager', data.DEMO_PASSWORD)
        shops = cls.manager.search_read('stock.location',
            [('type', '=', 'warehouse'), ('shop', '=', True)],
            ['shop_code'])
        cls.shops = {s['shop_code']: s['id'] for s in shops}
        cls.today = dt.date.today()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def count(self, domain):
        return len(self.manager.search_read('urban.analytics.order',
                domain, ['id']))

    def test_orders_dashboard_every_shop_and_channel(self):
        "Orders of every channel in every shop, this week and in all"
        self.assertEqual(sorted(self.shops), sorted(s[0] for s in data.SHOPS))
        for code, shop in self.shops.items():
            for channel in CHANNELS:
                domain = [('shop', '=', shop), ('channel', '=', channel),
                    ('state', 'in', COUNTED)]
                week = self.count(domain + [('this_week', '=', True)])
                self.assertGreater(week, 0, (code, channel, 'this week'))
                everything = self.count(domain)
                self.assertGreater(everything, week, (code, channel))
        # and today's orders, some still to prepare in the shops
        today = self.manager.search_read('urban.analytics.order',
            [('today', '=', True)], ['channel', 'collect_state'])
        self.assertTrue({'app', 'web'} <= {o['channel'] for o in today})

    def test_order_states(self):
        "Done, open, cancelled and expired orders, returns at the tills"
        orders = self.manager.search_read('urban.analytics.order', [],
            ['state', 'collect_state', 'is_return', 'channel'])
        states = Counter(o['state'] for o in orders)
        self.assertGreater(states['done'], 5000, states)
        for state in ['processing', 'cancelled']:
            self.assertGreater(states[state], 0, states)
        collect = Counter(o['collect_state'] for o in orders)
        for state in ['collected', 'expired', 'ready']:
            self.assertGreater(collect[state], 0, collect)
        self.assertTrue(any(o['is_return'] and o['channel'] == 'till'
                for o in orders))
        returns = self.manager.search_read('sale.sale',
            [('return_state', '=', 'received')], ['origin', 'total_amount'])
        self.assertTrue(returns)
        self.assertTrue(all(r['origin'].startswith('sale.sale,')
                and num(r['total_amount']) < 0 for r in returns))

    def test_kpi_board(self):
        "Revenue, orders and average basket this month and over the year"
        boards = []
        for start in [self.today.replace(day=1),
                self.today - dt.timedelta(days=364)]:
            board = {k['kpi']: num(k['value']) for k in
                self.manager.search_read('urban.analytics.kpi', [],
                    ['kpi', 'value'], from_date=rpc_date(start),
                    to_date=rpc_date(self.today))}
            for kpi in ['revenue', 'orders', 'average_basket', 'customers',
                    'app_activations']:
                self.assertGreater(board[kpi], 0, (start, kpi, board))
            self.assertAlmostEqual(board['average_basket'],
                (board['revenue'] / board['orders']), delta=Decimal('0.01'))
            boards.append(board)
        month, year = boards
        # customers of this month who had bought before it (the history
        # starts a year ago: none before the year)
        self.assertGreater(month['returning_customers'], 0, month)
        self.assertGreater(year['orders'], 8000, year)
        self.assertGreater(year['app_first_orders'], 0, year)
        self.assertLess(year['app_conversion'], 1, year)
        # the same with the facts of each shop and channel
        for channel in CHANNELS:
            board = {k['kpi']: num(k['value']) for k in
                self.manager.search_read('urban.analytics.kpi', [],
                    ['kpi', 'value'],
                    from_date=rpc_date(self.today
                        - dt.timedelta(days=364)),
                    to_date=rpc_date(self.today), channel=channel,
                    shop=self.shops['NAM'])}
            self.assertGreater(board['revenue'], 0, channel)

    def test_seasons_and_best_sellers(self):
        "December peaks, summer dips; a few products sell most"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Fact = pool.get('urban.analytics.order.fact')
            fact = Fact.__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*fact.select(fact.date, fact.amount,
                    where=fact.state.in_(COUNTED)))
            months = defaultdict(Decimal)
            for date, amount in cursor:
                if isinstance(date, str):
                    date = dt.date.fromisoformat(date)
                months[date.month] += num(amount)
        # the December of the history may be partial: compare November's
        # rush with the summer
        self.assertGreater(months[11], months[7] * Decimal('1.4'), months)
        self.assertGreater(months[11], months[8] * Decimal('1.4'), months)
        december = months[12] / max(1, self.today.day
            if self.today.month == 12 else 31)
        self.assertGreater(december, months[8] / 31)

        tops = self.manager.search_read('urban.analytics.top_product',
            [('shop', '=', self.shops['BXL'])], ['rank', 'revenue',
                'product'], from_date=rpc_date(self.today
                - dt.timedelta(days=364)),
            to_date=rpc_date(self.today))
        revenue = sorted((num(t['revenue']) for t in tops),
            reverse=True)
        self.assertGreater(len(revenue), 100)
        # the ten best sellers make four times their share of the shop's
        # revenue (and more)
        share = Decimal(10) / len(revenue)
        self.assertGreater(sum(revenue[:10]), 4 * share * sum(revenue))

    def test_rfm_and_cohorts(self):
        rfm = self.manager.search_read('urban.analytics.rfm', [],
            ['segment', 'frequency', 'monetary'],
            to_date=rpc_date(self.today))
        segments = Counter(r['segment'] for r in rfm)
        self.assertGreater(len(rfm), 500)
        for segment in ['champion', 'loyal', 'at_risk', 'lost',
                'promising']:
            self.assertGreater(segments[segment], 0, segments)
        cohorts = self.manager.search_read('urban.analytics.cohort', [],
            ['cohort', 'customers', 'm1', 'm3'])
        self.assertGreaterEqual(len(cohorts), 12)
        self.assertTrue(all(c['customers'] > 0 for c in cohorts))
        retention = [num(c['m1'] or 0) for c in cohorts[:-2]]
        self.assertTrue(all(0 < r < 1 for r in retention), retention)
        months = self.manager.search_read('urban.analytics.cohort.month',
            [('month', '=', 3)], ['retention'])
        self.assertTrue(months)

    def test_customer_360(self):
        "The demo's customers have a history in several channels"
        parties = self.manager.search_read('party.party',
            [('name', '=', data.B2C_CUSTOMERS[0][0])],
            ['lifetime_value', 'order_count', 'channels', 'top_shop',
                'first_order_date', 'last_order_date'])
        party, = parties
        self.assertGreater(num(party['lifetime_value']), 0)
        self.assertGreater(party['order_count'], 5)
        self.assertTrue(party['top_shop'])
        buyers = {s['party'] for s in self.manager.search_read(
                'sale.sale', [('api_mode', '!=', None)], ['party'])}
        app_users = self.manager.search_read('party.party',
            [('id', 'in', list(buyers))],
            ['app_installed', 'channels', 'loyalty_points'])
        self.assertGreater(len(app_users), 100)
        self.assertTrue(any(p['app_installed'] for p in app_users))
        self.assertTrue(any(p['loyalty_points'] for p in app_users))

    def test_loyalty_and_qr_per_shop(self):
        "Points earned in every shop, QR scans and first orders by shop"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Points = pool.get('urban.loyalty.points')
            Scan = pool.get('urban.loyalty.qr_scan')
            Referral = pool.get('urban.loyalty.referral')
            Campaign = pool.get('urban.loyalty.campaign')
            earned = defaultdict(int)
            for line in Points.search([('kind', '=', 'earn')]):
                origin = line.origin
                shop = (origin.shop if origin.__name__ == 'urban.pos.sale'
                    else origin.warehouse)
                earned[shop.id] += line.points
            kinds = Counter(l.kind for l in Points.search([]))
            scans = Counter(s.shop.id for s in Scan.search([]))
            referrals = Referral.search([('state', '=', 'rewarded')])
            campaigns = Campaign.search([('state', '=', 'done')])
            figures = [(c.sent, c.opened) for c in campaigns]
        for code, shop in self.shops.items():
            self.assertGreater(earned[shop], 0, code)
            self.assertGreater(scans[shop], 0, code)
        for kind in ['earn', 'redeem', 'referral', 'reverse']:
            self.assertGreater(kinds[kind], 0, kinds)
        self.assertGreater(len(referrals), 5)
        self.assertGreaterEqual(len(campaigns), 10)
        self.assertTrue(all(sent > opened > 0 for sent, opened in figures),
            figures)
        activations = self.manager.search_read(
            'urban.analytics.app_activation', [],
            ['shop', 'activations', 'first_orders'],
            from_date=rpc_date(self.today - dt.timedelta(days=364)),
            to_date=rpc_date(self.today))
        self.assertEqual(len(activations), len(self.shops))
        self.assertTrue(all(a['activations'] > a['first_orders'] > 0
                for a in activations), activations)

    def test_pro_orders(self):
        "Pro orders of every pro account, at their price list's prices"
        sales = self.manager.search_read('sale.sale',
            [('b2b_buyer', '!=', None), ('state', 'in', COUNTED)],
            ['party', 'untaxed_amount', 'price_list', 'invoice_state'])
        self.assertEqual(len({s['party'] for s in sales}),
            len(data.PRO_CUSTOMERS))
        self.assertTrue(all(num(s['untaxed_amount']) >= 150
                for s in sales))
        self.assertTrue(all(s['price_list'] for s in sales))

    def test_records_as_the_orm_reads_them(self):
        """States and cached amounts consistent, moves done with the
        orders, no stock ever negative"""
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Sale = pool.get('sale.sale')
            PosSale = pool.get('urban.pos.sale')
            Product = pool.get('product.product')
            Location = pool.get('stock.location')
            Company = pool.get('company.company')
            company, = Company.search([])
            with transaction.set_context(company=company.id):
                for state in ['done', 'processing', 'cancelled',
                        'quotation']:
                    for sale in Sale.search([('state', '=', state)],
                            limit=20, order=[('id', 'DESC')]):
                        untaxed = sum((l.amount for l in sale.lines
                                if l.type == 'line'), Decimal(0))
                        self.assertEqual(sale.untaxed_amount, untaxed,
                            sale.number)
                        self.assertEqual(sale.tax_amount,
                            sale.get_tax_amount(), sale.number)
                        moves = [m for l in sale.lines for m in l.moves]
                        if state == 'done' and sale.collect_state != 'expired':
                            self.assertTrue(moves, sale.number)
                            self.assertTrue(all(m.state == 'done'
                                    for m in moves), sale.number)
                        if state in {'quotation', 'cancelled'}:
                            self.assertFalse(moves, sale.number)
                        Sale.read([sale.id], list(Sale._fields))
                for sale in PosSale.search([], limit=20):
                    self.assertEqual(sale.total_amount, sum(
                            (l.total_amount for l in sale.lines),
                            Decimal(0)))
                    PosSale.read([sale.id], list(PosSale._fields))
                warehouses = [l.id for l in Location.search(
                        [('type', '=', 'warehouse')])]
                products = [p.id for p in Product.search([])]
                day = self.today - dt.timedelta(days=370)
                while day <= self.today:
                    with transaction.set_context(stock_date_end=day):
                        quantities = Product.products_by_location(
                            warehouses, with_childs=True,
                            grouping_filter=(products,))
                    negative = {k: q for k, q in quantities.items()
                        if q < 0}
                    self.assertEqual(negative, {}, day)
                    day += dt.timedelta(days=29)
