"""Load on the production topology: `make prod-local` (urbantherapy/prod:
N gunicorn web processes, trytond-worker, trytond-cron behind the local
proxy) on PostgreSQL with the demo business, driven by locust (library
API, headless) from this process.

Journey mix per simulated user (weights): catalogue browse 60 (a page of a
universe, GET /api/v1/products), product detail 25 (GET
/api/v1/products/<id>), cart + checkout 10 (POST /api/v1/cart/lines then
POST /api/v1/checkout, click and collect, with an Idempotency-Key), login
5 (POST /api/v1/auth/login). No think time: each user sends its next
request when the previous is answered (closed loop).

Set-up: the demo database (bench/stock_setup.py, cached under
var/bench-cache), with the production PostgreSQL settings, bench customers
with passwords; built in a child process so that this one never imports
trytond (locust patches the standard library with gevent).

Prints name=value lines: what it ran on (CPU, PostgreSQL settings), the
topology, then requests/s, error rate and p50/p95/p99 (ms) overall and per
route group (catalogue, product, cart, checkout, login).

Usage: .venv/bin/python bench/topology.py [--web 2] [--users 32]
    [--seconds 60] [--port 8090]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

if '--prepare' not in sys.argv:
    # what locust does when imported, before anything else is imported
    from gevent import monkey
    monkey.patch_all()
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATABASE = 'bench_topology'
CUSTOMERS = 64
URI = os.environ.get(
    'TRYTOND_DATABASE__URI', 'postgresql://postgres@127.0.0.1:5432/')


# ------------------------------------------------- set-up (child process)

def prepare(output):
    "Build the database; write what the load needs to output (JSON)"
    sys.path.insert(0, str(ROOT / 'bench'))
    import secrets

    import stock_setup
    stock_setup.prepare(DATABASE, demo=True)
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    from urban_checkout.channel import web_shop
    from urban_stock import availability
    with Transaction().start(DATABASE, 0) as transaction:
        pool = Pool()
        WebUser = pool.get('web.user')
        Location = pool.get('stock.location')
        Category = pool.get('product.category')
        password = 'Bench-%s-topology' % secrets.token_hex(8)
        emails = ['bench-%s-%s@example.com' % (i, secrets.token_hex(4))
            for i in range(CUSTOMERS)]
        WebUser.create([{'email': e, 'email_valid': True,
                    'password': password} for e in emails])
        shop = web_shop(pool)
        products = [p for p in shop.products if p.template.type == 'goods']
        shops = Location.search([('type', '=', 'warehouse'),
                ('shop', '=', True), ('pickup_enabled', '=', True)])
        available = availability.for_products([p.id for p in products],
            [s.id for s in shops])
        buyable = [[p.id, s.shop_code] for p in products for s in shops
            if available[(p.id, s.id)] >= 1]
        with Transaction().set_context(language='fr'):
            universes = [c.slug for c in Category.search(
                    [('universe', '=', True), ('slug', '!=', None)])]
        templates = sorted({p.template.id for p in products})
        transaction.commit()
    with open(output, 'w') as f:
        json.dump({'password': password, 'emails': emails,
                'buyable': buyable, 'universes': universes,
                'templates': templates}, f)


# ------------------------------------------------------------- topology

def topology_environment(stripe_url):
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('DB_', 'TRYTOND_URBAN__'))}
    env.pop('TRYTOND_CONFIG', None)
    env.update(TRYTOND_DATABASE__URI=URI, URBAN_DATABASE=DATABASE,
        TRYTOND_URBAN__DATABASE=DATABASE, TRYTOND_DATABASE_NAMES=DATABASE,
        STRIPE_SECRET_KEY='sk_test_bench',
        STRIPE_WEBHOOK_SECRET='whsec_test_bench',
        TRYTOND_URBAN__STRIPE_API_BASE=stripe_url,
        TRYTOND_DATABASE__PATH=str(ROOT / 'var' / 'bench-filestore'),
        PYTHONPATH=str(ROOT))
    return env


def wait_healthy(url, process, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "prod-local exited with %s" % process.returncode)
        try:
            with urllib.request.urlopen(url + '/health', timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the topology is not healthy after %ss" % timeout)


# ----------------------------------------------------------------- load

def run_load(url, data, users, seconds):
    "Run locust headless; returns its stats"
    import random
    import uuid

    import gevent
    from locust import HttpUser, constant, task
    from locust.env import Environment

    class Customer(HttpUser):
        host = url
        wait_time = constant(0)

        def on_start(self):
            self.token = None

        def login(self):
            with self.client.post('/api/v1/auth/login', name='login',
                    json={'email': random.choice(data['emails']),
                        'password': data['password']},
                    catch_response=True) as response:
                if response.status_code == 200:
                    self.token = response.json()['token']
                    response.success()
                else:
                    response.failure('login %s' % response.status_code)

        @task(60)
        def browse(self):
            # a universe's first page, or the whole catalogue's (slugs
            # are in French, the language asked)
            params = {'limit': 24}
            if random.random() < 0.8:
                params['universe'] = random.choice(data['universes'])
            self.client.get('/api/v1/products', name='catalogue',
                params=params, headers={'Accept-Language': 'fr'})

        @task(25)
        def detail(self):
            self.client.get('/api/v1/products/%s'
                % random.choice(data['templates']), name='product',
                headers={'Accept-Language': random.choice(['fr', 'nl'])})

        @task(10)
        def checkout(self):
            if not self.token:
                self.login()
                if not self.token:
                    return
            auth = {'Authorization': 'Bearer %s' % self.token}
            product, shop = random.choice(data['buyable'])
            with self.client.post('/api/v1/cart/lines', name='cart',
                    headers=auth, json={'product_id': product,
                        'quantity': 1}, catch_response=True) as response:
                # 409: no unit left; the journey ends there
                if response.status_code in {200, 201, 409}:
                    response.success()
                if response.status_code not in {200, 201}:
                    refused['cart'] += 1
                    return
            with self.client.post('/api/v1/checkout', name='checkout',
                    headers=dict(auth, **{
                            'Idempotency-Key': uuid.uuid4().hex}),
                    json={'mode': 'click_collect', 'shop': shop,
                        'phone': '0470 12 34 56'},
                    catch_response=True) as response:
                if response.status_code in {201, 409}:
                    response.success()
                if response.status_code == 409:
                    refused['checkout'] += 1

        @task(5)
        def relogin(self):
            self.login()

    refused = {'cart': 0, 'checkout': 0}
    env = Environment(user_classes=[Customer])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return env.stats, refused


def report(stats, refused, seconds):
    def line(prefix, entry):
        print(f"{prefix}_requests={entry.num_requests}")
        print(f"{prefix}_rps={entry.num_requests / seconds:.1f}")
        print(f"{prefix}_error_rate="
            f"{entry.num_failures / max(entry.num_requests, 1):.4f}")
        for p in (50, 95, 99):
            percentile = entry.get_response_time_percentile(p / 100)
            print(f"{prefix}_p{p}_ms={percentile:.0f}")
    line('total', stats.total)
    for name in ['catalogue', 'product', 'cart', 'checkout', 'login']:
        entries = [e for (n, _), e in stats.entries.items() if n == name]
        if entries:
            line(name, entries[0])
    for name, count in refused.items():
        print(f"{name}_refused_409={count}")
    for error in stats.errors.values():
        print(f"error={error.method} {error.name} {error.error!s:.120} "
            f"x{error.occurrences}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--web', type=int, default=2,
        help="web processes (2)")
    parser.add_argument('--users', type=int, default=32)
    parser.add_argument('--seconds', type=int, default=60)
    parser.add_argument('--port', type=int, default=8090)
    parser.add_argument('--prepare', metavar='OUTPUT', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(args.prepare)

    with tempfile.TemporaryDirectory() as tmp:
        facts = os.path.join(tmp, 'facts.json')
        started = time.monotonic()
        # the set-up and its print_environment (cpu_model=, pg_jit=, ...)
        subprocess.run([sys.executable, __file__, '--prepare', facts],
            check=True, cwd=str(ROOT))
        print(f"setup_s={time.monotonic() - started:.0f}", file=sys.stderr)
        with open(facts) as f:
            data = json.load(f)

        sys.path.insert(0, str(ROOT))
        from urbantherapy.emulators.localstripe import LocalStripe
        stripe = LocalStripe().start()
        logs = open(os.path.join(tmp, 'prod-local.log'), 'wb')
        env = topology_environment(stripe.url)
        env.update(WEB_CONCURRENCY='1', WORKER_PROCESSES='1')
        process = subprocess.Popen([sys.executable, '-m',
                'urbantherapy.prod.local', '--no-migrate', '--web',
                str(args.web), '--port', str(args.port)], env=env,
            cwd=str(ROOT), stdout=logs, stderr=logs)
        url = 'http://127.0.0.1:%s' % args.port
        try:
            wait_healthy(url, process)
            print(f"database={DATABASE}")
            print(f"web_processes={args.web}")
            print("gunicorn_workers_per_process=1")
            print("worker=1")
            print("cron=1")
            print(f"users={args.users}")
            print(f"seconds={args.seconds}")
            print("mix=catalogue:60,product:25,cart+checkout:10,login:5")
            sys.stdout.flush()
            stats, refused = run_load(url, data, args.users, args.seconds)
            report(stats, refused, args.seconds)
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            stripe.stop()
            logs.close()
            if process.returncode not in (0, -15):
                with open(os.path.join(tmp, 'prod-local.log')) as f:
                    print(f.read()[-3000:], file=sys.stderr)


if __name__ == '__main__':
    sys.exit(main())
