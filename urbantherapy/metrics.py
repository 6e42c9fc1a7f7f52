"""Prometheus metrics of a web process: `GET /metrics` (text format).

Mounted by `[wsgi middleware] metrics` (config/production.conf) outside the
platform middleware, so it times every request, /health included.

- urban_http_requests_total{group, method, status}: requests by route group
  (api, website, pro, rpc, webhooks, admin_static, health), method and
  status class (2xx, 3xx, 4xx, 5xx)
- urban_http_request_duration_seconds{group}: their latency (histogram)
- read from the database at each scrape: queue depth and age of the oldest
  queued task per queue, tasks taken but unfinished, POS inbox backlog per
  till account, reservations held, payments and refunds by state.

Protected by a token: `[urban] metrics_token` (TRYTOND_URBAN__METRICS_TOKEN),
sent as `Authorization: Bearer <token>`; without a token configured the
endpoint does not exist (404). With several gunicorn workers per process the
entrypoint sets PROMETHEUS_MULTIPROC_DIR, so that any worker answers for all.
"""
import hmac
import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram,
    generate_latest)
from prometheus_client.core import GaugeMetricFamily

from trytond.config import config

BUCKETS = (.005, .01, .025, .05, .1, .15, .25, .5, 1, 2.5, 5, 10)
REQUESTS = Counter('urban_http_requests', "HTTP requests answered",
    ['group', 'method', 'status'])
LATENCY = Histogram('urban_http_request_duration_seconds',
    "Time to answer an HTTP request", ['group'], buckets=BUCKETS)


def route_group(path, method, database_name):
    parts = path.split('/')
    first = parts[1] if len(parts) > 1 else ''
    if path == '/health':
        return 'health'
    if first == 'api':
        return 'api'
    if first == 'webhooks':
        return 'webhooks'
    if first == 'admin':
        return 'admin_static' if method in {'GET', 'HEAD'} else 'rpc'
    if first == database_name or (path == '/' and method == 'POST'):
        return 'rpc'
    if first == 'pro' or (len(parts) > 2 and parts[2] == 'pro'):
        return 'pro'
    return 'website'


class DatabaseCollector:
    "What the database holds, read at each scrape"

    def __init__(self, database_name):
        self.database_name = database_name

    def collect(self):
        from trytond.transaction import Transaction
        queue = GaugeMetricFamily('urban_queue_tasks',
            "Queued tasks no worker has taken yet", labels=['queue'])
        age = GaugeMetricFamily('urban_queue_oldest_task_age_seconds',
            "Age of the oldest task no worker has taken yet",
            labels=['queue'])
        running = GaugeMetricFamily('urban_queue_tasks_taken',
            "Tasks a worker has taken and not finished", labels=['queue'])
        inbox = GaugeMetricFamily('urban_pos_inbox_backlog',
            "Till events waiting to be applied", labels=['account'])
        held = GaugeMetricFamily('urban_stock_reservations_held',
            "Reservations holding stock")
        payments = GaugeMetricFamily('urban_api_payments',
            "Payments of the app and the website by state",
            labels=['state'])
        refunds = GaugeMetricFamily('urban_api_refunds',
            "Refunds by state", labels=['state'])
        with Transaction().start(self.database_name, 0,
                readonly=True) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute('SELECT name, count(*), '
                'EXTRACT(EPOCH FROM now() - min(enqueued_at)) '
                'FROM ir_queue WHERE dequeued_at IS NULL '
                'AND (scheduled_at IS NULL OR scheduled_at <= now()) '
                'GROUP BY name')
            for name, count, seconds in cursor:
                queue.add_metric([name], count)
                age.add_metric([name], max(float(seconds or 0), 0))
            cursor.execute('SELECT name, count(*) FROM ir_queue '
                'WHERE dequeued_at IS NOT NULL AND finished_at IS NULL '
                'GROUP BY name')
            for name, count in cursor:
                running.add_metric([name], count)
            cursor.execute('SELECT a.name, count(e.id) '
                'FROM urban_pos_account a LEFT JOIN urban_pos_event e '
                "ON e.account = a.id AND e.state = 'pending' "
                'GROUP BY a.id, a.name')
            for name, count in cursor:
                inbox.add_metric([name or ''], count)
            cursor.execute('SELECT count(*) FROM urban_stock_reservation '
                "WHERE state = 'reserved'")
            held.add_metric([], cursor.fetchone()[0])
            for table, family in [('urban_api_payment', payments),
                    ('urban_api_refund', refunds)]:
                cursor.execute(
                    'SELECT state, count(*) FROM "%s" GROUP BY state' % table)
                for state, count in cursor:
                    family.add_metric([state], count)
        yield from [queue, age, running, inbox, held, payments, refunds]


def registry(database_name):
    "The registry a scrape reads: this process's (or all workers') and the DB"
    scrape = CollectorRegistry()
    if os.environ.get('PROMETHEUS_MULTIPROC_DIR'):
        from prometheus_client import multiprocess
        multiprocess.MultiProcessCollector(scrape)
    else:
        for collector in [REQUESTS, LATENCY]:
            scrape.register(collector)
    scrape.register(DatabaseCollector(database_name))
    return scrape


def authorized(environ):
    token = config.get('urban', 'metrics_token', default=None)
    if not token:
        return None
    sent = environ.get('HTTP_AUTHORIZATION', '')
    return hmac.compare_digest(sent.encode(), ('Bearer ' + token).encode())


class MetricsMiddleware:

    def __init__(self, app):
        self.app = app

    def database_name(self):
        return config.get('urban', 'database', default='urban')

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        method = environ.get('REQUEST_METHOD', 'GET')
        if path == '/metrics':
            return self.metrics(environ, start_response)
        group = route_group(path, method, self.database_name())
        start = time.perf_counter()
        status = ['500']

        def start_(code, headers, exc_info=None):
            status[0] = code[:3]
            return start_response(code, headers, exc_info)
        try:
            return self.app(environ, start_)
        finally:
            LATENCY.labels(group).observe(time.perf_counter() - start)
            REQUESTS.labels(group, method if method in {
                        'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE',
                        'OPTIONS'} else 'other',
                status[0][0] + 'xx').inc()

    def metrics(self, environ, start_response):
        allowed = authorized(environ)
        if allowed is None:
            body, status = b'Not Found\n', '404 NOT FOUND'
            headers = [('Content-Type', 'text/plain')]
        elif not allowed:
            body, status = b'Unauthorized\n', '401 UNAUTHORIZED'
            headers = [('Content-Type', 'text/plain'),
                ('WWW-Authenticate', 'Bearer realm="metrics"')]
        else:
            body = generate_latest(registry(self.database_name()))
            status = '200 OK'
            headers = [('Content-Type', CONTENT_TYPE_LATEST)]
        start_response(status, headers + [
                ('Cache-Control', 'no-store'),
                ('Content-Length', str(len(body)))])
        return [body] if environ.get('REQUEST_METHOD') != 'HEAD' else []
