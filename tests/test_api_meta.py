"""/api/v1 basics on the demo data: the OpenAPI document, problem+json
errors, the shops list with its ETag."""
import json
import re
import unittest

from trytond.tests.test_tryton import drop_db
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware


class ApiMetaTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def test_openapi_document(self):
        "The OpenAPI 3.1 document lists the endpoints with their schemas"
        response = self.client().get('/api/v1/openapi.json')
        self.assertEqual(response.status_code, 200)
        document = json.loads(response.data)
        self.assertEqual(document['openapi'], '3.1.0')
        shops = document['paths']['/api/v1/shops']['get']
        self.assertEqual(
            shops['responses']['200']['content']['application/json'][
                'schema'], {'$ref': '#/components/schemas/ShopList'})
        self.assertIn('Shop', document['components']['schemas'])
        self.assertIn('ProblemModel', document['components']['schemas'])

    def test_declared_statuses(self):
        """Every operation declares the one success status it answers with
        (204 without a body, else with its content); the document itself
        is 200 JSON"""
        from urban_mobile_api import api
        client = self.client()
        response = client.get('/api/v1/openapi.json')
        document = json.loads(response.data)
        responses = document['paths']['/api/v1/openapi.json']['get'][
            'responses']
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            sorted(s for s in responses if s.startswith('2')), ['200'])
        self.assertIn(response.mimetype, responses['200']['content'])
        for spec in api.ENDPOINTS:
            path = re.sub(r'<(?:\w+:)?(\w+)>', r'{\1}', spec.path)
            responses = document['paths'][path][spec.method.lower()][
                'responses']
            name = '%s %s' % (spec.method, path)
            self.assertEqual([s for s in responses if s.startswith('2')],
                [str(spec.status)], name)
            self.assertEqual('content' in responses[str(spec.status)],
                spec.status != 204, name)
        # what the public reads without parameters serve is declared
        for path, operations in sorted(document['paths'].items()):
            get = operations.get('get')
            if ('{' in path or not get or get.get('security')
                    or any(p['required'] for p in get.get('parameters', []))):
                continue
            served = client.get(path)
            self.assertIn(str(served.status_code), get['responses'], path)
            declared = get['responses'][str(served.status_code)]
            self.assertIn(served.mimetype, declared.get('content', {}),
                path)

    def test_unknown_path_is_a_problem(self):
        "An unknown API path answers 404 problem+json, not HTML"
        response = self.client().get('/api/v1/nowhere')
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.mimetype, 'application/problem+json')
        self.assertEqual(json.loads(response.data)['code'], 'not_found')

    def test_shops(self):
        "The six shops with address, coordinates and opening hours"
        client = self.client()
        response = client.get('/api/v1/shops')
        self.assertEqual(response.status_code, 200)
        items = json.loads(response.data)['items']
        self.assertEqual(len(items), 6)
        for shop in items:
            self.assertTrue(shop['code'])
            self.assertTrue(shop['address']['city'])
            self.assertIsNotNone(shop['coordinates'])
            self.assertTrue(shop['opening_hours'])
        self.assertIn('max-age', response.headers['Cache-Control'])
        again = client.get('/api/v1/shops', headers={
                'If-None-Match': response.headers['ETag']})
        self.assertEqual(again.status_code, 304)
