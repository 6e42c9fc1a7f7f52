"""Fake Lightspeed X-Series and Square servers for the POS bridge tests.

They follow the documented APIs (see ../shared/pos/POS_APIS.md) and replay
the fixtures of ../shared/pos/examples: stock levels start from
catalog_map.json, sales come from the fixtures, webhooks are sent with their
exact signed bodies. State is kept so that what the bridge pushes is what
it reads back. Faults can be injected: HTTP 5xx, 429 with Retry-After,
slow answers (timeouts) and a server that is down (connection refused).
"""
import copy
import datetime as dt
import email.utils
import json
import pathlib
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / 'shared' / 'pos' \
    / 'examples'
if not EXAMPLES.exists():
    EXAMPLES = pathlib.Path('/work/shared/pos/examples')

LSX_SECRET = 'utx-lightspeed-x-test-client-secret-0001'
SQUARE_KEY = 'utx-square-test-signature-key-0001'
SQUARE_URL = 'https://pos-bridge.urban-therapy.test/webhooks/pos/square'
TOKEN = 'test-token'


def fixture(name):
    return json.loads((EXAMPLES / name).read_text())


def catalog():
    return fixture('catalog_map.json')


class FakeServer:
    "Base: a threaded HTTP server on 127.0.0.1 with fault injection"

    def __init__(self):
        self.lock = threading.RLock()
        self.requests = []
        self.faults = []  # list of (status or 'slow', seconds)
        self.token = TOKEN
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                fake._handle(self)

            do_GET = do_POST = do_PUT = _serve

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = 'http://127.0.0.1:%s' % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever,
            daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def down(self):
        "Stop listening: connections are refused"
        self.httpd.shutdown()
        self.httpd.server_close()

    def up(self):
        "Listen again on the same port"
        fake = self
        handler = self.httpd.RequestHandlerClass
        self.httpd = ThreadingHTTPServer(('127.0.0.1', self.port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever,
            daemon=True)
        self.thread.start()
        del fake

    def fail(self, status, count=1, retry_after=None):
        "The next count requests answer status (or 'slow': no answer)"
        with self.lock:
            self.faults.extend([(status, retry_after)] * count)

    def _handle(self, handler):
        length = int(handler.headers.get('Content-Length') or 0)
        body = handler.rfile.read(length) if length else b''
        parsed = urllib.parse.urlsplit(handler.path)
        query = {k: v[0] for k, v in
            urllib.parse.parse_qs(parsed.query).items()}
        with self.lock:
            self.requests.append((handler.command, parsed.path, query,
                    json.loads(body) if body else None))
            fault = self.faults.pop(0) if self.faults else None
        if fault:
            status, retry_after = fault
            if status == 'slow':
                time.sleep(retry_after or 3)
                status = 500
            headers = {}
            if status == 429:
                headers['Retry-After'] = self.retry_after(retry_after or 2)
            return self._send(handler, status, {'errors': ['injected']},
                headers)
        if handler.headers.get('Authorization') != 'Bearer %s' % self.token:
            return self._send(handler, 401, {'error': 'unauthorised'})
        try:
            status, data = self.route(handler.command, parsed.path, query,
                json.loads(body) if body else None)
        except KeyError:
            status, data = 404, {'error': 'not found'}
        return self._send(handler, status, data)

    def retry_after(self, seconds):
        return str(seconds)

    def _send(self, handler, status, data, headers=None):
        payload = json.dumps(data).encode()
        handler.send_response(status)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Content-Length', str(len(payload)))
        handler.send_header('X-RateLimit-Limit', '350')
        handler.send_header('X-RateLimit-Remaining', '300')
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(payload)

    def calls(self, method, prefix):
        return [r for r in self.requests
            if r[0] == method and r[1].startswith(prefix)]


class FakeLightspeedX(FakeServer):
    """Lightspeed Retail X-Series API 2.0 (+ 2.1 product update and 2026-07
    stock adjustments) with one global version counter."""

    def __init__(self):
        super().__init__()
        self.version = 9183000000
        self.sales = {}
        self.levels = {}  # (product_id, outlet_id) -> record
        self.adjustments = []
        self.products = {}
        cat = catalog()
        outlets = {s['shop']: s['lightspeed_x_outlet_id']
            for s in cat['shops']}
        skus = {p['sku']: p['lightspeed_x_product_id']
            for p in cat['products']}
        for i, row in enumerate(cat['initial_stock_before_fixtures']):
            if not outlets.get(row['shop']):
                continue
            self.set_level(skus[row['sku']], outlets[row['shop']],
                row['on_hand'])

    def retry_after(self, seconds):
        # X-Series: an HTTP date
        return email.utils.format_datetime(
            dt.datetime.now(dt.timezone.utc)
            + dt.timedelta(seconds=seconds), usegmt=True)

    def next_version(self, at_least=0):
        self.version = max(self.version + 1, at_least + 1)
        return self.version

    def set_level(self, product_id, outlet_id, level, version=None):
        key = (product_id, outlet_id)
        record = self.levels.get(key) or {
            'id': 'inv-%s-%s' % (product_id[-4:], outlet_id[-4:]),
            'product_id': product_id, 'outlet_id': outlet_id,
            'reorder_point': 1, 'reorder_amount': 3}
        record['inventory_level'] = level
        record['version'] = version or self.next_version()
        self.levels[key] = record
        return record

    def level(self, product_id, outlet_id):
        record = self.levels.get((product_id, outlet_id))
        return record['inventory_level'] if record else 0

    def ring_up(self, sale):
        "A sale (2.0 shape) closed on the till: stock moves, version bumps"
        with self.lock:
            sale = copy.deepcopy(sale)
            sale['version'] = self.next_version(sale.get('version') or 0)
            self.sales[sale['id']] = sale
            for line in sale.get('line_items') or []:
                key = (line['product_id'], sale['outlet_id'])
                self.set_level(line['product_id'], sale['outlet_id'],
                    self.level(*key) - line['quantity'])
            return sale

    def route(self, method, path, query, body):
        with self.lock:
            return self._route(method, path, query, body)

    def _page(self, records, query):
        after = int(query.get('after') or 0)
        size = int(query.get('page_size') or 100)
        data = sorted((r for r in records if r['version'] > after),
            key=lambda r: r['version'])[:size]
        version = ({'min': data[0]['version'], 'max': data[-1]['version']}
            if data else None)
        return 200, {'data': copy.deepcopy(data), 'version': version}

    def _route(self, method, path, query, body):
        parts = path.strip('/').split('/')
        if method == 'GET' and path == '/api/2.0/sales':
            return self._page(self.sales.values(), query)
        if method == 'GET' and parts[:3] == ['api', '2.0', 'sales']:
            return 200, {'data': copy.deepcopy(self.sales[parts[3]])}
        if method == 'GET' and path == '/api/2.0/inventory':
            return self._page(self.levels.values(), query)
        if (method == 'GET' and parts[:3] == ['api', '2.0', 'products']
                and parts[-1] == 'inventory'):
            return 200, {'data': [copy.deepcopy(r)
                    for (p, _), r in self.levels.items() if p == parts[3]]}
        if method == 'GET' and path == '/api/2.0/products':
            return 200, {'data': [{'id': row['lightspeed_x_product_id'],
                        'sku': row['sku'], 'name': row['name'],
                        'deleted_at': None}
                    for row in catalog()['products']
                    if row['sku'] == query.get('sku')]}
        if (method == 'GET' and parts[:3] == ['api', '2.0', 'products']
                and len(parts) == 4):
            for row in catalog()['products']:
                if row['lightspeed_x_product_id'] == parts[3]:
                    return 200, {'data': {'id': parts[3],
                            'sku': row['sku'], 'name': row['name']}}
            raise KeyError(path)
        if method == 'POST' and path == '/api/2026-07/stock_adjustments':
            items = body['stock_adjustments']
            if not 1 <= len(items) <= 1000:
                return 422, {'error': '1-1000 items'}
            result = []
            for item in items:
                quantity = float(item['quantity'])
                if item['reason'] in {'DAMAGE', 'EXPIRY', 'INTERNAL_USE',
                        'THEFT', 'DONATION'} and quantity >= 0:
                    return 422, {'error': 'reason needs quantity < 0'}
                if item['reason'] in {'STOCK_FOUND', 'SAMPLE_FOR_SALE'} \
                        and quantity <= 0:
                    return 422, {'error': 'reason needs quantity > 0'}
            for item in items:
                quantity = float(item['quantity'])
                key = (item['product_id'], item['outlet_id'])
                self.set_level(*key, self.level(*key) + quantity)
                adjustment = dict(item, id='adj-%s' % (
                        len(self.adjustments) + 1),
                    version=self.next_version())
                self.adjustments.append(adjustment)
                result.append(adjustment)
            return 201, {'data': result}
        if method == 'PUT' and parts[:3] == ['api', '2.1', 'products']:
            self.products[parts[3]] = body
            return 200, {'data': {'id': parts[3]}}
        raise KeyError(path)


class FakeSquare(FakeServer):
    "Square Orders and Inventory APIs (2025-08-20) with idempotency keys"

    def __init__(self):
        super().__init__()
        self.orders = {}
        for name in ['square/02_retrieve_order_sale.api-response.json',
                'square/05_retrieve_order_return.api-response.json']:
            order = fixture(name)['response']['body']['order']
            order.setdefault('version', 4)
            self.orders[order['id']] = order
        self.counts = {}
        self.idempotency = {}
        cat = catalog()
        locations = {s['shop']: s['square_location_id']
            for s in cat['shops']}
        ids = {p['sku']: p['square_variation_id'] for p in cat['products']}
        for row in cat['initial_stock_before_fixtures']:
            if locations.get(row['shop']):
                self.counts[(ids[row['sku']], locations[row['shop']])] = \
                    float(row['on_hand'])
        # when each count last changed (updated_after filter); the
        # starting counts are older than any poll (and read as of now)
        self.count_times = {}

    def route(self, method, path, query, body):
        with self.lock:
            parts = path.strip('/').split('/')
            if method == 'GET' and parts[:2] == ['v2', 'orders']:
                return 200, {'order': copy.deepcopy(self.orders[parts[2]])}
            if method == 'POST' and path == \
                    '/v2/inventory/changes/batch-create':
                key = body['idempotency_key']
                if key in self.idempotency:
                    return 200, self.idempotency[key]
                counts = []
                for change in body['changes']:
                    adj = change['adjustment']
                    k = (adj['catalog_object_id'], adj['location_id'])
                    sign = -1 if adj['from_state'] == 'IN_STOCK' else 1
                    self.counts[k] = self.counts.get(k, 0) + sign * float(
                        adj['quantity'])
                    self.count_times[k] = _now()
                    counts.append(self._count(*k))
                self.idempotency[key] = {'counts': counts}
                return 200, {'counts': counts}
            if method == 'POST' and path == '/v2/catalog/batch-retrieve':
                return 200, {'objects': [{'type': 'ITEM_VARIATION',
                            'id': row['square_variation_id'],
                            'item_variation_data': {'sku': row['sku']}}
                        for row in catalog()['products']
                        if row['square_variation_id'] in body['object_ids']]}
            if method == 'POST' and path == '/v2/catalog/search':
                value = body['query']['exact_query']['attribute_value']
                return 200, {'objects': [{'type': 'ITEM_VARIATION',
                            'id': row['square_variation_id'],
                            'item_variation_data': {'sku': row['sku']}}
                        for row in catalog()['products']
                        if row['sku'] == value]}
            if method == 'POST' and path == \
                    '/v2/inventory/counts/batch-retrieve':
                counts = [self._count(o, l) for (o, l) in sorted(self.counts)
                    if ('catalog_object_ids' not in body
                        or o in body['catalog_object_ids'])
                    and l in body['location_ids']
                    and (not body.get('updated_after') or (
                            self.count_times.get((o, l)) or '')
                        > body['updated_after'])]
                return 200, self._page(counts, body, 'counts')
            if method == 'POST' and path == '/v2/orders/search':
                return self._search_orders(body)
            raise KeyError(path)

    def _page(self, rows, body, name):
        "Square's cursor pagination: `cursor` until the last page"
        start = int(body.get('cursor') or 0)
        limit = int(body.get('limit') or 100)
        page = {name: rows[start:start + limit]}
        if start + limit < len(rows):
            page['cursor'] = str(start + limit)
        return page

    def _search_orders(self, body):
        """SearchOrders with the location, state and UPDATED_AT filters;
        a date filter needs the sort on the same field, as documented"""
        query = body.get('query') or {}
        filter_ = query.get('filter') or {}
        sort = query.get('sort') or {}
        updated = (filter_.get('date_time_filter') or {}).get('updated_at')
        if updated and sort.get('sort_field') != 'UPDATED_AT':
            return 400, {'errors': [{'category': 'INVALID_REQUEST_ERROR',
                        'code': 'BAD_REQUEST',
                        'detail': 'sort_field must be UPDATED_AT'}]}
        states = (filter_.get('state_filter') or {}).get('states')
        orders = sorted((o for o in self.orders.values()
                if o.get('location_id') in body['location_ids']
                and (not states or o.get('state') in states)
                and (not updated or o['updated_at'] >= updated['start_at'])),
            key=lambda o: o['updated_at'],
            reverse=sort.get('sort_order') == 'DESC')
        return 200, self._page(copy.deepcopy(orders), body, 'orders')

    def add_order(self, order):
        "An order rung up or changed in the till"
        with self.lock:
            order['updated_at'] = _now()
            self.orders[order['id']] = order

    def set_count(self, object_id, location_id, quantity):
        "A count changed in the till (a stock take)"
        with self.lock:
            self.counts[(object_id, location_id)] = float(quantity)
            self.count_times[(object_id, location_id)] = _now()

    def _count(self, object_id, location_id):
        return {'catalog_object_id': object_id,
            'catalog_object_type': 'ITEM_VARIATION', 'state': 'IN_STOCK',
            'location_id': location_id,
            'quantity': str(self.counts.get((object_id, location_id), 0)),
            'calculated_at': self.count_times.get(
                (object_id, location_id)) or _now()}


def _now():
    "RFC 3339 UTC with milliseconds, as Square writes its timestamps"
    return dt.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def webhook(name):
    "(path with query, headers, raw body bytes) of a webhook fixture"
    data = fixture(name)
    url = urllib.parse.urlsplit(data['request']['url'])
    path = url.path + ('?' + url.query if url.query else '')
    return path, dict(data['request']['headers']), \
        data['request']['body'].encode('utf-8')


def lsx_sales():
    "The sales of fixture 06 (2.0 shape): the sale of 01 and the return"
    return fixture('lightspeed_x/06_list_sales_since_version.api-response'
        '.json')['response']['body']['data']
