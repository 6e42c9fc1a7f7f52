from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanCatalogTestCase(ModuleTestCase):
    "Test Urban Catalog module"
    module = 'urban_catalog'

    @with_transaction()
    def test_creator_code_unique(self):
        "Two creators cannot share a code"
        Creator = Pool().get('urban.creator')
        Creator.create([{'name': "Urban Therapy", 'code': 'UT',
                    'kind': 'own_brand'}])
        with self.assertRaises(UserError):
            Creator.create([{'name': "Other", 'code': 'UT'}])

    @with_transaction()
    def test_template_universe_must_be_universe(self):
        "A product's universe must be a category flagged as universe"
        pool = Pool()
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        unit, = Uom.search([('symbol', '=', 'u')])
        plain, universe = Category.create([
                {'name': "Plain"},
                {'name': "Ceramics", 'universe': True},
                ])
        template, = Template.create([{
                    'name': "Mug", 'default_uom': unit.id,
                    'universe': universe.id}])
        self.assertEqual(template.universe, universe)
        with self.assertRaises(UserError):
            Template.write([template], {'universe': plain.id})


del ModuleTestCase
