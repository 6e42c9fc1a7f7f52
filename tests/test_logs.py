"""Structured logs (urbantherapy/logs.py): every request's id comes back in
X-Request-Id (the client's when it is a sane token), every JSON line logged
while handling it carries it, and a task queued during the request carries
it into the lines of its run, wherever that runs. The worker of the real
topology: tests/test_prod_topology.py."""
import io
import json
import logging
import logging.config
import os
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy import logs
from urbantherapy.prod import entrypoint
from urbantherapy.prod.local import ROOT
from urbantherapy.testing import ActivatedTestCase
from urbantherapy.wsgi import PlatformMiddleware


class captured:
    "JSON lines logged (at INFO and above) inside the block, as dicts"

    def __enter__(self):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(logs.JsonFormatter())
        root = logging.getLogger()
        self.level = root.level
        root.addHandler(self.handler)
        root.setLevel(logging.INFO)
        return self

    def __exit__(self, *exc):
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.setLevel(self.level)

    @property
    def lines(self):
        return [json.loads(line)
            for line in self.stream.getvalue().splitlines()]


class FormatterTestCase(unittest.TestCase):

    def test_json_line(self):
        with captured() as logged, logs.bound('req-1'):
            logging.getLogger('urban.test').warning(
                "a %s line", 'warning', extra={'order': 42})
            try:
                raise ValueError("broken")
            except ValueError:
                logging.getLogger('urban.test').exception("failed")
        first, second = logged.lines
        self.assertEqual(first['level'], 'WARNING')
        self.assertEqual(first['logger'], 'urban.test')
        self.assertEqual(first['message'], "a warning line")
        self.assertEqual(first['request_id'], 'req-1')
        self.assertEqual(first['order'], 42)
        self.assertRegex(first['time'],
            r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$')
        self.assertNotIn('db', first)
        self.assertIn('ValueError: broken', second['exception'])
        self.assertEqual(len(logged.stream.getvalue().splitlines()), 2)

    def test_sane_request_ids(self):
        for value in ['abc', 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
                'Root=1-67891233-abcdef012345678912345678']:
            self.assertEqual(logs.sane(value), value)
        for value in [None, '', 'a b', 'a"b', 'x\ny', '-leading',
                'é', 'a' * 129]:
            self.assertIsNone(logs.sane(value))

    def test_production_logging_configuration(self):
        "The entrypoint's default: JSON lines through the shipped file"
        environ = entrypoint.setup_environment({
                'TRYTOND_CONFIG': os.path.join(
                    ROOT, 'config', 'production.conf')})
        self.assertEqual(environ['URBAN_LOG_FORMAT'], 'json')
        path = environ['TRYTOND_LOGGING_CONFIG']
        self.assertEqual(path,
            os.path.join(ROOT, 'config', 'logging-json.conf'))
        import configparser
        parser = configparser.ConfigParser()
        self.assertEqual(parser.read(path), [path])
        self.assertEqual(parser.get('formatter_json', 'class'),
            'urbantherapy.logs.JsonFormatter')
        text = entrypoint.setup_environment({
                'TRYTOND_CONFIG': '/srv/urban/config/production.conf',
                'URBAN_LOG_FORMAT': 'text'})
        self.assertNotIn('TRYTOND_LOGGING_CONFIG', text)
        with self.assertRaises(entrypoint.ConfigurationError):
            entrypoint.setup_environment({
                    'TRYTOND_CONFIG': '/srv/urban/config/production.conf',
                    'URBAN_LOG_FORMAT': 'xml'})


class RequestIdTestCase(ActivatedTestCase):

    def client(self):
        return Client(logs.RequestIdMiddleware(PlatformMiddleware(app)),
            Response)

    def get(self, path, **headers):
        with captured() as logged:
            response = self.client().get(path, headers=headers,
                buffered=True)
        return response, logged.lines

    def test_database_and_user_of_the_transaction(self):
        with captured() as logged:
            with Transaction().start(DB_NAME, 0, readonly=True):
                logging.getLogger('urban.test').info("inside")
            logging.getLogger('urban.test').info("outside")
        inside, outside = logged.lines
        self.assertEqual((inside['db'], inside['user']), (DB_NAME, 0))
        self.assertIsNone(inside['request_id'])
        self.assertNotIn('db', outside)

    def test_request_id_header_and_lines(self):
        response, lines = self.get('/health',
            **{'X-Request-Id': 'client-id.42'})
        self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(response.headers['X-Request-Id'], 'client-id.42')
        access = [l for l in lines if l['logger'] == 'urbantherapy.access']
        self.assertEqual(len(access), 1, lines)
        self.assertEqual(access[0]['request_id'], 'client-id.42')
        self.assertEqual((access[0]['method'], access[0]['path'],
                access[0]['status']), ('GET', '/health', 200))
        self.assertEqual({l['request_id'] for l in lines}, {'client-id.42'})
        self.assertIsNone(logs.current())

    def test_generated_request_id(self):
        ids = set()
        for header in [{}, {'X-Request-Id': 'bad id {"level":"x"}'}]:
            response, lines = self.get('/health', **header)
            request_id = response.headers['X-Request-Id']
            self.assertRegex(request_id, r'^[0-9a-f]{32}$')
            self.assertEqual({l['request_id'] for l in lines}, {request_id})
            ids.add(request_id)
        self.assertEqual(len(ids), 2)

    def test_errors_carry_the_request_id(self):
        "an application's exception is logged with the id, then answered"
        def broken(environ, start_response):
            logging.getLogger('urban.test').error("about to fail")
            raise RuntimeError("boom")
        client = Client(logs.RequestIdMiddleware(broken), Response)
        with captured() as logged, self.assertRaises(RuntimeError):
            client.get('/x', headers={'X-Request-Id': 'err-1'})
        self.assertEqual([(l['logger'], l['request_id'])
                for l in logged.lines],
            [('urban.test', 'err-1'), ('urbantherapy.access', 'err-1')])
        self.assertIsNone(logs.current())

    def test_queued_task_carries_the_request_id(self):
        """A task queued while a request is handled stores its id; the
        lines of its run carry it even where no request is (a worker)"""
        from trytond.worker import run_task
        with logs.bound('queued-7'):
            with Transaction().start(DB_NAME, 0) as transaction:
                pool = Pool()
                Template = pool.get('product.template')
                Uom = pool.get('product.uom')
                unit, = Uom.search([('symbol', '=', 'u')])
                template, = Template.create([{'name': "Logged",
                            'default_uom': unit.id}])
                transaction.tasks.clear()
                Template.__queue__.build_api_documents([template])
                task, = transaction.tasks
                transaction.tasks.clear()
                transaction.commit()
        self.assertIsNone(logs.current())
        with Transaction().start(DB_NAME, 0, readonly=True):
            Queue = Pool().get('ir.queue')
            self.assertEqual(Queue(task).data['context']['request_id'],
                'queued-7')
        with captured() as logged:
            run_task(DB_NAME, task)
        lines = [l for l in logged.lines if l.get('task') == task]
        self.assertEqual(len(lines), 2, logged.lines)
        self.assertTrue(lines[0]['message'].endswith(
                'product.template.build_api_documents started'))
        self.assertIn(' done in ', lines[1]['message'])
        self.assertEqual({l['request_id'] for l in lines}, {'queued-7'})
        self.assertEqual({l['db'] for l in lines}, {DB_NAME})
        self.assertIsNone(logs.current())
        with Transaction().start(DB_NAME, 0, readonly=True):
            self.assertIsNotNone(Pool().get('ir.queue')(task).finished_at)
