"""Catalogue search benchmark: `product.template.search_catalog` on a
generated catalogue with French and Dutch translations.

Generates (bulk SQL) --products templates named from a vocabulary with
accents (English names in the column, French and Dutch ones in
ir_translation, a long description per language) and --creators creators,
then times search_catalog for a set of French, Dutch and English queries
(accent-free, multi-word, brand, misspelt) and reports whether PostgreSQL
uses the GIN trigram indexes (EXPLAIN of the candidate look-up).

Prints products=, translations=, queries=, p50_ms=, p95_ms=, max_ms=,
trigram_index_used=.

Usage: .venv/bin/python bench/catalog_search.py [--products 20000]
    [--iterations 20]
"""
import argparse
import pathlib
import statistics
import sys
import time

import stock_setup

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = 'bench_catalog_search'

ARTICLES = [  # en, fr, nl
    ("Vase", "Vase", "Vaas"), ("Bowl", "Bol", "Kom"),
    ("Cushion", "Coussin", "Kussen"), ("Throw", "Plaid", "Plaid"),
    ("Candle", "Bougie", "Kaars"), ("Mug", "Tasse", "Mok"),
    ("Lamp", "Lampe", "Lamp"), ("Tray", "Plateau", "Dienblad"),
    ("Carafe", "Carafe", "Karaf"), ("Basket", "Panier", "Mand"),
    ]
MATERIALS = [
    ("ceramic", "en céramique", "keramiek"),
    ("linen", "en lin lavé", "linnen"),
    ("stoneware", "en grès émaillé", "steengoed"),
    ("oak", "en chêne", "eiken"), ("glass", "en verre soufflé", "glas"),
    ("wool", "en laine bouclée", "wol"), ("rattan", "en rotin", "rotan"),
    ]
COLOURS = [
    ("sand", "sable", "zand"), ("terracotta", "terre cuite", "terracotta"),
    ("sage", "sauge", "salie"), ("ivory", "ivoire", "ivoor"),
    ("ochre", "ocre", "oker"), ("midnight", "bleu nuit", "nachtblauw"),
    ]
QUERIES = [
    ('fr', 'ceramique'), ('fr', 'vase ceramique'), ('fr', 'gres emaille'),
    ('fr', 'coussin lin sable'), ('fr', 'noe'), ('fr', 'chene'),
    ('nl', 'keramiek vaas'), ('nl', 'linnen'), ('en', 'stoneware bowl'),
    ('en', 'terracotta'), ('fr', 'ceramiqe'), ('fr', 'zzzz'),
    ]


def generate(products):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Uom = pool.get('product.uom')
    Creator = pool.get('urban.creator')
    Lang = pool.get('ir.lang')
    Lang.write(Lang.search([('code', 'in', ['fr', 'nl'])]),
        {'translatable': True})
    unit, = Uom.search([('name', '=', 'Unit')])
    creators = Creator.create([
            {'name': n, 'code': 'C%s' % i} for i, n in enumerate([
                    "Atelier Noé", "Urban Therapy", "Maison Brûlé",
                    "Studio Søren", "Fabrique Hélène", "De Keramist"])])
    rows = []
    for i in range(products):
        a = ARTICLES[i % len(ARTICLES)]
        m = MATERIALS[(i // len(ARTICLES)) % len(MATERIALS)]
        c = COLOURS[(i // (len(ARTICLES) * len(MATERIALS))) % len(COLOURS)]
        n = i // (len(ARTICLES) * len(MATERIALS) * len(COLOURS))
        rows.append((
                '%s %s %s %s' % (c[0].capitalize(), m[0], a[0].lower(), n),
                '%s %s %s %s' % (a[1], m[1], c[1], n),
                '%s %s %s %s' % (a[2], m[2], c[2], n),
                creators[i % len(creators)].id))
    cursor = Transaction().connection.cursor()
    t0 = time.monotonic()
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        args = []
        for en, fr, nl, creator in chunk:
            args += [en, 'Handmade %s, small batches.' % en, creator, unit.id]
        cursor.execute(
            'INSERT INTO product_template (name, description_long, creator, '
            'default_uom, type, active, consumable, create_uid, create_date) '
            'VALUES ' + ', '.join(
                ["(%s, %s, %s, %s, 'goods', true, false, 0, now())"]
                * len(chunk)) + ' RETURNING id', args)
        ids = [r[0] for r in cursor.fetchall()]
        args = []
        for id_, (en, fr, nl, _) in zip(ids, chunk):
            for lang, value, desc in [
                    ('fr', fr, '%s, fait main en petites séries.' % fr),
                    ('nl', nl, '%s, handgemaakt in kleine reeksen.' % nl)]:
                args += [id_, lang, 'product.template,name', value, en]
                args += [id_, lang, 'product.template,description_long',
                    desc, '']
        cursor.execute(
            'INSERT INTO ir_translation (res_id, lang, name, value, src, '
            "type, module, fuzzy, create_uid, create_date) VALUES "
            + ', '.join(["(%s, %s, %s, %s, %s, 'model', 'urban_catalog', "
                    "false, 0, now())"] * (len(chunk) * 4)), args)
    cursor.execute('ANALYZE product_template')
    cursor.execute('ANALYZE ir_translation')
    cursor.execute('ANALYZE urban_creator')
    print(f"generate_s={time.monotonic() - t0:.1f}", file=sys.stderr)


def measure(iterations):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Template = Pool().get('product.template')
    timings, counts = [], {}
    for _ in range(iterations):
        for lang, text in QUERIES:
            start = time.perf_counter()
            ids = Template.search_catalog(text, language=lang, limit=24)
            timings.append((time.perf_counter() - start) * 1000)
            counts[(lang, text)] = len(ids)
    for (lang, text), count in counts.items():
        print(f"hits[{lang}:{text}]={count}", file=sys.stderr)
    cursor = Transaction().connection.cursor()
    cursor.execute(
        "EXPLAIN SELECT res_id FROM ir_translation WHERE type = 'model' "
        "AND name IN ('product.template,name', "
        "'product.template,description_long') "
        "AND urban_search_norm(value) LIKE '%%ceramique%%'")
    plan = '\n'.join(r[0] for r in cursor.fetchall())
    timings.sort()
    return {
        'queries': len(timings),
        'p50_ms': statistics.median(timings),
        'p95_ms': timings[int(len(timings) * .95) - 1],
        'max_ms': timings[-1],
        'trigram_index_used': int('urban_search_translation_trgm' in plan),
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--products', type=int, default=20000)
    parser.add_argument('--iterations', type=int, default=20)
    args = parser.parse_args()
    stock_setup.prepare(DATABASE, modules=['urban_catalog'])
    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    with Transaction().start(DB_NAME, 0, context={'language': 'en'}):
        generate(args.products)
        # the rows were inserted behind the ORM: build their search terms
        Pool().get('urban.search.term').rebuild()
        result = measure(args.iterations)
    print(f"products={args.products}")
    print(f"translations={args.products * 4}")
    for key, value in result.items():
        print(f"{key}={value:.1f}" if isinstance(value, float)
            else f"{key}={value}")


if __name__ == '__main__':
    main()
