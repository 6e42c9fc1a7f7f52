"""No request answers 5xx nor shows exception text.

Every route of the website, the pro portal, the app API and the POS
webhooks (enumerated from trytond's url_map, so a new route is swept as
soon as it exists) is called with hostile values in each path argument
(ids out of range, negative, non-ASCII digits, CR/LF, non-UTF-8 bytes), in
the common query parameters and in the form or JSON body, with and without
a foreign or null Origin, as an anonymous visitor and with a session (a
pro buyer's cookie for /pro, an app customer's bearer token for /api/v1).
"""
import hashlib
import json
import os
import re
import tempfile
import unittest

from trytond.config import config
from trytond.tests.test_tryton import drop_db
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware

from tests.api_support import load_translations

# raw (already percent-encoded) path segments
HOSTILE = [
    '10000000000000000000000000',
    '2147483648',
    '0',
    '-1',
    '%C2%B2',           # ² (str.isdigit() but not int())
    '%D9%A3',           # ٣ ARABIC-INDIC DIGIT THREE (\d matches it)
    '%0d%0a',
    '%FF',              # not UTF-8
    '%00',
    '1e3',
    ]
QUERY = '&'.join('%s=%s' % pair for pair in [
    ('universe', '%C2%B2'), ('collection', '%00'), ('q', '%0d%0a'),
    ('in_stock', '%C2%B2'), ('view', '%FF'), ('next', '%0d%0aX:%20y'),
    ('page', '10000000000000000000000000'), ('limit', '-1'),
    ('cursor', '%FF'), ('shop', '%C2%B2'), ('added', '%FF'),
    ('sent', '%0d%0a'), ('placed', '%C2%B2'), ('subscribed', '%FF'),
    ('redirect_status', '%0d%0a'), ('universe_id', '10000000000000000000'),
    ('sort', '%FF'), ('postal_code', '%0d%0a'), ('country', '%C2%B2'),
    ('latitude', '1e400'), ('longitude', '-1e400'), ('email', '%00'),
    ('token', '%00'),
    ])
FORM = {
    'qty-\u00b2': '1', 'qty-10000000000000000000000000': '1',
    'qty-1': '10000000000000000000000000', 'product': '\u00b2',
    'quantity': '10000000000000000000000000', 'shop': '\u00b2',
    'delivery': 'pickup', 'payment': '\u00b2', 'next': '/pro/\r\nX: y',
    'email': 'a\x00\r\nb@example.be', 'password': '\u00b2',
    'lines': 'X\x00 \u00b2', 'company_name': '\x00',
    'consent': 'yes', 'category': '\u00b2', 'country': '\u00b2',
    }
ORIGINS = [None, 'https://evil.example', 'null']
# exception text that must never reach a client
LEAKS = re.compile(r'Traceback|File "|\b[A-Z][A-Za-z]*(Error|Exception)\b|'
    r'psycopg|sqlite3|out of range|invalid literal|has no attribute|'
    r'unsupported operand|codec can\'t|must be an iterable|'
    r'positional argument|NoneType|NUL \(0x00\)')
# Tryton's errors meant for the user, sent as Tryton does
TRYTON_ERRORS = {'UserError', 'UserWarning', 'ConcurrencyException',
    'LoginException', 'RateLimitException'}
# any other error of a JSON-RPC call, in the session's language
GENERIC_ERRORS = {
    "The server could not process this request. If it happens again, "
    "please tell your administrator.",
    "Le serveur n'a pas pu traiter cette demande. Si cela se reproduit, "
    "prévenez votre administrateur.",
    "De server kon dit verzoek niet verwerken. Als het opnieuw gebeurt, "
    "verwittig dan uw beheerder.",
    }
# the sweep's own session must survive until the end
ENDING = {('POST', '/pro/logout'), ('POST', '/api/v1/auth/logout'),
    ('DELETE', '/api/v1/me')}
PRO_EMAIL = 'achats@maisonfleurie.be'


def our_rules():
    "Rules of our channel modules, from trytond's url_map"
    modules = {'urban_website', 'urban_mobile_api', 'urban_pos_bridge'}
    return sorted((r for r in app.url_map.iter_rules()
            if r.endpoint.__module__.split('.')[0] in modules),
        key=lambda r: r.rule)


def fill(rule, hostile=None):
    """Paths of rule with each argument set to a plain value, or each
    argument in turn set to the hostile raw value"""
    parts = re.split(r'(<[^>]+>)', rule.rule)
    arguments = [i for i, p in enumerate(parts) if p.startswith('<')]

    def plain(part):
        converter = part[1:-1].split(':')[0] if ':' in part else 'default'
        if converter.startswith('any('):
            return converter[4:].split(')')[0].split(',')[0]
        if converter == 'int':
            return '1'
        if converter == 'path':
            return 'x/y'
        return 'x'
    if hostile is None:
        return [''.join(plain(p) if i in arguments else p
                for i, p in enumerate(parts))]
    paths = []
    for index in arguments:
        if parts[index].startswith('<any('):
            continue        # another value only matches another rule
        paths.append(''.join(
                hostile if i == index else plain(p) if i in arguments else p
                for i, p in enumerate(parts)))
    return paths


def hostile_json(model):
    "A body of model's fields with hostile values of the right JSON types"
    body = {}
    for name, field in model.model_fields.items():
        annotation = str(field.annotation)
        if 'int' in annotation or 'float' in annotation:
            body[name] = 10 ** 25
        elif 'bool' in annotation:
            body[name] = True
        elif 'list' in annotation:
            body[name] = [10 ** 25, '\u00b2']
        elif 'dict' in annotation or 'BaseModel' in annotation:
            body[name] = {'id': 10 ** 25}
        else:
            body[name] = '\u00b2\r\n'
    return body


class HostileRequestsTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()
        load_translations('web_user')
        # as in production: the web shop built, Stripe's webhook configured
        cls.web_root = tempfile.TemporaryDirectory()
        with open(os.path.join(cls.web_root.name, 'index.html'), 'w') as f:
            f.write('<html><head></head><body>shop</body></html>')
        cls._saved = {}
        for option, value in [('api_cache_ttl', '0'),
                ('app_web_root', cls.web_root.name),
                ('stripe_webhook_secret', 'whsec_sweep')]:
            cls._saved[option] = config.get('urban', option)
            config.set('urban', option, value)

    @classmethod
    def tearDownClass(cls):
        for option, value in cls._saved.items():
            if value is None:
                config._config.remove_option('urban', option)
                config._cache_clear()
            else:
                config.set('urban', option, value)
        cls.web_root.cleanup()
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def pro_client(self):
        "A client with the session cookie of a demo pro buyer"
        client = self.client()
        home = client.get('/pro/')
        csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"',
            home.get_data(as_text=True)).group(1)
        response = client.post('/pro/login', data={'csrf_token': csrf,
                'email': PRO_EMAIL, 'password': 'urban-demo'})
        self.assertEqual(response.status_code, 303, response.data[-500:])
        key = client.get_cookie('ut_pro').value
        return client, hashlib.sha256(('csrf:' + key).encode()).hexdigest()

    def bearer(self):
        account = {'email': 'sweep@example.be',
            'password': 'quartz harbour sweep 61'}
        response = self.client().post('/api/v1/auth/register',
            json=dict(account, name="Sweep"))
        self.assertEqual(response.status_code, 202, response.data)
        response = self.client().post('/api/v1/auth/login', json=account)
        self.assertEqual(response.status_code, 200, response.data)
        return json.loads(response.data)['token']

    def assertClean(self, response, description):
        body = response.get_data()
        text = body.decode('utf-8', 'replace')
        self.assertLess(response.status_code, 500,
            '%s\n%s' % (description, text[-1500:]))
        if response.mimetype in {'application/pdf', 'image/webp'}:
            return
        leak = LEAKS.search(text)
        self.assertIsNone(leak, '%s: %r in\n%s' % (description,
                leak and leak.group(0), text[-1500:]))

    def call(self, client, method, path, origin, headers=None, **kwargs):
        headers = dict(headers or {})
        if origin:
            headers['Origin'] = origin
        description = '%s %s (Origin: %s)' % (method, path, origin)
        try:
            response = client.open(path, method=method, headers=headers,
                **kwargs)
        except Exception as exception:
            # escaped the WSGI application: the server answers 500
            self.fail('%s: raised %r' % (description, exception))
        self.assertClean(response, description)
        return response

    def requests(self, rule, method):
        "(path, origin) of the sweep of rule"
        base, = fill(rule)
        yield base + '?' + QUERY, None
        for origin in ORIGINS[1:]:
            yield base, origin
        for hostile in HOSTILE:
            for path in fill(rule, hostile):
                yield path, None

    def test_sweep(self):
        "Every route of ours, hostile values everywhere: < 500, no leak"
        from urban_mobile_api import api
        bodies = {(e.method, e.path): e.body for e in api.ENDPOINTS}
        pro_client, csrf = self.pro_client()
        token = self.bearer()
        anonymous = self.client()
        swept, failures = 0, []
        rules = our_rules()
        self.assertTrue(any(r.rule.startswith('/pro/') for r in rules))
        self.assertTrue(any(r.rule.startswith('/api/v1/') for r in rules))
        for rule in rules:
            for method in sorted(rule.methods - {'HEAD', 'OPTIONS'}):
                path = re.sub(r'^/<any\([^)]*\):lang>', '', rule.rule)
                api_call = rule.rule.startswith('/api/v1')
                ending = (method, path) in ENDING
                if api_call:
                    client = anonymous if ending else pro_client
                    headers = {} if ending else {
                        'Authorization': 'Bearer %s' % token}
                else:
                    client = anonymous if ending else pro_client
                    headers = {}
                for url, origin in self.requests(rule, method):
                    kwargs = {}
                    if method in {'POST', 'PUT', 'PATCH', 'DELETE'}:
                        if api_call:
                            model = bodies.get((method, path))
                            kwargs['data'] = json.dumps(hostile_json(model)
                                if model else {'x': 10 ** 25})
                            kwargs['content_type'] = 'application/json'
                        else:
                            kwargs['data'] = dict(FORM, csrf_token=csrf)
                    try:
                        self.call(client, method, url, origin, headers,
                            **kwargs)
                    except AssertionError as failure:
                        failures.append(str(failure)[:600])
                    swept += 1
                if api_call and method != 'GET':
                    # malformed JSON
                    base, = fill(rule)
                    try:
                        self.call(client, method, base, None, headers,
                            data=b'{"x": \xff',
                            content_type='application/json')
                    except AssertionError as failure:
                        failures.append(str(failure)[:600])
        self.assertGreater(swept, 500)
        self.assertFalse(failures, '%s of %s requests failed:\n%s' % (
                len(failures), swept, '\n\n'.join(failures[:40])))

    def test_origin(self):
        "A foreign or null Origin gets no CORS headers, or 403 on writes"
        client = self.client()
        for origin in ORIGINS[1:]:
            page = self.call(client, 'GET', '/', origin)
            self.assertEqual(page.status_code, 200)
            self.assertNotIn('Access-Control-Allow-Origin', page.headers)
            api_page = self.call(client, 'GET', '/api/v1/universes', origin)
            self.assertEqual(api_page.status_code, 200)
            self.assertNotIn('Access-Control-Allow-Origin',
                api_page.headers)
            write = self.call(client, 'POST', '/api/v1/auth/login', origin,
                json={'email': 'a@example.be', 'password': 'x'})
            self.assertEqual(write.status_code, 403)
            self.assertEqual(write.mimetype, 'application/problem+json')
            form = self.call(client, 'POST', '/nl/pro/login', origin,
                data={'email': 'a@example.be'})
            self.assertEqual(form.status_code, 403)
            self.assertEqual(form.mimetype, 'text/html')
            self.assertIn('lang="nl"', form.get_data(as_text=True))
            # unknown paths too (Tryton matched them for a null Origin)
            self.call(client, 'GET', '/nowhere', origin)
            self.call(client, 'GET', '/shops', origin)

    def test_pro_order_beyond_stock(self):
        "A pro ordering more than the stock is refused with a 4xx page"
        from tests.test_pro_portal import pro_articles_in_stock, transaction
        from urban_stock import availability
        with transaction(readonly=True):
            central, (product,) = pro_articles_in_stock(count=1)
            template = product.template
            pack = template.case_pack
            stock = availability.for_products([product.id]).total(
                product.id)
            quantity = (int(stock) // pack + 1000) * pack
            code = product.code
        client, csrf = self.pro_client()
        response = self.call(client, 'POST', '/en/pro/quick-order', None,
            data={'csrf_token': csrf, 'lines': '%s %s' % (code, quantity)})
        self.assertEqual(response.status_code, 303)
        for payment in ['invoice', 'card']:
            response = self.call(client, 'POST', '/en/pro/checkout', None,
                data={'csrf_token': csrf, 'delivery': 'delivery',
                    'payment': payment})
            self.assertIn(response.status_code, {400, 409})
            self.assertIn('class="pro-error"', response.get_data(
                    as_text=True))

    def test_json_rpc(self):
        "Malformed JSON-RPC calls are 4xx without exception text"
        client = self.client()
        from trytond.tests.test_tryton import DB_NAME
        for path in ['/%s/rpc/' % DB_NAME, '/%s/session/login' % DB_NAME,
                '/rpc/']:
            for payload in [
                    b'{"id": 1, "method": "common.db.login", "params": 5}',
                    b'{"id": 1, "method": "common.db.login", "params": []}',
                    b'{"id": 1, "method": "common.db.login",'
                    b' "params": ["admin", 5]}',
                    b'{"id": 1, "method": "common.db.login",'
                    b' "params": [5, {"password": 5}, 5, 5]}',
                    b'{"id": 1, "method": "common.db.login",'
                    b' "params": {"a": 1}}',
                    b'{"id": 1, "method": "common.db.reset_password",'
                    b' "params": [[], []]}',
                    b'{"id": 1, "method": "common.server.version",'
                    b' "params": [1, 2, 3]}',
                    b'{"id": 1, "method": "common.db.list", "params": 7}',
                    b'{"id": 1, "method": 5, "params": []}',
                    b'{"id": 1, "method": "model", "params": []}',
                    b'{"id": 1, "method": "model.res.user.read",'
                    b' "params": "x"}',
                    b'[1, 2]',
                    b'{"id": 1',
                    ]:
                response = self.call(client, 'POST', path, None,
                    data=payload, content_type='application/json')
                # not a JSON-RPC error carrying the exception's text
                self.assertNotIn(b'"error"', response.data, payload)

    def test_json_rpc_logged_in(self):
        """A back-office session's calls with malformed arguments (wrong
        types, arity, huge ids, strings for ids, hostile contexts) answer a
        JSON-RPC error without exception text: Tryton's errors for the user
        (UserError, UserWarning, AccessError...) as Tryton sends them, any
        other error as one generic message without traceback"""
        from tests.test_demo_backoffice import BackOffice
        from urbantherapy.demo import data
        office = BackOffice('staff.gnt', data.DEMO_PASSWORD)
        context = office.context
        huge = 10 ** 25
        calls = [
            ('model.res.user.read', [[huge], ['login'], context]),
            ('model.res.user.read', [['x'], ['login'], context]),
            ('model.res.user.read', [[1], 'login', context]),
            ('model.res.user.read', [[1], ['login'], 'context']),
            ('model.res.user.read', [1, 2, 3, 4, 5, 6, 7]),
            ('model.res.user.read', ['x']),
            ('model.res.user.read', []),
            ('model.sale.sale.read', [[1], ['party.name.x'], context]),
            ('model.sale.sale.search', [[['id', '=', 'x']], 0, None, None,
                    context]),
            ('model.sale.sale.search', [[['id', 'in', [huge]]], 0, None,
                    None, context]),
            ('model.sale.sale.search', [[['nowhere', '=', 1]], 0, None,
                    None, context]),
            ('model.sale.sale.search', [[], 'x', 'y', 'z', context]),
            ('model.sale.sale.search', ['x', 'y', 'z', 'w', context]),
            ('model.sale.sale.search_read', [[], 0, huge, None, ['id'],
                    context]),
            ('model.sale.sale.search_read', [[], -1, -1, [['x', 'y']],
                    ['id'], context]),
            ('model.sale.sale.search_count', [[['id', '>', huge]], 0, None,
                    context]),
            ('model.sale.sale.write', [[huge], {'x': 1}, context]),
            ('model.sale.sale.write', [['x'], {'reference': 'y'}, context]),
            ('model.sale.sale.create', [[{'party': 'x'}], context]),
            ('model.sale.sale.create', [['x'], context]),
            ('model.sale.sale.delete', [['x'], context]),
            ('model.sale.sale.delete', [[huge], context]),
            ('model.sale.sale.quote', [[huge], context]),
            ('model.sale.sale.read', [[1], ['id'], dict(context,
                        company='x', _datetime='x', active_test='x')]),
            ('model.sale.sale.read', [[1], ['id'], dict(context,
                        language=5, locations=['x'])]),
            ('model.res.user.get_preferences', ['x', 'y']),
            ('model.res.user.set_preferences', [{'language': huge},
                    context]),
            ('model.sale.sale.fields_view_get', ['x', 'y', context]),
            ('model.sale.sale.default_get', [5, False, context]),
            ('model.sale.sale.on_change_with', [{'id': 'x'}, ['x'],
                    context]),
            ('wizard.sale.return_sale.create', [5, 6, 7]),
            ('wizard.sale.return_sale.execute', [huge, {}, 'x', context]),
            ('model.nothing.here.read', [[1], ['id'], context]),
            ]
        failures = []
        for method, params in calls:
            description = '%s %r' % (method, params)
            response = office.client.post(office.url, json={
                    'id': 1, 'method': method, 'params': params},
                headers=office.headers)
            try:
                self.assertLess(response.status_code, 500, description)
                if response.status_code != 200:
                    continue
                body = json.loads(response.data)
                error = body.get('error')
                if not error:
                    continue
                if error[0] in TRYTON_ERRORS:
                    # Tryton's message for the user: no Python text in it
                    self.assertIsNone(LEAKS.search(json.dumps(error[1])),
                        '%s: %s' % (description, error))
                else:
                    self.assertIn(error[0], GENERIC_ERRORS, description)
                    self.assertEqual(error[1:], [''], description)
            except AssertionError as failure:
                failures.append('%s\n%s' % (failure,
                        response.data[-600:].decode('utf-8', 'replace')))
        self.assertFalse(failures, '%s of %s calls failed:\n%s' % (
                len(failures), len(calls), '\n\n'.join(failures)))
        # the errors meant for the user still reach the client
        response = office.client.post(office.url, json={'id': 1,
                'method': 'model.sale.sale.create', 'params': [[{}],
                    context]}, headers=office.headers)
        error = json.loads(response.data)['error']
        self.assertEqual(error[0], 'UserError')
        self.assertTrue(error[1][0])
