"""The connector interface every till implements.

A connector is plain Python: it turns HTTP traffic of one till API into
normalised records (`Sale`, `Level`, `InboxItem`) and back. It never
touches the database; the Tryton models (inbox, outbox) call it.
"""
import dataclasses
import datetime as dt
import email.utils
import json
from decimal import Decimal
from typing import Optional

import requests

TIMEOUT = 10  # seconds, per HTTP call to a till
#: requests of a till's published budget (X-RateLimit-Remaining) kept
#: back: below it, calls wait for the budget's reset instead of being
#: refused (the account is paused until then)
BUDGET_RESERVE = 10
#: (connector code, account id): (remaining requests, reset at (UTC))
_budgets = {}
#: (connector code, account id, product ref): SaleLine kind of the till's
#: products found not to be stock (X-Series' Discount product): a polled
#: sale naming them by id only does not cost a look-up each time
_amounts = {}


class ConnectorError(Exception):
    "A till call failed"
    retry = True   # worth retrying later
    ambiguous = False  # the write may have been applied: read before retrying
    retry_at = None

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Unavailable(ConnectorError):
    "5xx or connection refused: nothing was applied"


class Timeout(ConnectorError):
    "No answer in time: a write may or may not have been applied"
    ambiguous = True


class RateLimited(ConnectorError):
    "429: wait until retry_at"

    def __init__(self, message, retry_at, status=429):
        super().__init__(message, status=status)
        self.retry_at = retry_at


class Rejected(ConnectorError):
    "4xx: the request is wrong, retrying will not help"
    retry = False


class Unauthorized(ConnectorError):
    """401, or an access token that could not be renewed: a problem of the
    account (its credentials), not of the request; calls wait (back-off)
    until it is solved"""


class BadPayload(ValueError):
    "A webhook body that cannot be understood"


@dataclasses.dataclass
class InboxItem:
    "One event to store in the inbox"
    kind: str  # sale, inventory, inventory_hint, order_ref, product, other
    dedupe_key: str
    external_id: str = ''
    version: Optional[int] = None
    payload: str = ''
    topic: str = ''


@dataclasses.dataclass
class SaleLine:
    product_ref: str
    sku: str
    quantity: Decimal  # negative for a return
    unit_price: Decimal  # tax excluded
    tax: Decimal  # line tax
    total: Decimal  # line total, tax included
    #: product (stock), or an amount without stock: discount,
    #: custom_amount, gift_card, service_charge, tip
    kind: str = 'product'
    name: str = ''


#: SaleLine kinds that are amounts on the sale, never stock
AMOUNT_KINDS = ('discount', 'custom_amount', 'gift_card', 'service_charge',
    'tip')


@dataclasses.dataclass
class Sale:
    external_id: str
    version: int
    outlet_ref: str
    status: str  # closed, voided, open
    date: Optional[dt.datetime]
    number: str = ''
    customer_ref: str = ''
    return_for: str = ''
    lines: list = dataclasses.field(default_factory=list)
    total: Decimal = Decimal(0)  # tax included
    tax: Decimal = Decimal(0)
    #: when the till's stock moved, on the clock of its counts (Level
    #: version); None: the sale's version is on that clock
    stock_version: Optional[int] = None
    #: False when the till may have changed the sale since its stock
    #: moved (paid off, edited): its version then says nothing of the
    #: counts read in between, and the till's count is read back
    stock_settled: bool = True


@dataclasses.dataclass
class Level:
    "An absolute stock level read from a till"
    outlet_ref: str
    product_ref: str
    quantity: Decimal
    version: Optional[int] = None
    record_id: str = ''


@dataclasses.dataclass
class Adjustment:
    "A delta the bridge sends to a till"
    outlet_ref: str
    product_ref: str
    quantity: Decimal
    reference: str  # our id of the outbox row, for echo recognition


def parse_http_date(value):
    "Retry-After as an HTTP date or as seconds; returns a naive UTC datetime"
    now = dt.datetime.utcnow()
    if not value:
        return now + dt.timedelta(seconds=60)
    try:
        return now + dt.timedelta(seconds=float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return now + dt.timedelta(seconds=60)
    if parsed.tzinfo:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed


def decimal(value, default='0'):
    if value is None or value == '':
        value = default
    return Decimal(str(value))


class Connector:
    "Base class; one subclass per till API"
    code = None
    name = None
    #: the till keeps its own stock and sales (False: Tryton's sale_point)
    remote = True
    #: one account serves several outlets
    multi_outlet = True

    #: path of the OAuth token endpoint on the API's host
    token_path = None

    def __init__(self, account):
        self.account = account  # an urban.pos.account record
        self.session = requests.Session()
        self._token = None

    # --- OAuth --------------------------------------------------------------
    def renew_token(self, refresh_token, client_id, client_secret):
        """(access token, refresh token, expiry as a naive UTC datetime or
        None) the till's token endpoint gives for refresh_token; the
        refresh token is the one given back (a new one where the till
        rotates them). Raises Unauthorized when the till refuses,
        Unavailable or Timeout when it cannot answer."""
        raise Unauthorized('%s: no OAuth token endpoint' % self.code)

    def _token_call(self, **kwargs):
        "The answer (dict) of a POST to the token endpoint"
        path = self.token_path
        kwargs.setdefault('timeout', TIMEOUT)
        try:
            response = self.session.post(self.url(path), **kwargs)
        except requests.Timeout as exception:
            raise Timeout('POST %s: timeout' % path) from exception
        except requests.ConnectionError as exception:
            raise Unavailable('POST %s: %s' % (
                    path, exception.__class__.__name__)) from exception
        if response.status_code == 429:
            raise RateLimited('POST %s: rate limited' % path,
                self.retry_at(response))
        if response.status_code >= 500:
            raise Unavailable('POST %s: HTTP %s' % (
                    path, response.status_code), status=response.status_code)
        if response.status_code >= 400:
            raise Unauthorized('POST %s: HTTP %s %s' % (
                    path, response.status_code, response.text[:200]),
                status=response.status_code)
        try:
            data = response.json()
        except json.JSONDecodeError as exception:
            raise Unavailable('POST %s: not JSON' % path) from exception
        if not isinstance(data, dict) or not data.get('access_token'):
            raise Unauthorized('POST %s: no access_token in the answer'
                % path)
        return data

    # --- HTTP -------------------------------------------------------------
    def headers(self, token=None):
        return {
            'Authorization': 'Bearer %s' % (token or ''),
            'Accept': 'application/json',
            'User-Agent': 'urban-therapy-pos-bridge/1.0',
            }

    def url(self, path):
        return self.account.get_base_url().rstrip('/') + path

    def _budget_key(self):
        return (self.code, getattr(self.account, 'id', None))

    def pace(self, method, path):
        """Raise RateLimited (until the budget resets) rather than spend
        the last requests of the till's budget"""
        remaining, reset_at = _budgets.get(self._budget_key(), (None, None))
        if remaining is None or remaining > BUDGET_RESERVE:
            return
        if reset_at and reset_at > dt.datetime.utcnow():
            raise RateLimited('%s %s: %s requests left until %s' % (
                    method, path, remaining, reset_at), reset_at,
                status=None)
        del _budgets[self._budget_key()]

    def _send(self, method, path, token, kwargs):
        headers = self.headers(token)
        headers.update(kwargs.get('headers') or {})
        kwargs = {k: v for k, v in kwargs.items() if k != 'headers'}
        try:
            return self.session.request(
                method, self.url(path), headers=headers, **kwargs)
        except requests.Timeout as exception:
            raise Timeout('%s %s: timeout' % (method, path)) from exception
        except requests.ConnectionError as exception:
            raise Unavailable(
                '%s %s: %s' % (method, path, exception.__class__.__name__)
                ) from exception

    def access_token(self):
        """The access token for the next call (the account renews it when
        it is about to expire)"""
        if self._token is None:
            self._token = self.account.current_access_token() or ''
        return self._token

    def request(self, method, path, **kwargs):
        kwargs.setdefault('timeout', TIMEOUT)
        self.pace(method, path)
        token = self.access_token()
        response = self._send(method, path, token, kwargs)
        if (response.status_code == 401
                and self.account.renews_access_token()):
            # refused before its expiry (revoked, clocks apart): renewed
            # once and the call retried once
            self._token = self.account.renew_access_token(token) or ''
            self.pace(method, path)
            response = self._send(method, path, self._token, kwargs)
        self.observe_rate_limit(response)
        if response.status_code == 401:
            raise Unauthorized('%s %s: HTTP 401 %s' % (
                    method, path, response.text[:200]), status=401)
        if response.status_code == 429:
            raise RateLimited('%s %s: rate limited' % (method, path),
                self.retry_at(response))
        if response.status_code >= 500:
            raise Unavailable('%s %s: HTTP %s' % (
                    method, path, response.status_code),
                status=response.status_code)
        if response.status_code >= 400:
            raise Rejected('%s %s: HTTP %s %s' % (
                    method, path, response.status_code,
                    response.text[:200]), status=response.status_code)
        if not response.content:
            return {}
        try:
            return response.json()
        except json.JSONDecodeError as exception:
            raise Unavailable(
                '%s %s: not JSON' % (method, path)) from exception

    def retry_at(self, response):
        return parse_http_date(response.headers.get('Retry-After'))

    def observe_rate_limit(self, response):
        "Remember the budget a till publishes (X-RateLimit-Remaining)"
        self.remaining = response.headers.get('X-RateLimit-Remaining')
        try:
            remaining = int(self.remaining)
        except (TypeError, ValueError):
            return
        reset = response.headers.get('X-RateLimit-Reset')
        _budgets[self._budget_key()] = (remaining,
            parse_http_date(reset) if reset else (
                dt.datetime.utcnow() + dt.timedelta(seconds=60)))

    # --- inbound ------------------------------------------------------------
    def verify(self, url, headers, body):
        "Whether the webhook body (bytes) is authentic"
        raise NotImplementedError

    def parse_webhook(self, query, headers, body):
        "[InboxItem] of a verified webhook body (bytes); BadPayload if wrong"
        raise NotImplementedError

    def parse_sale(self, payload):
        "Sale of a stored sale payload (str)"
        raise NotImplementedError

    def fetch_sale(self, external_id):
        "InboxItem of kind sale fetched from the till (thin webhooks)"
        raise NotImplementedError

    def poll_sales(self, cursor):
        "([InboxItem], new cursor) of the sales changed since cursor"
        return [], cursor

    def poll_levels(self, cursor):
        "([InboxItem], new cursor) of the levels changed since cursor"
        return [], cursor

    def parse_level(self, payload):
        "Level of a stored inventory payload"
        raise NotImplementedError

    def find_products(self, skus):
        "{SKU: product ref} of the till products with skus"
        return {}

    def lookup_skus(self, product_refs):
        "{product ref: SKU} read from the till"
        return {r: s for r, (s, _) in self.lookup_products(
                product_refs).items() if s}

    def lookup_products(self, product_refs):
        "{product ref: (SKU, name)} read from the till"
        return {}

    def amount_kind(self, sku):
        """The SaleLine kind of a till product that is not stock (a
        discount, a gift card...) by its SKU, else None"""
        return None

    def known_amount(self, product_ref):
        "The kind remembered for product_ref (see remember_amount), or None"
        return _amounts.get(self._budget_key() + (product_ref,))

    def remember_amount(self, product_ref, kind):
        """product_ref was read from the till to be an amount of kind,
        never stock (a till's products keep their ids)"""
        if product_ref:
            _amounts[self._budget_key() + (product_ref,)] = kind

    # --- outbound -----------------------------------------------------------
    def read_levels(self, outlet_ref, product_refs):
        "[Level] of product_refs in outlet_ref"
        raise NotImplementedError

    def push_adjustments(self, adjustments, key):
        """Send [Adjustment]; key is stable across retries of the same
        batch (used where the till dedupes on it)."""
        raise NotImplementedError

    def push_product(self, product_ref, values):
        "Send name and price of one product"
        raise NotImplementedError


def loads(payload):
    try:
        return json.loads(payload)
    except (TypeError, ValueError) as exception:
        raise BadPayload('not JSON') from exception
