"""Test set-up shared by every module: PostgreSQL, one database per worker,
activated databases cached as PostgreSQL templates (Tryton's DB_CACHE)."""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent

# No configuration file: a file's values would win over these (TRYTOND_CONFIG
# may point at the SQLite demo configuration in a developer's shell).
os.environ.pop('TRYTOND_CONFIG', None)
os.environ.setdefault(
    'TRYTOND_DATABASE__URI', 'postgresql://postgres@127.0.0.1:5432/')
# One database per pytest-xdist worker, named before trytond is imported
# (workers inherit the controller's environment, so always overwrite).
os.environ['DB_NAME'] = 'test_%s_%s' % (
    os.environ.get('PYTEST_XDIST_WORKER', 'main'), os.getpid())
os.environ.setdefault('DB_CACHE', 'postgresql://')
if (not os.environ['DB_CACHE'].startswith('postgresql://')
        and not os.environ.get('URBAN_TEST_CACHE_PINNED')):
    # A directory cache (pg_dump files) is namespaced by the fingerprint of
    # our modules, so a change of them never restores a stale database
    # (URBAN_TEST_CACHE_PINNED=1 skips that, for quick local iterations when
    # you know the schema did not change).
    from urbantherapy.fingerprint import modules_fingerprint
    # the upstream layer (Tryton's modules) depends only on the pins
    os.environ.setdefault('URBAN_DB_CACHE_ROOT', os.environ['DB_CACHE'])
    os.environ['DB_CACHE'] = os.path.join(
        os.environ['DB_CACHE'], modules_fingerprint()[:16])
os.environ['TRYTOND_URBAN__DATABASE'] = os.environ['DB_NAME']
os.environ.setdefault('TRYTOND_WEB__ROOT', str(ROOT / 'var' / 'www'))

KEEP_TEMPLATES = 8


def name_templates_by_fingerprint():
    """Tryton names a PostgreSQL template by the hash of its module names
    only: a template made from other code of our modules (an older commit,
    another checkout testing at the same time) would be restored as if it
    were this code's. Name the templates of our modules by the fingerprint
    of their code too; the upstream layer (Tryton's modules only) keeps its
    name, it depends only on the pins."""
    if not os.environ['DB_CACHE'].startswith('postgresql://'):
        return
    from trytond.tests import test_tryton

    from urbantherapy.fingerprint import modules_fingerprint
    fingerprint = modules_fingerprint()[:16]
    cache_file = test_tryton._db_cache_file

    def fingerprinted(path, name):
        if 'urban_' in name:
            name = '%s@%s' % (name, fingerprint)
        return cache_file(path, name)
    test_tryton._db_cache_file = fingerprinted


def drop_stale_templates():
    """Templates of other code are never restored (their names differ) but
    take disk: keep the newest few (another checkout may be testing with
    them right now) and the upstream layer (urbantherapy.testing)."""
    if (not os.environ['DB_CACHE'].startswith('postgresql://')
            or os.environ.get('URBAN_TEST_CACHE_PINNED')):
        return
    import psycopg

    from urbantherapy.testing import upstream_cache_file, upstream_modules
    keep = upstream_cache_file(upstream_modules()).rsplit('/', 1)[-1]
    with psycopg.connect(
            os.environ['TRYTOND_DATABASE__URI'] + 'postgres',
            autocommit=True) as connection:
        # database oids grow with each creation: the newest first
        names = [r[0] for r in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'test-%' "
                "ORDER BY oid DESC")
            if r[0] != keep]
        for name in names[KEEP_TEMPLATES:]:
            connection.execute('DROP DATABASE IF EXISTS "%s"' % name)


def index_tryton_module_entry_points():
    """trytond.tools.import_module finds a module's entry point by scanning
    every installed package's entry points (importlib.metadata's select)
    at each call, and Tryton's module checks resolve classes by it some
    30,000 times per test file: about 20 s of each file's minute. The same
    lookup, indexed once per process."""
    from trytond import tools
    from trytond.tools import misc
    points = list(misc.entry_points().select(group=misc.MODULES_GROUP))
    names = [e.name for e in points]
    # a name declared twice is left to Tryton's own lookup, as before
    found = {e.name: e for e in points if names.count(e.name) == 1}
    import_module = misc.import_module

    def indexed_import_module(name):
        if name in found:
            return found[name].load()
        return import_module(name)
    misc.import_module = tools.import_module = indexed_import_module


def report_failed_subtests_only():
    """Tryton's module checks run a unittest subTest per model and
    attribute (about 150,000 in all). pytest reports each passed one as its
    own report, which pytest-xdist ships to the controller: minutes of
    reporting for nothing. Passed subtests are not reported; failed ones
    are, as before."""
    from _pytest.unittest import TestCaseFunction
    add_subtest = TestCaseFunction.addSubTest

    def add_failed_subtest(self, test_case, test, exc_info):
        if exc_info is None:
            return
        return add_subtest(self, test_case, test, exc_info)
    TestCaseFunction.addSubTest = add_failed_subtest


def pytest_configure(config):
    from trytond.tests import test_tryton
    name_templates_by_fingerprint()
    index_tryton_module_entry_points()
    report_failed_subtests_only()

    # Two processes may finish activating the same modules at once: the
    # second template copy fails, which only means the cache is warm.
    backup = test_tryton.backup_db_cache

    def tolerant_backup(name):
        try:
            backup(name)
        except Exception:
            pass
    test_tryton.backup_db_cache = tolerant_backup

    if not os.environ.get('PYTEST_XDIST_WORKER'):
        try:
            drop_stale_templates()
        except Exception:
            # a template in use by another checkout's tests stays
            pass
        if os.environ['DB_CACHE'] and not config.option.collectonly:
            from urbantherapy.testing import warm_cache
            warm_cache()
            start_demo_builder(config)


DEMO_BUILDER = []


def start_demo_builder(config):
    """Most test files run on the demo database, first needed once the
    workers are through the module checks: with parallel workers, build its
    template in the background meanwhile (urbantherapy.testing holds a lock
    while a template is built, so a worker needing it waits, then restores
    it)."""
    if (not (getattr(config.option, 'numprocesses', None) or 0)
            or not os.environ['DB_CACHE'].startswith('postgresql://')):
        return
    import subprocess
    import sys
    environ = {k: v for k, v in os.environ.items() if k != 'DB_NAME'}
    DEMO_BUILDER.append(subprocess.Popen(
            [sys.executable, '-c', 'import conftest; conftest.build_demo()'],
            cwd=ROOT, env=environ))


def build_demo():
    "The demo template, built by a process of its own (above)"
    import signal
    import sys
    name_templates_by_fingerprint()
    index_tryton_module_entry_points()
    from trytond.tests.test_tryton import drop_db

    from urbantherapy.testing import activate_demo
    # terminated: drop its database all the same
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    try:
        activate_demo()
    finally:
        drop_db()


def pytest_runtest_teardown(item, nextitem):
    # Scenario doctests activate modules in the worker's database; drop it
    # so that the next test starts clean (Tryton's doctest_teardown).
    if item.path.suffix == '.rst':
        from trytond.tests.test_tryton import drop_db
        drop_db()


def pytest_unconfigure(config):
    from trytond.tests.test_tryton import drop_db
    for builder in DEMO_BUILDER:
        # done long before, unless only a few files ran
        builder.terminate()
        builder.wait()
    try:
        drop_db()
    except Exception:
        pass
