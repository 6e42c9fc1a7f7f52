"""Recommendations benchmark: build time, time per request and an offline
hit rate on 1,000,000 order lines in PostgreSQL.

Set-up: a database of its own (stock_setup) with urban_analytics
activated, --products products in 10 universes, and --lines line facts
(the recommender's only input, urban_analytics/fact.py) written in bulk
over the last 365 days by --customers customers, 2.5 lines per order. The
purchases have a structure, as a shop's have: products come in "looks" of
5 (a vase, its candle, its tray...); each customer has two favourite
looks and buys from them 70% of the time, else any product of the
universe of the first look (30% of the orders are anonymous till sales,
a basket each).

Measured:
- build_s=: `Recommendation.rebuild()` on the history before the last 30
  days (target <= 60 s);
- p95_ms_request=: what one request costs in SQL besides the catalogue's
  own checks (publication, availability: bench/availability.py): the
  related products of a product page, and the "for you" seeds of a
  customer plus their related products (target <= 15 ms);
- hit_rate= and hit_rate_baseline=: of the customers who bought in the
  held-back last 30 days something they had not bought before, the share
  whose next purchase is in the top 10 proposed from their history
  (related products completed by best sellers), against the top 10 best
  sellers of the universes they bought from; the recommendations must
  beat the baseline.

Usage: .venv/bin/python bench/recommendations.py [--lines 1000000]
    [--customers 60000] [--products 500] [--sample 2000]
"""
import argparse
import datetime as dt
import random
import time

import stock_setup

DATABASE = 'bench_recommendations'
LOOK = 5
UNIVERSES = 10
HELD_BACK_DAYS = 30


def create_catalogue(count):
    "count templates in UNIVERSES universes; returns [(template, product)]"
    from trytond.pool import Pool
    pool = Pool()
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', 'Unit')])
    universes = Category.create([{'name': "Universe %d" % u,
                'universe': True, 'code': 'u%d' % u}
            for u in range(UNIVERSES)])
    templates = Template.create([{'name': "Product %d" % i, 'type': 'goods',
                'default_uom': unit.id, 'code': 'P%d' % i,
                'universe': universes[(i // LOOK) % UNIVERSES].id,
                'products': [('create', [{}])]}
            for i in range(count)])
    return [(t.id, t.products[0].id) for t in templates]


def write_lines(cursor, args, first_product, company):
    """The line facts, in one INSERT ... SELECT: product ids are
    first_product + index (created in one call, consecutive)"""
    looks = args.products // LOOK
    per_universe = looks // UNIVERSES
    orders = int(args.lines / 2.5)
    cursor.execute('DELETE FROM urban_analytics_line_fact')
    # order g: customer, day, anonymous or not; its 2 or 3 lines
    cursor.execute(f'''
        WITH o AS (
            SELECT g,
                (g * 7919) % {args.customers} AS customer,
                (g * 104729) % 10 < 3 AS anonymous,
                CURRENT_DATE - ((g * 31) % 365)::int AS day
            FROM generate_series(1::bigint, {orders}) AS g),
        c AS (
            SELECT o.*,
                (customer * 37) % {looks} AS look1,
                (customer * 53 + 7) % {looks} AS look2
            FROM o),
        l AS (
            SELECT c.*, n, random() AS r, random() AS pick, random() AS wide
            FROM c, generate_series(1, 3) AS n
            WHERE n <= 2 + (c.g % 2))
        INSERT INTO urban_analytics_line_fact
            (order_, company, channel, shop, date, party, product,
                quantity, amount, is_return)
        SELECT g * 4 + 2, {company}, 'till', 1, day,
            CASE WHEN anonymous THEN NULL ELSE customer + 1 END,
            {first_product} + CASE
                WHEN r < 0.35 THEN look1 * {LOOK} + floor(pick * {LOOK})
                WHEN r < 0.7 THEN look2 * {LOOK} + floor(pick * {LOOK})
                -- any look of the first look's universe
                ELSE ((look1 % {UNIVERSES})
                    + {UNIVERSES} * floor(wide * {per_universe}))
                    * {LOOK} + floor(pick * {LOOK})
                END,
            1, 10, FALSE
        FROM l''')
    cursor.execute('ANALYZE urban_analytics_line_fact')


def measure_requests(args, templates):
    from trytond.pool import Pool

    from urban_analytics.recommend import bought_by
    rng = random.Random(1)
    timings = []
    Recommendation = Pool().get('urban.analytics.recommendation')
    for i in range(args.sample):
        start = time.perf_counter()
        if i % 2:
            Recommendation.related([rng.choice(templates)[0]])
        else:
            seeds = bought_by(rng.randrange(args.customers) + 1)
            Recommendation.related(seeds)
        timings.append(time.perf_counter() - start)
    return 1000 * stock_setup.percentile(timings, 95)


def hit_rates(args, templates, cursor):
    """(recommendations, baseline, customers): shares of next purchases
    (the held-back lines, table held) in the top 10"""
    from trytond.pool import Pool

    from urban_analytics.recommend import best_sellers
    template_of = {p: t for t, p in templates}
    Recommendation = Pool().get('urban.analytics.recommendation')
    Template = Pool().get('product.template')
    before, after = {}, {}
    for table, found in [('urban_analytics_line_fact', before),
            ('held', after)]:
        cursor.execute('SELECT party, product FROM %s '
            'WHERE party IS NOT NULL' % table)
        for party, product in cursor:
            found.setdefault(party, set()).add(template_of[product])
    universe = {t.id: t.universe.id for t in Template.browse(
            [t for t, _ in templates])}
    customers = [p for p in sorted(after)
        if p in before and after[p] - before[p]]
    rng = random.Random(2)
    sample = rng.sample(customers, min(args.sample, len(customers)))
    hits = baseline_hits = 0
    for party in sample:
        owned, wanted = before[party], after[party] - before[party]
        proposed = [t for t in Recommendation.related(list(owned))
            if t not in owned]
        universes = {universe[t] for t in owned}
        sellers = [t for t in best_sellers(universes) if t not in owned]
        top = (proposed + [t for t in sellers if t not in proposed])[:10]
        hits += bool(wanted & set(top))
        baseline_hits += bool(wanted & set(sellers[:10]))
    return hits / len(sample), baseline_hits / len(sample), len(sample)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--lines', type=int, default=1_000_000)
    parser.add_argument('--customers', type=int, default=60_000)
    parser.add_argument('--products', type=int, default=500)
    parser.add_argument('--sample', type=int, default=2000)
    args = parser.parse_args()
    start = time.monotonic()
    stock_setup.prepare(DATABASE, modules=('urban_analytics',))
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0) as transaction:
        company = create_company()
        templates = create_catalogue(args.products)
        write_lines(transaction.connection.cursor(), args, templates[0][1],
            company.id)
        transaction.commit()
    print(f"lines={args.lines}")
    print(f"setup_s={time.monotonic() - start:.1f}")
    # the held-back month is known neither to the build nor to the best
    # sellers: set aside in a temporary table, the whole run rolled back
    cutoff = dt.date.today() - dt.timedelta(days=HELD_BACK_DAYS)
    with Transaction().start(DATABASE, 0) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('CREATE TEMP TABLE held AS SELECT * FROM '
            'urban_analytics_line_fact WHERE date >= %s', (cutoff,))
        cursor.execute('DELETE FROM urban_analytics_line_fact '
            'WHERE date >= %s', (cutoff,))
        cursor.execute('ANALYZE urban_analytics_line_fact')
        start = time.perf_counter()
        Pool().get('urban.analytics.recommendation').rebuild()
        print(f"build_s={time.perf_counter() - start:.1f}", flush=True)
        cursor.execute('ANALYZE urban_analytics_recommendation')
        print(f"p95_ms_request={measure_requests(args, templates):.1f}",
            flush=True)
        rate, baseline, sampled = hit_rates(args, templates, cursor)
        print(f"customers_sampled={sampled}")
        print(f"hit_rate={rate:.3f}")
        print(f"hit_rate_baseline={baseline:.3f}")


if __name__ == '__main__':
    main()
