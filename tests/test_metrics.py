"""GET /metrics (urbantherapy/metrics.py, mounted by production.conf):
hidden without a token, refused with a wrong one; request counts and
latencies per route group; queue depth and age, POS inbox backlog,
reservations held, payments and refunds read from the database."""
import re

from trytond.config import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.metrics import MetricsMiddleware, route_group
from urbantherapy.testing import ActivatedTestCase
from urbantherapy.wsgi import PlatformMiddleware

TOKEN = 'metrics-token-for-the-test'


def sample(text, name, **labels):
    "The value of the sample name{labels} in the text format, or None"
    for line in text.splitlines():
        if line.startswith('#'):
            continue
        match = re.match(r'([a-z_]+)(?:\{(.*)\})? (\S+)$', line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ''))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(3))
    return None


class MetricsTestCase(ActivatedTestCase):

    def setUp(self):
        previous = config.get('urban', 'metrics_token')

        def restore():
            if previous is None:
                config._config.remove_option('urban', 'metrics_token')
                config._cache_clear()
            else:
                config.set('urban', 'metrics_token', previous)
        config.set('urban', 'metrics_token', TOKEN)
        self.addCleanup(restore)

    def client(self):
        return Client(MetricsMiddleware(PlatformMiddleware(app)), Response)

    def scrape(self, client):
        response = client.get('/metrics',
            headers={'Authorization': 'Bearer ' + TOKEN})
        self.assertEqual(response.status_code, 200, response.data)
        self.assertTrue(response.content_type.startswith('text/plain'))
        return response.get_data(as_text=True)

    def test_protected(self):
        client = self.client()
        self.assertEqual(client.get('/metrics').status_code, 401)
        self.assertEqual(client.get('/metrics', headers={
                    'Authorization': 'Bearer wrong'}).status_code, 401)
        config._config.remove_option('urban', 'metrics_token')
        config._cache_clear()
        self.assertEqual(client.get('/metrics', headers={
                    'Authorization': 'Bearer ' + TOKEN}).status_code, 404)

    def test_route_groups(self):
        for path, method, group in [
                ('/api/v1/products', 'GET', 'api'),
                ('/webhooks/stripe', 'POST', 'webhooks'),
                ('/admin/', 'GET', 'admin_static'),
                ('/admin/urban/rpc/', 'POST', 'rpc'),
                ('/urban/', 'POST', 'rpc'),
                ('/', 'POST', 'rpc'),
                ('/fr/pro/', 'GET', 'pro'),
                ('/pro/apply', 'POST', 'pro'),
                ('/fr/', 'GET', 'website'),
                ('/health', 'GET', 'health'),
                ]:
            self.assertEqual(route_group(path, method, 'urban'), group, path)

    def test_requests_counted_and_timed(self):
        client = self.client()
        before = self.scrape(client)
        api = sample(before, 'urban_http_requests_total', group='api',
            method='GET', status='2xx') or 0
        missing = sample(before, 'urban_http_requests_total', group='api',
            method='GET', status='4xx') or 0
        timed = sample(before, 'urban_http_request_duration_seconds_count',
            group='health') or 0
        self.assertEqual(client.get('/api/v1/universes').status_code, 200)
        self.assertEqual(client.get('/api/v1/nowhere').status_code, 404)
        self.assertEqual(client.get('/health').status_code, 200)
        after = self.scrape(client)
        self.assertEqual(sample(after, 'urban_http_requests_total',
                group='api', method='GET', status='2xx'), api + 1)
        self.assertEqual(sample(after, 'urban_http_requests_total',
                group='api', method='GET', status='4xx'), missing + 1)
        self.assertEqual(sample(after,
                'urban_http_request_duration_seconds_count',
                group='health'), timed + 1)
        self.assertIsNotNone(sample(after,
                'urban_http_request_duration_seconds_bucket',
                group='api', le='0.15'))

    def test_database_gauges(self):
        with Transaction().start(DB_NAME, 0) as transaction:
            Queue = Pool().get('ir.queue')
            Queue.push('metrics-test', {'model': 'res.user',
                    'method': 'read', 'instances': [], 'args': [],
                    'kwargs': {}, 'context': {}, 'user': 0})
            cursor = transaction.connection.cursor()
            cursor.execute("UPDATE ir_queue SET enqueued_at = "
                "now() - interval '90 seconds' WHERE name = 'metrics-test'")
            transaction.commit()
        text = self.scrape(self.client())
        self.assertEqual(sample(text, 'urban_queue_tasks',
                queue='metrics-test'), 1)
        self.assertGreaterEqual(sample(text,
                'urban_queue_oldest_task_age_seconds',
                queue='metrics-test'), 90)
        self.assertEqual(sample(text, 'urban_stock_reservations_held'), 0)
        self.assertIn('# TYPE urban_pos_inbox_backlog gauge', text)
        self.assertIn('# TYPE urban_api_payments gauge', text)
        self.assertIn('# TYPE urban_api_refunds gauge', text)
