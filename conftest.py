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

def drop_stale_templates():
    """Template names only hash module names, so a template made before a
    change of our modules would hide that change: drop them all then,
    except the current upstream layer (urbantherapy.testing)."""
    if (not os.environ['DB_CACHE'].startswith('postgresql://')
            or os.environ.get('URBAN_TEST_CACHE_PINNED')):
        return
    stamp = ROOT / 'var' / 'test-db-cache.sha256'
    from urbantherapy.fingerprint import modules_fingerprint
    fingerprint = modules_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    import psycopg

    from urbantherapy.testing import upstream_cache_file, upstream_modules
    keep = upstream_cache_file(upstream_modules()).rsplit('/', 1)[-1]
    with psycopg.connect(
            os.environ['TRYTOND_DATABASE__URI'] + 'postgres',
            autocommit=True) as connection:
        names = [r[0] for r in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'test-%'")
            if r[0] != keep]
        for name in names:
            connection.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)'
                % name)
    stamp.parent.mkdir(exist_ok=True)
    stamp.write_text(fingerprint)


def pytest_configure(config):
    from trytond.tests import test_tryton
    if not os.environ.get('PYTEST_XDIST_WORKER'):
        drop_stale_templates()
        if os.environ['DB_CACHE'] and not config.option.collectonly:
            from urbantherapy.testing import warm_cache
            warm_cache()

    # Two workers may finish activating the same modules at once: the
    # second template copy fails, which only means the cache is warm.
    backup = test_tryton.backup_db_cache

    def tolerant_backup(name):
        try:
            backup(name)
        except Exception:
            pass
    test_tryton.backup_db_cache = tolerant_backup


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
