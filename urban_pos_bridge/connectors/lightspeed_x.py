"""Lightspeed Retail X-Series (formerly Vend).

- Webhooks: form-encoded POST, JSON in the `payload` field (API 1.0 shape),
  one URL per topic (`?topic=sale.update`); signature (UNCONFIRMED scheme,
  switchable per account): `X-Signature: signature=<hex HMAC-SHA256 of the
  raw body keyed with the app client secret>, algorithm=HMAC-SHA256`.
- Sales dedupe on id + version; `inventory.update` has no id or version:
  it only triggers a poll of `/api/2.0/inventory?after=<version>` whose
  records carry the global version used to order events.
- Writes: `POST /api/2026-07/stock_adjustments` (deltas, 1-1000 per call,
  no idempotency key: after a timeout the outbox reads before retrying).
- 429 carries `Retry-After` as an HTTP date.
"""
import hashlib
import hmac
import json
import re
import urllib.parse
import datetime as dt

from .base import (
    BadPayload, Connector, InboxItem, Level, Sale, SaleLine, decimal, loads)

CLOSED = {'CLOSED', 'ONACCOUNT_CLOSED', 'LAYBY_CLOSED', 'DISPATCHED_CLOSED',
    'PICKUP_CLOSED', 'SERVICE_CLOSED'}
VOIDED = {'VOIDED'}
SIGNATURE = re.compile(r'signature=([0-9a-fA-F]+)')
ADJUSTMENT_BATCH = 1000
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

    def verify(self, url, headers, body):
        if not self.account.signature_check:
            return True
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
                raise BadPayload('sale without version')
            return [InboxItem('sale', 'lightspeed_x:sale:%s:%s' % (
                        data['id'], version),
                    external_id=data['id'], version=int(version),
                    payload=payload, topic=topic)]
        digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
        if topic == 'inventory.update':
            # no version: only a signal to poll the versioned records
            return [InboxItem('inventory_hint',
                    'lightspeed_x:inventory_hint:%s' % digest,
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
            lines.append(SaleLine(
                    product_ref=line.get('product_id') or '',
                    sku=line.get('sku') or '',
                    quantity=quantity,
                    unit_price=price,
                    tax=(tax * quantity),
                    total=((price + tax) * quantity).quantize(
                        decimal('0.01'))))
        total_price = decimal(data.get('total_price'))
        total_tax = decimal(data.get('total_tax'))
        return Sale(
            external_id=data['id'],
            version=int(data.get('version') or 0),
            outlet_ref=data.get('outlet_id') or '',
            status=('closed' if status in CLOSED
                else 'voided' if status in VOIDED else 'open'),
            date=_date(data.get('sale_date')),
            number=data.get('invoice_number') or '',
            customer_ref=data.get('customer_id') or '',
            return_for=data.get('return_for') or '',
            lines=lines,
            total=(total_price + total_tax).quantize(decimal('0.01')),
            tax=total_tax.quantize(decimal('0.01')))

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
                    data.get('count'))),
            version=int(data['version']) if data.get('version') else None,
            record_id=data.get('id') or '')

    def find_products(self, skus):
        result = {}
        for sku in skus:
            data = self.request('GET', '/api/2.0/products', params={
                    'sku': sku})
            for product in data.get('data') or []:
                if product.get('sku') == sku and not product.get(
                        'deleted_at'):
                    result[sku] = product['id']
        return result

    def lookup_skus(self, product_refs):
        result = {}
        for ref in product_refs:
            data = self.request('GET', '/api/2.0/products/%s' % ref)
            sku = (data.get('data') or {}).get('sku')
            if sku:
                result[ref] = sku
        return result

    def read_levels(self, outlet_ref, product_refs):
        levels = []
        for product_ref in product_refs:
            data = self.request(
                'GET', '/api/2.0/products/%s/inventory' % product_ref)
            for record in data.get('data') or []:
                if record.get('outlet_id') == outlet_ref:
                    levels.append(self.parse_level(json.dumps(record)))
        return levels

    def push_adjustments(self, adjustments, key):
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
