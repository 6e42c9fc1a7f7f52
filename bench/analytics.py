"""Analytics benchmark: the back office's KPI queries on 1,000,000 order
lines in PostgreSQL.

Set-up: a database of its own (stock_setup) with urban_analytics activated,
--shops shops, --products products, --customers parties, two web shops
(app, web), a POS account; then, in bulk (INSERT ... SELECT over
generate_series, copying one row made by the ORM so that every NOT NULL
column is filled), --lines order lines over the last --days days:
55% rung up on tills (urban.pos.sale, 30% anonymous, 3% returns) and 45%
sale.sale lines (app 50%, web 35%, pro 15%), 2.5 lines per order; QR scans,
first-order coupons redeemed and one stock level per shop and product.

Each KPI is then read as the back office reads a list: search_read of the
first 1000 rows (Tryton computes a table query for the search and again
for the read) in the KPI's context, --repeat times. The KPI board, sales,
top products, stock rotation and app activations cover the current month;
sales by day also a whole year; cohorts all history; RFM at today.

The bulk load bypasses the ORM, so the KPIs' fact tables are then rebuilt
once (facts_rebuild_s=); in production every order's own writes keep them.

The manager's home board's actions are read likewise (home_*=), and
home_board_p95_ms= sums them: the board opened with its actions loaded one
after another.

Prints lines=, orders=, setup_s=, then <kpi>_p95_ms= per KPI query.
Target: every <kpi>_p95_ms <= 1000, home_board_p95_ms included.
Usage: .venv/bin/python bench/analytics.py [--lines 1000000] [--repeat 10]
"""
import argparse
import datetime as dt
import time

import stock_setup

DATABASE = 'bench_analytics'


def columns(cursor, table):
    cursor.execute("SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' "
        "ORDER BY ordinal_position", (table,))
    return [r[0] for r in cursor]


def clone(cursor, table, template_id, count, overrides):
    """Insert count copies of row template_id of table, with overrides
    {column: SQL expression of g (1..count)}; returns the first new id"""
    names = columns(cursor, table)
    values = [overrides.get(n, 't."%s"' % n) for n in names]
    cursor.execute('SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 '
        'END FROM "%s_id_seq"' % table)
    first, = cursor.fetchone()
    cursor.execute('INSERT INTO "%s" (%s) SELECT %s FROM "%s" t, '
        'generate_series(1, %d) g WHERE t.id = %d' % (
            table, ', '.join('"%s"' % n for n in names), ', '.join(values),
            table, count, template_id))
    cursor.execute('SELECT min(id) FROM "%s" WHERE id >= %%s' % table,
        (first,))
    return cursor.fetchone()[0]


def setup(args):
    from trytond.transaction import TransactionError
    extras = {}
    while True:
        try:
            base = _base(args, extras)
            break
        except TransactionError as e:
            e.fix(extras)
    return _bulk(args, *base)


def _base(args, extras):
    "The records made by the ORM, copied in bulk by _bulk"
    from decimal import Decimal as D

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    today = dt.date.today()
    with Transaction().start(DATABASE, 0, **extras) as transaction:
        pool = Pool()
        Party = pool.get('party.party')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Sale = pool.get('sale.sale')
        WebShop = pool.get('web.shop')
        Account = pool.get('urban.pos.account')
        PosSale = pool.get('urban.pos.sale')
        Promotion = pool.get('sale.promotion')
        Coupon = pool.get('sale.promotion.coupon')
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        Scan = pool.get('urban.loyalty.qr_scan')
        company_id, shops = stock_setup.create_shops(args.shops)
        with transaction.set_context(company=company_id):
            company = pool.get('company.company')(company_id)
            unit, = Uom.search([('name', '=', 'Unit')])
            templates = Template.create([{
                        'name': f"Bench {i}", 'type': 'goods',
                        'default_uom': unit.id, 'list_price': 10,
                        'salable': True, 'sale_uom': unit.id,
                        'code': f'B{i:05d}', 'products': [('create', [{}])]}
                    for i in range(args.products)])
            products = [t.products[0].id for t in templates]
            party, = Party.create([{'name': "Customer 0",
                        'addresses': [('create', [{}])]}])
            app, web = WebShop.create([
                    {'name': "App", 'company': company_id,
                        'currency': company.currency.id},
                    {'name': "Web", 'company': company_id,
                        'currency': company.currency.id}])
            account, = Account.create([{'name': "Till",
                        'company': company_id, 'connector': 'native',
                        'match_by': 'sku'}])
            promotion, = Promotion.create([{'name': "First order",
                        'company': company_id, 'formula': 'unit_price'}])
            numbers = []
            for i, shop in enumerate(shops):
                coupon, = Coupon.create([{'promotion': promotion.id,
                            'company': company_id, 'number_of_use': 1,
                            'per_party': True,
                            'numbers': [('create', [{
                                            'number': f'WELCOME-{i}',
                                            'company': company_id}])]}])
                numbers.append(coupon.numbers[0].id)
                Location.write([Location(shop)],
                    {'first_order_code': coupon.numbers[0].id})
            address = party.addresses[0]
            sale, = Sale.create([{'company': company_id,
                        'currency': company.currency.id,
                        'party': party.id, 'invoice_address': address.id,
                        'shipment_address': address.id,
                        'warehouse': shops[0], 'sale_date': today,
                        'lines': [('create', [{'type': 'line',
                                        'product': products[0],
                                        'unit': unit.id, 'quantity': 1,
                                        'unit_price': D(10)}])]}])
            pos, = PosSale.create([{'account': account.id,
                        'shop': shops[0], 'external_id': 'T0',
                        'date': dt.datetime.now(), 'state': 'booked',
                        'currency': company.currency.id,
                        'total_amount': D('12.10'), 'tax_amount': D('2.10'),
                        'lines': [('create', [{'product': products[0],
                                        'quantity': 1,
                                        'unit_price': D(10),
                                        'total_amount': D('12.10'),
                                        'tax_amount': D('2.10')}])]}])
            scan, = Scan.create([{'shop': shops[0], 'channel': 'app'}])
            supplier, = Location.search([('type', '=', 'supplier')],
                limit=1)
            move, = Move.create([{'product': products[0], 'unit': unit.id,
                        'quantity': 10, 'from_location': supplier.id,
                        'to_location': Location(shops[0]).storage_location.id,
                        'effective_date': today - dt.timedelta(days=400),
                        'unit_price': D(5), 'currency': company.currency.id,
                        'company': company_id}])
            Move.do([move])
            storages = {s: Location(s).storage_location.id for s in shops}
            base = (company_id, shops, products, party.id, app.id, web.id,
                numbers, sale.id, sale.lines[0].id, pos.id, pos.lines[0].id,
                scan.id, move.id, storages)
        transaction.commit()
    return base


def _bulk(args, company_id, shops, products, party_id, app_id, web_id,
        numbers, sale_id, sale_line_id, pos_id, pos_line_id, scan_id,
        move_id, storages):
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0) as transaction:
        cursor = transaction.connection.cursor()
        start = time.monotonic()
        n_lines = args.lines
        till_lines = int(n_lines * 0.55)
        sale_lines = n_lines - till_lines
        per_order = 2.5
        till_orders = int(till_lines / per_order)
        sale_orders = int(sale_lines / per_order)
        n_shops, n_products = len(shops), len(products)
        shop_ids = ','.join(map(str, shops))

        def shop_of(expr):
            return f'(ARRAY[{shop_ids}])[1 + ({expr}) % {n_shops}]'

        def product_of(expr):
            return f'({products[0]} + ({expr}) % {n_products})'
        # parties: ids first_party .. first_party + customers - 1
        first_party = clone(cursor, 'party_party', party_id,
            args.customers, {
                'name': "'Customer ' || g", 'code': "'BC' || g"})
        customers = args.customers
        # orders are spread over the days (g * a prime) and customers
        # (another prime) so that cohorts and recency vary
        day = f"CURRENT_DATE - ((g * 7919) % {args.days})"
        first_sale = clone(cursor, 'sale_sale', sale_id, sale_orders, {
                'party': f'{first_party} + (g * 31) % {customers}',
                'warehouse': shop_of('g'),
                'sale_date': day,
                'state': ("(ARRAY['confirmed','processing','done','done'])"
                    "[1 + g % 4]"),
                'number': "'BS' || g",
                'reference': 'NULL',
                'web_shop': f'CASE WHEN g % 20 < 10 THEN {app_id} '
                    f'WHEN g % 20 < 17 THEN {web_id} ELSE NULL END',
                'api_mode': "CASE WHEN g % 20 < 10 THEN (ARRAY["
                    "'click_collect','delivery'])[1 + g % 2] ELSE NULL END",
                'click_collect': 'g % 20 < 10 AND g % 2 = 0',
                'web_id': "CASE WHEN g % 20 < 17 THEN 'BW' || g END",
                })
        # lines: line g belongs to order (g - 1) * 2 / 5: 2.5 per order
        clone(cursor, 'sale_line', sale_line_id, sale_lines, {
                'sale': f'{first_sale} + ((g - 1) * 2 / 5) % {sale_orders}',
                'product': product_of('g * 13'),
                'quantity': '1 + g % 3',
                'unit_price': '5 + (g % 40)',
                })
        first_pos = clone(cursor, 'urban_pos_sale', pos_id, till_orders, {
                'external_id': "'BT' || g", 'number': "'BT' || g",
                'version': '1',
                'shop': shop_of('g'),
                'date': (f"({day})::timestamp + (g % 600) * interval "
                    "'1 minute'"),
                'party': f'CASE WHEN g % 10 < 3 THEN NULL ELSE '
                    f'{first_party} + (g * 37) % {customers} END',
                'is_return': 'g % 33 = 0',
                'total_amount': 'CASE WHEN g % 33 = 0 THEN -30.25 '
                    'ELSE 30.25 END',
                'tax_amount': 'CASE WHEN g % 33 = 0 THEN -5.25 ELSE 5.25 '
                    'END',
                'event': 'NULL',
                })
        pos_g = f'(1 + ((g - 1) * 2 / 5) % {till_orders})'
        returned = f'{pos_g} % 33 = 0'
        clone(cursor, 'urban_pos_sale_line', pos_line_id, till_lines, {
                'sale': f'{first_pos} - 1 + {pos_g}',
                'product': product_of('g * 17'),
                'quantity': f'CASE WHEN {returned} THEN -1 ELSE 1 END',
                'unit_price': '10',
                'total_amount': (f'CASE WHEN {returned} THEN -12.10 '
                    'ELSE 12.10 END'),
                'tax_amount': f'CASE WHEN {returned} THEN -2.10 '
                    'ELSE 2.10 END',
                })
        clone(cursor, 'urban_loyalty_qr_scan', scan_id, args.scans, {
                'shop': shop_of('g'),
                'channel': "CASE WHEN g % 10 < 7 THEN 'app' ELSE 'web' END",
                'scanned_at': f"({day})::timestamp + interval '10 hours'",
                'scan_date': f"({day})::date",
                })
        # first-order codes redeemed by 10% of app orders
        cursor.execute('INSERT INTO "sale_sale-sale_promotion_coupon_number" '
            '(sale, number, create_uid, create_date) '
            'SELECT s.id, (ARRAY[%s])[1 + s.id %%%% %d], 0, now() '
            'FROM sale_sale s WHERE s.id >= %%s AND s.api_mode IS NOT NULL '
            'AND s.id %%%% 10 = 0' % (','.join(map(str, numbers)), n_shops),
            (first_sale,))
        # stock levels: one receipt per shop and product
        for shop_id, storage in storages.items():
            clone(cursor, 'stock_move', move_id, n_products, {
                    'product': f'{products[0]} + g - 1',
                    'to_location': str(storage),
                    'quantity': '50 + g % 100',
                    'internal_quantity': '50 + g % 100',
                    'origin': 'NULL',
                    })
        transaction.commit()
        cursor.execute('ANALYZE')
        cursor.execute('SELECT count(*) FROM sale_line')
        lines, = cursor.fetchone()
        cursor.execute('SELECT count(*) FROM urban_pos_sale_line')
        lines += cursor.fetchone()[0]
        cursor.execute('SELECT (SELECT count(*) FROM sale_sale) + '
            '(SELECT count(*) FROM urban_pos_sale)')
        orders, = cursor.fetchone()
        transaction.commit()
        print(f"lines={lines}")
        print(f"orders={orders}")
        print(f"load_s={time.monotonic() - start:.1f}")
        # loaded behind the ORM's back: recompute the KPIs' fact tables
        from trytond.pool import Pool
        start = time.monotonic()
        Pool().get('urban.analytics.order.fact').rebuild()
        transaction.commit()
        cursor.execute('ANALYZE')
        transaction.commit()
        print(f"facts_rebuild_s={time.monotonic() - start:.1f}")
        return company_id, shops, first_party


def measure(args, company_id, shops, first_party):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    today = dt.date.today()
    month = dict(company=company_id, from_date=today.replace(day=1),
        to_date=today)
    year = dict(company=company_id,
        from_date=today - dt.timedelta(days=364), to_date=today)
    history = dict(company=company_id)
    queries = [
        ('kpi_board', 'urban.analytics.kpi', month, []),
        ('sales_month', 'urban.analytics.sales', month, []),
        ('sales_year', 'urban.analytics.sales', year, []),
        ('sales_year_app', 'urban.analytics.sales',
            dict(year, channel='app'), []),
        ('top_products', 'urban.analytics.top_product', month,
            [('rank', '<=', 10)]),
        ('top_products_shop', 'urban.analytics.top_product',
            dict(month, shop=shops[0]), [('rank', '<=', 10)]),
        ('stock_rotation', 'urban.analytics.stock_rotation', month, []),
        ('app_activation', 'urban.analytics.app_activation', month, []),
        ('cohort', 'urban.analytics.cohort', history, []),
        ('cohort_month', 'urban.analytics.cohort.month', history, []),
        ('rfm', 'urban.analytics.rfm', dict(history, to_date=today), []),
        ('rfm_segment', 'urban.analytics.rfm', dict(history, to_date=today),
            [('segment', '=', 'champion')]),
        ('orders_today', 'urban.analytics.order', {},
            [('today', '=', True)]),
        ('orders_week_shop', 'urban.analytics.order', {},
            [('this_week', '=', True), ('shop', '=', shops[0])]),
        ('problems', 'urban.analytics.problem', {}, []),
        ]
    # the manager's home board: its actions, as it opens them
    board = [
        ('home_scorecard_today', 'urban.analytics.scorecard',
            dict(history, period='today'), []),
        ('home_scorecard_week', 'urban.analytics.scorecard',
            dict(history, period='week'), []),
        ('home_revenue_shop_week', 'urban.analytics.sales',
            dict(history, period='week'), []),
        ('home_revenue_channel_month', 'urban.analytics.sales',
            dict(history, period='month'), []),
        ('home_revenue_weeks', 'urban.analytics.sales.week',
            dict(history, period='last_12_weeks'), []),
        ('home_collect_waiting', 'urban.analytics.order', {},
            [('collect_state', 'in', ['to_prepare', 'prepared', 'ready'])]),
        ('home_low_stock', 'urban.analytics.low_stock', history, []),
        ]
    queries += board
    board_timings = []
    with Transaction().start(DATABASE, 0, readonly=True):
        pool = Pool()
        for name, model, context, domain in queries:
            Model = pool.get(model)
            fields_names = [n for n, f in Model._fields.items()
                if not hasattr(f, 'get') or n == 'id']
            timings = []
            with Transaction().set_context(context):
                for _ in range(args.repeat):
                    start = time.monotonic()
                    rows = Model.search_read(domain, limit=1000,
                        fields_names=fields_names)
                    timings.append((time.monotonic() - start) * 1000)
            print(f"{name}_rows={len(rows)}")
            print(f"{name}_p95_ms={stock_setup.percentile(timings, 95):.0f}")
            if name.startswith('home_'):
                board_timings.append(timings)
        # the whole board, its actions one after another (sao loads them at
        # once, on as many server workers as there are)
        print("home_board_p95_ms=%.0f" % stock_setup.percentile(
                [sum(t) for t in zip(*board_timings)], 95))
        Party = pool.get('party.party')
        timings = []
        for i in range(args.repeat):
            party = Party(first_party + i * 97)
            start = time.monotonic()
            Party.read([party.id], ['lifetime_value', 'order_count',
                    'favourite_shop', 'channels', 'first_order_date',
                    'last_order_date', 'coupons_used', 'app_installed'])
            timings.append((time.monotonic() - start) * 1000)
        print(f"customer_360_p95_ms="
            f"{stock_setup.percentile(timings, 95):.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--lines', type=int, default=1_000_000)
    parser.add_argument('--shops', type=int, default=10)
    parser.add_argument('--products', type=int, default=500)
    parser.add_argument('--customers', type=int, default=60_000)
    parser.add_argument('--scans', type=int, default=50_000)
    parser.add_argument('--days', type=int, default=365)
    parser.add_argument('--repeat', type=int, default=10)
    args = parser.parse_args()
    start = time.monotonic()
    stock_setup.prepare(DATABASE, modules=('urban_analytics',))
    company_id, shops, first_party = setup(args)
    print(f"setup_s={time.monotonic() - start:.1f}")
    measure(args, company_id, shops, first_party)


if __name__ == '__main__':
    main()
