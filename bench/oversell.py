"""Oversell benchmark: N concurrent buyers race for U units of one product
in one shop.

Each buyer runs its own Tryton transaction on its own PostgreSQL
connection (READ COMMITTED, `urban_stock.reservation.checkout_transaction`)
and calls `Reservation.reserve()`; all start together behind a barrier.
Buyers are threads spread over --processes worker processes, as requests
are spread over trytond workers behind nginx in production (threads of one
process would mostly measure Python's GIL): 4 by default, the production
recipe's WEB_CONCURRENCY on a machine of this size. At most --connections
transactions are open at once (5 per process by default, more than the
one a sync worker has in flight: more contention than production); the
others wait for a connection, and that wait is part of their latency.
Refused buyers commit, as the API does when it answers 409. (With 8
processes and 40 connections on 2 cores, 48 processes share the cores and
the scheduler's time slices, not the reservations, set the tail.)

Prints orders= (successful reservations), oversold= (units reserved beyond
the stock), refused=, errors=, p50_ms=, p95_ms=, max_ms= (per buyer, from
the barrier to commit or refusal).

Usage: .venv/bin/python bench/oversell.py [--buyers 200] [--units 20]
    [--connections 20] [--processes 4]
Runtime: ~2 min the first time after a change of our modules (activation,
then cached under var/bench-cache), ~15 s afterwards.
"""
import argparse
import datetime as dt
import multiprocessing
import threading
import time
import traceback

import stock_setup

DATABASE = 'bench_oversell'
WARM_RUNS = 12


def run_buyers(numbers, barrier, results, product, warm_product, shop,
        company, maxconn):
    "Worker process: one thread per buyer number"
    from trytond import backend
    from trytond.exceptions import UserError
    from trytond.pool import Pool

    from urban_stock.reservation import checkout_transaction

    # Warm this process outside the measure, as a trytond worker that has
    # served traffic is: a few orders committed on each connection of its
    # pool, of another product of the shop (psycopg prepares a statement
    # after its 5th run on a connection, and forgets them all at a
    # ROLLBACK: the warm orders are committed, as served orders are), and
    # the server facts trytond fetches once per process on a connection of
    # its own (has_returning, ...), which a saturated pool could not give.
    def warm(runs=WARM_RUNS):
        for _ in range(runs):
            with checkout_transaction(DATABASE, 0,
                    context={'company': company}) as transaction:
                Pool().get('urban.stock.reservation').reserve(
                    [(warm_product, 1)], shop, reference='warm')
                transaction.commit()
    # first alone: the server facts' own connection cannot wait behind
    # connections that wait for the warm-up article's lock
    warm(1)
    warmers = [threading.Thread(target=warm) for _ in range(maxconn)]
    for thread in warmers:
        thread.start()
    for thread in warmers:
        thread.join()

    def buyer(i):
        barrier.wait()
        start = time.perf_counter()
        try:
            with checkout_transaction(DATABASE, 0,
                    context={'company': company}) as transaction:
                Reservation = Pool().get('urban.stock.reservation')
                try:
                    Reservation.reserve([(product, 1)], shop,
                        reference=f'buyer-{i}')
                    transaction.commit()
                    outcome = 'order'
                except UserError:
                    # committed, as the API does when it answers 409 (the
                    # refusal left nothing behind)
                    transaction.commit()
                    outcome = 'refused'
        except backend.DatabaseOperationalError:
            traceback.print_exc()
            outcome = 'error'
        results.put((outcome, (time.perf_counter() - start) * 1000))

    threads = [threading.Thread(target=buyer, args=(i,)) for i in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--buyers', type=int, default=200)
    parser.add_argument('--units', type=int, default=20)
    parser.add_argument('--connections', type=int, default=20)
    parser.add_argument('--processes', type=int, default=4)
    args = parser.parse_args()
    processes = max(1, min(args.processes, args.buyers))
    maxconn = max(1, args.connections // processes)
    stock_setup.prepare(DATABASE, maxconn=maxconn)

    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with Transaction().start(DATABASE, 0) as transaction:
        pool = Pool()
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Location = pool.get('stock.location')
        Move = pool.get('stock.move')
        company, (shop,) = stock_setup.create_shops(1)
        unit, = Uom.search([('name', '=', 'Unit')])
        template, warm_template = Template.create([{
                    'name': name, 'type': 'goods',
                    'default_uom': unit.id, 'products': [('create', [{}])]}
                for name in ["Limited edition", "Warm-up article"]])
        product = template.products[0].id
        warm_product = warm_template.products[0].id
        lost, = Location.search([('type', '=', 'lost_found')], limit=1)
        with Transaction().set_context(company=company):
            Move.do(Move.create([{
                            'product': product_id, 'unit': unit.id,
                            'quantity': quantity, 'from_location': lost.id,
                            'to_location': Location(shop).storage_location.id,
                            'effective_date': dt.date.today()}
                    for product_id, quantity in [(product, args.units),
                        (warm_product, 10 * WARM_RUNS * args.connections)]]))
        transaction.commit()

    context = multiprocessing.get_context('fork')
    barrier = context.Barrier(args.buyers)
    results = context.Queue()
    # Tryton keeps one connection pool per process id: each child opens its
    # own connections after the fork.
    workers = [context.Process(target=run_buyers, args=(
                range(i, args.buyers, processes), barrier, results,
                product, warm_product, shop, company, maxconn))
        for i in range(processes)]
    wall = time.perf_counter()
    for worker in workers:
        worker.start()
    latencies, outcomes = [], []
    for _ in range(args.buyers):
        outcome, elapsed = results.get()
        latencies.append(elapsed)
        outcomes.append(outcome)
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - wall

    with Transaction().start(DATABASE, 0) as transaction:
        Reservation = Pool().get('urban.stock.reservation')
        reserved = sum(r.quantity for r in Reservation.search([
                    ('product', '=', product), ('state', '=', 'reserved')]))
    print(f"buyers={args.buyers}")
    print(f"units={args.units}")
    print(f"connections={args.connections}")
    print(f"processes={processes}")
    print(f"orders={outcomes.count('order')}")
    print(f"oversold={max(0, int(reserved) - args.units)}")
    print(f"refused={outcomes.count('refused')}")
    print(f"errors={outcomes.count('error')}")
    print(f"p50_ms={stock_setup.percentile(latencies, 50):.1f}")
    print(f"p95_ms={stock_setup.percentile(latencies, 95):.1f}")
    print(f"max_ms={max(latencies):.1f}")
    print(f"wall_s={wall:.2f}")


if __name__ == '__main__':
    main()
