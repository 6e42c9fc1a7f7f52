"""Fake Ankorstore Public API (JSON:API, ../shared/ankorstore), as documented:

- POST /oauth/token (form: grant_type=client_credentials, client_id,
  client_secret, scope=*): a Bearer token valid 3600 s; wrong credentials
  401; every call is counted in `token_calls` (the real endpoint allows 60
  an hour);
- GET /api/v1/master-orders?include=internalOrder: cursor pagination
  (page[limit], page[after]; meta.page.hasMore, links.next), oldest first;
- GET /api/v1/orders/<id>?include=retailer,orderItems.productVariant: the
  internal order, its retailer and items (quantity, brandUnitPrice in
  cents, the variant's sku and ian = EAN);
- POST /api/v1/orders/<id>/-actions/transition {"data": {"type":
  "brand-validates"}} or {"type": "brand-rejects", "attributes":
  {"rejectType": ...}}: allowed from ankor_confirmed only, else 409
  ORDER_ACTION_ACCEPT_FAILED / ORDER_ACTION_REJECT_FAILED; recorded in
  `transitions`;
- GET /api/v1/product-variants: the brand's variants (sku, ian = EAN,
  stockQuantity, reservedQuantity, availableQuantity), cursor pages;
- POST /api/v1/operations {"atomic:operations": [{"op": "update", "data":
  {"type": "productVariants", "id", "attributes": {"stockQuantity"}}}]}:
  at most 50 operations, all or nothing (422 with the operation's pointer),
  each recorded in `stock_updates` (time, variant id, quantity);
- POST /api/v1/orders/<id>/shipping-quotes {"parcels": [{kg, length, width,
  height}]} (1 to 20 parcels, 0.001 to 30 kg, 1 to 274 cm; 422 with the
  parcel's pointer): an "ankorstore" label quote and a "custom" one (our
  own carrier), for brand_confirmed orders only (409 otherwise);
- POST /api/v1/shipping-quotes/<quote>/confirm {"tracking":
  {trackingProvider, trackingNumber} or {trackingLink}}: the order is
  shipped (409 if it is not brand_confirmed), recorded in `shipments`;
- every /api/v1 call needs `Authorization: Bearer <token>` (401) and
  `Accept: application/vnd.api+json` (406); beyond `rate_limit` calls in a
  minute (600, Ankorstore's limit) it answers 429 with Retry-After.

`add_order(...)` creates an order as a retailer would; `cancel(id)` cancels
it as Ankorstore does; `send_webhook(url, type, order_id)` POSTs the
order.* event signed with HMAC-SHA256 (hex) of the raw body with the
subscription's secret in the `signature` header."""
import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.request
import uuid

from .server import FakeServer

CLIENT_ID = 'ankor-client-urban'
CLIENT_SECRET = 'ankor-secret-urban'
WEBHOOK_SECRET = 'ankor-whsec-urban'
TOKEN_TTL = 3600
MEDIA_TYPE = 'application/vnd.api+json'

#: the demo's and the tests' catalogue on Ankorstore: (sku, ean, name,
#: wholesale price in cents)
VARIANTS = [
    ('UT-CANDLE-FIG', '5412345000013', "Fig candle", 1250),
    ('UT-MUG-TERRA', '5412345000020', "Terracotta mug", 890),
    ('UT-THROW-LIN', '5412345000037', "Linen throw", 3475),
    ]
RETAILERS = [
    {'id': '092b63ce-c5b9-1eca-b05f-0242ac170007',
        'storeName': "Maison Jumbo", 'companyName': "Jumbo SRL",
        'email': 'achat@maisonjumbo.example', 'vatNumber': 'BE0123456789',
        'firstName': "Charles", 'lastName': "Attan",
        'phoneNumberE164': '+3225550101'},
    {'id': '1d3c2f6a-5b2e-4c1a-9d4f-7e8a9b0c1d2e',
        'storeName': "De Kleine Winkel", 'companyName': None,
        'email': 'info@dekleinewinkel.example', 'vatNumber': 'NL001234567B01',
        'firstName': "Sanne", 'lastName': "de Vries",
        'phoneNumberE164': '+31205550102'},
    ]


def sign(body, secret=WEBHOOK_SECRET):
    "The signature header of a raw body"
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _now():
    return dt.datetime.now(dt.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%S.000000Z')


class FakeAnkorstore(FakeServer):

    def __init__(self, port=0, client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET, ttl=TOKEN_TTL, variants=None,
            rate_limit=600):
        "variants: [(sku, ean, name, wholesale price in cents)]"
        super().__init__(port)
        self.client_id = client_id
        self.client_secret = client_secret
        self.ttl = ttl
        self.tokens = {}  # token: expiry (UTC timestamp)
        self.token_calls = 0
        self.orders = {}  # internal order id: order dict
        self.master_ids = []  # master order ids, oldest first
        self.transitions = []  # (order id, type, attributes)
        self.variants = {sku: {'id': str(uuid.uuid5(uuid.NAMESPACE_URL,
                            'ankorstore/' + sku)), 'sku': sku, 'ian': ean,
                    'name': name, 'wholesalePrice': price,
                    'stockQuantity': 0}
            for sku, ean, name, price in (variants or VARIANTS)}
        self.rate_limit = rate_limit
        self.calls = []  # times of the /api/v1 calls of the last minute
        self.stock_updates = []  # (time, variant id, stockQuantity)
        self.quotes = {}  # quote id: (order id, carrier code, parcels)
        self.shipments = []  # (order id, carrier code, tracking)
        self._reference = 3434273900

    # --- data, as retailers and Ankorstore make it -------------------------
    def add_order(self, items, retailer=0, variant=None):
        """A new order (status ankor_confirmed) of retailer (index of
        RETAILERS or a dict) for items [(sku or variant dict, quantity)];
        returns the internal order id"""
        retailer = (RETAILERS[retailer] if isinstance(retailer, int)
            else retailer)
        master_id, order_id = str(uuid.uuid4()), str(uuid.uuid4())
        self._reference += 1
        lines = []
        for what, quantity in items:
            if isinstance(what, dict):
                variant = what
            else:
                variant = self.variants[what]
            lines.append({'id': str(uuid.uuid4()), 'variant': variant,
                    'quantity': quantity})
        self.orders[order_id] = {'id': order_id, 'master_id': master_id,
            'status': 'ankor_confirmed', 'reference': self._reference,
            'retailer': retailer, 'items': lines, 'reject_type': None,
            'created': _now()}
        self.master_ids.append(master_id)
        return order_id

    def cancel(self, order_id):
        self.orders[order_id]['status'] = 'cancelled'

    def order_by_master(self, master_id):
        return next(o for o in self.orders.values()
            if o['master_id'] == master_id)

    # --- webhooks -----------------------------------------------------------
    def webhook_body(self, event_type, order_id, event_id=None):
        order = self.orders[order_id]
        return json.dumps({'data': {
                    **self._order_resource(order),
                    'meta': {'event': {
                            'id': event_id or str(uuid.uuid4()),
                            'applicationId': self.client_id,
                            'type': event_type,
                            'timestamp': int(dt.datetime.now().timestamp()),
                            }}}}).encode()

    def send_webhook(self, url, event_type, order_id, event_id=None,
            secret=WEBHOOK_SECRET):
        "POST the event to url as Ankorstore does; returns (status, body)"
        body = self.webhook_body(event_type, order_id, event_id=event_id)
        request = urllib.request.Request(url, data=body, method='POST',
            headers={'Content-Type': 'application/json',
                'signature': sign(body, secret)})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    # --- the API ------------------------------------------------------------
    def handle(self, method, path, query, body, headers):
        headers = {k.lower(): v for k, v in headers.items()}
        if path == '/oauth/token' and method == 'POST':
            return self._token(body or {})
        if not path.startswith('/api/v1/'):
            return self._error(404, 'Not Found')
        auth = headers.get('authorization', '')
        token = auth[len('Bearer '):] if auth.startswith('Bearer ') else ''
        if self.tokens.get(token, 0) <= dt.datetime.now().timestamp():
            return self._error(401, 'Unauthenticated')
        if MEDIA_TYPE not in headers.get('accept', ''):
            return self._error(406, 'Not Acceptable')
        now = dt.datetime.now().timestamp()
        self.calls = [t for t in self.calls if t > now - 60] + [now]
        if len(self.calls) > self.rate_limit:
            status, document = self._error(429, 'Too Many Requests')
            return status, document, None, {
                'Retry-After': str(int(self.calls[0] + 60 - now) + 1)}
        parts = path[len('/api/v1/'):].strip('/').split('/')
        if parts == ['product-variants'] and method == 'GET':
            return self._variants(query)
        if (len(parts) == 3 and parts[0] == 'orders'
                and parts[2] == 'shipping-quotes' and method == 'POST'):
            return self._quotes(parts[1], body or {})
        if (len(parts) == 3 and parts[0] == 'shipping-quotes'
                and parts[2] == 'confirm' and method == 'POST'):
            return self._confirm(parts[1], body or {})
        if parts == ['operations'] and method == 'POST':
            if 'json' not in headers.get('content-type', ''):
                return self._error(415, 'Unsupported Media Type')
            return self._operations(body or {})
        if parts == ['master-orders'] and method == 'GET':
            return self._list(query)
        if len(parts) == 2 and parts[0] == 'orders' and method == 'GET':
            order = self.orders.get(parts[1])
            if not order:
                return self._error(404, 'Not Found')
            return 200, self._order_document(order)
        if (len(parts) == 4 and parts[0] == 'orders'
                and parts[2:] == ['-actions', 'transition']
                and method == 'POST'):
            if 'json' not in headers.get('content-type', ''):
                return self._error(415, 'Unsupported Media Type')
            return self._transition(parts[1], body or {})
        return self._error(404, 'Not Found')

    def _token(self, form):
        self.token_calls += 1
        if (form.get('grant_type') != 'client_credentials'
                or form.get('client_id') != self.client_id
                or form.get('client_secret') != self.client_secret):
            return 401, {'error': 'invalid_client',
                'error_description': 'Client authentication failed'}
        token = secrets.token_urlsafe(24)
        self.tokens[token] = dt.datetime.now().timestamp() + self.ttl
        return 200, {'token_type': 'Bearer', 'expires_in': self.ttl,
            'access_token': token}

    def _list(self, query):
        limit = max(1, min(int(query.get('page[limit]') or 50), 100))
        after = query.get('page[after]')
        ids = self.master_ids
        start = ids.index(after) + 1 if after in ids else 0
        page = ids[start:start + limit]
        has_more = start + limit < len(ids)
        data, included = [], []
        for master_id in page:
            order = self.order_by_master(master_id)
            data.append({'type': 'master-orders', 'id': master_id,
                    'relationships': {'internalOrder': {'data': {
                                'type': 'internal-orders',
                                'id': order['id']}}}})
            if 'internalOrder' in (query.get('include') or ''):
                included.append(self._order_resource(order))
        links = {'first': '%s/api/v1/master-orders?page[limit]=%s' % (
                self.url, limit)}
        if has_more:
            links['next'] = '%s/api/v1/master-orders?page[after]=%s' \
                '&page[limit]=%s' % (self.url, page[-1], limit)
        return 200, {'jsonapi': {'version': '1.0'},
            'meta': {'page': {'from': page[0] if page else None,
                    'to': page[-1] if page else None, 'hasMore': has_more,
                    'perPage': limit}},
            'links': links, 'data': data, 'included': included}

    def _order_resource(self, order):
        total = sum(i['quantity'] * i['variant']['wholesalePrice']
            for i in order['items'])
        return {'type': 'orders', 'id': order['id'],
            'attributes': {'masterOrderId': order['master_id'],
                'status': order['status'], 'reference': order['reference'],
                'brandCurrency': 'EUR', 'brandTotalAmount': total,
                'brandRejectReason': order['reject_type'],
                'submittedAt': order['created'],
                'createdAt': order['created'], 'updatedAt': _now()},
            'relationships': {
                'retailer': {'data': {'type': 'retailers',
                        'id': order['retailer']['id']}},
                'orderItems': {'data': [{'type': 'order-items',
                                'id': i['id']} for i in order['items']]},
                }}

    def _order_document(self, order):
        included = [{'type': 'retailers', 'id': order['retailer']['id'],
                'attributes': {k: v for k, v in order['retailer'].items()
                    if k != 'id'}}]
        variants = {}
        for item in order['items']:
            variant = item['variant']
            included.append({'type': 'order-items', 'id': item['id'],
                    'attributes': {'brandCurrency': 'EUR',
                        'quantity': item['quantity'],
                        'multipliedQuantity': item['quantity'],
                        'brandUnitPrice': variant['wholesalePrice'],
                        'brandAmount': (
                            item['quantity'] * variant['wholesalePrice']),
                        },
                    'relationships': {'productVariant': {'data': {
                                'type': 'product-variants',
                                'id': variant['id']}}}})
            variants[variant['id']] = {'type': 'product-variants',
                'id': variant['id'], 'attributes': {
                    'name': variant.get('name'), 'sku': variant.get('sku'),
                    'ian': variant.get('ian'),
                    'wholesalePrice': variant['wholesalePrice']}}
        return {'jsonapi': {'version': '1.0'},
            'data': self._order_resource(order),
            'included': included + list(variants.values())}

    def _transition(self, order_id, body):
        order = self.orders.get(order_id)
        if not order:
            return self._error(404, 'Not Found')
        data = body.get('data') or {}
        kind = data.get('type')
        attributes = data.get('attributes') or {}
        if kind not in {'brand-validates', 'brand-rejects'}:
            return self._error(422, 'Unprocessable Entity',
                pointer='/data/type')
        if order['status'] != 'ankor_confirmed':
            code = ('ORDER_ACTION_ACCEPT_FAILED' if kind == 'brand-validates'
                else 'ORDER_ACTION_REJECT_FAILED')
            return self._error(409, 'Conflict', code=code,
                detail='Order is %s' % order['status'])
        if kind == 'brand-rejects':
            if not attributes.get('rejectType'):
                return self._error(422, 'Unprocessable Entity',
                    pointer='/data/attributes/rejectType')
            order['status'] = 'rejected'
            order['reject_type'] = attributes['rejectType']
        else:
            order['status'] = 'brand_confirmed'
        self.transitions.append((order_id, kind, attributes))
        return 200, self._order_document(order)

    def _quotes(self, order_id, body):
        order = self.orders.get(order_id)
        if not order:
            return self._error(404, 'Not Found')
        if order['status'] != 'brand_confirmed':
            return self._error(409, 'Conflict',
                code='ORDER_SHIPPING_QUOTE_FAILED')
        parcels = body.get('parcels')
        if not isinstance(parcels, list) or not 1 <= len(parcels) <= 20:
            return self._error(422, 'Unprocessable Content',
                detail='The field is required.', pointer='parcels')
        limits = {'kg': (0.001, 30), 'length': (1, 274), 'width': (1, 274),
            'height': (1, 274)}
        for index, parcel in enumerate(parcels):
            for name, (low, high) in limits.items():
                value = (parcel or {}).get(name)
                if (not isinstance(value, (int, float))
                        or not low <= value <= high):
                    return self._error(422, 'Unprocessable Content',
                        detail='%s must be between %s and %s' % (
                            name, low, high),
                        pointer='shipping.parcels.%s' % index)
        data = []
        for carrier, amount in [('ankorstore', 1006), ('custom', 807)]:
            quote_id = str(uuid.uuid4())
            self.quotes[quote_id] = (order_id, carrier, parcels)
            data.append({'quoteUuid': quote_id, 'carrierCode': carrier,
                    'serviceCode': '', 'serviceCommercialName': '',
                    'collectionMethod': [],
                    'shippingCost': {'amount': amount, 'currency': 'EUR'},
                    'timeInTransit': None})
        return 200, {'data': data, 'jsonapi': {'version': '1.0'}}

    def _confirm(self, quote_id, body):
        if quote_id not in self.quotes:
            return self._error(404, 'Not Found')
        order_id, carrier, _ = self.quotes[quote_id]
        order = self.orders[order_id]
        if order['status'] != 'brand_confirmed':
            return self._error(409, 'Conflict',
                code='ORDER_SHIPPING_CONFIRM_FAILED')
        tracking = body.get('tracking') or {}
        if carrier == 'custom' and not (tracking.get('trackingLink') or (
                    tracking.get('trackingProvider')
                    and tracking.get('trackingNumber'))):
            return self._error(422, 'Unprocessable Content',
                detail='The tracking is required.', pointer='tracking')
        order['status'] = 'shipped'
        self.shipments.append((order_id, carrier, tracking))
        return 200, {'data': {'id': quote_id, 'uuid': quote_id,
                'orderUuid': order_id, 'provider': carrier}}

    def variant_by_id(self, variant_id):
        return next((v for v in self.variants.values()
                if v['id'] == variant_id), None)

    def reserved_quantity(self, variant):
        "Units of the variant in orders confirmed but not shipped"
        return sum(item['quantity'] for order in self.orders.values()
            if order['status'] in {'ankor_confirmed', 'brand_confirmed'}
            for item in order['items'] if item['variant'] is variant)

    def _variant_resource(self, variant):
        reserved = self.reserved_quantity(variant)
        return {'type': 'productVariant', 'id': variant['id'],
            'attributes': {'name': variant['name'], 'sku': variant['sku'],
                'ian': variant['ian'],
                'wholesalePrice': variant['wholesalePrice'],
                'stockQuantity': variant['stockQuantity'],
                'reservedQuantity': reserved,
                'availableQuantity': max(
                    0, variant['stockQuantity'] - reserved),
                'isAlwaysInStock': False, 'inventoryPolicy': 'deny'}}

    def _variants(self, query):
        limit = max(1, min(int(query.get('page[limit]') or 50), 100))
        variants = sorted(self.variants.values(), key=lambda v: v['id'])
        ids = [v['id'] for v in variants]
        after = query.get('page[after]')
        start = ids.index(after) + 1 if after in ids else 0
        page = variants[start:start + limit]
        has_more = start + limit < len(ids)
        links = {'first': '%s/api/v1/product-variants?page[limit]=%s' % (
                self.url, limit)}
        if has_more:
            links['next'] = ('%s/api/v1/product-variants?page[limit]=%s'
                '&page[after]=%s' % (self.url, limit, page[-1]['id']))
        return 200, {'data': [self._variant_resource(v) for v in page],
            'meta': {'page': {'hasMore': has_more, 'perPage': limit,
                    'from': page[0]['id'] if page else None,
                    'to': page[-1]['id'] if page else None}},
            'links': links, 'jsonapi': {'version': '1.0'}}

    def _operations(self, body):
        operations = body.get('atomic:operations')
        if not isinstance(operations, list) or not 1 <= len(
                operations) <= 50:
            return self._error(422, 'Unprocessable Entity',
                detail='1 to 50 operations', pointer='/atomic:operations')
        updates = []
        for index, operation in enumerate(operations):
            data = (operation or {}).get('data') or {}
            attributes = data.get('attributes') or {}
            variant = self.variant_by_id(data.get('id'))
            quantity = attributes.get('stockQuantity')
            pointer = '/atomic:operations/%s/data' % index
            if operation.get('op') != 'update' or variant is None:
                return self._error(422, 'Unprocessable Entity',
                    detail='Unknown product variant', pointer=pointer)
            if (not isinstance(quantity, int) or isinstance(quantity, bool)
                    or quantity < 0):
                return self._error(422, 'Unprocessable Entity',
                    detail='stockQuantity must be a natural number',
                    pointer=pointer + '/attributes/stockQuantity')
            updates.append((variant, quantity))
        results = []
        now = dt.datetime.now().timestamp()
        for variant, quantity in updates:
            variant['stockQuantity'] = quantity
            self.stock_updates.append((now, variant['id'], quantity))
            results.append({'data': self._variant_resource(variant)})
        return 200, {'atomic:results': results}

    @staticmethod
    def _error(status, title, code=None, detail=None, pointer=None):
        error = {'status': str(status), 'title': title}
        if code:
            error['code'] = code
        if detail:
            error['detail'] = detail
        if pointer:
            error['source'] = {'pointer': pointer}
        return status, {'errors': [error]}
