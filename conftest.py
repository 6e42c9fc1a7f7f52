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


def pytest_configure(config):
    from trytond.tests import test_tryton
    name_templates_by_fingerprint()

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


def pytest_runtest_teardown(item, nextitem):
    # Scenario doctests activate modules in the worker's database; drop it
    # so that the next test starts clean (Tryton's doctest_teardown).
    if item.path.suffix == '.rst':
        from trytond.tests.test_tryton import drop_db
        drop_db()


def pytest_unconfigure(config):
    from trytond.tests.test_tryton import drop_db
    try:
        drop_db()
    except Exception:
        pass
