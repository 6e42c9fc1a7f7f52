"""Upgrade from the previous release: its own code (PREVIOUS_RELEASE, taken
from git) builds the demo database, as its tests do, on PostgreSQL; this
code's `migrate` (the production entrypoint: trytond-admin --all -u ... -l
fr nl) updates it; every order, line, invoice, stock move, reservation and
customer is still there, unchanged, and a web process serves the shop.

PREVIOUS_RELEASE is the last commit of main before this code: move it to
main's head when a release lands (URBAN_UPGRADE_FROM overrides it). The
previous release's demo database is cached as a template named by its
code's fingerprint, like the test databases (conftest.py), so only the
first run builds it.

Not in `make test`: `make test-upgrade` runs it (URBAN_TEST_UPGRADE=1).
Measured on this 2-core machine: 89 s with the previous release's template
cached (its database 4 s, migrate 80 s, serving 4 s); a cold build of the
previous release's demo took 525 s more (the demo loader, measured while
another build ran), which would take CI past its 30 minutes."""
import os
import subprocess
import sys
import tempfile
import time
import unittest

import psycopg
import requests

from urbantherapy.prod import database
from urbantherapy.prod.local import ROOT, Topology
from urbantherapy.prod.proxy import free_port

PREVIOUS_RELEASE = os.environ.get('URBAN_UPGRADE_FROM',
    '21c44cf11ed56413668681419d634c35600d41dd')
URI = os.environ['TRYTOND_DATABASE__URI']

# What must survive, row by row: (table, columns), ordered by id
KEPT = [
    ('party_party', 'id, name, code, active'),
    ('sale_sale', 'id, number, reference, state, party, sale_date, '
        'total_amount_cache, warehouse'),
    ('sale_line', 'id, sale, product, quantity, unit_price, type'),
    ('account_invoice', 'id, number, type, state, party, invoice_date, '
        'total_amount_cache'),
    ('stock_move', 'id, product, quantity, from_location, to_location, '
        'state, effective_date, origin'),
    ('stock_shipment_out', 'id, number, state, customer, warehouse'),
    ('urban_stock_reservation', 'id, product, quantity, state, origin'),
    ('product_template', 'id, name, code, active'),
    ('product_product', 'id, template, code, active'),
    ]

# Run by the previous release's Python code, from its checkout: its test
# set-up (conftest.py names the database and the template cache) and its
# demo database; prints the database's name.
BUILD = '''
import conftest
conftest.name_templates_by_fingerprint()
from trytond.tests.test_tryton import DB_NAME
from urbantherapy.testing import activate_demo
activate_demo()
print("DATABASE=" + DB_NAME)
'''


def snapshot(name):
    "{table: (row count, md5 of its KEPT columns in id order)}"
    figures = {}
    with psycopg.connect(database.pg_uri(URI, name)) as connection:
        for table, columns in KEPT:
            figures[table] = connection.execute(
                'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' '
                'ORDER BY t.id), \'\')) FROM (SELECT %s FROM "%s") t'
                % (columns, table)).fetchone()
        figures['stock by location'] = connection.execute(
            "SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY "
            "r.product, r.to_location), '')) FROM (SELECT product, "
            "to_location, sum(quantity) FROM stock_move WHERE state = 'done' "
            "GROUP BY product, to_location) r").fetchone()
    return figures


@unittest.skipUnless(os.environ.get('URBAN_TEST_UPGRADE') == '1',
    "make test-upgrade (URBAN_TEST_UPGRADE=1)")
class UpgradeTestCase(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.steps = []
        self.started = time.monotonic()

    def step(self, name):
        now = time.monotonic()
        self.steps.append('%s %.0f s' % (name, now - self.started))
        self.started = now

    def previous_release(self):
        "A checkout of PREVIOUS_RELEASE (git archive: no worktree)"
        checkout = os.path.join(self.tmp.name, 'previous')
        os.makedirs(checkout)
        archive = subprocess.run(['git', '-C', ROOT, 'archive',
                '--format=tar', PREVIOUS_RELEASE], capture_output=True)
        self.assertEqual(archive.returncode, 0, "the previous release %s "
            "is not in this clone's history (a shallow clone?): %s" % (
                PREVIOUS_RELEASE, archive.stderr.decode()))
        subprocess.run(['tar', '-x', '-C', checkout], input=archive.stdout,
            check=True)
        return checkout

    def build_previous(self, checkout):
        "The previous release's demo database, made by its code"
        environ = {k: v for k, v in os.environ.items()
            if not k.startswith(('DB_NAME', 'PYTEST_', 'TRYTOND_URBAN__'))}
        environ.pop('TRYTOND_CONFIG', None)
        # its modules, its urbantherapy, its conftest (PYTHONPATH wins over
        # the editable install of this code)
        environ.update(PYTHONPATH=checkout, DB_CACHE='postgresql://',
            TRYTOND_DATABASE__URI=URI)
        result = subprocess.run([sys.executable, '-c', BUILD], cwd=checkout,
            env=environ, capture_output=True, text=True, timeout=1800)
        self.assertEqual(result.returncode, 0,
            result.stdout[-3000:] + result.stderr[-5000:])
        name = [line for line in result.stdout.splitlines()
            if line.startswith('DATABASE=')][-1].split('=', 1)[1]
        self.addCleanup(self.drop, name)
        return name

    def drop(self, name):
        with database.connect(URI, 'postgres') as connection:
            connection.execute(
                'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)

    def environ(self, name):
        environ = {k: v for k, v in os.environ.items()
            if not k.startswith(('DB_', 'PYTEST_', 'TRYTOND_URBAN__'))}
        environ.pop('TRYTOND_CONFIG', None)
        environ.update(
            URBAN_DATABASE=name, TRYTOND_DATABASE_NAMES=name,
            TRYTOND_URBAN__DATABASE=name,
            TRYTOND_DATABASE__PATH=os.path.join(self.tmp.name, 'filestore'),
            STRIPE_SECRET_KEY='sk_test_upgrade',
            STRIPE_WEBHOOK_SECRET='whsec_test_upgrade',
            # the demo has its currencies; countries are not what is tested
            URBAN_IMPORT_REFERENCE_DATA='0')
        return environ

    def test_upgrade(self):
        try:
            self.upgrade()
        finally:
            print("\nupgrade from %s: %s" % (
                    PREVIOUS_RELEASE[:10], ', '.join(self.steps)))

    def upgrade(self):
        checkout = self.previous_release()
        name = self.build_previous(checkout)
        self.step('previous release database')
        before = snapshot(name)
        self.assertGreater(before['sale_sale'][0], 0)
        self.assertGreater(before['stock_move'][0], 0)
        self.assertGreater(before['party_party'][0], 0)

        logs = os.path.join(self.tmp.name, 'logs')
        topology = Topology(web_processes=1, port=free_port(count=2),
            environ=self.environ(name), log_dir=logs)
        try:
            topology.migrate()
        except Exception:
            with open(os.path.join(logs, 'migrate.log')) as f:
                print(f.read()[-5000:])
            raise
        self.step('migrate')
        with psycopg.connect(database.pg_uri(URI, name)) as connection:
            states = dict(connection.execute(
                    'SELECT name, state FROM ir_module').fetchall())
        for module in ['urban_catalog', 'urban_stock', 'urban_checkout',
                'urban_mobile_api',
                'urban_website', 'account_be']:
            self.assertEqual(states.get(module), 'activated', module)
        self.assertFalse({m: s for m, s in states.items()
                if s in {'to activate', 'to upgrade', 'to remove'}})
        self.assertEqual(snapshot(name), before)

        try:
            topology.up(migrate=False, roles=())
            health = requests.get(topology.url + '/health', timeout=30)
            self.assertEqual(health.status_code, 200, health.text)
            products = requests.get(topology.url + '/api/v1/products',
                headers={'Accept-Language': 'fr'}, timeout=60)
            self.assertEqual(products.status_code, 200, products.text)
            self.assertTrue(products.json()['items'])
            page = requests.get(topology.url + '/', timeout=60)
            self.assertEqual(page.status_code, 200)
            self.assertEqual(topology.exited(), {})
        finally:
            topology.down()
        self.step('serve')
        self.assertEqual(snapshot(name), before)
