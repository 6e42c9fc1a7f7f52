"""Catalogue search benchmark (urban_catalog/search.py): suggestions and
results on 20,000 products named, coded and EAN-numbered as the demo's
(urban_catalog/tests/demo_catalog.py: 26 articles x 12 finishes x 6
collections, in FR/NL/EN), and the relevance of the test query set
(urban_catalog/tests/test_search.py) on that larger catalogue.

Templates, variants, EANs and translations are inserted by bulk SQL, then
the search terms are built (`urban.search.term.rebuild`, timed).

Relevance: share of the queries whose expected product is in the top 5; on
20,000 products a name exists many times, so a query expecting a product
by code is satisfied by any product with the same name, and a query
expecting an article, universe or brand by a first result of it.

Prints products=, terms=, vocabulary_<lang>=, rebuild_s=,
suggestions_p50_ms=, suggestions_p95_ms=, results_p50_ms=,
results_p95_ms=, relevance=, relevance_queries=.

Usage: .venv/bin/python bench/search.py [--products 20000]
    [--iterations 5]
"""
import argparse
import os
import pathlib
import statistics
import sys
import time

import stock_setup
from sql.functions import CurrentTimestamp

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = 'bench_search'
SUGGESTIONS = [('fr', 'va'), ('fr', 'bou'), ('fr', 'cér'), ('fr', 'tasse d'),
    ('nl', 'kus'), ('nl', 'vaa'), ('nl', 'geurk'), ('en', 'can'),
    ('en', 'plant m'), ('en', 'ea'), ('fr', 'sa'), ('nl', 'zz')]


def prepare():
    "stock_setup.prepare with urban_catalog only"
    stock_setup.configure(DATABASE)
    if os.environ.get('SEARCH_BENCH_CACHE'):
        from urbantherapy.fingerprint import modules_fingerprint
        cache = os.environ['SEARCH_BENCH_CACHE']
        os.environ['URBAN_DB_CACHE_ROOT'] = cache
        os.environ['DB_CACHE'] = os.path.join(cache,
            modules_fingerprint()[:16])
    from trytond.tests.test_tryton import drop_db

    from urbantherapy.testing import activate_module
    start = time.monotonic()
    drop_db()
    activate_module(['urban_catalog'])
    print(f"setup_activate_s={time.monotonic() - start:.1f}",
        file=sys.stderr)
    stock_setup.apply_production_settings(DATABASE)
    from trytond.pool import Pool
    Pool.test = False
    stock_setup.print_environment(DATABASE)


def generate(count):
    "Bulk insert of the catalogue; returns {template id: plan row}"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from urban_catalog.tests import demo_catalog
    from urbantherapy.demo import data
    pool = Pool()
    Lang = pool.get('ir.lang')
    Creator = pool.get('urban.creator')
    Category = pool.get('product.category')
    Uom = pool.get('product.uom')
    Template = pool.get('product.template')
    Product = pool.get('product.product')
    Identifier = pool.get('product.identifier')
    Translation = pool.get('ir.translation')
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    Lang.write(Lang.search([('code', 'in', ['fr', 'nl'])]),
        {'translatable': True})
    unit, = Uom.search([('symbol', '=', 'u')])
    with transaction.set_context(_urban_search_defer=True):
        creators = {c[0]: Creator.create([{'code': c[0], 'name': c[1],
                        'kind': c[2]}])[0] for c in data.CREATORS}
        universes = {}
        for i, (code, names, _) in enumerate(data.UNIVERSES):
            universe, = Category.create([{'name': names[2],
                        'universe': True, 'universe_sequence': i}])
            for lang, j in (('fr', 0), ('nl', 1)):
                with transaction.set_context(language=lang):
                    Category.write([Category(universe.id)],
                        {'name': names[j]})
            universes[code] = universe.id
    plan = demo_catalog.plan(count)
    template = Template.__table__()
    product = Product.__table__()
    identifier = Identifier.__table__()
    translation = Translation.__table__()
    rows = {}
    for start in range(0, count, 1000):
        chunk = plan[start:start + 1000]
        cursor.execute(*template.insert([template.name, template.code,
                    template.description_long, template.creator,
                    template.universe, template.default_uom, template.type,
                    template.active, template.consumable,
                    template.create_uid, template.create_date],
                [[p['names'][2], p['code'],
                    "%s by %s. Designed in Belgium, made in small "
                    "batches." % (p['names'][2],
                        creators[p['creator']].name),
                    creators[p['creator']].id, universes[p['universe']],
                    unit.id, 'goods', True, False, 0,
                    CurrentTimestamp()] for p in chunk],
                returning=[template.id]))
        ids = [r[0] for r in cursor]
        variants = []
        for id_, p in zip(ids, chunk):
            rows[id_] = p
            for suffix, ean in p['variants']:
                variants.append((id_, p, suffix, ean))
        cursor.execute(*product.insert([product.template,
                    product.suffix_code, product.code, product.active,
                    product.create_uid, product.create_date],
                [[id_, '-' + s if s else None,
                    p['code'] + ('-' + s if s else ''), True, 0,
                    CurrentTimestamp()] for id_, p, s, _ in variants],
                returning=[product.id]))
        product_ids = [r[0] for r in cursor]
        cursor.execute(*identifier.insert([identifier.product,
                    identifier.type, identifier.code, identifier.create_uid,
                    identifier.create_date],
                [[pid, 'ean', ean, 0, CurrentTimestamp()]
                    for pid, (_, _, _, ean) in zip(product_ids, variants)]))
        values = []
        for id_, p in zip(ids, chunk):
            creator = creators[p['creator']].name
            for lang, i, pattern in (
                    ('fr', 0, "%s de %s. Dessiné en Belgique, fabriqué en "
                        "petites séries."),
                    ('nl', 1, "%s van %s. Ontworpen in België, in kleine "
                        "reeksen gemaakt.")):
                values.append([id_, lang, 'product.template,name',
                        p['names'][i], p['names'][2]])
                values.append([id_, lang,
                        'product.template,description_long',
                        pattern % (p['names'][i], creator), ''])
        cursor.execute(*translation.insert([translation.res_id,
                    translation.lang, translation.name, translation.value,
                    translation.src, translation.type, translation.module,
                    translation.fuzzy, translation.create_uid,
                    translation.create_date],
                [v + ['model', 'urban_catalog', False, 0, CurrentTimestamp()]
                    for v in values]))
    return rows


def reuse():
    "{template id: plan row} of the catalogue a previous run generated"
    from trytond.transaction import Transaction
    from urban_catalog.tests import demo_catalog
    cursor = Transaction().connection.cursor()
    cursor.execute('SELECT id, code FROM product_template')
    ids = dict((c, i) for i, c in cursor)
    return {ids[p['code']]: p for p in demo_catalog.plan(len(ids))
        if p['code'] in ids}


def timed(function, runs):
    timings = []
    for args in runs:
        start = time.perf_counter()
        function(*args)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--products', type=int, default=20000)
    parser.add_argument('--iterations', type=int, default=5)
    parser.add_argument('--reuse', action='store_true',
        help="measure the catalogue a previous run left (no set-up)")
    args = parser.parse_args()
    if args.reuse:
        stock_setup.configure(DATABASE)
        from trytond.pool import Pool
        Pool.test = False
    else:
        prepare()
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    from urban_catalog.tests.test_search import QUERIES
    if args.reuse:
        Pool(DB_NAME).init()
    with Transaction().start(DB_NAME, 0, context={'language': 'en'}):
        pool = Pool()
        Template = pool.get('product.template')
        Term = pool.get('urban.search.term')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        if args.reuse:
            rows, rebuild = reuse(), float('nan')
        else:
            rows = generate(args.products)
            start = time.monotonic()
            Term.rebuild()
            rebuild = time.monotonic() - start
            # kept for --reuse
            transaction.commit()
        cursor.execute('ANALYZE urban_search_term')
        cursor.execute('SELECT COUNT(*) FROM urban_search_term')
        terms, = cursor.fetchone()
        vocabulary = {l: len(Term.vocabulary(l)) for l in ['fr', 'nl', 'en']}

        def search(text, lang):
            return Template.search_catalog(text, language=lang, limit=24)

        def suggest(text, lang):
            return Template.search_suggestions(text, language=lang)
        queries = [(t, l) for l, t, _ in QUERIES]
        for lang in ('fr', 'nl', 'en'):
            # each language's vocabulary is loaded once per process
            search('vase', lang)
        results = timed(search, queries * args.iterations)
        suggestions = timed(suggest,
            [(t, l) for l, t in SUGGESTIONS] * args.iterations)
        hits = 0
        by_code = {p['code']: p for p in rows.values()}
        for lang, text, (kind, value) in QUERIES:
            ids = search(text, lang)
            if kind == 'code':
                names = by_code[value]['names']
                ok = any(rows[i]['names'] == names for i in ids[:5])
            else:
                ok = bool(ids) and rows[ids[0]][kind] == value
            hits += ok
            if not ok:
                print(f"miss[{lang}:{text}]", [rows[i]['names'][2]
                        for i in ids[:5]], file=sys.stderr)
    print(f"products={len(rows)}")
    print(f"terms={terms}")
    for lang, size in vocabulary.items():
        print(f"vocabulary_{lang}={size}")
    print(f"rebuild_s={rebuild:.1f}")
    for name, timings in [('suggestions', suggestions),
            ('results', results)]:
        print(f"{name}_p50_ms={statistics.median(timings):.1f}")
        print(f"{name}_p95_ms={stock_setup.percentile(timings, 95):.1f}")
    print(f"relevance={hits / len(QUERIES):.2f}")
    print(f"relevance_queries={len(QUERIES)}")


if __name__ == '__main__':
    main()
