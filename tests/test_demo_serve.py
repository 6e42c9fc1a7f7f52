"""`make demo`'s server as the Makefile starts it (`python -m
urbantherapy.demo.serve`), on the demo database: it links the demo till
and Ankorstore account to the emulators, publishes the stock to Ankorstore,
starts trytond with demo.conf and serves every channel; SIGTERM stops it
and its emulated services.

The other demo tests wire the same pieces inside the test process; this
one is the only one to run the command a newcomer runs (its start-up once
failed while every other test passed)."""
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import requests

from trytond.tests.test_tryton import DB_NAME, drop_db

from urbantherapy.ports import free_port
from urbantherapy.testing import activate_demo

ROOT = pathlib.Path(__file__).resolve().parent.parent


def demo_config(directory):
    """config/demo.conf on the test's PostgreSQL (its values win over the
    environment: the database's is the one line changed)"""
    text = (ROOT / 'config' / 'demo.conf').read_text()
    uri = os.environ['TRYTOND_DATABASE__URI']
    assert '\nuri = sqlite://\n' in text
    path = pathlib.Path(directory, 'demo.conf')
    path.write_text(text.replace('\nuri = sqlite://\n', '\nuri = %s\n' % uri))
    return path


class DemoServeTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_demo()

    @classmethod
    def tearDownClass(cls):
        drop_db()
        super().tearDownClass()

    def get(self, url):
        return requests.get(url, timeout=30)

    def test_serves_every_channel_then_stops(self):
        port = free_port(count=2)
        url = 'http://127.0.0.1:%s' % port
        with tempfile.TemporaryDirectory() as directory:
            env = dict(os.environ,
                TRYTOND_CONFIG=str(demo_config(directory)),
                TRYTOND_WEB__LISTEN='127.0.0.1:%s' % port,
                TRYTOND_URBAN__SITE_URL=url)
            env.pop('TRYTOND_DATABASE__URI')
            server = subprocess.Popen([sys.executable, '-m',
                    'urbantherapy.demo.serve', '-d', DB_NAME,
                    '--port', str(port)], cwd=ROOT, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                self.wait_healthy(server, url)
                self.assertEqual(self.get(url + '/').status_code, 200)
                self.assertEqual(
                    self.get(url + '/pro/').status_code, 200)
                self.assertEqual(
                    self.get(url + '/webapp/').status_code, 200)
                products = self.get(url + '/api/v1/products?limit=3')
                self.assertEqual(products.status_code, 200, products.text)
                self.assertTrue(products.json()['items'])
                admin = self.get(url + '/admin/')
                self.assertEqual(admin.status_code, 200)
                # the emulated services' page (outbox, push, till)
                hub = self.get('http://127.0.0.1:%s/' % (port + 1))
                self.assertEqual(hub.status_code, 200)
                # the demo stock went to Ankorstore's emulator at start-up
                pushed, problems = self.ankorstore_stock()
                self.assertGreater(pushed, 0, output_so_far(server))
                self.assertEqual(problems, [])
            finally:
                server.send_signal(signal.SIGTERM)
                try:
                    output, _ = server.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    output, _ = server.communicate()
            self.assertNotIn('Traceback', output)
            self.assertEqual(server.returncode, 0, output)
            # the services stopped with it
            with self.assertRaises(requests.ConnectionError):
                self.get('http://127.0.0.1:%s/' % (port + 1))

    def ankorstore_stock(self):
        "(variants pushed, accounts' errors) of the demo's Ankorstore"
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            Account = pool.get('urban.ankorstore.account')
            Variant = pool.get('urban.ankorstore.variant')
            pushed = Variant.search_count([('pushed_at', '!=', None)])
            return pushed, [a.last_error for a in Account.search([])
                if a.last_error]

    def wait_healthy(self, server, url, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                self.fail("the demo server exited with %s:\n%s"
                    % (server.returncode, server.stdout.read()))
            try:
                if self.get(url + '/health').status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        self.fail("the demo server did not answer /health in %s s:\n%s"
            % (timeout, output_so_far(server)))


def output_so_far(server):
    "What the server printed until now (without waiting for more)"
    os.set_blocking(server.stdout.fileno(), False)
    try:
        return server.stdout.read() or ''
    finally:
        os.set_blocking(server.stdout.fileno(), True)
