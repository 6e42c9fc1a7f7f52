"""The small framework behind /api/v1: one decorator per endpoint.

`endpoint(method, path, ...)` registers a handler as a trytond route (no
database name in the URL: the configured `[urban] database`) and in the
OpenAPI registry (openapi.py). Requests and responses are validated by
pydantic models, which also generate the OpenAPI document, so the document
cannot drift from the code.

A handler gets a `Call` (request, pool, language, the web user when
authenticated, the validated body and query) and the path arguments; it
returns a pydantic model instance (serialised with the declared status), a
werkzeug Response, or None (204).

Errors: raise `Problem(status, code, title, detail)`; a pydantic validation
error becomes 422, a Tryton UserError 409 (business rule refused: e.g. no
stock), anything else 500. They are answered as `application/problem+json`
with a stable `code`, never a stack trace. The exception leaves the Tryton
transaction, so it is rolled back: nothing is half-written.
"""
import collections
import datetime as dt
import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus

import pydantic
from werkzeug.exceptions import HTTPException

from trytond.cache import Cache
from trytond.config import config
from trytond.exceptions import RateLimitException, UserError, UserWarning
from trytond.protocols.wrappers import Response, with_pool, with_transaction
from trytond.transaction import Transaction
from trytond.wsgi import app

from urban_checkout.cart import CartError
from urbantherapy import routing  # noqa: F401  (the <id:...> converter)

logger = logging.getLogger(__name__)

PREFIX = '/api/v1'
LANGUAGES = ('fr', 'nl', 'en')
DEFAULT_LANGUAGE = 'fr'
PROBLEM = 'application/problem+json'

ENDPOINTS = []


def database_name():
    return config.get('urban', 'database', default='urban')


class Problem(Exception):
    "An error answered as application/problem+json (RFC 9457)"

    def __init__(self, status, code, title, detail=None, **extra):
        super().__init__(title)
        self.status = int(status)
        self.code = code
        self.title = title
        self.detail = detail
        self.extra = extra

    def response(self, instance=None, headers=None):
        body = {
            'type': 'https://urban-therapy.be/problems/%s' % self.code,
            'title': self.title,
            'status': self.status,
            'code': self.code,
            }
        if self.detail:
            body['detail'] = self.detail
        if instance:
            body['instance'] = instance
        body.update(self.extra)
        return Response(json.dumps(body, default=str), status=self.status,
            headers=headers, content_type=PROBLEM)


class ProblemModel(pydantic.BaseModel):
    "The body of every error response"
    type: str
    title: str
    status: int
    code: str = pydantic.Field(
        description="Stable machine-readable error code")
    detail: str | None = None
    instance: str | None = None
    errors: list[dict] | None = pydantic.Field(None,
        description="Field errors of a 422 response")


@dataclass
class Call:
    "What a handler gets besides its path arguments"
    request: object
    pool: object
    language: str
    user: object = None          # web.user record when authenticated
    session: str = None          # the bearer session key
    body: object = None
    query: object = None
    headers: dict = field(default_factory=dict)   # extra response headers

    @property
    def party(self):
        return self.user.party if self.user else None


def negotiate_language(request):
    "fr, nl or en from Accept-Language (quality order), fr by default"
    header = request.headers.get('Accept-Language', '')
    choices = []
    for position, part in enumerate(header.split(',')):
        lang, _, params = part.strip().partition(';')
        lang = lang.strip().lower()[:2]
        quality = 1.0
        match = re.search(r'q=([0-9.]+)', params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0
        if lang in LANGUAGES and quality > 0:
            choices.append((-quality, position, lang))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def bearer_token(request):
    header = request.headers.get('Authorization', '')
    scheme, _, token = header.partition(' ')
    if scheme.lower() == 'bearer' and token.strip():
        return token.strip()
    return None


def authenticate(call, auth):
    "Set call.user from the bearer session; enforce auth='required'"
    if auth == 'none':
        return
    token = bearer_token(call.request)
    if token:
        WebUser = call.pool.get('web.user')
        user = WebUser.get_user(token)
        if user and user.active:
            call.user, call.session = user, token
    if auth == 'required' and not call.user:
        raise Problem(401, 'unauthenticated', "Authentication required",
            "Send 'Authorization: Bearer <token>' from /auth/login.")


def _validation_problem(error):
    errors = [{
            'loc': [str(p) for p in e.get('loc', ())],
            'msg': e.get('msg'),
            'type': e.get('type'),
            } for e in error.errors(include_url=False, include_input=False)]
    return Problem(422, 'validation_error', "Invalid request",
        "Some fields are missing or invalid.", errors=errors)


def parse_body(request, model):
    data = request.get_data(cache=True)
    if not data:
        data = b'{}'
    content_type = request.mimetype or ''
    if content_type and content_type != 'application/json':
        raise Problem(415, 'unsupported_media_type',
            "Send application/json")
    try:
        return model.model_validate_json(data)
    except pydantic.ValidationError as error:
        raise _validation_problem(error)


def parse_query(request, model):
    values = {}
    for key in request.args:
        items = request.args.getlist(key)
        annotation = model.model_fields.get(key)
        if annotation is not None and 'list' in str(annotation.annotation):
            values[key] = items
        else:
            values[key] = items[-1]
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as error:
        raise _validation_problem(error)


def json_response(model_or_data, status=200, headers=None):
    if isinstance(model_or_data, pydantic.BaseModel):
        body = model_or_data.model_dump_json(by_alias=True)
    else:
        body = json.dumps(model_or_data, default=str)
    return Response(body, status=status, headers=headers,
        content_type='application/json')


def etag_response(request, model, max_age=60, status=200):
    """JSON response with a strong ETag and Cache-Control; 304 when the
    client already has it (If-None-Match)"""
    body = model.model_dump_json(by_alias=True)
    etag = '"%s"' % hashlib.sha256(body.encode()).hexdigest()[:32]
    headers = {
        'ETag': etag,
        'Cache-Control': 'public, max-age=%d' % max_age,
        'Vary': 'Accept-Language',
        }
    if etag in [e.strip() for e in
            request.headers.get('If-None-Match', '').split(',')]:
        return Response(status=304, headers=headers)
    return Response(body, status=status, headers=headers,
        content_type='application/json')


class ResponseCache:
    """Per-process micro-cache of the public catalogue responses (200s of
    endpoints with public_cache and no authentication), keyed by path, query
    string and language, for `[urban] api_cache_ttl` seconds (default 5,
    0 disables). A hit skips the database transaction altogether; the price
    is that stock shown may be a few seconds old, which checkout tolerates
    because reservations re-check availability under a lock."""
    max_entries = 2048

    def __init__(self):
        self._entries = collections.OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def ttl():
        return config.getfloat('urban', 'api_cache_ttl', default=5)

    @staticmethod
    def key(request):
        return (request.path, request.query_string,
            negotiate_language(request))

    def get(self, request):
        key = self.key(request)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
        _, body, headers, content_type = entry
        if headers.get('ETag') in [e.strip() for e in
                request.headers.get('If-None-Match', '').split(',')]:
            return Response(status=304, headers=headers)
        return Response(body, status=200, headers=headers,
            content_type=content_type)

    def put(self, request, response, ttl):
        if response.status_code != 200 or response.direct_passthrough:
            return
        entry = (time.monotonic() + ttl, response.get_data(),
            dict(response.headers), response.content_type)
        with self._lock:
            self._entries[self.key(request)] = entry
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


RESPONSE_CACHE = ResponseCache()


@dataclass
class Endpoint:
    method: str
    path: str
    handler: object
    summary: str
    tags: tuple
    body: object = None
    query: object = None
    response: object = None
    status: int = 200
    auth: str = 'none'
    errors: tuple = ()
    description: str = None
    headers: tuple = ()         # documented request headers
    public_cache: bool = False
    produces: str = None        # media type of a non-JSON 200 response

    @property
    def operation_id(self):
        return self.handler.__name__

    @property
    def success_statuses(self):
        "The non-error statuses the document declares"
        statuses = {self.status}
        if self.public_cache:
            statuses.add(304)
        return statuses


def endpoint(method, path, *, summary, tags=(), body=None, query=None,
        response=None, status=200, auth='none', errors=(), readonly=None,
        headers=(), public_cache=False, description=None, produces=None,
        max_request_size=None):
    """Register handler(call, **path_args) at PREFIX + path.

    auth: 'none' (public), 'optional' (user when a valid token is sent) or
    'required' (401 otherwise). errors: documented problem statuses.
    status: the one success status documented and served; an endpoint
    without response model nor produces answers 204 without a body.
    max_request_size: bytes of body accepted (trytond's [request] max_size
    otherwise: 2 MB), for photo uploads."""
    method = method.upper()
    if response is None and produces is None and status != 204:
        raise TypeError("%s %s: declare its response (model or produces) "
            "or status=204" % (method, path))

    def decorator(func):
        spec = Endpoint(method, PREFIX + path, func, summary, tuple(tags),
            body, query, response, status, auth, tuple(errors),
            description or (func.__doc__ or '').strip() or None,
            tuple(headers), public_cache, produces)
        ENDPOINTS.append(spec)

        @with_transaction(readonly=readonly)
        def transactional(request, pool, **kwargs):
            language = negotiate_language(request)
            with Transaction().set_context(language=language,
                    company=_company_id(pool)):
                call = Call(request, pool, language)
                authenticate(call, auth)
                if body is not None:
                    call.body = parse_body(request, body)
                if query is not None:
                    call.query = parse_query(request, query)
                result = func(call, **kwargs)
                return _to_response(call, result, status, spec)

        @with_pool
        def pooled(request, pool, **kwargs):
            try:
                return transactional(request, pool, **kwargs)
            except Problem as problem:
                return problem.response(request.path)
            except CartError as error:
                return Problem(error.status, error.code, error.title,
                    error.detail).response(request.path)
            except RateLimitException as error:
                # urban_stock's login limits say when to come back
                retry_after = getattr(error, 'retry_after', 60)
                return Problem(429, 'rate_limited', "Too many attempts",
                    "Try again in %d seconds." % retry_after).response(
                    request.path, headers={'Retry-After': str(retry_after)})
            except (UserError, UserWarning) as error:
                return Problem(409, 'business_rule', error.message,
                    error.description or None).response(request.path)
            except HTTPException:
                raise
            except Exception:
                logger.exception("API error on %s %s", method, request.path)
                return Problem(500, 'internal_error',
                    "Something went wrong on our side").response(
                    request.path)

        cacheable = (public_cache and auth == 'none' and method == 'GET'
            and not produces)

        def entry(request, database_name=None, **kwargs):
            ttl = ResponseCache.ttl() if cacheable else 0
            if ttl > 0:
                cached = RESPONSE_CACHE.get(request)
                if cached is not None:
                    return cached
                response = pooled(request, _database(), **kwargs)
                RESPONSE_CACHE.put(request, response, ttl)  # 200s only
                return response
            return pooled(request, _database(), **kwargs)
        entry.__name__ = 'urban_api_%s' % func.__name__
        if max_request_size:
            entry.max_request_size = max_request_size
        app.route(spec.path, methods={method},
            defaults={'database_name': None})(entry)
        return func
    return decorator


def _database():
    return database_name()


def _to_response(call, result, status, spec=None):
    if isinstance(result, Response):
        response = result
    elif result is None:
        response = Response(status=204)
    else:
        response = json_response(result, status=status)
    if spec is not None and response.status_code not in (
            spec.success_statuses):
        # the document promises another status: a bug of the endpoint
        logger.error("%s %s answered %s, its document declares %s",
            spec.method, spec.path, response.status_code,
            sorted(spec.success_statuses))
    for key, value in call.headers.items():
        response.headers[key] = value
    return response


# The company of the app's web shop, kept by each worker until a web shop
# is edited (catalog_cache.py): read at each request
COMPANY = Cache('urban_mobile_api.company', context=False)


def _company_id(pool):
    "The company of the app's web shop (see channel.py)"
    from urban_checkout.channel import web_shop
    company_id = COMPANY.get(None, -1)
    if company_id == -1:
        shop = web_shop(pool)
        company_id = shop.company.id if shop else None
        COMPANY.set(None, company_id)
    return company_id


def utc(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def status_phrase(status):
    return HTTPStatus(status).phrase
