"""The catalogue search on the demo's catalogue (demo_catalog.py): a query
set of plurals, typos, accents, codes, EANs, brands, universes in French,
Dutch and English, each with the product it must find in the top 5.
Runs on PostgreSQL (`make test`) and SQLite alike:

    TRYTOND_DATABASE__URI=sqlite:// TRYTOND_DATABASE__PATH=/tmp/urban-sqlite \\
    DB_CACHE=/tmp/urban-sqlite-cache pytest urban_catalog/tests/test_search.py
"""
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import ActivatedTestCase

from . import demo_catalog

# (language, query, expected): ('code', product code) in the top 5, or the
# first result's ('article', key), ('universe', code) or ('creator', code)
QUERIES = [
    ('fr', 'vases', ('article', 'vase')),
    ('fr', 'bougies', ('article', 'candle')),
    ('fr', 'cousin', ('article', 'cushion')),
    ('fr', 'coussins', ('article', 'cushion')),
    ('fr', 'céramique', ('universe', 'ceramics')),
    ('fr', 'ceramiques', ('universe', 'ceramics')),
    ('fr', 'theiere', ('article', 'teapot')),
    ('fr', 'Théières', ('article', 'teapot')),
    ('fr', 'assietes', ('article', 'plate')),
    ('fr', 'vase sauge', ('code', 'CER-VAS-002')),
    ('fr', 'bougie marolles', ('code', 'HOM-CAN-083')),
    ('fr', 'echarpes', ('article', 'scarf')),
    ('fr', 'atelier lune', ('creator', 'LUNE')),
    ('fr', 'savonnerie', ('creator', 'MARAIS')),
    ('fr', "boucles d'oreille", ('article', 'earrings')),
    ('fr', 'bijoux', ('universe', 'jewellery')),
    ('fr', 'papeterie', ('universe', 'stationery')),
    ('fr', 'brumisateur minuit', ('code', 'PLA-MIS-129')),
    ('fr', 'paniers', ('article', 'basket')),
    ('fr', 'tasses', ('article', 'mug')),
    ('fr', 'tasse sabel', ('article', 'mug')),
    ('nl', 'vazen', ('article', 'vase')),
    ('nl', 'kaarsen', ('article', 'candle')),
    ('nl', 'kussens', ('article', 'cushion')),
    ('nl', 'keramiek', ('universe', 'ceramics')),
    ('nl', 'theepotten', ('article', 'teapot')),
    ('nl', 'spiegels', ('article', 'mirror')),
    ('nl', 'halsketting schelde', ('code', 'JEW-NEC-119')),
    ('nl', 'oorbelen', ('article', 'earrings')),
    ('nl', 'mok dune', ('code', 'CER-MUG-000')),
    ('nl', 'juwelen', ('universe', 'jewellery')),
    ('en', 'vases', ('article', 'vase')),
    ('en', 'candles', ('article', 'candle')),
    ('en', 'cushions', ('article', 'cushion')),
    ('en', 'neckalce', ('article', 'necklace')),
    ('en', 'teapots', ('article', 'teapot')),
    ('en', 'greeting cards', ('article', 'cards')),
    ('en', 'studio kerel', ('creator', 'KEREL')),
    ('en', 'ceramics', ('universe', 'ceramics')),
    ('en', 'plant misters', ('article', 'mister')),
    ('en', 'CER-VAS-002', ('code', 'CER-VAS-002')),
    ('nl', 'cer-vas-002', ('code', 'CER-VAS-002')),
    ('en', 'HOM-CAN-005', ('code', 'HOM-CAN-005')),
    ('fr', '5400001000200', ('code', 'CER-VAS-002')),
    ('en', '5400001014900', ('code', 'STA-BOO-149')),
    ('fr', 'CER-VAS-002-S', ('code', 'CER-VAS-002')),
    ]


def found(expected, ids, products):
    "Whether the results ids (best first) satisfy expected"
    kind, value = expected
    if kind == 'code':
        return products[value]['id'] in ids[:5]
    if not ids or ids[0] not in products:
        return False
    return products[ids[0]][kind] == value


def relevance(search, products, queries=QUERIES):
    "[(query, ids)] of the queries whose expected product search misses"
    misses = []
    for lang, text, expected in queries:
        ids = search(text, lang)
        if not found(expected, ids, products):
            misses.append(((lang, text, expected), ids[:5]))
    return misses


def products_index(codes):
    "{code or id: plan row with its id}"
    products = {}
    for row in demo_catalog.plan():
        row = dict(row, id=codes[row['code']])
        products[row['code']] = products[row['id']] = row
    return products


class SearchTestCase(ActivatedTestCase):
    "Catalogue search on the demo catalogue"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with Transaction().start(DB_NAME, 0) as transaction:
            cls.codes = demo_catalog.load()
            transaction.commit()

    def load(self):
        return products_index(self.codes)

    @with_transaction()
    def test_query_set(self):
        "Every query of the set finds its product in the top 5"
        Template = Pool().get('product.template')
        products = self.load()
        self.assertGreaterEqual(len(QUERIES), 30)
        misses = relevance(
            lambda t, l: Template.search_catalog(t, language=l, limit=20),
            products)
        self.assertEqual(misses, [])

    @with_transaction()
    def test_code_first(self):
        "An exact code or EAN comes before products that merely share words"
        Template = Pool().get('product.template')
        products = self.load()
        ids = Template.search_catalog('CER-VAS-002', 'fr')
        self.assertEqual(ids[0], products['CER-VAS-002']['id'])
        self.assertEqual(len(ids), 1)

    @with_transaction()
    def test_ranking_name_brand_description(self):
        "Words in the name before brand/universe before description"
        Template = Pool().get('product.template')
        products = self.load()
        # "sable": the colour in names (fr), and the brand Bijoux Sable
        ids = Template.search_catalog('sable', 'fr', limit=100)
        names = [products[i]['names'][0] for i in ids]
        in_name = [n for n in names if 'sable' in n.lower().split()]
        self.assertEqual(names[:len(in_name)], in_name)
        self.assertTrue(any(products[i]['creator'] == 'SABLE'
                and 'sable' not in products[i]['names'][0].lower().split()
                for i in ids))

    @with_transaction()
    def test_terms_follow_edits(self):
        "Renaming, translating, a new EAN or brand name are found at once"
        pool = Pool()
        Template = pool.get('product.template')
        Creator = pool.get('urban.creator')
        Identifier = pool.get('product.identifier')
        products = self.load()
        vase = Template(products['CER-VAS-002']['id'])
        with Transaction().set_context(language='nl'):
            Template.write([vase], {'name': "Bloemenvaas Dune"})
        self.assertEqual(Template.search_catalog('bloemenvaas', 'nl'),
            [vase.id])
        self.assertEqual(Template.search_catalog('bloemenvaas', 'fr'), [])
        Identifier.create([{'product': vase.products[0].id, 'type': 'ean',
                    'code': '4006381333931'}])
        self.assertEqual(Template.search_catalog('4006381333931', 'en'),
            [vase.id])
        lune, = Creator.search([('code', '=', 'LUNE')])
        Creator.write([lune], {'name': "Atelier Soleil"})
        self.assertIn(vase.id, Template.search_catalog('soleil', 'fr'))
        Template.write([vase], {'active': False})
        self.assertNotIn(vase.id,
            Template.search_catalog('soleil', 'fr', limit=100))

    @with_transaction()
    def test_suggestions(self):
        "Universes and product names for a prefix, in the reader's language"
        Template = Pool().get('product.template')
        self.load()
        suggestions = Template.search_suggestions('ce', 'fr')
        self.assertEqual(suggestions[0],
            {'kind': 'universe', 'id': suggestions[0]['id'],
                'name': "Céramique"})
        self.assertLessEqual(len(suggestions), 8)
        names = [s['name'] for s in Template.search_suggestions('bou', 'fr')]
        self.assertTrue(names)
        self.assertTrue(all(n.lower().startswith('bou') for n in names),
            names)
        names = [s['name'] for s in Template.search_suggestions('vaas', 'nl')]
        self.assertTrue(names and all(n.startswith('Vaas') for n in names))
        self.assertEqual(Template.search_suggestions('v', 'fr'), [])
