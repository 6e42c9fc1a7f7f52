"""The app's typed client is generated from the OpenAPI document committed
in mobile/openapi.json: it must be the one the server generates now (the
TypeScript types are checked against it by `npm run check:client`)."""
import json
import pathlib
import unittest

from urban_mobile_api import openapi

ROOT = pathlib.Path(__file__).resolve().parent.parent


class AppClientTestCase(unittest.TestCase):

    def test_openapi_document_is_fresh(self):
        committed = json.loads((ROOT / 'mobile' / 'openapi.json').read_text())
        self.assertEqual(committed, json.loads(json.dumps(openapi.document())),
            "mobile/openapi.json is stale: in mobile/ run "
            "`npm run openapi && npm run generate:client`")

    def test_types_are_generated_from_it(self):
        types = (ROOT / 'mobile' / 'src' / 'api' / 'schema.d.ts').read_text()
        for path in openapi.document()['paths']:
            self.assertIn('"%s"' % path, types,
                "mobile/src/api/schema.d.ts is stale: in mobile/ run "
                "`npm run generate:client`")
