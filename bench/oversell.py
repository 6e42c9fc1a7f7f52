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

The race is run --rounds times (5), each for its own product with its own
units, and the figures are over every buyer of every round.

Prints roundN_p95_ms=, then orders= (successful reservations), oversold=
(units reserved beyond the stock), refused=, errors=, p50_ms=, p95_ms=,
max_ms= (per buyer, from the barrier to commit or refusal).

Usage: .venv/bin/python bench/oversell.py [--buyers 200] [--units 20]
    [--connections 20] [--processes 4] [--rounds 5]
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
    parser.add_argument('--rounds', type=int, default=5,
        help="races, each for its own product: one race of 200 buyers "
        "lasts a second, its p95 varies by a third from run to run")
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
        names = ["Warm-up article"] + [
            "Limited edition %s" % (n + 1) for n in range(args.rounds)]
        templates = Template.create([{
                    'name': name, 'type': 'goods',
                    'default_uom': unit.id, 'products': [('create', [{}])]}
                for name in names])
        warm_product = templates[0].products[0].id
        products = [t.products[0].id for t in templates[1:]]
        lost, = Location.search([('type', '=', 'lost_found')], limit=1)
        with Transaction().set_context(company=company):
            Move.do(Move.create([{
                            'product': product_id, 'unit': unit.id,
                            'quantity': quantity, 'from_location': lost.id,
                            'to_location': Location(shop).storage_location.id,
                            'effective_date': dt.date.today()}
                    for product_id, quantity in [(warm_product,
                            10 * WARM_RUNS * args.connections
                            * args.rounds)]
                    + [(p, args.units) for p in products]]))
        transaction.commit()

    latencies, outcomes, oversold, walls = [], [], 0, []
    for number, product in enumerate(products, 1):
        round_latencies, round_outcomes, wall = race(
            args, processes, maxconn, product, warm_product, shop, company)
        with Transaction().start(DATABASE, 0):
            Reservation = Pool().get('urban.stock.reservation')
            reserved = sum(r.quantity for r in Reservation.search([
                        ('product', '=', product),
                        ('state', '=', 'reserved')]))
        oversold += max(0, int(reserved) - args.units)
        print(f"round{number}_p95_ms="
            f"{stock_setup.percentile(round_latencies, 95):.1f}")
        latencies += round_latencies
        outcomes += round_outcomes
        walls.append(wall)
    print(f"buyers={args.buyers}")
    print(f"units={args.units}")
    print(f"rounds={args.rounds}")
    print(f"connections={args.connections}")
    print(f"processes={processes}")
    print(f"orders={outcomes.count('order')}")
    print(f"oversold={oversold}")
    print(f"refused={outcomes.count('refused')}")
    print(f"errors={outcomes.count('error')}")
    print(f"p50_ms={stock_setup.percentile(latencies, 50):.1f}")
    print(f"p95_ms={stock_setup.percentile(latencies, 95):.1f}")
    print(f"max_ms={max(latencies):.1f}")
    print(f"wall_s={sum(walls) / len(walls):.2f}")


def race(args, processes, maxconn, product, warm_product, shop, company):
    "One race of args.buyers for the product: (latencies, outcomes, wall)"
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
    return latencies, outcomes, time.perf_counter() - wall


if __name__ == '__main__':
    main()
