"""The analytics' figures on known data, computed alike by every backend:
PostgreSQL (`make test`) and SQLite (the demo), where dates are strings
and sums of amounts are floats.

The data is scenario_analytics.rst's (tools.load_known_data: March 2026),
plus orders dated relative to today for the dashboard's Today and This
Week tabs. To run these tests on SQLite:

    TRYTOND_DATABASE__URI=sqlite:// TRYTOND_DATABASE__PATH=/tmp/urban-sqlite \\
    DB_CACHE=/tmp/urban-sqlite-cache \\
    pytest urban_analytics/tests/test_figures.py
"""
import datetime as dt
from decimal import Decimal

from sql import Cast

from trytond import backend
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import ActivatedTestCase

from urban_analytics.facts import KEY_SALE

from .tools import load_known_data


def till_sale(ids, name, party, when, shop, total, tax):
    "A booked till sale of one P1 on the scenario's till account"
    pool = Pool()
    Account = pool.get('urban.pos.account')
    PosSale = pool.get('urban.pos.sale')
    Company = pool.get('company.company')
    account, = Account.search([('name', '=', "Till")])
    company = Company(ids['company'])
    sale, = PosSale.create([{
                'account': account.id, 'shop': ids[shop],
                'external_id': name, 'number': name, 'date': when,
                'state': 'booked', 'is_return': False,
                'party': ids[party] if party else None,
                'currency': company.currency.id,
                'total_amount': Decimal(total), 'tax_amount': Decimal(tax),
                'lines': [('create', [{
                                'product': ids['P1'], 'quantity': 1,
                                'unit_price': Decimal(total) - Decimal(tax),
                                'total_amount': Decimal(total),
                                'tax_amount': Decimal(tax)}])]}])
    return sale


def sale_on(ids, name, party, date, state='done'):
    "A pro sale of one P2 at 10.00 in Brussels dated date"
    pool = Pool()
    Sale = pool.get('sale.sale')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    company = Company(ids['company'])
    party = Party(ids[party])
    address = party.addresses[0]
    unit = pool.get('product.product')(ids['P2']).default_uom
    sale, = Sale.create([{
                'company': company.id, 'currency': company.currency.id,
                'party': party.id, 'invoice_address': address.id,
                'shipment_address': address.id,
                'warehouse': ids['brussels'], 'sale_date': date,
                'reference': name,
                'lines': [('create', [{
                                'type': 'line', 'product': ids['P2'],
                                'unit': unit.id,
                                'quantity': 1,
                                'unit_price': Decimal('10')}])]}])
    table = Sale.__table__()
    Transaction().connection.cursor().execute(*table.update(
            [table.state], [state], where=table.id == sale.id))
    # written by SQL, behind the ORM's back: refresh its facts
    pool.get('urban.analytics.order.fact').refresh({KEY_SALE: [sale.id]})
    return sale


class AnalyticsFiguresTestCase(ActivatedTestCase):
    "Analytics figures on known data"

    def known_data(self):
        company = create_company()
        self.company = company
        Transaction().set_context(company=company.id)
        return load_known_data()

    def march(self, **context):
        return Transaction().set_context(
            company=self.company.id, from_date=dt.date(2026, 3, 1),
            to_date=dt.date(2026, 3, 31), **context)

    @with_transaction()
    def test_orders_dashboard_today_and_this_week(self):
        "Today and This Week hold the orders of today and of this week only"
        pool = Pool()
        Order = pool.get('urban.analytics.order')
        Date = pool.get('ir.date')
        ids = self.known_data()
        with set_company(self.company):
            today = Date.today()
            monday = today - dt.timedelta(days=today.weekday())
            till = till_sale(ids, 'T-today', 'Bob',
                dt.datetime.combine(today, dt.time(0, 30)), 'antwerp',
                '12.10', '2.10')
            this_monday = sale_on(ids, 'S-monday', 'Dan', monday)
            sale_on(ids, 'S-sunday', 'Dan', monday - dt.timedelta(days=1))
            sale_on(ids, 'S-week-ago', 'Dan', today - dt.timedelta(days=7))

            keys = {
                'till': till.id * 4 + 2, 'monday': this_monday.id * 4 + 1}
            # every order reads, till sales included (their day, not their
            # time)
            orders = Order.search([])
            self.assertEqual(len(orders), 11 + 4)
            till_order = Order(keys['till'])
            self.assertEqual(till_order.date, today)
            self.assertEqual(till_order.channel, 'till')
            self.assertEqual(till_order.amount, Decimal('10.00'))
            self.assertEqual(
                {o.id for o in Order.search([('this_week', '=', True)])},
                {keys['till'], keys['monday']})
            self.assertEqual(
                {o.id for o in Order.search([('today', '=', True)])},
                {keys['till']} | (
                    {keys['monday']} if today == monday else set()))
            self.assertEqual(Order.search_count([('this_week', '=', False)]),
                11 + 2)
            march = Order.search([('date', '>=', dt.date(2026, 3, 1)),
                    ('date', '<=', dt.date(2026, 3, 31))])
            self.assertEqual(sorted(str(o.date) for o in march if
                    o.channel == 'till'),
                ['2026-03-02', '2026-03-02', '2026-03-03'])

    @with_transaction()
    def test_rfm_recency(self):
        "RFM recency counts the days from the last order to the period's end"
        RFM = Pool().get('urban.analytics.rfm')
        ids = self.known_data()
        with self.march():
            rows = {r.party.name: r for r in RFM.search([])}
        self.assertEqual(
            {n: (r.last_order, r.recency, r.frequency, r.monetary)
                for n, r in rows.items()}, {
                'Alice': (dt.date(2026, 3, 2), 29, 2, Decimal('20.00')),
                'Bob': (dt.date(2026, 3, 2), 29, 2, Decimal('50.00')),
                'Carol': (dt.date(2026, 3, 5), 26, 2, Decimal('40.00')),
                'Dan': (dt.date(2026, 3, 5), 26, 1, Decimal('125.00')),
                })
        # three days after Carol's and Dan's last orders
        with Transaction().set_context(company=ids['company'],
                from_date=None, to_date=dt.date(2026, 3, 8)):
            rows = {r.party.name: r for r in RFM.search([])}
        self.assertEqual({n: r.recency for n, r in rows.items()},
            {'Alice': 6, 'Bob': 6, 'Carol': 3, 'Dan': 3})
        self.assertEqual(
            {n: (r.r_score, r.segment) for n, r in rows.items()}, {
                'Alice': (1, 'lost'), 'Bob': (2, 'at_risk'),
                'Carol': (3, 'loyal'), 'Dan': (4, 'promising')})

    @with_transaction()
    def test_cohorts(self):
        "Customers are grouped by the month of their first order"
        pool = Pool()
        Cohort = pool.get('urban.analytics.cohort')
        CohortMonth = pool.get('urban.analytics.cohort.month')
        ids = self.known_data()
        with Transaction().set_context(company=ids['company'],
                from_date=None, to_date=None):
            rows = Cohort.search([])
            self.assertEqual(
                [(r.cohort, r.customers, r.m0, r.m1, r.m2) for r in rows], [
                    (dt.date(2026, 1, 1), 2, 1, 0, 1),
                    (dt.date(2026, 2, 1), 1, 1, 1, 0),
                    (dt.date(2026, 3, 1), 1, 1, 0, 0)])
            months = CohortMonth.search([])
            self.assertEqual(
                [(r.cohort, r.month, r.customers, r.buyers, r.retention)
                    for r in months], [
                    (dt.date(2026, 1, 1), 0, 2, 2, 1),
                    (dt.date(2026, 1, 1), 2, 2, 2, 1),
                    (dt.date(2026, 2, 1), 0, 1, 1, 1),
                    (dt.date(2026, 2, 1), 1, 1, 1, 1),
                    (dt.date(2026, 3, 1), 0, 1, 1, 1)])
        # the period keeps the cohorts of its months
        with self.march():
            self.assertEqual([r.cohort for r in Cohort.search([])],
                [dt.date(2026, 3, 1)])

    @with_transaction()
    def test_customer_360_orders_and_till_sales(self):
        "Customer 360 sums a customer's orders of every channel"
        Party = Pool().get('party.party')
        ids = self.known_data()
        # Carol: web orders S10 (10.00, Antwerp) and S5 (30.00, Brussels),
        # two till sales in Antwerp (20.00 and 0.10 tax excl.)
        till_sale(ids, 'T-carol', 'Carol', dt.datetime(2026, 3, 20, 18),
            'antwerp', '24.20', '4.20')
        till_sale(ids, 'T-carol-2', 'Carol', dt.datetime(2026, 3, 21, 9),
            'antwerp', '0.12', '0.02')
        carol = Party(ids['Carol'])
        self.assertEqual(carol.lifetime_value, Decimal('60.10'))
        self.assertEqual(carol.order_count, 4)
        self.assertEqual(carol.channels, "Shop Till, Web Shop")
        self.assertEqual(carol.first_order_date, dt.date(2026, 2, 10))
        self.assertEqual(carol.last_order_date, dt.date(2026, 3, 21))
        self.assertEqual(carol.top_shop.id, ids['antwerp'])
        # and the dashboard's orders: S8, cancelled, too
        self.assertEqual(len(carol.analytics_orders), 5)
        self.assertEqual(sorted(o.amount for o in carol.analytics_orders), [
                Decimal('0.10'), Decimal('10.00'), Decimal('20.00'),
                Decimal('30.00'), Decimal('50.00')])

        alice, dan = Party.browse([ids['Alice'], ids['Dan']])
        self.assertEqual(
            (alice.lifetime_value, alice.order_count, alice.channels),
            (Decimal('20.00'), 2, "Shop Till"))
        self.assertEqual(
            (dan.lifetime_value, dan.order_count, dan.channels),
            (Decimal('125.00'), 1, "Pro"))

    @with_transaction()
    def test_malformed_facts_found(self):
        "Facts stored with malformed dates are found (and rebuilt on update)"
        OrderFact = Pool().get('urban.analytics.order.fact')
        self.known_data()
        self.assertFalse(OrderFact._malformed())
        if backend.name != 'sqlite':
            return  # a PostgreSQL date column holds only dates
        # the months as SQLite stored them before they were cast per
        # backend: CAST('2026-03-01 00:00:00' AS DATE) is 2026
        table = OrderFact.__table__()
        Transaction().connection.cursor().execute(*table.update(
                [table.month], [Cast(table.date, 'DATE')]))
        self.assertTrue(OrderFact._malformed())
        OrderFact.rebuild()
        self.assertFalse(OrderFact._malformed())
