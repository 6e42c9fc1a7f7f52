import datetime as dt

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


def create_shop(name, code):
    "Create a warehouse flagged as shop with its standard sub-locations"
    Location = Pool().get('stock.location')
    input_, output, storage = Location.create([
            {'name': f"{name} input", 'type': 'storage'},
            {'name': f"{name} output", 'type': 'storage'},
            {'name': f"{name} storage", 'type': 'storage'},
            ])
    shop, = Location.create([{
                'name': name, 'type': 'warehouse', 'shop': True,
                'shop_code': code, 'input_location': input_.id,
                'output_location': output.id,
                'storage_location': storage.id,
                }])
    Location.write([input_, output, storage], {'parent': shop.id})
    return shop


class UrbanStockTestCase(ModuleTestCase):
    "Test Urban Stock module"
    module = 'urban_stock'

    @with_transaction()
    def test_shop_code_unique(self):
        "Two shops cannot share a code, whatever its case"
        create_shop("Ghent", 'GNT')
        with self.assertRaises(UserError):
            create_shop("Ghent bis", 'gnt')

    @with_transaction()
    def test_opening_hours(self):
        "Opening hours must open before they close and tell if the shop is open"
        Hours = Pool().get('urban.shop.opening_hours')
        shop = create_shop("Leuven", 'LEU')
        Hours.create([{'shop': shop.id, 'weekday': '5',
                    'opens': dt.time(10), 'closes': dt.time(18)}])
        saturday = dt.datetime(2026, 11, 28, 11, 0)
        self.assertTrue(shop.is_open(saturday))
        self.assertFalse(shop.is_open(saturday.replace(hour=19)))
        self.assertFalse(shop.is_open(saturday + dt.timedelta(days=1)))
        with self.assertRaises(UserError):
            Hours.create([{'shop': shop.id, 'weekday': '0',
                        'opens': dt.time(18), 'closes': dt.time(10)}])

    @with_transaction()
    def test_shop_staff_see_only_their_shop(self):
        "A shop staff member sees the locations of their shop, not others'"
        pool = Pool()
        User = pool.get('res.user')
        Location = pool.get('stock.location')
        ModelData = pool.get('ir.model.data')
        staff_group = ModelData.get_id('urban_stock', 'group_shop_staff')
        stock_group = ModelData.get_id('stock', 'group_stock')
        ghent = create_shop("Ghent", 'GNT')
        namur = create_shop("Namur", 'NAM')
        staff, manager = User.create([{
                    'login': 'staff', 'name': "Staff",
                    'groups': [('add', [staff_group, stock_group])],
                    'shops': [('add', [ghent.id])],
                    }, {
                    'login': 'manager', 'name': "Manager",
                    'groups': [('add', [stock_group])],
                    }])
        domain = [('type', '=', 'warehouse'),
            ('id', 'in', [ghent.id, namur.id])]
        with Transaction().set_user(staff.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(Location.search(domain), [ghent])
            self.assertIn(ghent.storage_location,
                Location.search([('type', '=', 'storage')]))
            self.assertNotIn(namur.storage_location,
                Location.search([('type', '=', 'storage')]))
        with Transaction().set_user(manager.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(set(Location.search(domain)), {ghent, namur})


del ModuleTestCase
