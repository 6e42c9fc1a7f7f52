"""The production topology as `make prod-local` runs it (urbantherapy/prod):
two gunicorn web processes, trytond-worker and trytond-cron on one
PostgreSQL database, through the image's entrypoint, behind the local proxy.
What only several processes show: a catalogue edit made through one web
process is served by the other at once (caches invalidated across
processes), queued jobs run in the worker and wait for it, a cron job runs,
a web process killed mid-traffic loses no order."""
import base64
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

import psycopg
import requests

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from tests.fakes.harness import WEBHOOK_SECRET, ApiTestCase, committed
from urbantherapy.emulators.localstripe import LocalStripe
from urbantherapy.prod import database
from urbantherapy.prod.local import ROOT, Topology
from urbantherapy.prod.proxy import free_port

URI = os.environ['TRYTOND_DATABASE__URI']
METRICS_TOKEN = uuid.uuid4().hex


def queued(method):
    "(unfinished, all) tasks of ir.queue calling method"
    with psycopg.connect(database.pg_uri(URI, DB_NAME)) as connection:
        return connection.execute(
            "SELECT count(*) FILTER (WHERE finished_at IS NULL), count(*) "
            "FROM ir_queue WHERE data::text LIKE %s",
            ('%%"%s"%%' % method,)).fetchone()


def task_state(task):
    "(taken, finished, running: a process holds its advisory lock)"
    from urban_catalog.queue import LOCK_CLASS
    with psycopg.connect(database.pg_uri(URI, DB_NAME)) as connection:
        taken, finished = connection.execute(
            'SELECT dequeued_at IS NOT NULL, finished_at IS NOT NULL '
            'FROM ir_queue WHERE id = %s', (task,)).fetchone()
        running, = connection.execute(
            "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' "
            'AND granted AND classid = %s AND objid = %s',
            (LOCK_CLASS, task)).fetchone()
    return taken, finished, running


def wait_for(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)


class EntrypointTestCase(unittest.TestCase):
    "The roles refuse to start without what production needs"

    def role(self, role, command=None, **env):
        environ = {k: v for k, v in os.environ.items()
            if not k.startswith(('STRIPE_', 'TRYTOND_URBAN__STRIPE',
                    'URBAN_ADMIN', 'TRYTONPASSFILE'))}
        environ.update(
            TRYTOND_CONFIG=os.path.join(ROOT, 'config', 'production.conf'),
            URBAN_DATABASE='urban_topology_absent', PYTHONPATH=ROOT,
            TRYTOND_URBAN__DATABASE='urban_topology_absent', **env)
        return subprocess.run((command or [sys.executable, '-m',
                    'urbantherapy.prod']) + [role], env=environ,
            capture_output=True, text=True, timeout=60)

    def test_image_entrypoint_is_the_same(self):
        "docker/entrypoint.sh runs these very roles (no drift)"
        result = self.role('web', command=['sh',
                os.path.join(ROOT, 'docker', 'entrypoint.sh')],
            PATH=os.pathsep.join([os.path.dirname(sys.executable),
                    os.environ['PATH']]))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn('[entrypoint] ERROR: missing secret(s)', result.stderr)

    def test_serving_roles_need_their_secrets(self):
        for role in ['web', 'worker', 'cron']:
            result = self.role(role)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn('STRIPE_SECRET_KEY', result.stderr)
            self.assertIn('STRIPE_WEBHOOK_SECRET', result.stderr)

    def test_postgresql_required(self):
        result = self.role('web', TRYTOND_DATABASE__URI='sqlite://')
        self.assertEqual(result.returncode, 1)
        self.assertIn('TRYTOND_DATABASE__URI=postgresql://', result.stderr)

    def test_initialisation_needs_the_admin_secrets(self):
        "Nothing is created before the secrets are checked"
        result = self.role('migrate')
        self.assertEqual(result.returncode, 1)
        self.assertIn('URBAN_ADMIN_EMAIL is required', result.stderr)
        result = self.role('migrate', URBAN_ADMIN_EMAIL='a@example.com')
        self.assertEqual(result.returncode, 1)
        self.assertIn('TRYTONPASSFILE', result.stderr)
        self.assertFalse(database.exists(URI, 'urban_topology_absent'))

    def test_migrate_prepares_the_database(self):
        "created UTF8 with its extensions and the production settings"
        name = 'urban_topology_%s' % uuid.uuid4().hex[:8]
        try:
            self.assertTrue(database.prepare(URI, name, log=lambda m: None))
            self.assertFalse(database.prepare(URI, name, log=lambda m: None))
            settings = database.settings(URI, name)
            self.assertEqual(settings['jit'], 'off')
            self.assertEqual(settings['random_page_cost'], '1.1')
            self.assertEqual(settings['work_mem'], '16MB')
            self.assertEqual(settings['synchronous_commit'], 'on')
            with database.connect(URI, name) as connection:
                self.assertEqual({r[0] for r in connection.execute(
                                'SELECT extname FROM pg_extension')},
                    {'plpgsql', 'unaccent', 'pg_trgm'})
                self.assertEqual(connection.execute(
                        'SHOW server_encoding').fetchone()[0], 'UTF8')
        finally:
            with database.connect(URI, 'postgres') as connection:
                connection.execute(
                    'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


class BackOffice:
    "sao's JSON-RPC against one web process"

    def __init__(self, url, login, password):
        self.url = '%s/admin/%s/rpc/' % (url, DB_NAME)
        self.session = requests.Session()
        user_id, session, _ = self.call('common.db.login', login,
            {'password': password}, 'en')
        token = base64.b64encode(
            ('%s:%s:%s' % (login, user_id, session)).encode()).decode()
        self.session.headers['Authorization'] = 'Session ' + token
        self.context = self.call('model.res.user.get_preferences', True, {})

    def call(self, method, *params, headers=None):
        response = self.session.post(self.url, json={
                'id': 1, 'method': method, 'params': list(params)},
            headers=headers, timeout=60)
        response.raise_for_status()
        body = response.json()
        assert not body.get('error'), body
        return body['result']


class ProductionTopologyTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        started = time.monotonic()
        cls.password = uuid.uuid4().hex

        def prepare():
            pool = Pool()
            User = pool.get('res.user')
            Cron = pool.get('ir.cron')
            admin, = User.search([('login', '=', 'admin')])
            User.write([admin], {'password': cls.password})
            # only what the test schedules runs (cron below), and only the
            # tasks it queues (the demo's loader left its own behind)
            Cron.write(Cron.search([]), {'next_call':
                    dt.datetime.now() + dt.timedelta(days=1)})
            Queue = pool.get('ir.queue')
            Queue.delete(Queue.search([]))
        committed(prepare)
        # what `migrate` does to the database before trytond-admin
        database.prepare(URI, DB_NAME, log=lambda m: None)
        cls.stripe = LocalStripe().start()
        cls.logs = tempfile.TemporaryDirectory()
        environ = dict(os.environ,
            URBAN_DATABASE=DB_NAME,
            TRYTOND_DATABASE_NAMES=DB_NAME,
            TRYTOND_URBAN__DATABASE=DB_NAME,
            TRYTOND_DATABASE__PATH=os.path.join(cls.logs.name, 'filestore'),
            STRIPE_SECRET_KEY='sk_test_local',
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            TRYTOND_URBAN__STRIPE_API_BASE=cls.stripe.url,
            # the per-process micro-cache of anonymous catalogue pages
            # (5 s) is another matter: what is shown here is Tryton's caches
            TRYTOND_URBAN__API_CACHE_TTL='0',
            TRYTOND_URBAN__METRICS_TOKEN=METRICS_TOKEN)
        environ.pop('TRYTOND_CONFIG', None)
        cls.topology = Topology(web_processes=2, port=free_port(count=3),
            environ=environ, log_dir=cls.logs.name)
        try:
            # cron starts in the test, once it has something to do
            cls.topology.up(migrate=False, roles=('worker',))
        except Exception:
            cls.topology.down()
            print(cls.output())
            raise
        cls.boot_seconds = time.monotonic() - started

    @classmethod
    def tearDownClass(cls):
        cls.topology.down()
        cls.stripe.stop()
        cls.logs.cleanup()
        super().tearDownClass()

    @classmethod
    def output(cls):
        texts = []
        for name in sorted(os.listdir(cls.logs.name)):
            if name.endswith('.log'):
                with open(os.path.join(cls.logs.name, name)) as f:
                    texts.append('--- %s\n%s' % (name, f.read()[-3000:]))
        return '\n'.join(texts)

    @classmethod
    def log_lines(cls, name):
        "The JSON lines of process name's log (its other lines are skipped)"
        lines = []
        with open(os.path.join(cls.logs.name, name + '.log')) as f:
            for line in f:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict):
                    lines.append(entry)
        return lines

    def product_name(self, web, template_id):
        response = requests.get('%s/api/v1/products/%s' % (
                self.topology.web_url(web), template_id),
            headers={'Accept-Language': 'en'}, timeout=30)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()['name']

    def published_template(self):
        response = requests.get(self.topology.url + '/api/v1/products',
            headers={'Accept-Language': 'en'}, timeout=30)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()['items'][0]['id']

    def post_until_answered(self, url, headers, body, attempts=5):
        """What a client does with its Idempotency-Key: post again until
        an answer comes (a 502 of the proxy or a broken connection mean
        nothing is known)"""
        for attempt in range(attempts):
            try:
                response = requests.post(url, headers=headers, json=body,
                    timeout=60)
            except requests.ConnectionError:
                response = None
            if response is not None and response.status_code != 502:
                return response
            time.sleep(0.5 * 2 ** attempt)
        return response

    def step(self, name):
        now = time.monotonic()
        self.steps.append((name, now - self.last))
        self.last = now

    def test_topology(self):
        self.steps, self.last = [], time.monotonic()
        try:
            self.scenario()
        except BaseException:
            print(self.output())
            raise
        finally:
            print("\ntopology boot %.1f s; %s" % (self.boot_seconds,
                    ', '.join('%s %.1f s' % s for s in self.steps)))

    def scenario(self):
        topology = self.topology
        # every new connection gets the production settings
        self.assertEqual(database.settings(URI, DB_NAME)['jit'], 'off')

        # -- a catalogue edit through web 0 is served by web 1 at once, and
        # the documents it queues wait for a worker, then are done by it
        template = self.published_template()
        before = self.product_name(1, template)  # now in web 1's cache
        self.assertEqual(self.product_name(1, template), before)
        topology.kill('worker')
        office = BackOffice(topology.web_url(0), 'admin', self.password)
        renamed = 'Renamed %s' % uuid.uuid4().hex[:6]
        request_id = 'rename-%s' % uuid.uuid4().hex
        office.call('model.product.template.write', [template],
            {'name': renamed}, office.context,
            headers={'X-Request-Id': request_id})
        self.assertEqual(self.product_name(1, template), renamed)
        self.assertEqual(self.product_name(0, template), renamed)
        time.sleep(1)
        unfinished, total = queued('build_api_documents')
        self.assertGreaterEqual(total, 1)
        self.assertEqual(unfinished, total, "run by a web process")
        topology.start('worker')
        self.step('cache')
        wait_for(lambda: queued('build_api_documents')[0] == 0, 60,
            "the worker did not run the queued documents")
        self.step('worker')

        # -- JSON logs: the rename's request id is in web 0's lines of the
        # request and in the worker's lines of the task it queued
        web_lines = [l for l in self.log_lines('web-0')
            if l.get('request_id') == request_id]
        self.assertIn(('urbantherapy.access', 'POST', 200),
            [(l['logger'], l.get('method'), l.get('status'))
                for l in web_lines])
        self.assertIn('trytond.protocols.dispatcher',
            {l['logger'] for l in web_lines})
        task_lines = [l for l in self.log_lines('worker')
            if l.get('request_id') == request_id]
        self.assertTrue(any(l['message'].endswith(
                    'product.template.build_api_documents started')
                for l in task_lines), task_lines)
        self.assertTrue(any(' done in ' in l['message']
                for l in task_lines), task_lines)
        self.assertEqual({l.get('db') for l in task_lines}, {DB_NAME})
        # every answer names its request id, the client's or a new one
        response = requests.get(topology.url + '/health', timeout=30)
        self.assertRegex(response.headers['X-Request-Id'], r'^[0-9a-f]{32}$')

        # -- the worker dies mid-task: the task is done when one is back
        blocker = psycopg.connect(database.pg_uri(URI, DB_NAME))
        try:
            blocker.execute('LOCK TABLE urban_api_product_document '
                'IN ACCESS EXCLUSIVE MODE')
            with Transaction().start(DB_NAME, 0) as transaction:
                Template = Pool().get('product.template')
                Template.__queue__.build_api_documents(
                    Template.browse([template]))
                task, = transaction.tasks  # run by the worker, not here
                transaction.tasks.clear()
                transaction.commit()
            wait_for(lambda: task_state(task)[2], 30,
                "the worker did not start the task")
            topology.kill('worker')
        finally:
            blocker.rollback()
            blocker.close()
        # the killed worker's connection ends once its query returns
        wait_for(lambda: not task_state(task)[2], 30,
            "the killed worker's task still runs")
        self.assertEqual(task_state(task), (True, False, False))
        with psycopg.connect(database.pg_uri(URI, DB_NAME)) as connection:
            # as if it had been taken longer ago than the grace period
            connection.execute("UPDATE ir_queue SET dequeued_at = "
                "dequeued_at - interval '1 hour' WHERE id = %s", (task,))
        topology.start('worker')
        wait_for(lambda: task_state(task)[1], 60,
            "the task of the killed worker was never done")
        self.step('worker killed')

        # -- web 0 dies mid-traffic: web 1 serves, no order is lost or doubled
        user_id, auth = self.new_user()
        product, shop, _ = self.in_stock()
        response = requests.post(topology.web_url(0) + '/api/v1/cart/lines',
            headers=auth, json={'product_id': product, 'quantity': 1},
            timeout=30)
        self.assertEqual(response.status_code, 201, response.text)
        key = uuid.uuid4().hex
        body = {'mode': 'click_collect', 'shop': shop,
            'phone': '0470 12 34 56'}
        headers = dict(auth, **{'Idempotency-Key': key})
        placed = requests.post(topology.web_url(0) + '/api/v1/checkout',
            headers=headers, json=body, timeout=60)
        self.assertEqual(placed.status_code, 201, placed.text)
        order = placed.json()['order']['id']

        served, failed, stop = [], [], threading.Event()

        def browse():
            while not stop.is_set():
                try:
                    response = requests.get(
                        topology.url + '/api/v1/products/%s' % template,
                        timeout=30)
                except requests.RequestException as error:
                    failed.append(error)
                    continue
                (served if response.status_code == 200
                    else failed).append(response.status_code)
        browsers = [threading.Thread(target=browse) for _ in range(4)]
        for thread in browsers:
            thread.start()
        try:
            wait_for(lambda: len(served) >= 10, 30, "no traffic served")
            topology.kill('web-0')
            # the client never saw its answer: it retries through the proxy
            retried = self.post_until_answered(
                topology.url + '/api/v1/checkout', headers, body)
            after = len(served)
            wait_for(lambda: len(served) >= after + 10, 30,
                "web 1 stopped serving")
        finally:
            stop.set()
            for thread in browsers:
                thread.join()
        self.assertEqual(retried.status_code, 201, retried.text)
        self.assertEqual(retried.headers.get('Idempotent-Replayed'), 'true')
        self.assertEqual(retried.json()['order']['id'], order)
        orders = requests.get(topology.url + '/api/v1/orders', headers=auth,
            timeout=30).json()['items']
        self.assertEqual([o['id'] for o in orders], [order])
        # GETs in flight on web 0 when it died are retried on web 1
        self.assertEqual(failed, [])
        self.step('kill web')

        # -- cron: the unpaid order's hold expires, trytond-cron releases it
        def expire():
            pool = Pool()
            Reservation = pool.get('urban.stock.reservation')
            Cron = pool.get('ir.cron')
            held, = Reservation.search(
                [('origin', '=', 'sale.sale,%d' % order)])
            Reservation.write([held], {
                    'expires_at': dt.datetime.now() - dt.timedelta(minutes=1)})
            Cron.write(Cron.search([('method', '=',
                            'urban.stock.reservation|release_expired')]),
                {'next_call': dt.datetime.now() - dt.timedelta(minutes=1)})
            return held.id
        held = committed(expire)
        topology.start('cron')

        def released():
            with Transaction().start(DB_NAME, 0, readonly=True):
                Reservation = Pool().get('urban.stock.reservation')
                return Reservation(held).state == 'released'
        wait_for(released, 60, "trytond-cron did not release the hold")
        self.step('cron')
        self.assertEqual(topology.exited(), {})

        # -- what web 1 served, in its metrics
        metrics = requests.get(topology.web_url(1) + '/metrics', headers={
                'Authorization': 'Bearer ' + METRICS_TOKEN}, timeout=30)
        self.assertEqual(metrics.status_code, 200, metrics.text)
        self.assertIn('urban_http_requests_total{group="api",method="GET",'
            'status="2xx"}', metrics.text)
        self.assertIn('urban_queue_tasks_taken', metrics.text)
