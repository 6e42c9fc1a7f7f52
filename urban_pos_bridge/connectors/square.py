"""Square (Orders, Inventory, Catalog APIs; Square-Version pinned).

- Webhook signature (documented): `x-square-hmacsha256-signature` =
  base64(HMAC-SHA256(signature key, notification URL + raw body)); the URL
  is the one registered, configured on the account (not the one the
  request came in on, which a proxy may rewrite).
- Dedupe on `event_id`. `order.updated` and `refund.created` carry ids only:
  the bridge fetches the order (`GET /v2/orders/{id}`) before booking.
- `inventory.count.updated` gives absolute counts; `calculated_at` orders
  them (milliseconds since the epoch as the version).
- Writes: `POST /v2/inventory/changes/batch-create` ADJUSTMENTs with an
  `idempotency_key` stable across retries.
"""
import base64
import datetime as dt
import hashlib
import hmac
import json

from .base import (
    BadPayload, Connector, InboxItem, Level, Sale, SaleLine, decimal, loads)

VERSION = '2025-08-20'
CENTS = decimal('0.01')


#: page size of the polling searches (Square's maximum is 1000 for counts,
#: 1000 for orders)
POLL_LIMIT = 500


def _millis(value):
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace('Z', '+00:00'))
    return int(parsed.timestamp() * 1000)


def _latest(*timestamps):
    "The latest of RFC 3339 timestamps (by time, not by text)"
    timestamps = [t for t in timestamps if t]
    return max(timestamps, key=_millis) if timestamps else None


def _date(value):
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace('Z', '+00:00'))
    return parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _money(money):
    return decimal((money or {}).get('amount')) * CENTS


class Square(Connector):
    code = 'square'
    name = "Square"

    def headers(self):
        headers = super().headers()
        headers['Square-Version'] = VERSION
        return headers

    def verify(self, url, headers, body):
        secret = self.account.get_webhook_secret()
        signature = headers.get('x-square-hmacsha256-signature') or ''
        if not secret or not signature:
            return False
        url = self.account.notification_url or url
        mac = hmac.new(secret.encode(), url.encode() + body, hashlib.sha256)
        return hmac.compare_digest(
            base64.b64encode(mac.digest()).decode(), signature)

    def parse_webhook(self, query, headers, body):
        data = loads(body.decode('utf-8', 'replace'))
        if not isinstance(data, dict) or not data.get('event_id'):
            raise BadPayload('no event_id')
        kind = data.get('type')
        key = 'square:%s' % data['event_id']
        obj = (data.get('data') or {}).get('object') or {}
        if kind in {'order.updated', 'order.created'}:
            order = obj.get('order_updated') or obj.get('order_created') or {}
            if order.get('state') != 'COMPLETED':
                return [InboxItem('other', key, payload=json.dumps(data),
                        topic=kind)]
            return [InboxItem('order_ref', key,
                    external_id=order.get('order_id', ''),
                    version=order.get('version'),
                    payload=json.dumps(data), topic=kind)]
        if kind in {'refund.created', 'refund.updated'}:
            refund = obj.get('refund') or {}
            return [InboxItem('order_ref', key,
                    external_id=refund.get('order_id', ''),
                    payload=json.dumps(data), topic=kind)]
        if kind == 'inventory.count.updated':
            items = []
            for i, count in enumerate(obj.get('inventory_counts') or []):
                if count.get('state') != 'IN_STOCK':
                    continue
                items.append(InboxItem('inventory', '%s:%s' % (key, i),
                        external_id=count.get('catalog_object_id', ''),
                        version=_millis(count.get('calculated_at')),
                        payload=json.dumps(count), topic=kind))
            return items
        return [InboxItem('other', key, payload=json.dumps(data),
                topic=kind or '')]

    def fetch_sale(self, external_id):
        data = self.request('GET', '/v2/orders/%s' % external_id)
        return self._sale_item(data.get('order') or {}, 'fetch')

    def _sale_item(self, order, topic):
        version = int(order.get('version') or 0)
        return InboxItem('sale', 'square:order:%s:%s' % (
                order.get('id'), version),
            external_id=order.get('id', ''), version=version,
            payload=json.dumps(order), topic=topic)

    def _location_ids(self):
        return sorted(o.external_id for o in self.account.outlets)

    def poll_sales(self, cursor):
        """Orders completed or cancelled since cursor (an UPDATED_AT
        timestamp), through SearchOrders sorted by UPDATED_AT as the API
        requires with that filter. The range is inclusive: the last order
        comes again and its inbox key drops it."""
        locations = self._location_ids()
        if not locations:
            return [], cursor
        query = {'filter': {'state_filter': {
                    'states': ['COMPLETED', 'CANCELED']}},
            'sort': {'sort_field': 'UPDATED_AT', 'sort_order': 'ASC'}}
        if cursor:
            query['filter']['date_time_filter'] = {
                'updated_at': {'start_at': cursor}}
        items, after, page = [], cursor, None
        while True:
            body = {'location_ids': locations, 'query': query,
                'limit': POLL_LIMIT}
            if page:
                body['cursor'] = page
            data = self.request('POST', '/v2/orders/search', json=body)
            for order in data.get('orders') or []:
                items.append(self._sale_item(order, 'poll'))
                after = _latest(after, order.get('updated_at'))
            page = data.get('cursor')
            if not page:
                return items, after

    def poll_levels(self, cursor):
        """Counts changed since cursor (a calculated_at timestamp) in the
        account's locations, through BatchRetrieveInventoryCounts with
        updated_after"""
        locations = self._location_ids()
        if not locations:
            return [], cursor
        items, after, page = [], cursor, None
        while True:
            body = {'location_ids': locations, 'states': ['IN_STOCK'],
                'limit': POLL_LIMIT}
            if cursor:
                body['updated_after'] = cursor
            if page:
                body['cursor'] = page
            data = self.request('POST', '/v2/inventory/counts/batch-retrieve',
                json=body)
            for count in data.get('counts') or []:
                calculated_at = count.get('calculated_at') or ''
                key = 'square:count:%s:%s:%s' % (
                    count.get('catalog_object_id'),
                    count.get('location_id'), calculated_at)
                items.append(InboxItem('inventory', key,
                        external_id=count.get('catalog_object_id', ''),
                        version=_millis(calculated_at),
                        payload=json.dumps(count), topic='poll'))
                after = _latest(after, calculated_at)
            page = data.get('cursor')
            if not page:
                return items, after

    def parse_sale(self, payload):
        order = loads(payload)
        lines, return_for = [], ''
        for item in order.get('line_items') or []:
            quantity = decimal(item.get('quantity'))
            total = _money(item.get('total_money'))
            tax = _money(item.get('total_tax_money'))
            lines.append(SaleLine(item.get('catalog_object_id', ''), '',
                    quantity, ((total - tax) / quantity).quantize(
                        decimal('0.00001')) if quantity else total,
                    tax, total))
        for ret in order.get('returns') or []:
            return_for = ret.get('source_order_id') or return_for
            for item in ret.get('return_line_items') or []:
                quantity = decimal(item.get('quantity'))
                total = _money(item.get('total_money'))
                tax = _money(item.get('total_tax_money'))
                lines.append(SaleLine(item.get('catalog_object_id', ''), '',
                        -quantity, ((total - tax) / quantity).quantize(
                            decimal('0.00001')) if quantity else total,
                        -tax, -total))
        net = order.get('net_amounts') or {}
        state = order.get('state')
        return Sale(
            external_id=order['id'], version=int(order.get('version') or 0),
            outlet_ref=order.get('location_id', ''),
            status=('closed' if state == 'COMPLETED'
                else 'voided' if state == 'CANCELED' else 'open'),
            date=_date(order.get('closed_at') or order.get('created_at')),
            number=order['id'],
            customer_ref=order.get('customer_id') or '',
            return_for=return_for, lines=lines,
            total=_money(net.get('total_money')),
            tax=_money(net.get('tax_money')))

    def lookup_skus(self, product_refs):
        data = self.request('POST', '/v2/catalog/batch-retrieve', json={
                'object_ids': list(product_refs)})
        return {o['id']: o['item_variation_data']['sku']
            for o in data.get('objects') or []
            if (o.get('item_variation_data') or {}).get('sku')}

    def find_products(self, skus):
        result = {}
        for sku in skus:
            data = self.request('POST', '/v2/catalog/search', json={
                    'object_types': ['ITEM_VARIATION'],
                    'query': {'exact_query': {
                            'attribute_name': 'sku',
                            'attribute_value': sku}}})
            for obj in data.get('objects') or []:
                if (obj.get('item_variation_data') or {}).get('sku') == sku:
                    result[sku] = obj['id']
        return result

    def parse_level(self, payload):
        count = loads(payload)
        return Level(count['location_id'], count['catalog_object_id'],
            decimal(count.get('quantity')),
            version=_millis(count.get('calculated_at')))

    def read_levels(self, outlet_ref, product_refs):
        data = self.request('POST', '/v2/inventory/counts/batch-retrieve',
            json={'catalog_object_ids': list(product_refs),
                'location_ids': [outlet_ref], 'states': ['IN_STOCK']})
        return [self.parse_level(json.dumps(c))
            for c in data.get('counts') or []]

    def push_adjustments(self, adjustments, key):
        now = dt.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')
        changes = []
        for a in adjustments:
            quantity = abs(a.quantity)
            changes.append({'type': 'ADJUSTMENT', 'adjustment': {
                        'reference_id': a.reference,
                        'catalog_object_id': a.product_ref,
                        'location_id': a.outlet_ref,
                        'from_state': 'IN_STOCK' if a.quantity < 0 else 'NONE',
                        'to_state': 'SOLD' if a.quantity < 0 else 'IN_STOCK',
                        'quantity': str(quantity.normalize()),
                        'occurred_at': now}})
        data = self.request('POST', '/v2/inventory/changes/batch-create',
            json={'idempotency_key': key, 'ignore_unchanged_counts': True,
                'changes': changes})
        return data.get('counts') or []

    def push_product(self, product_ref, values):
        data = self.request('GET', '/v2/catalog/object/%s' % product_ref)
        obj = data.get('object') or {}
        variation = obj.setdefault('item_variation_data', {})
        variation['price_money'] = {
            'amount': int((values['price'] / CENTS).to_integral_value()),
            'currency': values.get('currency', 'EUR')}
        return self.request('POST', '/v2/catalog/object', json={
                'idempotency_key': 'utx-product-%s-%s' % (
                    product_ref, values['price']),
                'object': obj})
