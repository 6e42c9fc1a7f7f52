"""Plain HTTP calls to the Ankorstore Public API (JSON:API); never touches
the database (the models call it, as the POS bridge's connectors)."""
import datetime as dt
import hashlib
import hmac
from decimal import Decimal

import requests

TIMEOUT = 15  # seconds per call
MEDIA_TYPE = 'application/vnd.api+json'
PAGE_LIMIT = 50


class AnkorstoreError(Exception):
    "An Ankorstore call failed"

    def __init__(self, message, status=None, code=None):
        super().__init__(message)
        self.status = status
        self.code = code


class Unauthorized(AnkorstoreError):
    "401: the token was refused (or the client credentials)"


class Conflict(AnkorstoreError):
    "409: the order is not in a state the action allows"


class RateLimited(AnkorstoreError):
    "429: too many calls; retry_after: seconds to wait (Retry-After)"

    def __init__(self, message, retry_after=60, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


def verify(secret, body, signature):
    "Whether signature is the HMAC-SHA256 (hex) of the raw body with secret"
    if not secret or not signature:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def _raise(response):
    try:
        error = (response.json().get('errors') or [{}])[0]
    except ValueError:
        error = {}
    message = '%s %s: %s' % (response.status_code,
        error.get('title') or response.reason,
        error.get('detail') or error.get('code') or '')
    if response.status_code == 429:
        try:
            retry_after = max(1, int(response.headers.get('Retry-After')))
        except (TypeError, ValueError):
            retry_after = 60
        raise RateLimited(message, retry_after=retry_after, status=429,
            code=error.get('code'))
    cls = {401: Unauthorized, 409: Conflict}.get(
        response.status_code, AnkorstoreError)
    raise cls(message, status=response.status_code, code=error.get('code'))


def fetch_token(base_url, client_id, client_secret):
    "(access token, expiry (naive UTC)) from the client-credentials grant"
    try:
        response = requests.post(base_url.rstrip('/') + '/oauth/token',
            data={'grant_type': 'client_credentials',
                'client_id': client_id, 'client_secret': client_secret,
                'scope': '*'},
            timeout=TIMEOUT)
    except requests.RequestException as exception:
        raise AnkorstoreError(str(exception))
    if response.status_code != 200:
        _raise(response)
    values = response.json()
    expires = dt.datetime.utcnow() + dt.timedelta(
        seconds=int(values.get('expires_in') or 3600))
    return values['access_token'], expires


class Client:
    "Calls with the token of an account (token: a callable(refused=None))"

    def __init__(self, base_url, token):
        self.base_url = base_url.rstrip('/')
        self.token = token

    def request(self, method, path, params=None, json=None):
        url = path if path.startswith('http') else self.base_url + path
        token = self.token()
        for attempt in range(2):
            headers = {'Accept': MEDIA_TYPE,
                'Authorization': 'Bearer %s' % token}
            if json is not None:
                headers['Content-Type'] = MEDIA_TYPE
            try:
                response = requests.request(method, url, params=params,
                    json=json, headers=headers, timeout=TIMEOUT)
            except requests.RequestException as exception:
                raise AnkorstoreError(str(exception))
            if response.status_code == 401 and not attempt:
                # revoked before its expiry: renewed once
                token = self.token(refused=token)
                continue
            break
        if response.status_code >= 300:
            _raise(response)
        return response.json()

    def master_orders(self, after=None):
        """Pages of master orders after the cursor: yields (internal order
        ids, cursor of the page's last one)"""
        params = {'include': 'internalOrder', 'page[limit]': PAGE_LIMIT}
        if after:
            params['page[after]'] = after
        url = '/api/v1/master-orders'
        while url:
            page = self.request('GET', url, params=params)
            ids = []
            for master in page.get('data') or []:
                internal = ((master.get('relationships') or {}).get(
                        'internalOrder') or {}).get('data') or {}
                if internal.get('id'):
                    ids.append(internal['id'])
            last = (page.get('data') or [{}])[-1].get('id')
            yield ids, last
            url = (page.get('links') or {}).get('next')
            params = None  # links.next carries them
            if not (page.get('meta') or {}).get('page', {}).get('hasMore'):
                break

    def order(self, order_id):
        "The internal order, normalised (see parse_order)"
        return parse_order(self.request('GET', '/api/v1/orders/%s' % order_id,
                params={'include': 'retailer,orderItems.productVariant'}))

    def product_variants(self):
        "Every variant of the brand: yields {'id', 'sku', 'ian', 'name', ...}"
        url = '/api/v1/product-variants'
        params = {'page[limit]': PAGE_LIMIT}
        while url:
            page = self.request('GET', url, params=params)
            for resource in page.get('data') or []:
                yield {'id': resource['id'],
                    **(resource.get('attributes') or {})}
            url = (page.get('links') or {}).get('next')
            params = None  # links.next carries them
            if not (page.get('meta') or {}).get('page', {}).get('hasMore'):
                break

    def set_stock(self, quantities):
        """Set the stock of up to 50 variants [(variant id, quantity)] in
        one bulk operation (set-to-value: safe to repeat)"""
        return self.request('POST', '/api/v1/operations', json={
                'atomic:operations': [{'op': 'update', 'data': {
                            'type': 'productVariants', 'id': variant_id,
                            'attributes': {'stockQuantity': int(quantity)},
                            }} for variant_id, quantity in quantities]})

    def ship_with_own_carrier(self, order_id, parcels, tracking):
        """Ship the order with our own label (Ankorstore's "custom" quote):
        quote for parcels [{'kg', 'length', 'width', 'height'}], then
        confirm with tracking ({'trackingProvider', 'trackingNumber'} or
        {'trackingLink'}); returns the confirmed quote's data"""
        quotes = self.request('POST',
            '/api/v1/orders/%s/shipping-quotes' % order_id,
            json={'parcels': parcels}).get('data') or []
        custom = [q for q in quotes if q.get('carrierCode') == 'custom']
        if not custom:
            raise AnkorstoreError(
                "No quote for shipping with our own carrier")
        return self.request('POST', '/api/v1/shipping-quotes/%s/confirm'
            % custom[0]['quoteUuid'], json={'tracking': tracking}
            ).get('data') or {}

    def transition(self, order_id, kind, attributes=None):
        data = {'type': kind}
        if attributes:
            data['attributes'] = attributes
        return parse_order(self.request('POST',
                '/api/v1/orders/%s/-actions/transition' % order_id,
                params={'include': 'retailer,orderItems.productVariant'},
                json={'data': data}))


def parse_order(document):
    """{'id', 'status', 'reference', 'currency', 'retailer': {...},
    'items': [{'id', 'sku', 'ean', 'name', 'quantity', 'unit_price'}]}
    (unit_price a Decimal in the currency, from brandUnitPrice in cents)"""
    data = document['data']
    attributes = data.get('attributes') or {}
    included = {(r['type'], r['id']): r
        for r in document.get('included') or []}
    relationships = data.get('relationships') or {}
    retailer_ref = (relationships.get('retailer') or {}).get('data') or {}
    retailer = included.get(('retailers', retailer_ref.get('id')), {})
    items = []
    for ref in (relationships.get('orderItems') or {}).get('data') or []:
        item = included.get(('order-items', ref['id']))
        if not item:
            continue
        item_attributes = item.get('attributes') or {}
        variant_ref = ((item.get('relationships') or {}).get(
                'productVariant') or {}).get('data') or {}
        variant = (included.get(('product-variants', variant_ref.get('id')))
            or {}).get('attributes') or {}
        quantity = (item_attributes.get('multipliedQuantity')
            or item_attributes.get('quantity') or 0)
        items.append({'id': item['id'], 'sku': variant.get('sku'),
                'ean': variant.get('ian'), 'name': variant.get('name'),
                'quantity': quantity,
                'unit_price': Decimal(
                    item_attributes.get('brandUnitPrice') or 0) / 100})
    return {'id': data['id'], 'status': attributes.get('status'),
        'reference': str(attributes.get('reference') or ''),
        'currency': attributes.get('brandCurrency') or 'EUR',
        'retailer': {'id': retailer.get('id') or retailer_ref.get('id'),
            **(retailer.get('attributes') or {})},
        'items': items}
