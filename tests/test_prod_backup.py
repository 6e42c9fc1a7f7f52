"""`make backup` / `make restore` (urbantherapy/prod/backup.py, the
entrypoint's backup and restore roles): the demo database with its orders,
stock and invoices, and a file in its filestore, backed up and restored into
a new database, are found there the same; a damaged backup is refused."""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest
import uuid

from trytond.config import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.prod import database
from urbantherapy.prod.local import ROOT
from urbantherapy.testing import activate_demo

URI = os.environ['TRYTOND_DATABASE__URI']
# what must come back: the business, row for row
TABLES = {
    'sale_sale': ('id, number, state, party, warehouse, '
        'total_amount_cache, sale_date'),
    'sale_line': 'id, sale, product, quantity, unit_price',
    'account_invoice': 'id, number, state, party, total_amount_cache',
    'account_invoice_line': 'id, invoice, product, quantity, unit_price',
    'stock_move': 'id, product, from_location, to_location, quantity, '
        'state, effective_date',
    'urban_stock_reservation': 'id, product, warehouse, quantity, state',
    }


def fingerprint(name):
    "{table: (rows, md5 of the rows in id order)} of database name"
    result = {}
    with database.connect(URI, name) as connection:
        for table, columns in TABLES.items():
            result[table] = connection.execute(
                'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' '
                'ORDER BY t.id), \'\')) FROM (SELECT %s FROM "%s") t'
                % (columns, table)).fetchone()
    return result


def stock_by_location(name):
    "Quantities done per (product, location), as the stock reports sum them"
    with database.connect(URI, name) as connection:
        return connection.execute(
            "SELECT product, location, sum(qty) FROM ("
            "SELECT product, to_location AS location, internal_quantity qty "
            "FROM stock_move WHERE state = 'done' UNION ALL "
            "SELECT product, from_location, -internal_quantity "
            "FROM stock_move WHERE state = 'done') m "
            "GROUP BY product, location HAVING sum(qty) <> 0 "
            "ORDER BY product, location").fetchall()


class BackupRestoreTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.filestore = os.path.join(cls.tmp.name, 'filestore')
        cls.previous_path = config.get('database', 'path')
        config.set('database', 'path', cls.filestore)

    @classmethod
    def tearDownClass(cls):
        config.set('database', 'path', cls.previous_path)
        cls.tmp.cleanup()
        drop_db()

    def role(self, *argv, database_name=DB_NAME):
        environ = dict(os.environ,
            TRYTOND_CONFIG=os.path.join(ROOT, 'config', 'production.conf'),
            URBAN_DATABASE=database_name,
            TRYTOND_URBAN__DATABASE=database_name,
            TRYTOND_DATABASE__PATH=self.filestore, PYTHONPATH=ROOT)
        return subprocess.run([sys.executable, '-m', 'urbantherapy.prod',
                *argv], env=environ, capture_output=True, text=True,
            timeout=300)

    def drop_later(self, name):
        def drop():
            with database.connect(URI, 'postgres') as connection:
                connection.execute(
                    'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
        self.addCleanup(drop)

    def test_backup_and_restore(self):
        # a file in the filestore: an attachment of the first order
        content = uuid.uuid4().bytes * 100
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Sale = pool.get('sale.sale')
            Attachment = pool.get('ir.attachment')
            sale, = Sale.search([], order=[('id', 'ASC')], limit=1)
            attachment, = Attachment.create([{'name': 'receipt.bin',
                        'resource': str(sale), 'data': content}])
            file_id = attachment.file_id
            transaction.commit()
        self.assertTrue(file_id)
        before = fingerprint(DB_NAME)
        for table in ['sale_sale', 'account_invoice', 'stock_move']:
            self.assertGreater(before[table][0], 0, table)
        stock = stock_by_location(DB_NAME)

        output = os.path.join(self.tmp.name, 'backups')
        result = self.role('backup', '--output', output)
        self.assertEqual(result.returncode, 0, result.stderr)
        backup, = [os.path.join(output, d) for d in os.listdir(output)]
        with open(os.path.join(backup, 'manifest.json')) as f:
            manifest = json.load(f)
        self.assertEqual(manifest['database'], DB_NAME)
        for name, expected in manifest['files'].items():
            with open(os.path.join(backup, name), 'rb') as f:
                self.assertEqual(hashlib.sha256(f.read()).hexdigest(),
                    expected['sha256'])

        restored = 'urban_restored_%s' % uuid.uuid4().hex[:8]
        self.drop_later(restored)
        result = self.role('restore', backup, '--database', restored)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(fingerprint(restored), before)
        self.assertEqual(stock_by_location(restored), stock)
        # the restored database has the production settings of migrate
        self.assertEqual(database.settings(URI, restored)['jit'], 'off')
        # and its files, under its own name
        with database.connect(URI, restored) as connection:
            self.assertEqual(connection.execute(
                    'SELECT file_id FROM ir_attachment WHERE id = %s',
                    (attachment.id,)).fetchone()[0], file_id)
        path = os.path.join(self.filestore, restored, file_id[0:2],
            file_id[2:4], file_id)
        with open(path, 'rb') as f:
            self.assertEqual(f.read(), content)

        # restoring over an existing database is refused
        result = self.role('restore', backup, '--database', restored)
        self.assertEqual(result.returncode, 1)
        self.assertIn('exists', result.stderr)

        # a damaged dump is refused before anything is created
        with open(os.path.join(backup, 'database.dump'), 'r+b') as f:
            f.seek(-100, os.SEEK_END)
            byte = f.read(1)
            f.seek(-100, os.SEEK_END)
            f.write(bytes([byte[0] ^ 0xFF]))
        other = 'urban_restored_%s' % uuid.uuid4().hex[:8]
        self.drop_later(other)
        result = self.role('restore', backup, '--database', other)
        self.assertEqual(result.returncode, 1)
        self.assertIn("checksum", result.stderr)
        self.assertFalse(database.exists(URI, other))
