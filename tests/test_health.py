"""/health and the /admin/ prefix, through the WSGI middleware trytond
mounts."""
import json
import unittest

from trytond.config import config
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import URBAN_MODULES, activate_module
from urbantherapy.wsgi import PlatformMiddleware


class HealthTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def test_health_ok(self):
        "/health answers 200 with the database status"
        response = self.client().get('/health')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        body = json.loads(response.data)
        self.assertEqual(body['status'], 'ok')
        self.assertEqual(body['database']['name'], DB_NAME)
        self.assertEqual(body['database']['status'], 'ok')
        self.assertEqual(body['database']['backend'], 'postgresql')

    def test_health_database_unreachable(self):
        "/health answers 503 when the database cannot be reached"
        previous = config.get('urban', 'database')
        config.set('urban', 'database', 'urban_missing_database')
        try:
            response = self.client().get('/health')
        finally:
            config.set('urban', 'database', previous)
        self.assertEqual(response.status_code, 503)
        body = json.loads(response.data)
        self.assertEqual(body['status'], 'unavailable')
        self.assertEqual(body['database']['status'], 'unreachable')

    def test_health_rejects_post(self):
        response = self.client().post('/health')
        self.assertEqual(response.status_code, 405)
        self.assertEqual(
            response.headers['Content-Type'], 'application/problem+json')

    def test_admin_prefix_reaches_rpc(self):
        "sao posts to relative URLs under /admin/: the prefix is stripped"
        response = self.client().post('/admin/rpc/', json={
                'id': 1, 'method': 'common.server.version', 'params': []})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(json.loads(response.data)['result'].startswith('8.0'))
