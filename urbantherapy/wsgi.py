"""WSGI middleware mounted by trytond through `[wsgi middleware]`.

- `/health`: liveness plus a real database round-trip, answered before
  Tryton's routing so that it works even when the pool cannot load.
- `/admin/`: the back-office web client (sao) is served as static files
  under /admin/ but posts its RPC calls to relative URLs
  (`/admin/<db>/...`); the prefix is stripped so trytond sees `/<db>/...`.
"""
import json
import time
import urllib.parse

from trytond import backend
from trytond.config import config

ADMIN_PREFIX = '/admin'


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


class PlatformMiddleware:

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        if path == '/health':
            return self.health(environ, start_response)
        if (path.startswith(ADMIN_PREFIX + '/')
                and environ.get('REQUEST_METHOD') != 'GET'):
            environ['PATH_INFO'] = path[len(ADMIN_PREFIX):]
        return self.app(environ, start_response)

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
