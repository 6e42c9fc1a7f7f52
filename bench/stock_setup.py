"""Shared set-up of the benchmarks: a PostgreSQL database of their own
with our modules activated (cached as pg_dump files under var/bench-cache,
namespaced by the fingerprint of our modules, like the tests)."""
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(name, maxconn=64):
    """Point trytond at the benchmark's own PostgreSQL database name, with
    its activated databases cached as pg_dump files under var/bench-cache
    (namespaced by the fingerprint of our modules, like the tests)."""
    os.environ.setdefault(
        'TRYTOND_DATABASE__URI', 'postgresql://postgres@127.0.0.1:5432/')
    os.environ['TRYTOND_DATABASE__MAXCONN'] = str(maxconn)
    os.environ['DB_NAME'] = name
    from urbantherapy.fingerprint import modules_fingerprint
    # BENCH_DB_CACHE: reuse a cache made before a change that leaves the
    # schema alone (e.g. of a query)
    os.environ['URBAN_DB_CACHE_ROOT'] = str(ROOT / 'var' / 'bench-cache')
    os.environ['DB_CACHE'] = os.environ.get('BENCH_DB_CACHE') or str(
        ROOT / 'var' / 'bench-cache' / modules_fingerprint()[:16])
    return name


def prepare(name, maxconn=64, modules=('urban_stock',), demo=False):
    """Drop and re-create database name with modules activated (shared by
    every benchmark); demo: all our modules with the demo business."""
    configure(name, maxconn)
    from trytond.tests.test_tryton import drop_db

    from urbantherapy.testing import activate_demo, activate_module
    start = time.monotonic()
    drop_db()
    if demo:
        activate_demo()
    else:
        activate_module(list(modules))
    print(f"setup_activate_s={time.monotonic() - start:.1f}",
        file=sys.stderr)
    # the PostgreSQL settings production runs with (set by migrate)
    apply_production_settings(name)
    # importing trytond.tests turned on the test mode (e.g. validation of
    # every Function field on each create): measure production behaviour
    from trytond.pool import Pool
    Pool.test = False
    print_environment(name)
    return name


def apply_production_settings(name):
    """Set on database name the per-database settings `migrate` sets in
    production (urbantherapy.prod.database), then drop trytond's pooled
    connections: only new connections read them."""
    from psycopg import sql
    from trytond import backend

    from urbantherapy.prod import database
    uri = os.environ['TRYTOND_DATABASE__URI']
    with database.connect(uri, name) as connection:
        for setting, value in database.DATABASE_SETTINGS.items():
            connection.execute(sql.SQL('ALTER DATABASE {} SET {} = {}').format(
                    sql.Identifier(name), sql.Identifier(setting),
                    sql.Literal(value)))
    backend.Database(name).close()


def cpu_model():
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    import platform
    return platform.processor() or platform.machine()


def print_environment(name, micro_cache=None):
    """Print what the figures were measured on: the CPU, PostgreSQL's
    version and the settings that matter, as a connection of the benchmark
    gets them, and the API's micro-cache when it matters"""
    from urbantherapy.prod import database
    uri = os.environ['TRYTOND_DATABASE__URI']
    print(f"cpu_model={cpu_model()}")
    print(f"cpu_count={os.cpu_count()}")
    with database.connect(uri, name) as connection:
        version = connection.execute('SHOW server_version').fetchone()[0]
        print(f"postgresql={version}")
        for setting in ['jit', 'shared_buffers', 'work_mem',
                'synchronous_commit', 'random_page_cost']:
            value = connection.execute(
                'SELECT current_setting(%s)', (setting,)).fetchone()[0]
            print(f"pg_{setting}={value}")
    if micro_cache is not None:
        print(f"micro_cache={'on' if micro_cache else 'off'}")


def create_shops(count, buffer=0):
    """Create count warehouses flagged as shops (fulfilling online) and a
    company; returns (company id, [warehouse ids])."""
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Location = pool.get('stock.location')
    company = create_company()
    shops = []
    with Transaction().set_context(company=company.id):
        for i in range(count):
            storage, input_, output = Location.create([
                    {'name': f"Shop {i} shelves", 'type': 'storage'},
                    {'name': f"Shop {i} in", 'type': 'storage'},
                    {'name': f"Shop {i} out", 'type': 'storage'}])
            shop, = Location.create([{
                        'name': f"Shop {i}", 'type': 'warehouse',
                        'shop': True, 'shop_code': f'S{i:02d}',
                        'fulfils_online': True, 'pickup_enabled': True,
                        'safety_buffer': buffer,
                        'storage_location': storage.id,
                        'input_location': input_.id,
                        'output_location': output.id}])
            Location.write([storage, input_, output], {'parent': shop.id})
            shops.append(shop.id)
    return company.id, shops


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float('nan')
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)
