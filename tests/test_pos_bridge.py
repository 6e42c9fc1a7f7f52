"""POS bridge end to end: the webhook route over HTTP (committed database,
queued job run after commit) and a trytond-worker killed mid-job."""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

import psycopg
from trytond.config import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import URBAN_MODULES, activate_module

from tests import fake_pos

LSX = 'lightspeed_x/'


def pg_uri(dbname):
    return os.environ['TRYTOND_DATABASE__URI'].rstrip('/') + '/' + dbname


class PosBridgeEndToEndTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)
        cls.lsx = fake_pos.FakeLightspeedX()
        from trytond.modules.company.tests import create_company
        from urban_pos_bridge.tests.tools import (
            create_account, setup_business)
        with Transaction().start(DB_NAME, 0) as transaction:
            company = create_company()
            with Transaction().set_context(company=company.id):
                shops, products = setup_business(company)
                account = create_account('lightspeed_x', cls.lsx.url, shops,
                    company)
            cls.company = company.id
            cls.account = account.id
            cls.gent = shops['gent'].id
            cls.products = {k: p.id for k, p in products.items()}
            transaction.commit()

    @classmethod
    def tearDownClass(cls):
        cls.lsx.stop()
        drop_db()

    def client(self):
        return Client(app, Response)

    def post(self, name, body=None):
        path, headers, raw = fake_pos.webhook(name)
        return self.client().post(path, data=body if body is not None
            else raw, headers=headers)

    def figures(self):
        from urban_stock import availability
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            PosSale = pool.get('urban.pos.sale')
            Event = pool.get('urban.pos.event')
            figures = availability.for_products(
                list(self.products.values()), [self.gent])
            return ({sku: figures.on_hand.get((pid, self.gent), 0)
                    for sku, pid in self.products.items()},
                len(PosSale.search([])),
                {e.dedupe_key: e.state for e in Event.search([])})

    def test_1_webhook_route(self):
        "Webhook over HTTP: stored, applied after commit, idempotent, 401/400/404"
        response = self.post(LSX + '01_sale_update_closed_two_lines'
            '.webhook.json')
        self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(json.loads(response.data)['stored'], 1)
        levels, sales, _ = self.figures()
        self.assertEqual(levels['UT-MUG-SAGE-350'], 6)
        self.assertEqual(levels['UT-CNDL-FIG-200'], 11)
        self.assertEqual(sales, 1)
        # the till delivers it again
        response = self.post(LSX + '01_sale_update_closed_two_lines'
            '.webhook.json')
        self.assertEqual(json.loads(response.data)['stored'], 0)
        self.assertEqual(self.figures()[0]['UT-MUG-SAGE-350'], 6)
        # tampered body
        response = self.post(LSX + '09_sale_update_bad_signature'
            '.webhook.json')
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.headers['Content-Type'],
            'application/problem+json')
        # signed but unreadable
        import hashlib
        import hmac
        body = b'payload=not-json'
        signature = hmac.new(fake_pos.LSX_SECRET.encode(), body,
            hashlib.sha256).hexdigest()
        response = self.client().post(
            '/webhooks/pos/lightspeed_x?topic=sale.update', data=body,
            headers={'Content-Type': 'application/x-www-form-urlencoded',
                'X-Signature': 'signature=%s, algorithm=HMAC-SHA256'
                % signature})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.headers['Content-Type'],
            'application/problem+json')
        response = self.client().post('/webhooks/pos/unknown', data=b'{}')
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.figures()[0]['UT-MUG-SAGE-350'], 6)

    def test_2_killed_worker(self):
        """trytond-worker killed while applying: nothing applied, the event
        stays pending; the cron's pass applies it exactly once"""
        before, sales_before, _ = self.figures()
        config.set('queue', 'worker', 'True')
        try:
            response = self.post(LSX + '02_sale_update_return_one_mug'
                '.webhook.json')
        finally:
            config.set('queue', 'worker', 'False')
        self.assertEqual(response.status_code, 200)
        key = 'lightspeed_x:sale:0242ac12-0002-11ee-e1a0-7a3c2b1d5002:' \
            '9184012290'
        self.assertEqual(self.figures()[2][key], 'pending')
        blocker = psycopg.connect(pg_uri(DB_NAME))
        # the job writes the sale, its lines and moves, then blocks here
        blocker.execute('LOCK TABLE urban_pos_stock_level IN SHARE MODE')
        env = dict(os.environ, TRYTOND_QUEUE__WORKER='True')
        worker = subprocess.Popen([os.path.join(os.path.dirname(
                        sys.executable), 'trytond-worker'), '-d', DB_NAME,
                '-n', '1'], env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            waiting = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not waiting:
                with psycopg.connect(pg_uri('postgres'),
                        autocommit=True) as conn:
                    row = conn.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                        "AND wait_event_type = 'Lock' "
                        "AND query ILIKE '%%urban_pos_stock_level%%'",
                        (DB_NAME,)).fetchone()
                waiting = row[0] if row else None
                time.sleep(0.2)
            self.assertTrue(waiting, "the worker never reached the lock")
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        with psycopg.connect(pg_uri('postgres'), autocommit=True) as conn:
            # the dead client's session ends (PostgreSQL would notice it
            # at its next read; do it now)
            conn.execute('SELECT pg_terminate_backend(%s)', (waiting,))
        blocker.rollback()
        blocker.close()
        after, sales_after, events = self.figures()
        self.assertEqual(after, before)
        self.assertEqual(sales_after, sales_before)
        self.assertEqual(events[key], 'pending')
        # the cron's pass over the inbox (what a killed worker left)
        with Transaction().start(DB_NAME, 0) as transaction:
            Account = Pool().get('urban.pos.account')
            Account.process_inbox([Account(self.account)])
            Account.process_inbox([Account(self.account)])
            transaction.commit()
        after, sales_after, events = self.figures()
        self.assertEqual(events[key], 'done')
        self.assertEqual(sales_after, sales_before + 1)
        self.assertEqual(after['UT-MUG-SAGE-350'],
            before['UT-MUG-SAGE-350'] + 1)
