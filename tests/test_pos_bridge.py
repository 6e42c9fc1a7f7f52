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

from urbantherapy.emulators import pos as fake_pos

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
        """Webhook over HTTP: stored, applied after commit, idempotent,
        401/400/404"""
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

    def test_3_unsigned_webhook_only_polls(self):
        """Signature check off: a forged sale over HTTP is answered 202 and
        not applied; the poll it queues (run after the commit) asks the
        till, which sold nothing"""
        def switch(value):
            with Transaction().start(DB_NAME, 0) as transaction:
                Account = Pool().get('urban.pos.account')
                Account.write([Account(self.account)],
                    {'signature_check': value})
                transaction.commit()
        switch(False)
        self.addCleanup(switch, True)
        before, sales_before, events_before = self.figures()
        polls = len(self.lsx.calls('GET', '/api/2.0/sales'))
        response = self.post(LSX + '09_sale_update_bad_signature'
            '.webhook.json')
        self.assertEqual(response.status_code, 202, response.data)
        self.assertEqual(json.loads(response.data),
            {'stored': 0, 'received': 0, 'poll': True})
        after, sales_after, events = self.figures()
        self.assertEqual(after, before)
        self.assertEqual(sales_after, sales_before)
        self.assertFalse([k for k in events if k not in events_before
                and k.startswith('lightspeed_x:sale:')])
        self.assertGreater(len(self.lsx.calls('GET', '/api/2.0/sales')),
            polls)

    def run_tasks(self):
        "What the dispatcher and the cron do after their commit"
        from trytond.worker import run_task
        transaction = Transaction()
        while transaction.tasks:
            run_task(DB_NAME, transaction.tasks.pop())

    def _polled_sale(self, number, method):
        """A sale rung up on the till that no webhook announced, then
        method(Account, account) in a committed transaction"""
        before, sales_before, _ = self.figures()
        sale = dict(fake_pos.lsx_sales()[0], id='sale-polled-%s' % number,
            invoice_number='GNT-P%s' % number, version=None)
        self.lsx.ring_up(sale)
        with Transaction().start(DB_NAME, 0,
                context={'company': self.company}) as transaction:
            Account = Pool().get('urban.pos.account')
            method(Account, Account(self.account))
            transaction.commit()
        self.run_tasks()
        after, sales_after, events = self.figures()
        self.assertEqual(sales_after, sales_before + 1)
        self.assertEqual(after['UT-MUG-SAGE-350'],
            before['UT-MUG-SAGE-350'] - 2)
        self.assertNotIn('pending', set(events.values()))

    def test_4_poll_now_applied_at_commit(self):
        "Poll Now: what it fetched is applied as soon as its poll commits"
        self._polled_sale(1, lambda Account, a: Account.poll([a]))
        # a second Poll Now does the same (no wait on a lock)
        start = time.monotonic()
        self._polled_sale(2, lambda Account, a: Account.poll([a]))
        self.assertLess(time.monotonic() - start, 30)

    def test_5_cron_poll_applied_at_commit(self):
        "The cron's poll: applied after its commit, not one cycle later"
        self._polled_sale(3, lambda Account, a: Account.cron_poll())

    def test_6_requested_poll_applied(self):
        "A poll asked by an unsigned delivery: applied after its commit"
        self._polled_sale(4,
            lambda Account, a: Account.poll_requested([a]))
