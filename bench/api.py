"""App API benchmark: /api/v1 catalogue page and product detail on a
20,000-product catalogue, beside Tryton's own web_shop_vue_storefront
routes on the same data, in the same run.

Set-up (cached under var/bench-cache after the first run): the demo
business on PostgreSQL (every urban_* module), web_shop_vue_storefront
activated on top, and the demo's app-published products cloned in SQL up
to --products templates, with their variants, prices, channel publication,
web shop listing, translations (names, slugs, descriptions), pictures with
their WebP renditions and stock moves (so every clone has stock in the
shops and availability to compute); then the API's product documents are
built (ProductDocument.fill, as after any load behind the ORM).

Serving: gunicorn with --workers sync workers running trytond's WSGI app,
as the production recipe does (docker/). Load: asyncio/aiohttp clients in
this process, keep-alive, no conditional requests (every response is
computed in full).

Routes measured:
- catalogue: GET /api/v1/products?limit=24 (pages of each universe, in
  several sorts, first and second page), the app's product list;
- product: GET /api/v1/products/<id> (random published product): variants,
  prices with VAT, availability per shop, renditions, translations;
- vsf_list: GET /<db>/web_shop_vue_storefront/<shop>/stock/list?skus=...
  with the SKUs of the same catalogue pages: vue_storefront has no product
  list route (its catalogue is pushed to Elasticsearch), this is its
  nearest page-sized product route;
- vsf_product: GET /<db>/web_shop_vue_storefront/<shop>/stock/check/<sku>,
  its product route (stock of one product).

The server runs with the production setting of the API's micro-cache
([urban] api_cache_ttl, default 5 s: public catalogue responses reused for
that long per worker); our two routes are then measured again on a server
without it (uncached_*), so both figures are always in the output.

Prints products=, workers=, api_cache_ttl=, then for each route
ROUTE_p50_ms= and ROUTE_p95_ms= at 1 client, ROUTE_rps_1=, ROUTE_rps_32=
and ROUTE_p95_ms_32=, and speedup_vs_vsf= (our product route's req/s over
vue_storefront's product route at 32 clients),
speedup_catalogue_vs_vsf_list= and speedup_vs_vsf_uncached=.
Targets (issue 25, without the micro-cache): uncached_catalogue_p95_ms
<= 15, uncached_catalogue_rps_32 >= 150, speedup_vs_vsf_uncached >= 10.

Usage: .venv/bin/python bench/api.py [--products 20000] [--workers 4]
    [--requests 200] [--seconds 8] [--clients 32] [--cache-ttl 5]
"""
import argparse
import asyncio
import os
import pathlib
import random
import socket
import subprocess
import sys
import tempfile
import time

import stock_setup
from urbantherapy.ports import free_port

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATABASE = 'bench_api'
CHANNEL = 'app'
TRANSLATED = ('name', 'slug', 'description_long', 'web_shop_description')


# ------------------------------------------------------------------ set-up

def build(products):
    """The demo database with vue_storefront and products templates; from
    the cache when it was built before."""
    stock_setup.configure(DATABASE)
    from trytond.tests.test_tryton import (
        backup_db_cache, drop_db, restore_db_cache)

    from urbantherapy.testing import URBAN_MODULES
    name = '-'.join(URBAN_MODULES) + '--demo--api%s' % products
    drop_db()
    if restore_db_cache(name):
        analyze()  # a restored dump has no planner statistics
        # nor the database's settings
        stock_setup.apply_production_settings(DATABASE)
        stock_setup.print_environment(DATABASE)
        return
    stock_setup.prepare(DATABASE, demo=True)
    activate_vue_storefront()
    clone_catalogue(products)
    fill_documents()
    analyze()
    backup_db_cache(name)


def fill_documents():
    """Build the API's product documents and catalogue listing of the
    clones: loaded behind the ORM, they queued none and wrote no listing
    rows (as after any SQL import)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    start = time.monotonic()
    with Transaction().start(DATABASE, 0) as transaction:
        Pool().get('urban.api.product.listing').fill()
        Pool().get('urban.api.product.document').fill()
        transaction.commit()
    print(f"documents_fill_s={time.monotonic() - start:.1f}", file=sys.stderr)


def analyze():
    "Planner statistics and visibility map, as autovacuum keeps them"
    import psycopg
    with psycopg.connect('postgresql://postgres@127.0.0.1:5432/'
            + DATABASE, autocommit=True) as connection:
        connection.execute('VACUUM ANALYZE')


def activate_vue_storefront():
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0) as transaction:
        pool = Pool()
        Module = pool.get('ir.module')
        Module.activate(Module.search(
                [('name', '=', 'web_shop_vue_storefront')]))
        transaction.commit()
        ActivateUpgrade = pool.get('ir.module.activate_upgrade',
            type='wizard')
        session_id, _, _ = ActivateUpgrade.create()
        transaction.commit()
        ActivateUpgrade(session_id).transition_upgrade()
        ActivateUpgrade.delete(session_id)
        transaction.commit()


def _columns(cursor, table):
    cursor.execute("SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s", (table,))
    return [r[0] for r in cursor.fetchall()]


def _copy(cursor, table, source_join, overrides, where='TRUE'):
    """INSERT INTO table a copy of its rows joined to a mapping
    (source_join: 'JOIN map m ON src.x = m.old'), with column
    expressions overridden (the rest copied from src)"""
    columns = [c for c in _columns(cursor, table)
        if c != 'id' or 'id' in overrides]
    if not columns:  # a table of a module that is not activated
        return 0
    exprs = [overrides.get(c, 'src."%s"' % c) for c in columns]
    cursor.execute('INSERT INTO "%s" (%s) SELECT %s FROM "%s" AS src %s '
        'WHERE %s' % (table, ', '.join('"%s"' % c for c in columns),
            ', '.join(exprs), table, source_join, where))
    return cursor.rowcount


def clone_catalogue(products):
    "Clone the app-published templates in SQL up to products templates"
    from trytond.transaction import Transaction
    start = time.monotonic()
    with Transaction().start(DATABASE, 0) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(
            'SELECT r.template FROM "product_template-urban_channel" r '
            'JOIN urban_channel c ON c.id = r.channel '
            'JOIN product_template t ON t.id = r.template '
            'WHERE c.code = %s AND t.active AND t.salable ORDER BY 1',
            (CHANNEL,))
        sources = [r[0] for r in cursor.fetchall()]
        cursor.execute('SELECT count(*) FROM product_template')
        missing = products - cursor.fetchone()[0]
        copies = -(-missing // len(sources))
        cursor.execute(
            'CREATE TEMP TABLE tmap AS SELECT t.id AS old, g.n, '
            "nextval('product_template_id_seq')::int AS new "
            'FROM product_template t CROSS JOIN generate_series(1, %s) g(n) '
            'WHERE t.id = ANY(%s)', (copies, sources))
        cursor.execute(
            'DELETE FROM tmap WHERE (n, old) IN (SELECT n, old FROM tmap '
            'ORDER BY n DESC, old DESC LIMIT %s)',
            (copies * len(sources) - missing,))
        cursor.execute(
            'CREATE TEMP TABLE pmap AS SELECT p.id AS old, m.n, '
            "nextval('product_product_id_seq')::int AS new, "
            'm.new AS template FROM product_product p '
            'JOIN tmap m ON m.old = p.template')
        cursor.execute(
            'CREATE TEMP TABLE imap AS SELECT i.id AS old, '
            "nextval('product_image_id_seq')::int AS new, "
            'tm.new AS template, pm.new AS product '
            'FROM product_image i JOIN tmap tm ON tm.old = i.template '
            'LEFT JOIN pmap pm ON pm.old = i.product AND pm.n = tm.n')
        suffix = " || '-' || m.n"
        _copy(cursor, 'product_template', 'JOIN tmap m ON m.old = src.id', {
                'id': 'm.new', 'name': "src.name || ' ' || m.n",
                'code': 'src.code' + suffix, 'slug': 'src.slug' + suffix})
        _copy(cursor, 'product_product', 'JOIN pmap m ON m.old = src.id', {
                'id': 'm.new', 'template': 'm.template',
                'code': 'src.code' + suffix})
        for table in ['product_template-urban_channel',
                'product_template-product_category']:
            _copy(cursor, table, 'JOIN tmap m ON m.old = src.template',
                {'template': 'm.new'})
        for table in ['product_list_price', 'product_cost_price_method',
                'product_lead_time', 'product_gross_price']:
            if not _columns(cursor, table):
                continue
            if 'product' in _columns(cursor, table):
                _copy(cursor, table, 'JOIN tmap m ON m.old = src.template',
                    {'template': 'm.new'}, where='src.product IS NULL')
                _copy(cursor, table, 'JOIN pmap m ON m.old = src.product',
                    {'template': 'm.template', 'product': 'm.new'})
            else:
                _copy(cursor, table, 'JOIN tmap m ON m.old = src.template',
                    {'template': 'm.new'})
        for table in ['product_cost_price', 'web_shop-product_product',
                'stock_move']:
            _copy(cursor, table, 'JOIN pmap m ON m.old = src.product',
                {'product': 'm.new'})
        _copy(cursor, 'product_image', 'JOIN imap m ON m.old = src.id', {
                'id': 'm.new', 'template': 'm.template',
                'product': 'm.product'})
        _copy(cursor, 'urban_product_image_rendition',
            'JOIN imap m ON m.old = src.image', {'image': 'm.new'})
        for field in TRANSLATED:
            value = ('src.value' + suffix if field == 'slug'
                else "src.value || ' ' || m.n" if field == 'name'
                else 'src.value')
            _copy(cursor, 'ir_translation',
                'JOIN tmap m ON m.old = src.res_id',
                {'res_id': 'm.new', 'value': value},
                where="src.name = 'product.template,%s'" % field)
        # vue_storefront reads an identifier per product and template
        for table, model in [('product_product', 'product.product'),
                ('product_template', 'product.template')]:
            cursor.execute(
                'WITH ins AS (INSERT INTO web_shop_vsf_identifier '
                '(record, create_uid, create_date) '
                "SELECT '%s,' || id, 0, now() FROM %s "
                'WHERE vsf_identifier IS NULL RETURNING id, record) '
                'UPDATE %s AS r SET vsf_identifier = ins.id FROM ins '
                "WHERE ins.record = '%s,' || r.id" % (
                    model, table, table, model))
        for table in ['product_template', 'product_product', 'stock_move',
                'ir_translation', 'product_list_price', 'product_image',
                'web_shop-product_product', 'product_template-urban_channel']:
            cursor.execute('ANALYZE "%s"' % table)
        transaction.commit()
    print(f"clone_s={time.monotonic() - start:.1f}", file=sys.stderr)


def targets(pages_per_universe=6, product_count=400):
    """Product ids, the SKUs of those products and the vue_storefront shop
    name"""
    import psycopg
    with psycopg.connect('postgresql://postgres@127.0.0.1:5432/'
            + DATABASE) as connection:
        shop, = connection.execute(
            'SELECT name FROM web_shop ORDER BY id LIMIT 1').fetchone()
        templates = [r[0] for r in connection.execute(
                'SELECT r.template FROM "product_template-urban_channel" r '
                'JOIN urban_channel c ON c.id = r.channel '
                'WHERE c.code = %s ORDER BY random() LIMIT %s',
                (CHANNEL, product_count))]
        skus = {}
        for template, code in connection.execute(
                'SELECT template, code FROM product_product '
                'WHERE active AND code IS NOT NULL'):
            skus.setdefault(template, []).append(code)
    return shop, templates, skus


# ---------------------------------------------------------------- serving

def serve(workers, port, cache_ttl):
    config = tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False)
    config.write('[database]\nuri = postgresql://postgres@127.0.0.1:5432/\n'
        '[urban]\ndatabase = %s\napi_cache_ttl = %s\n'
        '[cache]\nclean_timeout = 0\n'
        '[wsgi middleware]\nurban = urbantherapy.wsgi.PlatformMiddleware\n'
        % (DATABASE, cache_ttl))
    config.close()
    env = dict(os.environ, TRYTOND_CONFIG=config.name,
        TRYTOND_DATABASE_NAMES=DATABASE, PYTHONPATH=str(ROOT))
    for name in ['TRYTOND_DATABASE__URI', 'DB_NAME', 'DB_CACHE']:
        env.pop(name, None)
    process = subprocess.Popen([
            str(pathlib.Path(sys.executable).parent / 'gunicorn'),
            '--bind', '127.0.0.1:%s' % port, '--workers', str(workers),
            '--timeout', '120', '--log-level', 'warning',
            'trytond.application:app'], env=env, cwd=str(ROOT))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), 1).close()
            return process
        except OSError:
            time.sleep(.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


# ------------------------------------------------------------------- load

async def _fetch(session, base, path):
    start = time.perf_counter()
    async with session.get(base + path,
            headers={'Accept-Language': 'fr'}) as response:
        body = await response.read()
        if response.status != 200 or b'"code": 500' in body[:40]:
            raise RuntimeError('%s %s: %s' % (
                    response.status, path, body[:300]))
    return (time.perf_counter() - start) * 1000


async def sequential(base, paths, count):
    import aiohttp
    timings = []
    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        for i in range(count):
            timings.append(await _fetch(session, base,
                    paths[i % len(paths)]))
        elapsed = time.perf_counter() - start
    return timings, count / elapsed


async def concurrent(base, paths, clients, seconds):
    import aiohttp
    timings = []
    deadline = time.perf_counter() + seconds

    async def client(session, offset):
        i = offset
        while time.perf_counter() < deadline:
            timings.append(await _fetch(session, base,
                    paths[i % len(paths)]))
            i += clients

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*[client(session, i) for i in range(clients)])
        elapsed = time.perf_counter() - start
    return timings, len(timings) / elapsed


def _get(base, path):
    import json
    import urllib.request
    with urllib.request.urlopen(urllib.request.Request(base + path,
                headers={'Accept-Language': 'fr'})) as response:
        return json.load(response)


def catalogue_paths(base, pages_per_universe):
    """Page paths (first and next pages, several sorts) of each universe,
    as the app asks them (the universes' French slugs), with the ids of
    their products"""
    paths = []
    universes = [u['slug'] for u in _get(base, '/api/v1/universes')['items']]
    for universe in universes:
        for sort in ['new', 'price_asc', 'name']:
            path = '/api/v1/products?limit=24&universe=%s&sort=%s' % (
                universe, sort)
            for _ in range(2):
                page = _get(base, path)
                if not page['items']:
                    raise RuntimeError("%s: an empty page" % path)
                paths.append((path, [item['id'] for item in page['items']]))
                if not page.get('next_cursor'):
                    break
                path = path.split('&cursor=')[0] + '&cursor=' + page[
                    'next_cursor']
    return paths[:len(universes) * pages_per_universe]


def measure(base, routes, args, prefix=''):
    "Print the figures of each route; {route: req/s at --clients}"
    results = {}
    for name, paths in routes.items():
        # warm every worker's pool and caches
        asyncio.run(concurrent(base, paths, args.workers * 2, 2))
        timings, rps_1 = asyncio.run(sequential(base, paths, args.requests))
        name = prefix + name
        print(f"{name}_p50_ms={stock_setup.percentile(timings, 50):.2f}")
        print(f"{name}_p95_ms={stock_setup.percentile(timings, 95):.2f}")
        print(f"{name}_rps_1={rps_1:.1f}")
        timings, rps = asyncio.run(
            concurrent(base, paths, args.clients, args.seconds))
        print(f"{name}_rps_{args.clients}={rps:.1f}")
        print(f"{name}_p95_ms_{args.clients}="
            f"{stock_setup.percentile(timings, 95):.2f}")
        results[name] = rps
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--products', type=int, default=20000)
    parser.add_argument('--workers', type=int, default=4)
    parser.add_argument('--requests', type=int, default=200,
        help="requests per route at 1 client")
    parser.add_argument('--seconds', type=float, default=8,
        help="duration per route at --clients clients")
    parser.add_argument('--clients', type=int, default=32)
    parser.add_argument('--cache-ttl', type=float, default=5,
        help="[urban] api_cache_ttl of the server (production default 5); "
        "the app's routes are measured again without cache as *_uncached")
    args = parser.parse_args()

    build(args.products)
    shop, templates, skus = targets()
    port = free_port()
    base = 'http://127.0.0.1:%s' % port
    print(f"products={args.products}")
    print(f"workers={args.workers}")
    print(f"api_cache_ttl={args.cache_ttl:g}")
    # the *_uncached figures are measured with it off
    print(f"micro_cache={'on' if args.cache_ttl > 0 else 'off'}")
    server = serve(args.workers, port, args.cache_ttl)
    try:
        pages = catalogue_paths(base, 6)
        vsf = '/%s/web_shop_vue_storefront/%s/stock' % (DATABASE, shop)
        ours = {
            'catalogue': [p for p, _ in pages],
            'product': ['/api/v1/products/%s' % t for t in templates],
            }
        random.Random(42).shuffle(ours['product'])
        theirs = {
            'vsf_list': ['%s/list?skus=%s' % (vsf, ','.join(
                            s for t in ids for s in skus.get(t, [])))
                for _, ids in pages],
            'vsf_product': ['%s/check/%s' % (vsf, skus[t][0])
                for t in templates if t in skus],
            }
        results = measure(base, ours, args)
        results.update(measure(base, theirs, args))
    finally:
        server.terminate()
        server.wait(30)
    if args.cache_ttl:
        server = serve(args.workers, port, 0)
        try:
            results.update(measure(base, ours, args, prefix='uncached_'))
        finally:
            server.terminate()
            server.wait(30)
    print(f"speedup_vs_vsf="
        f"{results['product'] / results['vsf_product']:.2f}")
    print(f"speedup_catalogue_vs_vsf_list="
        f"{results['catalogue'] / results['vsf_list']:.2f}")
    if args.cache_ttl:
        print(f"speedup_vs_vsf_uncached="
            f"{results['uncached_product'] / results['vsf_product']:.2f}")


if __name__ == '__main__':
    main()
