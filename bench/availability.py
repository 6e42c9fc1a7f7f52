"""Availability benchmark: available-to-promise of a page of products in
every shop, on a generated catalogue.

Generates (bulk SQL) --products products, each stocked in most of the
--shops shops (done moves), with some assigned moves out and some active
reservations, then times `urban_stock.availability.for_products(page)`
(one SQL query) for random pages of --page consecutive products over all
active warehouses.

Prints products=, locations=, page=, moves=, p50_ms=, p95_ms=.

Usage: .venv/bin/python bench/availability.py [--products 20000]
    [--shops 7] [--page 24] [--iterations 500]
Runtime: ~2 min the first time after a change of our modules (activation,
then cached under var/bench-cache), ~30 s afterwards (data generation
~10 s, measure ~5 s).
"""
import argparse
import random
import time

import stock_setup

DATABASE = 'bench_availability'


def generate(args):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Location = pool.get('stock.location')
    Uom = pool.get('product.uom')
    company, shops = stock_setup.create_shops(args.shops, buffer=1)
    # only our shops are warehouses: Tryton's default one is retired
    Location.write(Location.search([
                ('type', '=', 'warehouse'), ('id', 'not in', shops)]),
        {'active': False})
    unit, = Uom.search([('name', '=', 'Unit')])
    lost, = Location.search([('type', '=', 'lost_found')], limit=1)
    customer, = Location.search([('type', '=', 'customer')], limit=1)
    storages = [Location(s).storage_location.id for s in shops]
    cursor = Transaction().connection.cursor()
    cursor.execute(
        "INSERT INTO product_template "
        "(name, type, default_uom, active, consumable, create_uid, "
        "create_date) "
        "SELECT 'Bench product ' || g, 'goods', %s, true, false, 0, now() "
        "FROM generate_series(1, %s) g", (unit.id, args.products))
    cursor.execute(
        "INSERT INTO product_product (template, active, create_uid, "
        "create_date) SELECT id, true, 0, now() FROM product_template "
        "WHERE name LIKE 'Bench product %%'")
    values = ', '.join('(%d)' % s for s in storages)
    # stock in (0 to 12 units, a quarter of pairs out of stock)
    cursor.execute(
        "INSERT INTO stock_move (product, unit, quantity, internal_quantity, "
        "from_location, to_location, state, company, effective_date, "
        "planned_date, create_uid, create_date) "
        "SELECT p.id, %s, q, q, %s, w.storage, 'done', %s, current_date, "
        "current_date, 0, now() FROM product_product p "
        f"CROSS JOIN (VALUES {values}) w(storage) "
        "CROSS JOIN LATERAL (SELECT floor(random() * 16)::int - 3 "
        "+ 0 * p.id + 0 * w.storage AS q) r WHERE r.q > 0",
        (unit.id, lost.id, company))
    # some sales already assigned (reserved by Tryton shipments)
    cursor.execute(
        "INSERT INTO stock_move (product, unit, quantity, internal_quantity, "
        "from_location, to_location, state, company, planned_date, "
        "create_uid, create_date) "
        "SELECT product, unit, 1, 1, to_location, %s, 'assigned', company, "
        "current_date, 0, now() FROM stock_move "
        "WHERE state = 'done' AND random() < 0.1", (customer.id,))
    # some checkouts in progress
    cursor.execute(
        "INSERT INTO urban_stock_reservation (product, warehouse, quantity, "
        "kind, state, expires_at, create_uid, create_date) "
        "SELECT m.product, w.id, 1, 'checkout', 'reserved', "
        "now() + interval '30 minutes', 0, now() FROM stock_move m "
        "JOIN stock_location w ON w.storage_location = m.to_location "
        "WHERE m.state = 'done' AND random() < 0.05")
    cursor.execute("SELECT count(*) FROM stock_move")
    moves, = cursor.fetchone()
    cursor.execute(
        "SELECT p.id FROM product_product p JOIN product_template t "
        "ON t.id = p.template WHERE t.name LIKE 'Bench product %%' "
        "ORDER BY p.id")
    product_ids = [r[0] for r in cursor]
    return shops, product_ids, moves


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--products', type=int, default=20000)
    parser.add_argument('--shops', type=int, default=7)
    parser.add_argument('--page', type=int, default=24)
    parser.add_argument('--iterations', type=int, default=500)
    args = parser.parse_args()
    stock_setup.prepare(DATABASE)

    from trytond.transaction import Transaction

    from urban_stock import availability

    start = time.monotonic()
    with Transaction().start(DATABASE, 0) as transaction:
        shops, product_ids, moves = generate(args)
        transaction.commit()
    with Transaction().start(DATABASE, 0, autocommit=True) as transaction:
        transaction.connection.cursor().execute('ANALYZE')
    import sys
    print(f"setup_data_s={time.monotonic() - start:.1f}", file=sys.stderr)

    rng = random.Random(42)
    latencies = []
    locations = set()
    with Transaction().start(DATABASE, 0, readonly=True):
        for i in range(args.iterations + 20):
            offset = rng.randrange(0, len(product_ids) - args.page)
            page = product_ids[offset:offset + args.page]
            begin = time.perf_counter()
            result = availability.for_products(page)
            elapsed = (time.perf_counter() - begin) * 1000
            if i >= 20:     # warm-up
                latencies.append(elapsed)
            locations.update(w for _, w in result)
            assert set(result.totals) == set(page)
    print(f"products={len(product_ids)}")
    print(f"locations={len(locations)}")
    print(f"page={args.page}")
    print(f"moves={moves}")
    print(f"p50_ms={stock_setup.percentile(latencies, 50):.2f}")
    print(f"p95_ms={stock_setup.percentile(latencies, 95):.2f}")


if __name__ == '__main__':
    main()
