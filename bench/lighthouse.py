"""Lighthouse (npm, bench/lighthouse/) with Debian's chromium on the landing,
a universe, a product and a shop page of the demo business, the delivery
page, and the web shop's cart and checkout (with the product in the cart,
the cart's cookie sent), mobile preset (Lighthouse's default: emulated
phone, slow 4G, 4x CPU slowdown).

Prints `PAGE_CATEGORY=score` lines (performance, accessibility,
best_practices, seo; 0-100) per page, e.g. `landing_seo=100`.
Targets: >= 98 performance and best practices, 100 SEO and accessibility.

    .venv/bin/python bench/lighthouse.py [--lang fr|nl|en] [--runs N]

Set-up: `npm ci --prefix bench/lighthouse` once; the demo database is built
on PostgreSQL (cached like the tests' under var/bench-cache) and served on a
free local port by the whole WSGI application in a thread.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
LIGHTHOUSE = HERE / 'lighthouse' / 'node_modules' / '.bin' / 'lighthouse'
CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo']


def prepare_demo(name):
    "The demo business in database name (cached as a pg_dump file)"
    os.environ.setdefault(
        'TRYTOND_DATABASE__URI', 'postgresql://postgres@127.0.0.1:5432/')
    os.environ['DB_NAME'] = name
    os.environ['TRYTOND_URBAN__DATABASE'] = name
    from urbantherapy.fingerprint import modules_fingerprint
    os.environ['URBAN_DB_CACHE_ROOT'] = str(ROOT / 'var' / 'bench-cache')
    os.environ['DB_CACHE'] = os.environ.get('BENCH_DB_CACHE') or str(
        ROOT / 'var' / 'bench-cache' / modules_fingerprint()[:16])
    from urbantherapy.testing import activate_demo
    activate_demo()


def page_paths(lang):
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    prefix = '' if lang == 'fr' else '/' + lang
    with Transaction().start(DB_NAME, 0, readonly=True,
            context={'language': lang}):
        pool = Pool()
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        universe, = Category.search([('code', '=', 'ceramics')])
        product = Template.search(Template.published_in('web')
            + [('universe', '=', universe.id)], order=[('id', 'ASC')],
            limit=1)[0]
        return {
            'landing': prefix + '/',
            'universe': '%s/universes/%s' % (prefix, universe.slug),
            'product': '%s/products/%s' % (prefix, product.slug),
            'shop': prefix + '/shops/bxl',
            'delivery': prefix + '/delivery',
            'cart': prefix + '/cart',
            'checkout': prefix + '/checkout',
            }, product.products[0].id


def cart_cookie(server, product):
    "The Cookie header of a visitor with product in the cart"
    import requests
    visitor = requests.Session()
    response = visitor.post(server.url + '/cart/add', data={
            'product': str(product), 'quantity': '1'},
        headers={'Origin': server.url}, allow_redirects=False, timeout=60)
    assert response.status_code == 303, response.status_code
    return '; '.join('%s=%s' % (c.name, c.value) for c in visitor.cookies)


def lighthouse(url, chromium, output, cookie=None):
    env = dict(os.environ, CHROME_PATH=chromium)
    subprocess.run([str(LIGHTHOUSE), url, '--quiet',
            '--output=json', '--output-path=%s' % output,
            '--only-categories=%s' % ','.join(CATEGORIES),
            '--chrome-flags=--headless=new --no-sandbox --disable-gpu']
        + (['--extra-headers=%s' % json.dumps({'Cookie': cookie})]
            if cookie else []),
        env=env, check=True, timeout=300)
    report = json.loads(pathlib.Path(output).read_text())
    scores = {c: round(report['categories'][c]['score'] * 100)
        for c in CATEGORIES}
    failed = [a['id'] for a in report['audits'].values()
        if a.get('score') is not None and a['score'] < 1
        and a.get('scoreDisplayMode') in {'binary', 'numeric'}]
    return scores, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--lang', default='fr', choices=['fr', 'nl', 'en'])
    parser.add_argument('--runs', type=int, default=1,
        help="runs per page; the median score is printed")
    parser.add_argument('--chromium', default=os.environ.get(
            'CHROME_PATH', shutil.which('chromium') or '/usr/bin/chromium'))
    parser.add_argument('--database', default='bench_lighthouse')
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse missing: npm ci --prefix %s"
            % LIGHTHOUSE.parents[2])

    prepare_demo(args.database)
    from trytond import config
    from trytond.tests.test_tryton import drop_db

    from tests.website_server import LocalServer
    paths, product = page_paths(args.lang)
    try:
        with LocalServer() as server, tempfile.TemporaryDirectory() as tmp:
            config.set('urban', 'site_url', server.url)
            for name, path in paths.items():
                runs = []
                for run in range(args.runs):
                    cookie = (cart_cookie(server, product)
                        if name in {'cart', 'checkout'} else None)
                    runs.append(lighthouse(server.url + path, args.chromium,
                            os.path.join(tmp, '%s-%s.json' % (name, run)),
                            cookie=cookie))
                for category in CATEGORIES:
                    score = statistics.median(r[0][category] for r in runs)
                    print('%s_%s=%g' % (name, category.replace('-', '_'),
                            score), flush=True)
                failed = sorted({a for r in runs for a in r[1]})
                if failed:
                    print('# %s: audits below 1: %s' % (
                            name, ', '.join(failed)), file=sys.stderr)
    finally:
        drop_db()


if __name__ == '__main__':
    main()
