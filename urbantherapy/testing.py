"""Helpers for our Tryton tests.

Every test activates the same full set of our modules, so the activated
database is built once (cold) and then restored from Tryton's DB_CACHE
template: module tests use `UrbanModuleTestCase`, scenario doctests call
`activate_urban()` (modules only) or `activate_urban_retail()` (plus a
company in EUR and a chart of accounts).
"""
import configparser
import contextlib
import datetime as dt
import hashlib
import os
import pathlib
import unittest

from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.tests import test_tryton
from trytond.tests.test_tryton import (
    ModuleTestCase, _DBTestCase, drop_db, restore_db_cache)

ROOT = pathlib.Path(__file__).resolve().parent.parent

URBAN_MODULES = [
    'urban_catalog',
    'urban_stock',
    'urban_b2b',
    'urban_loyalty',
    'urban_pos_bridge',
    'urban_checkout',
    'urban_mobile_api',
    'urban_website',
    'urban_analytics',
    'urban_shipping',
    'urban_ankorstore',
    'urban_service',
    ]


def upstream_modules(modules=None):
    "Tryton modules our modules depend on (not ours, not ir/res)"
    modules = list(modules or URBAN_MODULES)
    upstream = set()
    for module in modules:
        cfg = ROOT / module / 'tryton.cfg'
        if not cfg.exists():
            upstream.add(module)
            continue
        parser = configparser.ConfigParser()
        parser.read(cfg)
        upstream.update(parser.get('tryton', 'depends', fallback='').split())
    return sorted(m for m in upstream
        if m not in {'ir', 'res'} and not m.startswith('urban_'))


def upstream_cache_name(upstream):
    "Cache name of the upstream layer: changes only with requirements.txt"
    pins = hashlib.sha256(
        (ROOT / 'requirements.txt').read_bytes()).hexdigest()[:12]
    return 'urban-upstream-%s-%s' % (pins, '-'.join(upstream))


def upstream_cache_file(upstream):
    """Where the upstream layer is cached: a template next to Tryton's, or a
    dump in the un-namespaced cache directory (URBAN_DB_CACHE_ROOT)."""
    name = upstream_cache_name(upstream)
    cache = test_tryton.DB_CACHE
    if cache.startswith('postgresql://'):
        return test_tryton._db_cache_file(cache, name)
    root = os.environ.get('URBAN_DB_CACHE_ROOT', cache)
    os.makedirs(root, exist_ok=True)
    return test_tryton._db_cache_file(root, name)


@contextlib.contextmanager
def template_lock(name):
    """Held while a cached template is built: parallel test processes
    needing the same template wait for the first one's build and restore
    it, instead of each building it (minutes of both cores for nothing).
    A PostgreSQL advisory lock, released with its connection."""
    if test_tryton.backend.name != 'postgresql':
        yield
        return
    import psycopg
    key = int(hashlib.sha256(name.encode('utf8')).hexdigest()[:15], 16)
    with psycopg.connect(os.environ['TRYTOND_DATABASE__URI'] + 'postgres',
            autocommit=True) as connection:
        connection.execute('SELECT pg_advisory_lock(%s)', (key,))
        yield


def activate_module(modules, lang='en'):
    """Tryton's activate_module, in two cached layers: the upstream Tryton
    modules (rebuilt only when requirements.txt changes) and ours on top,
    so that a change of our modules costs seconds, not a cold activation
    of forty modules."""
    modules = list(modules)
    name = '-'.join(modules)
    if not test_tryton.DB_CACHE or test_tryton.db_exist():
        return test_tryton.activate_module(modules, lang=lang)
    if restore_db_cache(name):
        return
    if test_tryton.backend.name != 'postgresql':
        return test_tryton.activate_module(modules, lang=lang)
    with template_lock(name):
        if restore_db_cache(name):
            return
        _activate_in_layers(modules, lang)


def _activate_in_layers(modules, lang):
    upstream = upstream_modules(modules)
    cache_file = upstream_cache_file(upstream)
    if test_tryton._pg_restore(cache_file):
        Pool(test_tryton.DB_NAME).init()
        # the layer lists the modules known when it was made: a module
        # added since (same pins) must be listed to be activated
        with Transaction().start(test_tryton.DB_NAME, 0) as transaction:
            Pool().get('ir.module').update_list()
            transaction.commit()
    else:
        drop_db()
        cache, test_tryton.DB_CACHE = test_tryton.DB_CACHE, ''
        try:
            test_tryton.activate_module(upstream, lang=lang)
        finally:
            test_tryton.DB_CACHE = cache
        try:
            test_tryton._pg_dump(cache_file)
        except Exception:
            # another process made it at the same time
            pass
    test_tryton.activate_module(modules, lang=lang)


def warm_cache():
    "Build the activated template once, before parallel workers start"
    drop_db()
    activate_module(URBAN_MODULES)
    drop_db()


class ActivatedTestCase(unittest.TestCase):
    "Tests on a database of their own with all our modules activated"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(URBAN_MODULES)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()


class UrbanModuleTestCase(ModuleTestCase):
    "Tryton's module checks, on a database with all our modules activated"

    @classmethod
    def setUpClass(cls):
        super(_DBTestCase, cls).setUpClass()
        drop_db()
        activate_module(URBAN_MODULES + list(cls.extras or []))


def activate_urban():
    "Scenario set-up: all our modules; returns the proteus config"
    from proteus import config as pconfig
    drop_db()
    activate_module(URBAN_MODULES)
    return pconfig.set_trytond()


def activate_urban_retail():
    """Scenario set-up: all our modules, a company in EUR and a chart of
    accounts; cached as its own template."""
    from proteus import config as pconfig
    from trytond.modules.account.tests.tools import create_chart
    from trytond.modules.company.tests.tools import create_company
    name = '-'.join(URBAN_MODULES) + '--retail'
    drop_db()
    if restore_db_cache(name):
        return pconfig.set_trytond()
    with template_lock(name):
        if restore_db_cache(name):
            return pconfig.set_trytond()
        activate_module(URBAN_MODULES)
        config = pconfig.set_trytond()
        create_company(config=config)
        create_chart(config=config)
        test_tryton.backup_db_cache(name)
    return config


del ModuleTestCase


def activate_demo():
    """All our modules, Belgian accounting and the whole demo business, as
    `make demo` builds it but on the test database; cached as a template."""
    # the demo's business ends today (its history, "this week" on the
    # orders dashboard, its fiscal year): a template of another day would
    # show another week
    name = '-'.join(URBAN_MODULES) + '--demo-' + dt.date.today().isoformat()
    drop_db()
    if restore_db_cache(name):
        return
    with template_lock(name):
        if restore_db_cache(name):
            return
        _build_demo(name)


def _build_demo(name):
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction

    from .demo.loader import DemoLoader
    activate_module(URBAN_MODULES)
    # The demo's users work in French and Dutch (`make demo` activates with
    # -l fr nl): load the translations of the activated modules, ours and
    # Tryton's, as the language's "Load translations" button does. Then
    # account_be's charts, data in French and Dutch, load too (primer, §7).
    with Transaction().start(DB_NAME, 0) as transaction:
        pool = Pool()
        Lang = pool.get('ir.lang')
        Module = pool.get('ir.module')
        Lang.load_translations(Lang.search([('code', 'in', ['fr', 'nl'])]))
        Module.activate(Module.search([('name', '=', 'account_be')]))
        transaction.commit()
        ActivateUpgrade = pool.get('ir.module.activate_upgrade',
            type='wizard')
        session_id, _, _ = ActivateUpgrade.create()
        transaction.commit()
        ActivateUpgrade(session_id).transition_upgrade()
        ActivateUpgrade.delete(session_id)
        transaction.commit()
    DemoLoader(DB_NAME, progress=False).run()
    test_tryton.backup_db_cache(name)
