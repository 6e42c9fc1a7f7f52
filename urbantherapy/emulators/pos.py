"""Fake Lightspeed X-Series and Square servers for the POS bridge tests.

They follow the documented APIs (see ../shared/pos/POS_APIS.md) and replay
the fixtures of ../shared/pos/examples: stock levels start from
catalog_map.json, sales come from the fixtures, webhooks are sent with their
exact signed bodies. State is kept so that what the bridge pushes is what
it reads back. Faults can be injected: HTTP 5xx, 429 with Retry-After,
slow answers (timeouts) and a server that is down (connection refused).
"""
import abc
import copy
import datetime as dt
import email.utils
import json
import pathlib
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EXAMPLES = pathlib.Path(__file__).resolve().parents[3] / 'shared' / 'pos' \
    / 'examples'
if not EXAMPLES.exists():
    EXAMPLES = pathlib.Path('/work/shared/pos/examples')

LSX_SECRET = 'utx-lightspeed-x-test-client-secret-0001'
SQUARE_KEY = 'utx-square-test-signature-key-0001'
SQUARE_URL = 'https://pos-bridge.urban-therapy.test/webhooks/pos/square'
#: a personal token (never expires), as a retailer creates one by hand
TOKEN = 'test-token'
#: the OAuth application the bridge is registered as (its client
#: credentials come from the bridge's configuration, never from a field)
CLIENT_ID = 'utx-pos-bridge-client'
CLIENT_SECRET = 'utx-pos-bridge-client-secret-0001'
#: X-Series' own Discount product (a sale-wide discount line), no stock
LSX_DISCOUNT = {'id': '0242ac12-0002-11ee-e1a0-7a3c2b1dd15c',
    'sku': 'vend-discount', 'name': 'Discount'}


def fixture(name):
    return json.loads((EXAMPLES / name).read_text())


def catalog():
    return fixture('catalog_map.json')


class FakeServer(abc.ABC):
    "Base: a threaded HTTP server on 127.0.0.1 with fault injection"

    #: path of the OAuth token endpoint
    token_path = None
    #: a refresh gives a new refresh token and revokes the one used
    rotate_refresh = False

    def __init__(self, port=0):
        self.lock = threading.RLock()
        self.requests = []
        self.faults = []  # list of (status or 'slow', seconds)
        self.token = TOKEN
        # OAuth: the access tokens issued (token: expiry as a UNIX time),
        # the refresh tokens still valid, the calls of the token endpoint
        self.access_tokens = {}
        self.refresh_tokens = set()
        self.token_requests = []
        #: requests answered 401 (no token, unknown or expired)
        self.rejected = 0
        #: lifetime (seconds) of the access tokens issued
        self.token_lifetime = 3600
        #: seconds the token endpoint takes to answer
        self.token_delay = 0
        # rate limit: at most `limit` requests per window of `window`
        # seconds (None: no limit), counted in `window_requests`; a request
        # over it is answered 429 with Retry-After (the window's end)
        self.limit = None
        self.window = 300
        self.window_start = time.time()
        self.window_requests = 0
        #: requests answered 429 because the limit was spent
        self.limited = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                fake._handle(self)

            do_GET = do_POST = do_PUT = _serve

        self.httpd = ThreadingHTTPServer(('127.0.0.1', port), Handler)
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

    # --- OAuth -------------------------------------------------------------
    def grant(self, lifetime=None):
        """(access token, refresh token, expiry as a UNIX time) as the
        authorization code exchange gives them when a retailer connects
        the application"""
        import secrets
        with self.lock:
            refresh = 'rt-%s' % secrets.token_hex(12)
            self.refresh_tokens.add(refresh)
            access, expires = self._issue(lifetime)
            return access, refresh, expires

    def _issue(self, lifetime=None):
        import secrets
        access = 'at-%s' % secrets.token_hex(12)
        expires = time.time() + (self.token_lifetime if lifetime is None
            else lifetime)
        self.access_tokens[access] = expires
        return access, expires

    def expire_access_tokens(self):
        "Every access token issued expires now (the stored expiry lies)"
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = time.time() - 1

    def authorised(self, header):
        token = (header or '').partition('Bearer ')[2]
        if not token:
            return False
        if token == self.token:
            return True
        expires = self.access_tokens.get(token)
        return bool(expires and expires > time.time())

    def _refresh(self, form):
        """Answer of the token endpoint to form: (status, data)"""
        if self.token_delay:
            time.sleep(self.token_delay)
        with self.lock:
            self.token_requests.append(dict(form))
            if (form.get('client_id') != CLIENT_ID
                    or form.get('client_secret') != CLIENT_SECRET):
                return self.token_error('invalid_client')
            if form.get('grant_type') != 'refresh_token':
                return self.token_error('unsupported_grant_type')
            refresh = form.get('refresh_token')
            if refresh not in self.refresh_tokens:
                return self.token_error('invalid_grant')
            if self.rotate_refresh:
                import secrets
                self.refresh_tokens.discard(refresh)
                refresh = 'rt-%s' % secrets.token_hex(12)
                self.refresh_tokens.add(refresh)
            access, expires = self._issue()
            return 200, self.token_answer(access, refresh, expires)

    @abc.abstractmethod
    def token_answer(self, access, refresh, expires):
        "The token endpoint's answer (the API's shape)"

    def token_error(self, code):
        return 400, {'error': code}

    def unauthorised(self):
        return 401, {'error': 'invalid_token'}

    # --- rate limit ----------------------------------------------------------
    @property
    def remaining(self):
        "X-RateLimit-Remaining of the current window"
        with self.lock:
            self._roll_window()
            return max(0, (self.limit or 0) - self.window_requests)

    @remaining.setter
    def remaining(self, value):
        "Spend the budget of the window down to value requests"
        with self.lock:
            self._roll_window()
            self.window_requests = (self.limit or 0) - value

    def _roll_window(self):
        now = time.time()
        if now >= self.window_start + self.window:
            self.window_start = now
            self.window_requests = 0

    def window_reset(self):
        "Seconds until the current window ends"
        return max(1, int(self.window_start + self.window - time.time()
                + 0.999))

    def _handle(self, handler):
        length = int(handler.headers.get('Content-Length') or 0)
        body = handler.rfile.read(length) if length else b''
        parsed = urllib.parse.urlsplit(handler.path)
        multi = urllib.parse.parse_qs(parsed.query)
        query = {k: v[0] for k, v in multi.items()}
        if any(len(v) > 1 for v in multi.values()):
            query['_multi'] = multi  # repeated parameters (?sku=a&sku=b)
        if 'x-www-form-urlencoded' in (
                handler.headers.get('Content-Type') or ''):
            data = {k: v[0] for k, v in urllib.parse.parse_qs(
                    body.decode()).items()}
        else:
            data = json.loads(body) if body else None
        if handler.command == 'POST' and parsed.path == self.token_path:
            # the token endpoint has limits of its own
            status, answer = self._refresh(data or {})
            return self._send(handler, status, answer)
        with self.lock:
            self.requests.append((handler.command, parsed.path, query,
                    data))
            fault = self.faults.pop(0) if self.faults else None
            self._roll_window()
            self.window_requests += 1
            over = bool(self.limit and self.window_requests > self.limit)
            if over:
                self.limited += 1
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
        if over:
            return self._send(handler, 429, {'error': 'rate limited'},
                {'Retry-After': self.retry_after(self.window_reset())})
        if not self.authorised(handler.headers.get('Authorization')):
            with self.lock:
                self.rejected += 1
            return self._send(handler, *self.unauthorised())
        try:
            status, data = self.route(handler.command, parsed.path, query,
                data)
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
        if self.limit:
            # the budget X-Series publishes (Square publishes none)
            handler.send_header('X-RateLimit-Limit', str(self.limit))
            handler.send_header('X-RateLimit-Remaining',
                str(self.remaining))
            handler.send_header('X-RateLimit-Reset',
                self.retry_after(self.window_reset()))
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(payload)

    def calls(self, method, prefix):
        return [r for r in self.requests
            if r[0] == method and r[1].startswith(prefix)]


class FakeLightspeedX(FakeServer):
    """Lightspeed Retail X-Series API 2.0 (+ 2.1 product update and 2026-07
    stock adjustments) with one global version counter.

    OAuth as X-Series does it: POST /api/1.0/token (form) with
    grant_type=refresh_token gives a short-lived access token and a new
    refresh token, and revokes the one used (rotation, since 2025-03).
    350 requests per 5 minutes (one register), 429 with Retry-After as an
    HTTP date beyond."""
    token_path = '/api/1.0/token'
    rotate_refresh = True

    def __init__(self, catalog_map=None, port=0):
        """catalog_map: shops, products and starting stock in the shape of
        the fixtures' catalog_map.json (the demo builds its own)"""
        super().__init__(port=port)
        self.limit = 350
        self.catalog = cat = catalog_map or catalog()
        self.version = 9183000000
        self.sales = {}
        self.levels = {}  # (product_id, outlet_id) -> record
        self.adjustments = []
        self.products = {}
        outlets = {s['shop']: s['lightspeed_x_outlet_id']
            for s in cat['shops']}
        skus = {p['sku']: p['lightspeed_x_product_id']
            for p in cat['products']}
        for i, row in enumerate(cat['initial_stock_before_fixtures']):
            if not outlets.get(row['shop']):
                continue
            self.set_level(skus[row['sku']], outlets[row['shop']],
                row['on_hand'])

    def token_answer(self, access, refresh, expires):
        return {'access_token': access, 'token_type': 'Bearer',
            'expires': int(expires),
            'expires_in': int(round(expires - time.time())),
            'refresh_token': refresh, 'domain_prefix': 'urbantherapy',
            'scope': ''}

    def unauthorised(self):
        return 401, {'status': 'error', 'error': 'invalid_token',
            'error_description': 'The access token is invalid or expired'}

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
            # rung up then (a sale of the past: then, not now)
            sale['updated_at'] = sale.get('sale_date') or _now()
            self.sales[sale['id']] = sale
            for line in sale.get('line_items') or []:
                if line['product_id'] == LSX_DISCOUNT['id']:
                    continue  # not stock
                key = (line['product_id'], sale['outlet_id'])
                self.set_level(line['product_id'], sale['outlet_id'],
                    self.level(*key) - line['quantity'])
            return sale

    def update_sale(self, sale_id, **changes):
        """A sale changed in the till after it was rung up (paid off on
        account or layby: status ONACCOUNT_CLOSED / LAYBY_CLOSED, a note):
        a new version, no stock moves (the register moved it when the sale
        was put on account); returns the 2.0 sale"""
        with self.lock:
            sale = self.sales[sale_id]
            sale.update(changes)
            sale['version'] = self.next_version()
            sale['updated_at'] = _now()
            return copy.deepcopy(sale)

    def sale_webhook(self, secret, sale):
        """(query, headers, raw body) of the sale.update delivery of sale
        as X-Series posts it (form-encoded, the 1.0 shape in `payload`,
        HMAC-SHA256 of the body keyed with the client secret)"""
        import hashlib
        import hmac
        payload = dict(sale, register_sale_products=sale['line_items'])
        del payload['line_items']
        body = urllib.parse.urlencode({'payload': json.dumps(payload),
                'type': 'sale.update', 'environment': 'demo',
                'domain_prefix': 'urbantherapy'}).encode()
        signature = hmac.new(secret.encode(), body, hashlib.sha256)
        return ({'topic': 'sale.update'}, {
                'Content-Type': 'application/x-www-form-urlencoded',
                'X-Signature': 'signature=%s, algorithm=HMAC-SHA256'
                % signature.hexdigest(),
                'User-Agent': 'Lightspeed Retail (X-Series) webhooks'}, body)

    def sell(self, outlet_id, lines, number, discount=None, status='CLOSED',
            sale_date=None):
        """Ring up a sale of lines [(product row, quantity)] at the outlet
        (prices tax included, 21 % VAT); returns the 2.0 sale.
        discount: a sale-wide discount (tax included) as the register adds
        it, a line of the Discount product (sku vend-discount). status:
        CLOSED, or ONACCOUNT / LAYBY (the register deducts the stock then
        too). sale_date: when it was rung up (UTC datetime; now)."""
        now = sale_date or dt.datetime.now(dt.timezone.utc)
        items, total, tax_total = [], 0.0, 0.0
        lines = list(lines)
        if discount:
            lines.append((dict(LSX_DISCOUNT, price=-float(discount),
                        lightspeed_x_product_id=LSX_DISCOUNT['id']), 1))
        for i, (row, quantity) in enumerate(lines):
            gross = float(row.get('price', row.get('list_price_incl_eur')))
            price = round(gross / 1.21, 5)
            tax = round(gross - price, 5)
            items.append({'id': 'line-%s-%d' % (number, i),
                    'product_id': row['lightspeed_x_product_id'],
                    'sku': row['sku'], 'name': row['name'],
                    'quantity': quantity, 'price': price, 'tax': tax,
                    'status': 'CONFIRMED'})
            total += price * quantity
            tax_total += tax * quantity
        return self.ring_up({
                'id': 'sale-%s' % number, 'outlet_id': outlet_id,
                'status': status, 'invoice_number': number,
                'sale_date': now.strftime('%Y-%m-%dT%H:%M:%SZ'),
                'total_price': round(total, 5),
                'total_tax': round(tax_total, 5),
                'customer_id': None, 'return_for': None,
                'line_items': items})

    def webhook(self, url, secret, sale):
        """POST the sale.update webhook of sale to url as X-Series does
        (see sale_webhook); returns the HTTP status"""
        import urllib.request
        _, headers, body = self.sale_webhook(secret, sale)
        request = urllib.request.Request(url + '?topic=sale.update',
            data=body, method='POST', headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

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
        if method == 'GET' and path == '/api/2.0/search':
            # type=products&sku=..&sku=.. (repeatable), offset, page_size
            if query.get('type') != 'products':
                raise KeyError(path)
            skus = set((query.get('_multi') or {}).get('sku')
                or [query.get('sku')])
            rows = [{'id': row['lightspeed_x_product_id'],
                    'sku': row['sku'], 'name': row['name'],
                    'deleted_at': None}
                for row in self.catalog['products'] if row['sku'] in skus]
            offset = int(query.get('offset') or 0)
            size = min(int(query.get('page_size') or 100), 1000)
            return 200, {'data': rows[offset:offset + size]}
        if method == 'GET' and path == '/api/2.0/products':
            if query.get('sku'):
                # all other parameters are ignored
                return 200, {'data': [{'id': row['lightspeed_x_product_id'],
                            'sku': row['sku'], 'name': row['name'],
                            'deleted_at': None}
                        for row in self.catalog['products']
                        if row['sku'] == query.get('sku')]}
            # the catalogue by version (the products' order of creation)
            rows = [dict(LSX_DISCOUNT, lightspeed_x_product_id=LSX_DISCOUNT[
                        'id'])] + self.catalog['products']
            return self._page([{'id': row['lightspeed_x_product_id'],
                        'sku': row['sku'], 'name': row['name'],
                        'deleted_at': None, 'version': i + 1}
                    for i, row in enumerate(rows)], query)
        if method == 'POST' and path == '/api/2026-07/inventory':
            # 2026-07 list: filters in the body, a plain array, at most
            # 5000 records
            after = int(body.get('after') or 0)
            size = min(int(body.get('size') or 1000), 5000)
            records = sorted((r for r in self.levels.values()
                    if r['version'] > after and (not body.get('product_id')
                        or r['product_id'] == body['product_id'])),
                key=lambda r: r['version'],
                reverse=body.get('sort_direction', 'desc') == 'desc')
            return 200, [dict({k: v for k, v in r.items()
                            if k != 'inventory_level'},
                        current_inventory_level=r['inventory_level'])
                for r in records[:size]]
        if (method == 'GET' and parts[:3] == ['api', '2.0', 'products']
                and len(parts) == 4):
            if parts[3] == LSX_DISCOUNT['id']:
                return 200, {'data': dict(LSX_DISCOUNT)}
            for row in self.catalog['products']:
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
    """Square Orders and Inventory APIs (2025-08-20) with idempotency keys.

    OAuth as Square's code flow does it: POST /oauth2/token (JSON) with
    grant_type=refresh_token, client_id and client_secret gives an access
    token with its expires_at and the same refresh token."""
    token_path = '/oauth2/token'

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
        #: the items of the till (rows of catalog_map.json: a test may add)
        self.catalog = cat = catalog()
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
                if not 1 <= len(body.get('changes') or []) <= 100:
                    return 400, {'errors': [{
                                'category': 'INVALID_REQUEST_ERROR',
                                'code': 'INVALID_ARRAY_LENGTH',
                                'field': 'changes',
                                'detail': 'changes: 1 to 100 items'}]}
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
                rows = [row for row in self.catalog['products']
                    if row['square_variation_id'] in body['object_ids']]
                data = {'objects': [{'type': 'ITEM_VARIATION',
                            'id': row['square_variation_id'],
                            'item_variation_data': {'sku': row['sku'],
                                'name': 'Regular',
                                'item_id': 'ITEM-' + row['sku']}}
                        for row in rows]}
                if body.get('include_related_objects'):
                    data['related_objects'] = [{'type': 'ITEM',
                            'id': 'ITEM-' + row['sku'],
                            'item_data': {'name': row['name']}}
                        for row in rows]
                return 200, data
            if method == 'POST' and path == '/v2/catalog/search':
                return self._search_catalog(body)
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

    def _search_catalog(self, body):
        """SearchCatalogObjects of item variations by SKU: an exact query
        (case insensitive, may match part of the value) or a set query
        (exact, case insensitive, at most 250 values); cursor paging"""
        query = body.get('query') or {}
        if 'set_query' in query:
            values = query['set_query'].get('attribute_values') or []
            if len(values) > 250:
                return 400, {'errors': [{
                            'category': 'INVALID_REQUEST_ERROR',
                            'code': 'INVALID_ARRAY_LENGTH',
                            'field': 'attribute_values',
                            'detail': 'at most 250 values'}]}
            wanted = {v.lower() for v in values}

            def match(sku):
                return sku.lower() in wanted
        else:
            value = query['exact_query']['attribute_value'].lower()

            def match(sku):
                return value in sku.lower()
        rows = [{'type': 'ITEM_VARIATION', 'id': row['square_variation_id'],
                'is_deleted': False,
                'item_variation_data': {'sku': row['sku']}}
            for row in self.catalog['products'] if match(row['sku'])]
        return 200, self._page(rows, dict(body,
                limit=min(int(body.get('limit') or 100), 1000)), 'objects')

    def token_answer(self, access, refresh, expires):
        return {'access_token': access, 'token_type': 'bearer',
            'expires_at': dt.datetime.fromtimestamp(int(expires),
                dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
            'merchant_id': 'ML7UTBE0GENT1', 'refresh_token': refresh,
            'short_lived': False}

    def token_error(self, code):
        return 401, {'errors': [{'category': 'AUTHENTICATION_ERROR',
                    'code': 'UNAUTHORIZED', 'detail': code}]}

    def unauthorised(self):
        return 401, {'errors': [{'category': 'AUTHENTICATION_ERROR',
                    'code': 'ACCESS_TOKEN_EXPIRED',
                    'detail': 'This access token has expired.'}]}

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
        if not 1 <= len(body.get('location_ids') or []) <= 10:
            return 400, {'errors': [{'category': 'INVALID_REQUEST_ERROR',
                        'code': 'INVALID_ARRAY_LENGTH',
                        'field': 'location_ids',
                        'detail': 'location_ids: 1 to 10 items'}]}
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

    def sell(self, location_id, lines, number, custom_amount=None,
            gift_card=None, service_charge=None, tip=None):
        """A sale completed in the Square Point of Sale app: lines
        [(catalog row, quantity)] lower the counts (calculated after the
        order closed); custom_amount / gift_card (a gift card sold):
        CUSTOM_AMOUNT / GIFT_CARD lines without a catalog object;
        service_charge, tip: amounts on the order (EUR, tax included).
        Returns the order."""
        with self.lock:
            closed = _now()
            items, total = [], 0

            def cents(value):
                return int(round(float(value) * 100))

            def money(amount):
                return {'amount': amount, 'currency': 'EUR'}
            for i, (row, quantity) in enumerate(lines):
                gross = cents(row['list_price_incl_eur']) * quantity
                tax = gross - int(round(gross / 1.21))
                items.append({'uid': 'li-%s-%s' % (number, i),
                        'catalog_object_id': row['square_variation_id'],
                        'quantity': str(quantity), 'name': row['name'],
                        'variation_name': 'Regular', 'item_type': 'ITEM',
                        'total_tax_money': money(tax),
                        'total_money': money(gross)})
                total += gross
                key = (row['square_variation_id'], location_id)
                self.counts[key] = self.counts.get(key, 0) - quantity
            for item_type, value, name in [
                    ('CUSTOM_AMOUNT', custom_amount, 'Engraving'),
                    ('GIFT_CARD', gift_card, 'Gift card')]:
                if value:
                    items.append({'uid': 'li-%s-%s' % (number, item_type),
                            'quantity': '1', 'name': name,
                            'item_type': item_type,
                            'total_tax_money': money(0),
                            'total_money': money(cents(value))})
                    total += cents(value)
            order = {'id': 'UTSQORDER%s' % number,
                'location_id': location_id, 'state': 'COMPLETED',
                'version': 3, 'line_items': items,
                'created_at': closed, 'closed_at': closed}
            if service_charge:
                amount = cents(service_charge)
                order['service_charges'] = [{'uid': 'sc-%s' % number,
                        'name': 'Service', 'total_money': money(amount),
                        'total_tax_money': money(
                            amount - int(round(amount / 1.21)))}]
                total += amount
            if tip:
                order['total_tip_money'] = money(cents(tip))
                total += cents(tip)
            order['net_amounts'] = {'total_money': money(total),
                'tax_money': money(sum(i['total_tax_money']['amount']
                        for i in items))}
            self.add_order(order)
            time.sleep(0.002)
            for row, _ in lines:
                self.count_times[(row['square_variation_id'],
                        location_id)] = _now()
            return order

    def event(self, kind, data_type, obj):
        """(headers, raw body) of a webhook event as Square signs it for
        SQUARE_URL"""
        import base64
        import hashlib
        import hmac
        import uuid
        body = json.dumps({'merchant_id': 'ML7UTBE0GENT1', 'type': kind,
                'event_id': str(uuid.uuid4()), 'created_at': _now(),
                'data': {'type': data_type, 'id': str(uuid.uuid4()),
                    'object': obj}}).encode()
        mac = hmac.new(SQUARE_KEY.encode(), SQUARE_URL.encode() + body,
            hashlib.sha256)
        return ({'x-square-hmacsha256-signature':
                base64.b64encode(mac.digest()).decode(),
                'Content-Type': 'application/json'}, body)

    def order_event(self, order):
        "order.updated of order (ids only, as Square sends it)"
        return self.event('order.updated', 'order_updated', {
                'order_updated': {'order_id': order['id'],
                    'location_id': order['location_id'],
                    'state': order['state'], 'version': order['version'],
                    'created_at': order['created_at'],
                    'updated_at': order['updated_at']}})

    def count_event(self, object_ids, location_id):
        "inventory.count.updated of the current counts of object_ids"
        with self.lock:
            return self.event('inventory.count.updated', 'inventory_counts',
                {'inventory_counts': [self._count(o, location_id)
                        for o in object_ids]})

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
