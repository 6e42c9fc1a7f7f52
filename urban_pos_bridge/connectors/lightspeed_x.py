"""Lightspeed Retail X-Series (formerly Vend).

- Webhooks: form-encoded POST, JSON in the `payload` field (API 1.0 shape),
  one URL per topic (`?topic=sale.update`); signature (UNCONFIRMED scheme;
  an account may switch the check off, its deliveries then only trigger a
  poll: see Account.receive_webhook): `X-Signature: signature=<hex
  HMAC-SHA256 of the raw body keyed with the app client secret>,
  algorithm=HMAC-SHA256`.
- Sales dedupe on id + version; `inventory.update` has no id or version:
  it only triggers a poll of `/api/2.0/inventory?after=<version>` whose
  records carry the global version used to order events.
- Writes: `POST /api/2026-07/stock_adjustments` (deltas, 1-1000 per call,
  no idempotency key: after a timeout the outbox reads before retrying).
- 429 carries `Retry-After` as an HTTP date; 350 requests per 5 minutes
  (one register): SKUs are searched 100 a call, products and levels read
  in pages of the lists when more than a few are needed.
- OAuth: `POST /api/1.0/token` (form) with grant_type=refresh_token gives
  `access_token`, `expires` / `expires_in` and a new `refresh_token` (the
  one used is revoked since 2025-03).
"""
import hashlib
import hmac
import json
import re
import urllib.parse
import uuid
import datetime as dt

from .base import (
    BadPayload, Connector, InboxItem, Level, Rejected, Sale, SaleLine,
    decimal, loads)

CLOSED = {'CLOSED', 'ONACCOUNT_CLOSED', 'LAYBY_CLOSED', 'DISPATCHED_CLOSED',
    'PICKED_UP_CLOSED', 'PICKUP_CLOSED', 'SERVICE_CLOSED',
    # on account / layby: the register deducts the stock when the sale is
    # put on account or on layby, not when it is paid off (Lightspeed's
    # help; the API spec does not say): booked then, the *_CLOSED version
    # of the same sale moves nothing more
    'ONACCOUNT', 'LAYBY'}
VOIDED = {'VOIDED'}
#: sales paid off after the register deducted their stock (on account,
#: layby): the version seen is later than the stock's move
PAID_OFF = {'ONACCOUNT_CLOSED', 'LAYBY_CLOSED'}
#: a sale updated longer than this after it was rung up was changed since
#: (a note, a customer, a payment): its version is not its stock's
SETTLED = dt.timedelta(minutes=5)
SIGNATURE = re.compile(r'signature=([0-9a-fA-F]+)')
ADJUSTMENT_BATCH = 1000
#: SKUs per search call (repeated query parameter; keeps URLs short) and
#: the search's page size (at most 1000)
SEARCH_SKUS = 100
SEARCH_PAGE = 1000
#: look-ups of more products (by id) than this page the product list (by
#: version, PRODUCTS_PAGE a call) instead of one GET each
LOOKUP_SINGLE = 5
PRODUCTS_PAGE = 1000
#: level reads of more products than this read the 2026-07 inventory list
#: (every outlet, INVENTORY_PAGE records a call) instead of one GET each
LEVELS_SINGLE = 5
INVENTORY_PAGE = 5000
#: X-Series' own products that are not stock: the Discount product added
#: by the register for a sale-wide discount, and gift cards
AMOUNT_SKUS = {'vend-discount': 'discount', 'vend-giftcard': 'gift_card',
    'vend-gift-card': 'gift_card'}
TOPICS = {'sale.update', 'inventory.update', 'product.update'}


def _date(value):
    if not value:
        return None
    value = value.replace('Z', '+00:00').replace(' ', 'T')
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed


class LightspeedX(Connector):
    code = 'lightspeed_x'
    name = "Lightspeed Retail X-Series"
    token_path = '/api/1.0/token'

    def renew_token(self, refresh_token, client_id, client_secret):
        """POST /api/1.0/token (form) with grant_type=refresh_token: a new
        access token (`expires` as a UNIX time, `expires_in`) and a new
        refresh token, the one used being revoked (since 2025-03)"""
        data = self._token_call(data={
                'refresh_token': refresh_token,
                'client_id': client_id,
                'client_secret': client_secret,
                'grant_type': 'refresh_token',
                }, headers={'Accept': 'application/json',
                'User-Agent': 'urban-therapy-pos-bridge/1.0'})
        expires = None
        if data.get('expires'):
            expires = dt.datetime.utcfromtimestamp(int(data['expires']))
        elif data.get('expires_in'):
            expires = dt.datetime.utcnow() + dt.timedelta(
                seconds=int(data['expires_in']))
        return (data['access_token'],
            data.get('refresh_token') or refresh_token, expires)

    def verify(self, url, headers, body):
        secret = self.account.get_webhook_secret()
        match = SIGNATURE.search(headers.get('X-Signature') or '')
        if not secret or not match:
            return False
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, match.group(1).lower())

    def parse_webhook(self, query, headers, body):
        form = urllib.parse.parse_qs(body.decode('utf-8', 'replace'))
        topic = (query.get('topic') or (form.get('type') or [''])[0])
        if topic not in TOPICS:
            raise BadPayload('unknown topic %r' % topic)
        payload = (form.get('payload') or [None])[0]
        if not payload:
            raise BadPayload('no payload field')
        data = loads(payload)
        if not isinstance(data, dict) or not data.get('id'):
            raise BadPayload('payload without id')
        if topic == 'sale.update':
            version = data.get('version')
            if version is None:
                # nothing to deduplicate it by: the sale is fetched (with
                # its version) instead, never dropped as a repeat
                return [InboxItem('order_ref',
                        'lightspeed_x:sale_ref:%s' % uuid.uuid4().hex,
                        external_id=data['id'], payload=payload,
                        topic=topic)]
            return [InboxItem('sale', 'lightspeed_x:sale:%s:%s' % (
                        data['id'], version),
                    external_id=data['id'], version=int(version),
                    payload=payload, topic=topic)]
        digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
        if topic == 'inventory.update':
            # no id of the change nor version: only a signal to poll the
            # versioned records, never deduplicated (a later real change
            # ending at the same count is byte-identical); the hints of one
            # batch poll once
            return [InboxItem('inventory_hint',
                    'lightspeed_x:inventory_hint:%s' % uuid.uuid4().hex,
                    external_id=data['id'], payload=payload, topic=topic)]
        return [InboxItem('product', 'lightspeed_x:product:%s' % digest,
                external_id=data['id'], payload=payload, topic=topic)]

    def parse_sale(self, payload):
        data = loads(payload)
        status = data.get('status') or ''
        lines = []
        for line in (data.get('register_sale_products')
                or data.get('line_items') or []):
            if line.get('status') == 'VOIDED':
                continue
            quantity = decimal(line.get('quantity'))
            price = decimal(line.get('price'))
            tax = decimal(line.get('tax'))
            sku = line.get('sku') or (line.get('product') or {}).get(
                'sku') or ''
            kind = self.amount_kind(sku) or (
                'gift_card' if line.get('gift_card_number')
                else 'discount' if line.get('is_discount') else 'product')
            lines.append(SaleLine(
                    product_ref=line.get('product_id') or '',
                    sku=sku,
                    quantity=quantity,
                    unit_price=price,
                    tax=(tax * quantity),
                    total=((price + tax) * quantity).quantize(
                        decimal('0.01')),
                    kind=kind,
                    name=line.get('name') or (line.get('product') or {}).get(
                        'name') or ''))
        total_price = decimal(data.get('total_price'))
        total_tax = decimal(data.get('total_tax'))
        date = _date(data.get('sale_date'))
        return Sale(
            external_id=data['id'],
            version=int(data.get('version') or 0),
            outlet_ref=data.get('outlet_id') or '',
            status=('closed' if status in CLOSED
                else 'voided' if status in VOIDED else 'open'),
            date=date,
            number=data.get('invoice_number') or '',
            customer_ref=data.get('customer_id') or '',
            return_for=data.get('return_for') or '',
            lines=lines,
            total=(total_price + total_tax).quantize(decimal('0.01')),
            tax=total_tax.quantize(decimal('0.01')),
            stock_settled=self._stock_settled(status, date,
                _date(data.get('updated_at'))))

    @staticmethod
    def _stock_settled(status, date, updated):
        """Whether the sale's version is the one at which the register
        moved its stock: X-Series versions are one global counter, and a
        sale changed after it was rung up (paid off on account or layby,
        edited) comes with a later version than the inventory records its
        stock changed, which would then read as older than the sale"""
        if status in PAID_OFF:
            return False
        return not (date and updated and updated - date > SETTLED)

    def _sale_item(self, sale):
        return InboxItem('sale', 'lightspeed_x:sale:%s:%s' % (
                sale['id'], sale['version']),
            external_id=sale['id'], version=int(sale['version']),
            payload=json.dumps(sale), topic='poll')

    def fetch_sale(self, external_id):
        data = self.request('GET', '/api/2.0/sales/%s' % external_id)
        return self._sale_item(data.get('data') or data)

    def _poll(self, path, cursor, item):
        items = []
        after = int(cursor or 0)
        while True:
            data = self.request('GET', path, params={
                    'after': after, 'page_size': 500})
            records = data.get('data') or []
            if not records:
                break
            items.extend(item(r) for r in records)
            after = max(after, int((data.get('version') or {}).get('max')
                    or max(int(r['version']) for r in records)))
        return items, str(after)

    def poll_sales(self, cursor):
        return self._poll('/api/2.0/sales', cursor, self._sale_item)

    def _level_item(self, record):
        return InboxItem('inventory', 'lightspeed_x:inventory:%s:%s' % (
                record['id'], record['version']),
            external_id=record['id'], version=int(record['version']),
            payload=json.dumps(record), topic='poll')

    def poll_levels(self, cursor):
        return self._poll('/api/2.0/inventory', cursor, self._level_item)

    def parse_level(self, payload):
        data = loads(payload)
        return Level(
            outlet_ref=data['outlet_id'], product_ref=data['product_id'],
            quantity=decimal(data.get('inventory_level',
                    data.get('current_inventory_level',
                        data.get('count')))),
            version=int(data['version']) if data.get('version') else None,
            record_id=data.get('id') or '')

    def find_products(self, skus):
        """{SKU: product id} through the search endpoint, SEARCH_SKUS SKUs
        per call (the sku parameter repeats): a 2,000-product mapping
        takes 20 calls of the 350 per 5 minutes, not 2,000"""
        result = {}
        skus = list(skus)
        for i in range(0, len(skus), SEARCH_SKUS):
            chunk = set(skus[i:i + SEARCH_SKUS])
            offset = 0
            while True:
                data = self.request('GET', '/api/2.0/search', params={
                        'type': 'products', 'sku': sorted(chunk),
                        'page_size': SEARCH_PAGE, 'offset': offset})
                records = data.get('data') or []
                for product in records:
                    if product.get('sku') in chunk and not product.get(
                            'deleted_at'):
                        result[product['sku']] = product['id']
                if len(records) < SEARCH_PAGE:
                    break
                offset += len(records)
        return result

    def amount_kind(self, sku):
        return AMOUNT_SKUS.get((sku or '').lower())

    def lookup_products(self, product_refs):
        """{product id: (SKU, name)}: one GET per product for a few, else
        the product list paged by version until all are found (a 2,000
        product catalogue in 2 or 3 calls)"""
        refs = set(product_refs)
        if len(refs) <= LOOKUP_SINGLE:
            return self._lookup_each(refs)
        result, after = {}, 0
        while refs - set(result):
            data = self.request('GET', '/api/2.0/products', params={
                    'after': after, 'page_size': PRODUCTS_PAGE})
            records = data.get('data') or []
            if not records:
                break
            for product in records:
                if product.get('id') in refs:
                    result[product['id']] = (product.get('sku') or '',
                        product.get('name') or '')
            after = max(after, int((data.get('version') or {}).get('max')
                    or max(int(r.get('version') or 0) for r in records)))
        return result

    def _lookup_each(self, product_refs):
        result = {}
        for ref in product_refs:
            try:
                data = self.request('GET', '/api/2.0/products/%s' % ref)
            except Rejected as exception:
                if exception.status == 404:
                    continue
                raise
            data = data.get('data') or {}
            result[ref] = (data.get('sku') or '', data.get('name') or '')
        return result

    def read_levels(self, outlet_ref, product_refs):
        """[Level] of product_refs in outlet_ref: one GET per product for a
        few, else the inventory list of every outlet (read once by this
        client: a reconciliation of several outlets reads it once)"""
        refs = set(product_refs)
        if len(refs) > LEVELS_SINGLE:
            return [l for l in self._all_levels()
                if l.outlet_ref == outlet_ref and l.product_ref in refs]
        levels = []
        for product_ref in product_refs:
            data = self.request(
                'GET', '/api/2.0/products/%s/inventory' % product_ref)
            for record in data.get('data') or []:
                if record.get('outlet_id') == outlet_ref:
                    levels.append(self.parse_level(json.dumps(record)))
        return levels

    def _all_levels(self):
        "[Level] of every product and outlet (POST /api/2026-07/inventory)"
        if getattr(self, '_levels', None) is None:
            levels, after = [], 0
            while True:
                data = self.request('POST', '/api/2026-07/inventory', json={
                        'after': after, 'size': INVENTORY_PAGE,
                        'sort_direction': 'asc'})
                records = data if isinstance(data, list) else (
                    data.get('data') or [])
                for record in records:
                    if not record.get('deleted_at'):
                        levels.append(self.parse_level(json.dumps(record)))
                if len(records) < INVENTORY_PAGE:
                    break
                after = max(int(r['version']) for r in records)
            self._levels = levels
        return self._levels

    def push_adjustments(self, adjustments, key):
        self._levels = None  # they change
        results = []
        for i in range(0, len(adjustments), ADJUSTMENT_BATCH):
            batch = adjustments[i:i + ADJUSTMENT_BATCH]
            body = {'stock_adjustments': [{
                        'product_id': a.product_ref,
                        'outlet_id': a.outlet_ref,
                        'quantity': str(a.quantity.normalize()
                            if a.quantity != 0 else 0),
                        'reason': self.account.adjustment_reason(a.quantity),
                        } for a in batch]}
            data = self.request('POST', '/api/2026-07/stock_adjustments',
                json=body)
            results.extend(data.get('data') or [])
        return results

    def push_product(self, product_ref, values):
        body = {'common': {'name': values['name']},
            'details': {'price_excluding_tax': float(values['price'])}}
        return self.request(
            'PUT', '/api/2.1/products/%s' % product_ref, json=body)
