"""The demo's catalogue (urbantherapy/demo: loader.load_products) without
pictures, prices or stock: its creators, universes and products named,
coded and EAN-numbered as `make demo` makes them, for the search's query
set (test_search.py) and bench/search.py."""
from trytond.pool import Pool
from trytond.transaction import Transaction

from urbantherapy.demo import data


def plan(count=data.TARGET_PRODUCTS):
    """[dict] of the demo's products: n, universe, article key, creator
    code, names (fr, nl, en), code, variant suffixes and EANs"""
    articles = [(u, a) for u in data.ARTICLES for a in data.ARTICLES[u]]
    result = []
    for n in range(count):
        universe, article = articles[n % len(articles)]
        finish = data.FINISHES[(n * 7) % len(data.FINISHES)]
        collection = data.COLLECTIONS[
            (n // len(articles)) % len(data.COLLECTIONS)]
        key, label, _, creators, _, _, axis = article
        names = tuple('%s %s %s' % (label[i], collection[i],
                finish[0][i].lower() if i < 2 else finish[0][i])
            for i in range(3))
        if axis:
            # the demo picks 2 to all of them at random: keep 2
            variants = [(suffix, data.ean13('540%09d' % (
                            n * 10 + i + 100000)))
                for i, (suffix, _) in enumerate(data.VARIANT_AXES[axis][:2])]
        else:
            variants = [(None, data.ean13('540%09d' % (n * 10 + 100000)))]
        result.append({'n': n, 'universe': universe, 'article': key,
                'creator': creators[n % len(creators)], 'names': names,
                'code': '%s-%s-%03d' % (universe[:3].upper(),
                    key[:3].upper(), n),
                'variants': variants})
    return result


def load(count=data.TARGET_PRODUCTS):
    "Create the catalogue; returns {code: template id}"
    pool = Pool()
    Lang = pool.get('ir.lang')
    Creator = pool.get('urban.creator')
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Term = pool.get('urban.search.term')
    transaction = Transaction()
    Lang.write(Lang.search([('code', 'in', ['fr', 'nl'])]),
        {'translatable': True})
    unit, = Uom.search([('symbol', '=', 'u')])
    with transaction.set_context(_urban_search_defer=True):
        creators = dict(zip([c[0] for c in data.CREATORS], Creator.create([
                        {'code': code, 'name': name, 'kind': kind}
                        for code, name, kind, _, _ in data.CREATORS])))
        universes = dict(zip([u[0] for u in data.UNIVERSES],
                Category.create([{'name': names[2], 'universe': True,
                                'universe_sequence': i}
                        for i, (_, names, _) in enumerate(data.UNIVERSES)])))
        for lang, i in (('fr', 0), ('nl', 1)):
            with transaction.set_context(language=lang):
                for code, names, _ in data.UNIVERSES:
                    Category.write([Category(universes[code].id)],
                        {'name': names[i]})
        products = plan(count)
        # in batches: SQLite's validation of 150 codes at once recurses too
        # deep in python-sql
        templates = []
        for start in range(0, len(products), 25):
            templates += Template.create([{
                        'name': p['names'][2], 'code': p['code'],
                        'type': 'goods', 'default_uom': unit.id,
                        'salable': True, 'sale_uom': unit.id,
                        'universe': universes[p['universe']].id,
                        'creator': creators[p['creator']].id,
                        'description_long': (
                            "%s by %s. Designed in Belgium, made in small "
                            "batches." % (p['names'][2],
                                creators[p['creator']].name)),
                        'products': [('create', [{
                                        'suffix_code': '-' + s if s else None,
                                        'identifiers': [('create', [{
                                                        'type': 'ean',
                                                        'code': ean}])],
                                        } for s, ean in p['variants']])],
                        } for p in products[start:start + 25]])
        for lang, i, pattern in (
                ('fr', 0, "%s de %s. Dessiné en Belgique, fabriqué en "
                    "petites séries."),
                ('nl', 1, "%s van %s. Ontworpen in België, in kleine "
                    "reeksen gemaakt.")):
            with transaction.set_context(language=lang):
                for template, p in zip(templates, products):
                    Template.write([Template(template.id)], {
                            'name': p['names'][i],
                            'description_long': pattern % (
                                p['names'][i], creators[p['creator']].name),
                            })
    Term.rebuild()
    return {p['code']: t.id for p, t in zip(products, templates)}
