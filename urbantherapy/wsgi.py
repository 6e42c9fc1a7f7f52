"""WSGI middleware mounted by trytond through `[wsgi middleware]`.

- `/health`: liveness plus a real database round-trip, answered before
  Tryton's routing so that it works even when the pool cannot load.
- `/admin/`: the back-office web client (sao) is served as static files
  under /admin/ but posts its RPC calls to relative URLs
  (`/admin/<db>/...`); the prefix is stripped so trytond sees `/<db>/...`,
  and the session cookie trytond sets for `Path=/<db>` is given back the
  prefix (`Path=/admin/<db>`), or the browser would never send it with the
  client's next calls and every login would loop on 401.
- A foreign Origin (neither the site's host nor one of `[web] cors`) and
  `Origin: null`: Tryton refuses them by raising an HTTP 403 before its
  dispatch, outside any handler, which WSGI servers answer 500. Reads (GET,
  HEAD, OPTIONS) are served as if no Origin had been sent, so without CORS
  headers (the browser keeps the answer from the foreign page); writes are
  refused 403 (problem+json under /api/, a small HTML page in the path's
  language elsewhere). An origin Tryton accepts is left to Tryton.
- A URL holding a NUL character (no page, slug, code or search has one,
  and PostgreSQL refuses it in any text) is answered 400 before Tryton.
- A 429 of the back office's login (Tryton's dispatcher sends it bare) gets
  the `Retry-After` of urban_stock's login limits.
- every response: the security headers of its path (urbantherapy.security)
  that the application did not set itself.
"""
import json
import time
import urllib.parse

from werkzeug.exceptions import HTTPException

from trytond import backend
from trytond.config import config

from . import security

ADMIN_PREFIX = '/admin'
SAFE_METHODS = {'GET', 'HEAD', 'OPTIONS'}
# (status, problem code, title and text in each language)
REFUSED_ORIGIN = ('403 FORBIDDEN', 'origin_refused', {
    'fr': ("Requête refusée", "Cette page ne peut pas être envoyée depuis "
        "un autre site."),
    'nl': ("Verzoek geweigerd", "Deze pagina kan niet vanaf een andere "
        "website worden verstuurd."),
    'en': ("Request refused", "This page cannot be sent from another "
        "website."),
    })
BAD_URL = ('400 BAD REQUEST', 'bad_url', {
    'fr': ("Adresse invalide", "Cette adresse contient un caractère "
        "invalide."),
    'nl': ("Ongeldig adres", "Dit adres bevat een ongeldig teken."),
    'en': ("Invalid address", "This address holds an invalid character."),
    })


def database_name():
    return config.get('urban', 'database', default='urban')


def check_database(name, timeout=2):
    "Return (ok, details) after a SELECT 1 on the configured database"
    start = time.perf_counter()
    try:
        if backend.name == 'postgresql':
            _select_one_postgresql(name, timeout)
        else:
            _select_one_pooled(name)
    except Exception as exception:  # any driver error means "down"
        return False, {
            'name': name,
            'backend': backend.name,
            'status': 'unreachable',
            'error': exception.__class__.__name__,
            }
    return True, {
        'name': name,
        'backend': backend.name,
        'status': 'ok',
        'latency_ms': round((time.perf_counter() - start) * 1000, 2),
        }


def _select_one_postgresql(name, timeout):
    # A short-lived connection with a connect timeout: Tryton's pool would
    # keep retrying an unreachable server for its whole timeout, and a
    # health check must answer fast.
    import psycopg
    uri = urllib.parse.urlsplit(config.get('database', 'uri'))
    conninfo = uri._replace(path='/' + name).geturl()
    with psycopg.connect(conninfo, connect_timeout=timeout,
            autocommit=True) as connection:
        connection.execute('SELECT 1').fetchone()


def _select_one_pooled(name):
    database = backend.Database(name).connect()
    connection = database.get_connection()
    try:
        cursor = connection.cursor()
        cursor.execute('SELECT 1')
        cursor.fetchone()
        connection.rollback()
    finally:
        database.put_connection(connection)


def admin_cookies(start_response):
    "Wrap start_response to put the /admin prefix on cookie paths"
    def prefixed_start_response(status, headers, exc_info=None):
        headers = [(name, _prefix_cookie_path(value)
                if name.lower() == 'set-cookie' else value)
            for name, value in headers]
        return start_response(status, headers, exc_info)
    return prefixed_start_response


def _prefix_cookie_path(value):
    parts = value.split(';')
    for i, part in enumerate(parts):
        key, _, path = part.strip().partition('=')
        if key.lower() == 'path' and path.startswith('/'):
            parts[i] = ' Path=' + ADMIN_PREFIX + path.rstrip('/')
    return ';'.join(parts)


class PlatformMiddleware:

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, server_start_response):
        path = environ.get('PATH_INFO', '')

        def start_response(status, headers, exc_info=None):
            security.add_headers(path, headers,
                config.get('web', 'root', default=None))
            return server_start_response(status, headers, exc_info)

        if path == '/health':
            return self.health(environ, start_response)
        if (path.startswith(ADMIN_PREFIX + '/')
                and environ.get('REQUEST_METHOD') != 'GET'):
            environ['PATH_INFO'] = path[len(ADMIN_PREFIX):]
            start_response = admin_cookies(start_response)
        if ('\x00' in environ.get('PATH_INFO', '')
                or '%00' in environ.get('QUERY_STRING', '')
                or '\x00' in environ.get('QUERY_STRING', '')):
            return self.refuse(environ, start_response, BAD_URL)
        from urban_stock.login import REFUSAL
        REFUSAL.set(None)

        def start(status, headers, exc_info=None):
            retry_after = REFUSAL.get()
            if (status.startswith('429') and retry_after
                    and not any(k.lower() == 'retry-after'
                        for k, _ in headers)):
                headers = list(headers) + [('Retry-After', str(retry_after))]
            return start_response(status, headers, exc_info)
        try:
            return self.app(environ, start)
        except HTTPException as exception:
            # only Tryton's Origin checks raise out of its dispatch
            if 'HTTP_ORIGIN' not in environ:
                return exception(environ, start)
        if environ.get('REQUEST_METHOD') in SAFE_METHODS:
            del environ['HTTP_ORIGIN']
            return self.app(environ, start)
        return self.refuse(environ, start_response, REFUSED_ORIGIN)

    def refuse(self, environ, start_response, refusal):
        """Answer refusal (REFUSED_ORIGIN, BAD_URL): problem+json under
        /api/, else a small page in the language of the path"""
        status, code, texts = refusal
        path = environ.get('PATH_INFO', '')
        if path.startswith('/api/'):
            body = json.dumps({
                    'type': 'https://urban-therapy.be/problems/%s' % code,
                    'title': texts['en'][0], 'status': int(status[:3]),
                    'code': code, 'detail': texts['en'][1]}).encode()
            content_type = 'application/problem+json'
        else:
            lang = path.split('/')[1] if path.count('/') > 1 else ''
            lang = lang if lang in texts else 'fr'
            title, text = texts[lang]
            body = ('<!DOCTYPE html><html lang="%s"><head><meta '
                'charset="utf-8"><title>%s — Urban Therapy</title></head>'
                '<body><h1>%s</h1><p>%s</p></body></html>' % (
                    lang, title, title, text)).encode()
            content_type = 'text/html; charset=utf-8'
        start_response(status, [
                ('Content-Type', content_type),
                ('Cache-Control', 'no-store'),
                ('Content-Length', str(len(body)))])
        return [body]

    def health(self, environ, start_response):
        if environ.get('REQUEST_METHOD') not in {'GET', 'HEAD'}:
            body = json.dumps({
                    'type': 'about:blank', 'title': "Method Not Allowed",
                    'status': 405}).encode()
            start_response('405 METHOD NOT ALLOWED', [
                    ('Content-Type', 'application/problem+json'),
                    ('Allow', 'GET, HEAD'),
                    ('Content-Length', str(len(body)))])
            return [body]
        ok, database = check_database(database_name())
        body = json.dumps({
                'status': 'ok' if ok else 'unavailable',
                'database': database,
                }).encode()
        start_response('200 OK' if ok else '503 SERVICE UNAVAILABLE', [
                ('Content-Type', 'application/json'),
                ('Cache-Control', 'no-store'),
                ('Content-Length', str(len(body)))])
        if environ.get('REQUEST_METHOD') == 'HEAD':
            return [b'']
        return [body]
