"""Property-based check of /api/v1 against its own OpenAPI document with
schemathesis on the demo data: for every operation, generated requests
(valid and not) never get a 5xx and every response (status, content type,
body) matches the document. Bounded: 25 examples per operation."""
import hypothesis
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance,
    status_code_conformance)
from trytond.wsgi import app

from tests.api_support import ApiTestCase
from urbantherapy.wsgi import PlatformMiddleware

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance,
    content_type_conformance, response_schema_conformance]
# sent without a token: they would close the session used by the others
WITHOUT_TOKEN = {('POST', '/api/v1/auth/logout'), ('DELETE', '/api/v1/me')}


class ApiSchemathesisTestCase(ApiTestCase):
    CONFIG = {**ApiTestCase.CONFIG,
        # a second failure for an e-mail is 429 at once: Tryton sleeps
        # 2 ** failures - 1 s after each failed login
        ('session', 'max_attempt'): '0'}

    def test_operations_conform(self):
        wsgi = PlatformMiddleware(app)
        schema = schemathesis.openapi.from_wsgi('/api/v1/openapi.json', wsgi)
        client = self.client()
        client.post('/api/v1/auth/register', json={
                'email': 'fuzz@example.be', 'password': 'tulipe orange velo',
                'name': "Fuzz"})
        session = self.json(client.post('/api/v1/auth/login', json={
                    'email': 'fuzz@example.be',
                    'password': 'tulipe orange velo'}))
        token = {'Authorization': 'Bearer %s' % session['token']}
        operations = [r.ok() for r in schema.get_all_operations()]
        self.assertGreaterEqual(len(operations), 15)
        for operation in operations:
            key = (operation.method.upper(), operation.path)
            headers = {} if key in WITHOUT_TOKEN else token

            @hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None,
                database=None, derandomize=True,
                suppress_health_check=list(hypothesis.HealthCheck),
                phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
            @hypothesis.given(case=operation.as_strategy())
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            with self.subTest(operation=' '.join(key)):
                check()
