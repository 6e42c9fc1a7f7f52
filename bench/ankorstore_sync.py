"""Ankorstore sync benchmark: orders imported per second, and the lag from a
till sale in a shop to the stock PATCH Ankorstore receives, with
trytond-worker running as in production.

Set-up: a PostgreSQL database of its own (stock_setup) with urban_ankorstore
and urban_pos_bridge; a central room and the Gent shop (both fulfil online),
--products products with stock in both, each a variant of the brand at the
Ankorstore emulator (urbantherapy/emulators/ankorstore.py) and a product
of a fake Lightspeed X-Series till in Gent (urbantherapy/emulators/pos.py).
The WSGI app serves the till's webhook in this process; `trytond-worker -n
2` runs the queued inbox and the stock pushes.

1. Import: --orders orders of 3 lines wait at the emulator; one poll (what
   the cron does) imports them: each becomes a sale reserved in the central
   room; orders_per_s = orders / poll time.
2. Lag: --lag-events till sales (one unit of its own product each) posted
   as signed webhooks at --rate per second; lag = webhook sent -> the
   emulator received a lower stockQuantity for that variant.

Prints orders=, orders_per_s=, lag_events=, lag_p50_ms=, lag_p95_ms=,
stock_updates= (variant values Ankorstore received during the lag run).
Targets: orders_per_s >= 20, lag_p95_ms <= 5000.
Usage: .venv/bin/python bench/ankorstore_sync.py [--orders 200]
    [--lag-events 100] [--rate 10] [--products 300]
"""
import argparse
import os
import pathlib
import subprocess
import sys
import threading
import time

import stock_setup
from pos_sync import OUTLET, webhook_body

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATABASE = 'bench_ankorstore_sync'
ENV = 'BENCH_ANKOR'


def setup(args, ankor, till_url):
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0) as transaction:
        pool = Pool()
        Location = pool.get('stock.location')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Move = pool.get('stock.move')
        PosAccount = pool.get('urban.pos.account')
        ProductMap = pool.get('urban.pos.product')
        Account = pool.get('urban.ankorstore.account')
        company = create_company()
        with Transaction().set_context(company=company.id):
            warehouses = []
            for name, code, shop in [("Central", 'CEN', False),
                    ("Gent", 'GNT', True)]:
                storage, input_, output = Location.create([
                        {'name': f"{name} shelves", 'type': 'storage'},
                        {'name': f"{name} in", 'type': 'storage'},
                        {'name': f"{name} out", 'type': 'storage'}])
                warehouse, = Location.create([{
                            'name': name, 'type': 'warehouse', 'shop': shop,
                            'shop_code': code, 'fulfils_online': True,
                            'storage_location': storage.id,
                            'input_location': input_.id,
                            'output_location': output.id}])
                Location.write([storage, input_, output],
                    {'parent': warehouse.id})
                warehouses.append(warehouse)
            central, gent = warehouses
            unit, = Uom.search([('name', '=', 'Unit')])
            templates = Template.create([{
                        'name': f"Bench {i}", 'code': f'BENCH-{i:05d}',
                        'type': 'goods', 'salable': True,
                        'default_uom': unit.id, 'sale_uom': unit.id,
                        'list_price': 10, 'products': [('create', [{}])]}
                    for i in range(args.products)])
            products = [t.products[0] for t in templates]
            lost, = Location.search([('type', '=', 'lost_found')], limit=1)
            Move.do(Move.create([{
                            'product': p.id, 'unit': unit.id,
                            'quantity': 100000, 'from_location': lost.id,
                            'to_location': w.storage_location.id,
                            'company': company.id}
                        for p in products for w in warehouses]))
            till, = PosAccount.create([{
                        'name': 'bench', 'connector': 'lightspeed_x',
                        'company': company.id, 'base_url': till_url,
                        'access_token': 'test-token',
                        'webhook_secret': 'bench-secret',
                        'outlets': [('create', [{'shop': gent.id,
                                        'external_id': OUTLET}])]}])
            ProductMap.create([{'account': till.id, 'product': p.id,
                        'external_id': f'ls-{p.id}', 'sku': p.code}
                    for p in products])
            account, = Account.create([{
                        'name': "Urban Therapy", 'company': company.id,
                        'base_url': ankor.url,
                        'client_id': ankor.client_id,
                        'credential_env': ENV, 'warehouse': central.id}])
            Account.sync_variants([account])
            Account.push_stock([account])
        transaction.commit()
        return [(p.id, f'ls-{p.id}', p.code) for p in products]


def import_orders(args, ankor, products):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    codes = [code for _, _, code in products]
    for i in range(args.orders):
        ankor.add_order([(codes[(3 * i + k) % len(codes)], 1 + k)
                for k in range(3)], retailer=i % 2)
    start = time.monotonic()
    with Transaction().start(DATABASE, 0) as transaction:
        Account = Pool().get('urban.ankorstore.account')
        account, = Account.search([])
        with Transaction().set_context(company=account.company.id):
            new = Account.poll([account])
        transaction.commit()
    return len(new), time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--orders', type=int, default=200)
    parser.add_argument('--lag-events', type=int, default=100)
    parser.add_argument('--rate', type=float, default=10)
    parser.add_argument('--products', type=int, default=300)
    args = parser.parse_args()
    os.environ['TRYTOND_URBAN__DATABASE'] = DATABASE
    os.environ['TRYTOND_QUEUE__WORKER'] = 'True'
    sys.path.insert(0, str(ROOT))
    from urbantherapy.emulators import ankorstore as fake_ankorstore
    from urbantherapy.emulators import pos as fake_pos
    os.environ[ENV + '_CLIENT_SECRET'] = fake_ankorstore.CLIENT_SECRET
    os.environ[ENV + '_WEBHOOK_SECRET'] = fake_ankorstore.WEBHOOK_SECRET
    stock_setup.prepare(DATABASE,
        modules=('urban_pos_bridge', 'urban_ankorstore'))
    import logging

    import requests
    from trytond.wsgi import app
    from werkzeug.serving import make_server

    till = fake_pos.FakeLightspeedX()
    ankor = fake_ankorstore.FakeAnkorstore(variants=[
            (f'BENCH-{i:05d}', None, f"Bench {i}", 500)
            for i in range(args.products)]).start()
    products = setup(args, ankor, till.url)
    for _, ref, _ in products:
        till.set_level(ref, OUTLET, 100000)
    logging.getLogger('werkzeug').setLevel(logging.ERROR)
    server = make_server('127.0.0.1', 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = 'http://127.0.0.1:%s/webhooks/pos/lightspeed_x?topic=sale.update' \
        % server.server_port
    worker = subprocess.Popen([os.path.join(os.path.dirname(
                    sys.executable), 'trytond-worker'), '-d', DATABASE,
            '-n', '2'], env=dict(os.environ), start_new_session=True,
        stderr=subprocess.DEVNULL)
    session = requests.Session()
    try:
        # 1. import
        imported, seconds = import_orders(args, ankor, products)
        print(f"orders={imported}")
        print(f"orders_per_s={imported / seconds:.1f}")
        time.sleep(2)  # the worker pushes what the orders reserved
        # 2. lag: products no order touched, one till sale each
        lag_products = products[-args.lag_events:]
        by_code = {v['sku']: v for v in ankor.variants.values()}
        variant_of = {p: by_code[code]['id'] for p, _, code in lag_products}
        initial = {variant_of[p]: by_code[code]['stockQuantity']
            for p, _, code in lag_products}
        calls_before = len(ankor.stock_updates)
        sent = {}
        version = 9300000000
        for product_id, ref, sku in lag_products:
            version += 1
            body, headers = webhook_body(ref, sku, version)
            sent[variant_of[product_id]] = time.time()
            response = session.post(url, data=body, headers=headers,
                timeout=30)
            response.raise_for_status()
            time.sleep(1 / args.rate)
        deadline = time.monotonic() + 120
        seen = {}
        while len(seen) < len(sent) and time.monotonic() < deadline:
            for at, variant_id, quantity in list(ankor.stock_updates):
                if (variant_id in sent and variant_id not in seen
                        and quantity < initial[variant_id]):
                    seen[variant_id] = at
            time.sleep(0.05)
        lags = [(seen[v] - sent[v]) * 1000 for v in seen]
        print(f"lag_events={len(lags)}")
        if lags:
            print(f"lag_p50_ms={stock_setup.percentile(lags, 50):.0f}")
            print(f"lag_p95_ms={stock_setup.percentile(lags, 95):.0f}")
        print(f"stock_updates={len(ankor.stock_updates) - calls_before}")
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()
        server.shutdown()
        till.stop()
        ankor.stop()


if __name__ == '__main__':
    main()
