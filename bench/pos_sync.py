"""POS sync benchmark: till sales arriving as Lightspeed X-Series webhooks
until they show in online availability, with trytond-worker running.

Set-up: a PostgreSQL database of its own (stock_setup), one shop linked to
a fake X-Series till (urbantherapy/emulators/pos.py) on 127.0.0.1,
--products products mapped to till products with stock. The WSGI app
serves the webhook route in this process (threaded werkzeug server);
`trytond-worker -n 2` applies the inbox, with [queue] worker on as in
production.

1. Throughput: --events signed sale.update webhooks (one unit each) posted
   by 4 threads; events_per_s = events / time until all are applied.
2. Lag: --lag-events webhooks paced at --rate per second, each for its own
   product; a watcher reads urban_stock.availability.for_products every
   10 ms; lag = webhook sent -> online availability dropped.

3. Polled lag: --poll-events sales rung up on the till at --rate per
   second that no webhook announces; a poller does what the cron does
   every --poll-interval seconds (Account.poll, commit: the worker applies
   the queued inbox job); lag = sale rung up -> online availability
   dropped.

Prints events=, events_per_s=, lag_events=, lag_p50_ms=, lag_p95_ms=,
poll_lag_events=, poll_lag_p50_ms=, poll_lag_p95_ms=.
Targets: events_per_s >= 50, lag_p95_ms <= 2000,
poll_lag_p95_ms <= poll interval + 2000.
Usage: .venv/bin/python bench/pos_sync.py [--events 1000] [--lag-events 200]
    [--poll-events 50] [--poll-interval 5]
"""
import argparse
import concurrent.futures
import hashlib
import hmac
import json
import os
import pathlib
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import stock_setup

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATABASE = 'bench_pos_sync'
OUTLET = '0242ac12-0002-11ee-e1a0-7a3c2b1d0101'


def setup(args, fake_url):
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0) as transaction:
        pool = Pool()
        Location = pool.get('stock.location')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Move = pool.get('stock.move')
        Account = pool.get('urban.pos.account')
        ProductMap = pool.get('urban.pos.product')
        company = create_company()
        with Transaction().set_context(company=company.id):
            storage, input_, output = Location.create([
                    {'name': "Gent shelves", 'type': 'storage'},
                    {'name': "Gent in", 'type': 'storage'},
                    {'name': "Gent out", 'type': 'storage'}])
            shop, = Location.create([{
                        'name': "Gent", 'type': 'warehouse', 'shop': True,
                        'shop_code': 'GNT', 'fulfils_online': True,
                        'storage_location': storage.id,
                        'input_location': input_.id,
                        'output_location': output.id}])
            Location.write([storage, input_, output], {'parent': shop.id})
            unit, = Uom.search([('name', '=', 'Unit')])
            templates = Template.create([{
                        'name': f"Bench {i}", 'code': f'BENCH-{i:05d}',
                        'type': 'goods', 'default_uom': unit.id,
                        'list_price': 10, 'products': [('create', [{}])]}
                    for i in range(args.products)])
            products = [t.products[0] for t in templates]
            lost, = Location.search([('type', '=', 'lost_found')], limit=1)
            moves = Move.create([{
                        'product': p.id, 'unit': unit.id,
                        'quantity': 100000, 'from_location': lost.id,
                        'to_location': storage.id, 'company': company.id}
                    for p in products])
            Move.do(moves)
            account, = Account.create([{
                        'name': 'bench', 'connector': 'lightspeed_x',
                        'company': company.id, 'base_url': fake_url,
                        'access_token': 'test-token',
                        'webhook_secret': 'bench-secret',
                        'outlets': [('create', [{'shop': shop.id,
                                        'external_id': OUTLET}])]}])
            ProductMap.create([{'account': account.id, 'product': p.id,
                        'external_id': f'ls-{p.id}', 'sku': p.code}
                    for p in products])
        transaction.commit()
        return shop.id, [(p.id, f'ls-{p.id}', p.code) for p in products]


def webhook_body(product_ref, sku, version):
    sale = {'id': str(uuid.uuid4()), 'outlet_id': OUTLET, 'status': 'CLOSED',
        'version': version, 'invoice_number': f'B-{version}',
        'sale_date': '2026-03-14T09:42:17Z', 'customer_id': None,
        'return_for': None, 'total_price': 8.26446, 'total_tax': 1.73554,
        'register_sale_products': [{'id': str(uuid.uuid4()),
                'product_id': product_ref, 'sku': sku, 'quantity': 1,
                'price': 8.26446, 'tax': 1.73554, 'status': 'CONFIRMED'}]}
    body = urllib.parse.urlencode({'payload': json.dumps(sale),
            'type': 'sale.update'}).encode()
    signature = hmac.new(b'bench-secret', body, hashlib.sha256).hexdigest()
    return body, {'Content-Type': 'application/x-www-form-urlencoded',
        'X-Signature': f'signature={signature}, algorithm=HMAC-SHA256'}


def applied_count():
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM urban_pos_event "
            "WHERE state != 'pending'")
        del Pool
        return cursor.fetchone()[0]


def on_hand(shop_id, product_ids):
    from urban_stock import availability
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0, readonly=True):
        figures = availability.for_products(product_ids, [shop_id])
        return {p: figures.total(p) for p in product_ids}


def poll_now():
    """What the cron does: poll every account, commit (queues the inbox
    job); run again when it lost a race for the account's row with a push
    of the worker, as trytond's cron does ([database] retry)"""
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    for attempt in range(5):
        try:
            with Transaction().start(DATABASE, 0) as transaction:
                Account = Pool().get('urban.pos.account')
                accounts = Account.search([('connector', '!=', 'native')])
                with Transaction().set_context(
                        company=accounts[0].company.id):
                    Account.poll(accounts)
                transaction.commit()
            return
        except backend.DatabaseOperationalError:
            if attempt == 4:
                raise


def pending_count():
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM urban_pos_event "
            "WHERE state = 'pending'")
        return cursor.fetchone()[0]


def dirty_count():
    "Stock levels still to push to the till"
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT COUNT(*) FROM urban_pos_stock_level "
            "WHERE dirty AND state = 'ok'")
        return cursor.fetchone()[0]


def polled_lag(args, fake, shop, products):
    """Lags (ms) from a sale rung up on the till, announced by no webhook,
    to online availability, with a poll every args.poll_interval s"""
    if not products:
        return []
    # warm-up: the first poll reads every level of the till (first sight:
    # the push then aligns the till, whose echoes the second poll reads)
    deadline = time.monotonic() + 300
    for _ in range(2):
        poll_now()
        time.sleep(0.5)
        while (pending_count() or dirty_count()) \
                and time.monotonic() < deadline:
            time.sleep(0.1)
    ids = [p[0] for p in products]
    initial = on_hand(shop, ids)
    sent, seen = {}, {}
    stop = threading.Event()

    def poller():
        # on a fixed schedule, as trytond-cron fires: a poll every
        # interval from the last one's start, not from its end
        next_poll = time.monotonic() + args.poll_interval
        while not stop.wait(max(0, next_poll - time.monotonic())):
            next_poll += args.poll_interval
            poll_now()

    def watch():
        while len(seen) < len(ids) and not stop.is_set():
            levels = on_hand(shop, [p for p in sent if p not in seen])
            now = time.monotonic()
            for p, level in levels.items():
                if level < initial[p]:
                    seen[p] = now
            time.sleep(0.01)
    threads = [threading.Thread(target=poller), threading.Thread(
            target=watch)]
    for thread in threads:
        thread.start()
    try:
        for i, (product_id, ref, sku) in enumerate(products):
            sent[product_id] = time.monotonic()
            fake.ring_up({'id': str(uuid.uuid4()), 'outlet_id': OUTLET,
                    'status': 'CLOSED', 'version': None,
                    'invoice_number': f'P-{i}',
                    'sale_date': '2026-03-14T09:42:17Z',
                    'customer_id': None, 'return_for': None,
                    'total_price': 8.26446, 'total_tax': 1.73554,
                    'line_items': [{'id': str(uuid.uuid4()),
                            'product_id': ref, 'sku': sku, 'quantity': 1,
                            'price': 8.26446, 'tax': 1.73554,
                            'status': 'CONFIRMED'}]})
            time.sleep(1 / args.rate)
        deadline = time.monotonic() + 3 * args.poll_interval + 60
        while len(seen) < len(ids) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return [(seen[p] - sent[p]) * 1000 for p in seen]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--events', type=int, default=1000)
    parser.add_argument('--lag-events', type=int, default=200)
    parser.add_argument('--rate', type=float, default=20)
    parser.add_argument('--products', type=int, default=300)
    parser.add_argument('--poll-events', type=int, default=50)
    parser.add_argument('--poll-interval', type=float, default=5)
    args = parser.parse_args()
    os.environ['TRYTOND_URBAN__DATABASE'] = DATABASE
    os.environ['TRYTOND_QUEUE__WORKER'] = 'True'
    stock_setup.prepare(DATABASE, modules=('urban_pos_bridge',))
    sys.path.insert(0, str(ROOT))
    from urbantherapy.emulators import pos as fake_pos
    import requests
    from trytond.wsgi import app
    from werkzeug.serving import make_server

    fake = fake_pos.FakeLightspeedX()
    shop, products = setup(args, fake.url)
    for _, ref, _ in products:
        fake.set_level(ref, OUTLET, 100000)
    import logging
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
    version = [9200000000]
    lock = threading.Lock()

    def send(product):
        with lock:
            version[0] += 1
            v = version[0]
        body, headers = webhook_body(product[1], product[2], v)
        response = session.post(url, data=body, headers=headers, timeout=30)
        response.raise_for_status()

    try:
        time.sleep(2)  # worker start-up
        # warm-up: first push reads the till levels
        send(products[0])
        while applied_count() < 1:
            time.sleep(0.05)
        base = applied_count()
        # 1. throughput
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            list(pool.map(send, (products[i % len(products)]
                        for i in range(args.events))))
        sent_s = time.monotonic() - start
        while applied_count() < base + args.events:
            time.sleep(0.05)
            if time.monotonic() - start > 600:
                break
        elapsed = time.monotonic() - start
        applied = applied_count() - base
        print(f"events={applied}")
        print(f"webhooks_per_s={args.events / sent_s:.1f}")
        print(f"events_per_s={applied / elapsed:.1f}")
        # 2. lag: one product per sale, watched until availability drops
        lag_products = products[:args.lag_events]
        ids = [p[0] for p in lag_products]
        initial = on_hand(shop, ids)
        sent, seen = {}, {}

        def watch():
            while len(seen) < len(ids):
                now_levels = on_hand(shop, [p for p in sent
                        if p not in seen])
                now = time.monotonic()
                for p, level in now_levels.items():
                    if level < initial[p]:
                        seen[p] = now
                time.sleep(0.01)
                if time.monotonic() - start2 > 300:
                    break
        start2 = time.monotonic()
        watcher = threading.Thread(target=watch)
        watcher.start()
        for product in lag_products:
            sent[product[0]] = time.monotonic()
            send(product)
            time.sleep(1 / args.rate)
        watcher.join()
        lags = [(seen[p] - sent[p]) * 1000 for p in seen]
        print(f"lag_events={len(lags)}")
        print(f"lag_p50_ms={stock_setup.percentile(lags, 50):.0f}")
        print(f"lag_p95_ms={stock_setup.percentile(lags, 95):.0f}")
        # 3. polled lag: sales only the till's API tells
        poll_products = products[args.lag_events:
            args.lag_events + args.poll_events]
        poll_lags = polled_lag(args, fake, shop, poll_products)
        print(f"poll_lag_events={len(poll_lags)}")
        if poll_lags:
            print(f"poll_lag_p50_ms="
                f"{stock_setup.percentile(poll_lags, 50):.0f}")
            print(f"poll_lag_p95_ms="
                f"{stock_setup.percentile(poll_lags, 95):.0f}")
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()
        server.shutdown()
        fake.stop()


if __name__ == '__main__':
    main()
