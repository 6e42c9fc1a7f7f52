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
- OAuth: `POST /oauth2/token` (JSON) with grant_type=refresh_token,
  client_id and client_secret gives `access_token` and `expires_at` (30
  days); the code flow's refresh token comes back unchanged.
"""
import base64
import datetime as dt
import hashlib
import hmac
import json

from .base import (
    BadPayload, Connector, ConnectorError, InboxItem, Level, Sale, SaleLine,
    decimal, loads)

VERSION = '2025-08-20'
CENTS = decimal('0.01')


#: page size of the polling searches (Square's maximum is 1000 for counts,
#: 1000 for orders)
POLL_LIMIT = 500
#: SearchOrders accepts at most 10 location ids per call
SEARCH_LOCATIONS = 10
#: BatchChangeInventory takes at most 100 changes per call
CHANGES_BATCH = 100
#: a set query of SearchCatalogObjects matches at most 250 values
SEARCH_SKUS = 250
#: page size of the catalogue searches (Square's maximum)
SEARCH_LIMIT = 1000


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

    token_path = '/oauth2/token'

    def headers(self, token=None):
        headers = super().headers(token)
        headers['Square-Version'] = VERSION
        return headers

    def renew_token(self, refresh_token, client_id, client_secret):
        """ObtainToken (POST /oauth2/token, JSON) with
        grant_type=refresh_token, client_id and client_secret (code flow):
        a new access token and its expires_at; the refresh token comes
        back (the same one; a new one for PKCE)"""
        data = self._token_call(json={
                'client_id': client_id,
                'client_secret': client_secret,
                'grant_type': 'refresh_token',
                'refresh_token': refresh_token,
                }, headers={'Square-Version': VERSION,
                'Accept': 'application/json',
                'User-Agent': 'urban-therapy-pos-bridge/1.0'})
        return (data['access_token'],
            data.get('refresh_token') or refresh_token,
            _date(data.get('expires_at')))

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
        items, after = [], cursor
        # at most 10 locations per call: page across groups of locations
        for i in range(0, len(locations), SEARCH_LOCATIONS):
            page = None
            while True:
                body = {'location_ids': locations[i:i + SEARCH_LOCATIONS],
                    'query': query, 'limit': POLL_LIMIT}
                if page:
                    body['cursor'] = page
                data = self.request('POST', '/v2/orders/search', json=body)
                for order in data.get('orders') or []:
                    items.append(self._sale_item(order, 'poll'))
                    after = _latest(after, order.get('updated_at'))
                page = data.get('cursor')
                if not page:
                    break
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
            lines.append(self._line(item, 1))
        for charge in order.get('service_charges') or []:
            lines.append(self._amount(charge, 'service_charge', 1))
        tip = _money(order.get('total_tip_money'))
        if tip:
            lines.append(SaleLine('', '', decimal(1), tip, decimal(0), tip,
                    kind='tip', name='Tip'))
        for ret in order.get('returns') or []:
            return_for = ret.get('source_order_id') or return_for
            for item in ret.get('return_line_items') or []:
                lines.append(self._line(item, -1))
            for charge in ret.get('return_service_charges') or []:
                lines.append(self._amount(charge, 'service_charge', -1))
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
            tax=_money(net.get('tax_money')),
            # counts are versioned by calculated_at, orders by a counter
            stock_version=_millis(order.get('updated_at')
                if state == 'CANCELED' else order.get('closed_at')
                or order.get('updated_at')))

    @staticmethod
    def _line(item, sign):
        """SaleLine of an order (or return) line item; sign -1 for a
        return. CUSTOM_AMOUNT and GIFT_CARD lines (and any line without a
        catalog object) are amounts, not stock."""
        quantity = decimal(item.get('quantity'))
        total = _money(item.get('total_money'))
        tax = _money(item.get('total_tax_money'))
        item_type = item.get('item_type') or 'ITEM'
        ref = item.get('catalog_object_id') or ''
        kind = ('gift_card' if item_type == 'GIFT_CARD'
            else 'custom_amount' if item_type == 'CUSTOM_AMOUNT' or not ref
            else 'product')
        name = ' '.join(n for n in (item.get('name'),
                item.get('variation_name')) if n)
        return SaleLine(ref if kind == 'product' else '', '',
            sign * quantity, ((total - tax) / quantity).quantize(
                decimal('0.00001')) if quantity else total,
            sign * tax, sign * total, kind=kind, name=name)

    @staticmethod
    def _amount(charge, kind, sign):
        "SaleLine of a service charge"
        total = _money(charge.get('total_money'))
        tax = _money(charge.get('total_tax_money'))
        return SaleLine('', '', decimal(sign), total - tax, sign * tax,
            sign * total, kind=kind, name=charge.get('name') or '')

    def lookup_products(self, product_refs):
        """{variation id: (SKU, item and variation name)} through
        BatchRetrieveCatalogObjects (one call, items included)"""
        if not product_refs:
            return {}
        data = self.request('POST', '/v2/catalog/batch-retrieve', json={
                'object_ids': list(product_refs),
                'include_related_objects': True})
        items = {o['id']: (o.get('item_data') or {}).get('name') or ''
            for o in data.get('related_objects') or []
            if o.get('type') == 'ITEM'}
        result = {}
        for obj in data.get('objects') or []:
            variation = obj.get('item_variation_data') or {}
            name = ' '.join(n for n in (items.get(variation.get('item_id')),
                    variation.get('name')) if n)
            result[obj['id']] = (variation.get('sku') or '', name)
        return result

    def find_products(self, skus):
        """{SKU: variation id} through SearchCatalogObjects, SEARCH_SKUS
        SKUs per set query (not one call per SKU: mapping a catalogue
        of 2,000 products takes 8 calls); SKU matching is case
        insensitive at Square, ours is exact"""
        result = {}
        skus = sorted(set(skus))
        for i in range(0, len(skus), SEARCH_SKUS):
            chunk = set(skus[i:i + SEARCH_SKUS])
            page = None
            while True:
                body = {'object_types': ['ITEM_VARIATION'],
                    'query': {'set_query': {'attribute_name': 'sku',
                            'attribute_values': sorted(chunk)}},
                    'limit': SEARCH_LIMIT}
                if page:
                    body['cursor'] = page
                data = self.request('POST', '/v2/catalog/search', json=body)
                for obj in data.get('objects') or []:
                    sku = (obj.get('item_variation_data') or {}).get('sku')
                    if sku in chunk and not obj.get('is_deleted'):
                        result[sku] = obj['id']
                page = data.get('cursor')
                if not page:
                    break
        return result

    def parse_level(self, payload):
        count = loads(payload)
        return Level(count['location_id'], count['catalog_object_id'],
            decimal(count.get('quantity')),
            version=_millis(count.get('calculated_at')))

    def read_levels(self, outlet_ref, product_refs):
        """[Level] of product_refs in outlet_ref (BatchRetrieveInventory
        Counts, every page: a count on a later page is not a zero)"""
        levels, page = [], None
        while True:
            body = {'catalog_object_ids': list(product_refs),
                'location_ids': [outlet_ref], 'states': ['IN_STOCK'],
                'limit': POLL_LIMIT}
            if page:
                body['cursor'] = page
            data = self.request('POST', '/v2/inventory/counts/batch-retrieve',
                json=body)
            levels.extend(self.parse_level(json.dumps(c))
                for c in data.get('counts') or [])
            page = data.get('cursor')
            if not page:
                return levels

    def push_adjustments(self, adjustments, key):
        """BatchChangeInventory in calls of CHANGES_BATCH changes, each
        with its own idempotency key derived from key (stable across
        retries of the same adjustments). A call failing after others
        were applied makes the failure ambiguous: the outbox reads the
        till before retrying."""
        counts = []
        for start in range(0, len(adjustments), CHANGES_BATCH):
            try:
                counts.extend(self._change_inventory(
                        adjustments[start:start + CHANGES_BATCH],
                        key if len(adjustments) <= CHANGES_BATCH
                        else '%s-%d' % (key, start // CHANGES_BATCH)))
            except ConnectorError as exception:
                if start:
                    exception.ambiguous = True
                raise
        return counts

    def _change_inventory(self, adjustments, key):
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
