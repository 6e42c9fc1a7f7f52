import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase

from urban_stock import availability, routing, transfer


def create_shop(name, code, **values):
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
                **values,
                }])
    Location.write([input_, output, storage], {'parent': shop.id})
    return shop


def create_products(count=1):
    pool = Pool()
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', 'Unit')])
    templates = Template.create([{
                'name': f"Product {i}", 'type': 'goods',
                'default_uom': unit.id, 'products': [('create', [{}])],
                } for i in range(count)])
    return [t.products[0] for t in templates]


def company_id():
    company, = Pool().get('company.company').search([], limit=1)
    return company.id


def put_stock(product, shop, quantity, state='done'):
    "Move quantity of product from lost and found into shop's storage"
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    lost, = Location.search([('type', '=', 'lost_found')], limit=1)
    move, = Move.create([{
                'product': product.id, 'unit': product.default_uom.id,
                'quantity': quantity, 'from_location': lost.id,
                'to_location': shop.storage_location.id,
                'effective_date': dt.date.today(),
                'company': company_id(),
                }])
    Move.do([move])
    return move


def ship_assigned(product, shop, quantity):
    "An assigned (reserved by Tryton) move out of shop's storage"
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    customer, = Location.search([('type', '=', 'customer')], limit=1)
    move, = Move.create([{
                'product': product.id, 'unit': product.default_uom.id,
                'quantity': quantity,
                'from_location': shop.storage_location.id,
                'to_location': customer.id,
                'planned_date': dt.date.today(),
                'unit_price': 0,
                'currency': Pool().get('company.company')(
                    company_id()).currency.id,
                'company': company_id(),
                }])
    with Transaction().set_context(_skip_warnings=True):
        Move.assign([move])
    return move


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
        """Opening hours must open before they close and tell if the shop is
        open"""
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

    def _setup_stock(self):
        company = create_company()
        self.company = company
        ghent = create_shop("Ghent", 'GNT', fulfils_online=True,
            pickup_enabled=True, safety_buffer=1,
            latitude=Decimal('51.05'), longitude=Decimal('3.72'))
        namur = create_shop("Namur", 'NAM', fulfils_online=True,
            pickup_enabled=True, latitude=Decimal('50.47'),
            longitude=Decimal('4.87'))
        depot = create_shop("Depot", 'DEP', fulfils_online=False)
        return ghent, namur, depot

    @with_transaction()
    def test_availability_one_query(self):
        "ATP = on hand - assigned - reservations - buffer, in one query"
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        ghent, namur, depot = self._setup_stock()
        p1, p2, p3 = create_products(3)
        put_stock(p1, ghent, 10)
        put_stock(p1, namur, 4)
        put_stock(p1, depot, 50)
        put_stock(p2, ghent, 1)
        ship_assigned(p1, ghent, 3)
        Reservation.reserve([(p1, 2)], ghent)

        result = availability.for_products([p1.id, p2.id, p3.id])
        self.assertEqual(result[(p1.id, ghent.id)], 10 - 3 - 2 - 1)
        self.assertEqual(result[(p1.id, namur.id)], 4)
        self.assertEqual(result[(p1.id, depot.id)], 50)
        self.assertEqual(result[(p2.id, ghent.id)], 0)  # buffer eats it
        self.assertEqual(result[(p3.id, ghent.id)], 0)
        self.assertEqual(result.totals, {p1.id: 8, p2.id: 0, p3.id: 0})
        self.assertEqual(result.reserved[(p1.id, ghent.id)], 5)
        only_namur = availability.for_products([p1.id], [namur.id])
        self.assertEqual(dict(only_namur), {(p1.id, namur.id): 4})

    @with_transaction()
    def test_reserve_bad_input(self):
        "Bad input raises a UserError and reserves nothing"
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        ghent, namur, _ = self._setup_stock()
        p1, p2 = create_products(2)
        put_stock(p1, ghent, 5)
        put_stock(p2, ghent, 2)
        for lines in [
                [(p1, 1), (999999, 1)],   # unknown product
                [(p1, 0)],                # zero
                [(p1, -2)],               # negative
                [(p1, 'abc')],            # not a number
                [(p1, 2), (p2, 5)],       # above availability (2 - 1)
                [],                       # nothing
                ]:
            with self.subTest(lines=lines):
                with self.assertRaises(UserError):
                    Reservation.reserve(lines, ghent)
                self.assertEqual(Reservation.search([]), [])
        with self.assertRaises(UserError):
            Reservation.reserve([(p1, 1)], 999999)
        self.assertEqual(Reservation.search([]), [])

        reservations = Reservation.reserve([(p1, 3), (p1, 1), (p2, 1)], ghent)
        self.assertEqual(
            sorted((r.product, r.quantity) for r in reservations),
            sorted([(p1, 4.0), (p2, 1.0)]))
        with self.assertRaises(UserError):
            Reservation.reserve([(p1, 1)], ghent)   # 5 - 4 - buffer 1

    @with_transaction()
    def test_unpaid_holds_are_bounded(self):
        """Unpaid holds: short, capped per holder and product, the last
        units kept from unverified holders; an accepted order no longer
        counts"""
        from urban_stock.reservation import HoldLimitError, LastUnitsError
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Configuration = pool.get('stock.configuration')
        Sale = pool.get('sale.sale')
        Party = pool.get('party.party')
        ghent, namur, _ = self._setup_stock()
        candle, vase = create_products(2)
        pool.get('product.template').write([candle.template],
            {'salable': True, 'sale_uom': candle.default_uom.id})
        put_stock(candle, namur, 20)
        put_stock(candle, ghent, 20)
        put_stock(vase, namur, 3)
        config = Configuration(1)
        self.assertEqual((config.unpaid_hold_minutes,
                config.unpaid_max_units, config.last_units), (15, 10, 2))
        config.unpaid_max_units = 4
        config.save()

        before = dt.datetime.now()
        held, = Reservation.reserve([(candle, 3)], namur,
            holder='web.user,1')
        self.assertEqual(held.holder, 'web.user,1')
        # (stored to the second)
        self.assertLessEqual(held.expires_at,
            dt.datetime.now() + dt.timedelta(minutes=15, seconds=1))
        self.assertGreater(held.expires_at,
            before + dt.timedelta(minutes=14))
        # the cap counts every shop and every unpaid order of the holder
        with self.assertRaises(HoldLimitError) as refusal:
            Reservation.reserve([(candle, 2)], ghent, holder='web.user,1')
        self.assertIn('at most 4', refusal.exception.message)
        self.assertEqual(refusal.exception.problem, 'unpaid_hold_limit')
        Reservation.reserve([(candle, 1)], ghent, holder='web.user,1')
        with self.assertRaises(HoldLimitError):
            Reservation.reserve([(candle, 1)], namur, holder='web.user,1')
        # another customer has their own allowance; no holder, no cap
        Reservation.reserve([(candle, 4)], namur, holder='web.user,2')
        Reservation.reserve([(candle, 6)], namur)
        self.assertEqual(len(Reservation.search([])), 4)

        # 3 vases: an unverified customer may hold 1, never the last 2
        with self.assertRaises(LastUnitsError) as refusal:
            Reservation.reserve([(vase, 2)], namur, holder='web.user,3',
                holder_verified=False)
        self.assertEqual(refusal.exception.problem,
            'email_verification_required')
        self.assertIn('last units', refusal.exception.message)
        Reservation.reserve([(vase, 1)], namur, holder='web.user,3',
            holder_verified=False)
        with self.assertRaises(LastUnitsError):
            Reservation.reserve([(vase, 1)], namur, holder='web.user,4',
                holder_verified=False)
        # a verified customer may take them; above the stock is plain
        # insufficient stock
        with self.assertRaises(UserError) as refusal:
            Reservation.reserve([(vase, 3)], namur, holder='web.user,5')
        self.assertNotIsInstance(refusal.exception,
            (LastUnitsError, HoldLimitError))
        Reservation.reserve([(vase, 2)], namur, holder='web.user,5')

        # once the order is accepted its units are no longer held unpaid
        party, = Party.create([{
                    'name': "Customer", 'addresses': [('create', [{}])]}])
        with set_company(self.company):
            sale, = Sale.create([{
                        'party': party.id, 'warehouse': ghent.id,
                        'company': self.company.id,
                        'currency': self.company.currency.id,
                        'invoice_address': party.addresses[0].id,
                        'shipment_address': party.addresses[0].id,
                        'lines': [('create', [{
                                        'product': candle.id, 'quantity': 4,
                                        'unit': candle.default_uom.id,
                                        'unit_price': Decimal('10'),
                                        }])],
                        }])
            Reservation.reserve([(candle, 4)], ghent, origin=sale,
                holder='web.user,6')
            with self.assertRaises(HoldLimitError):
                Reservation.reserve([(candle, 1)], ghent,
                    holder='web.user,6')
            Sale.quote([sale])
            Sale.confirm([sale])
        accepted, = Reservation.search([('origin', '=', str(sale))])
        self.assertIsNone(accepted.holder)
        Reservation.reserve([(candle, 4)], ghent, holder='web.user,6')

    @with_transaction()
    def test_expiry_and_consumption(self):
        "Expired reservations are released by the cron, units come back"
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Cron = pool.get('ir.cron')
        ghent, namur, _ = self._setup_stock()
        product, = create_products()
        put_stock(product, namur, 3)
        past = dt.datetime.now() - dt.timedelta(minutes=1)
        unpaid, = Reservation.reserve(
            [(product, 2)], namur, kind='checkout', expires_at=past)
        collect, = Reservation.reserve(
            [(product, 1)], namur, kind='click_collect')
        self.assertEqual(availability.for_products([product.id]).total(
                product.id), 0)
        self.assertIn(
            ('urban.stock.reservation|release_expired',),
            [(m,) for m, _ in Cron.method.selection])
        released = Reservation.release_expired()
        self.assertEqual(released, [unpaid])
        self.assertEqual(unpaid.state, 'released')
        self.assertEqual(collect.state, 'reserved')
        self.assertEqual(availability.for_products([product.id]).total(
                product.id), 2)
        Reservation.consume([collect])
        self.assertEqual(collect.state, 'consumed')
        self.assertEqual(availability.for_products([product.id]).total(
                product.id), 3)

    @with_transaction()
    def test_sale_confirmation_reserves(self):
        "Confirming a sale reserves its goods in its shop, all or nothing"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Party = pool.get('party.party')
        Reservation = pool.get('urban.stock.reservation')
        ghent, namur, _ = self._setup_stock()
        mug, vase = create_products(2)
        pool.get('product.template').write(
            [mug.template, vase.template],
            {'salable': True, 'sale_uom': mug.default_uom.id})
        put_stock(mug, namur, 3)
        put_stock(vase, namur, 1)
        party, = Party.create([{
                    'name': "Customer", 'addresses': [('create', [{}])]}])

        def sale(*lines):
            sale, = Sale.create([{
                        'party': party.id, 'warehouse': namur.id,
                        'company': self.company.id,
                        'currency': self.company.currency.id,
                        'invoice_address': party.addresses[0].id,
                        'shipment_address': party.addresses[0].id,
                        'lines': [('create', [{
                                        'product': p.id, 'quantity': q,
                                        'unit': p.default_uom.id,
                                        'unit_price': Decimal('10'),
                                        } for p, q in lines])],
                        }])
            return sale

        with set_company(self.company):
            # the app's checkout already holds one mug for this sale
            partly_held = sale((mug, 2))
            checkout, = Reservation.reserve(
                [(mug, 1)], namur, kind='checkout', origin=partly_held)
            Sale.quote([partly_held])
            Sale.confirm([partly_held])
            self.assertEqual(partly_held.state, 'confirmed')
            held = Reservation.search([
                    ('origin', '=', str(partly_held)),
                    ('state', '=', 'reserved')])
            self.assertEqual(
                sorted((r.kind, r.quantity) for r in held),
                [('checkout', 1), ('order', 1)])
            self.assertEqual({r.expires_at for r in held}, {None})
            self.assertEqual(availability.for_products(
                    [mug.id], [namur.id])[(mug.id, namur.id)], 1)

            # one mug is left: two mugs and a vase are refused as a whole
            too_much = sale((mug, 2), (vase, 1))
            Sale.quote([too_much])
            with self.assertRaises(UserError):
                Sale.confirm([too_much])
            self.assertFalse(Reservation.search([
                        ('origin', '=', str(too_much))]))
            self.assertEqual(availability.for_products(
                    [vase.id], [namur.id])[(vase.id, namur.id)], 1)

            Sale.draft([partly_held])
            self.assertEqual(
                {r.state for r in held}, {'released'})
            self.assertEqual(availability.for_products(
                    [mug.id], [namur.id])[(mug.id, namur.id)], 3)

    @with_transaction()
    def test_short_stock_refusal_explains(self):
        "Short stock is refused with what is available, on every backend"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Party = pool.get('party.party')
        Reservation = pool.get('urban.stock.reservation')
        ghent, namur, _ = self._setup_stock()
        mug, = create_products()
        pool.get('product.template').write([mug.template], {
                'salable': True, 'sale_uom': mug.default_uom.id})
        put_stock(mug, namur, 2)
        # the names are those of the product and shop ids, kept a minute
        # (and SQLite gives the ids of rolled back tests again)
        message = (r'^Only 2\.0 of "[^"]+" available in "[^"]+", '
            r'3\.0 requested\.$')
        with self.assertRaises(UserError) as refusal:
            Reservation.reserve([(mug, 3)], namur)
        self.assertRegex(refusal.exception.message, message)

        party, = Party.create([{
                    'name': "Customer", 'addresses': [('create', [{}])]}])
        with set_company(self.company):
            sale, = Sale.create([{
                        'party': party.id, 'warehouse': namur.id,
                        'company': self.company.id,
                        'currency': self.company.currency.id,
                        'invoice_address': party.addresses[0].id,
                        'shipment_address': party.addresses[0].id,
                        'lines': [('create', [{
                                        'product': mug.id, 'quantity': 3,
                                        'unit': mug.default_uom.id,
                                        'unit_price': Decimal('10'),
                                        }])],
                        }])
            Sale.quote([sale])
            with self.assertRaises(UserError) as refusal:
                Sale.confirm([sale])
        self.assertRegex(refusal.exception.message, message)
        self.assertEqual(Reservation.search([]), [])

    @with_transaction()
    def test_routing(self):
        "Delivery prefers the central room; click & collect proposes transfers"
        pool = Pool()
        Rule = pool.get('urban.stock.routing.rule')
        ghent, namur, depot = self._setup_stock()
        Rule.write(Rule.search([]), {'active': False})
        central = create_shop("Central", 'CEN', shop=False,
            fulfils_online=True)
        Rule.create([
                {'mode': 'delivery', 'sequence': 10,
                    'warehouse': central.id},
                {'mode': 'delivery', 'sequence': 20},
                {'mode': 'click_collect', 'sequence': 10,
                    'transfer_days': 3},
                ])
        p1, p2 = create_products(2)
        put_stock(p1, central, 5)
        put_stock(p1, ghent, 4)
        put_stock(p1, namur, 9)
        put_stock(p2, namur, 2)
        today = dt.date.today()

        plan = routing.route([(p1, 2)], 'delivery', date=today)
        self.assertEqual((plan['action'], plan['shop']), ('ship', central.id))
        plan = routing.route([(p1, 2), (p2, 1)], 'delivery',
            customer_coordinates=(51.0, 3.7), date=today)
        self.assertEqual((plan['action'], plan['shop']), ('ship', namur.id))

        plan = routing.route([(p1, 2)], 'click_collect', shop=ghent,
            date=today)
        self.assertEqual((plan['action'], plan['shop']), ('pickup', ghent.id))
        plan = routing.route([(p1, 2), (p2, 1)], 'click_collect', shop=ghent,
            date=today)
        self.assertEqual(plan['action'], 'unavailable')
        self.assertEqual(plan['missing'], {p2.id: 1})
        transfer_option, split_option = plan['options']
        self.assertEqual(transfer_option['action'], 'transfer')
        self.assertEqual(transfer_option['date'], today + dt.timedelta(3))
        self.assertEqual(transfer_option['transfers'], [{
                    'from': namur.id, 'to': ghent.id, 'product': p2.id,
                    'quantity': 1, 'date': today + dt.timedelta(3)}])
        self.assertEqual(split_option['action'], 'split')
        self.assertIn((p2.id, 1, namur.id), split_option['lines'])

        with set_company(self.company):
            shipment, = transfer.transfers_from_plan(transfer_option,
                reference="C&C 1")
        self.assertEqual(shipment.__name__, 'stock.shipment.internal')
        self.assertEqual(shipment.from_location, namur.storage_location)
        self.assertEqual(shipment.to_location, ghent.storage_location)
        self.assertEqual([(m.product, m.quantity) for m in shipment.moves],
            [(p2, 1)])
        with self.assertRaises(UserError):
            routing.route([(p1, 0)], 'delivery')
        with self.assertRaises(UserError):
            routing.route([(p1, 'two')], 'delivery')
        with self.assertRaises(UserError):
            routing.route([(p1, 1)], 'click_collect', shop=depot)

    @with_transaction()
    def test_order_transfer_follows_staff(self):
        """An order's transfer: the source shop's staff send it and the
        order's hold moves to the pickup shop; the pickup shop's staff
        cancel the order, and its transfer"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        Party = pool.get('party.party')
        User = pool.get('res.user')
        Shipment = pool.get('stock.shipment.internal')
        Reservation = pool.get('urban.stock.reservation')
        ModelData = pool.get('ir.model.data')
        ghent, namur, _ = self._setup_stock()
        mug, = create_products()
        pool.get('product.template').write([mug.template], {
                'salable': True, 'sale_uom': mug.default_uom.id})
        put_stock(mug, namur, 3)
        groups = [ModelData.get_id('urban_stock', 'group_shop_staff'),
            ModelData.get_id('stock', 'group_stock'),
            ModelData.get_id('sale', 'group_sale')]
        namur_staff, ghent_staff = User.create([{
                    'login': 'staff-%s' % shop.shop_code.lower(),
                    'name': shop.name,
                    'groups': [('add', groups)],
                    'shops': [('add', [shop.id])],
                    'companies': [('add', [self.company.id])],
                    'company': self.company.id,
                    } for shop in [namur, ghent]])
        party, = Party.create([{
                    'name': "Customer", 'addresses': [('create', [{}])]}])
        with set_company(self.company):
            sale, = Sale.create([{
                        'party': party.id, 'warehouse': ghent.id,
                        'company': self.company.id,
                        'currency': self.company.currency.id,
                        'invoice_address': party.addresses[0].id,
                        'shipment_address': party.addresses[0].id,
                        'click_collect': True,
                        'lines': [('create', [{
                                        'product': mug.id, 'quantity': 2,
                                        'unit': mug.default_uom.id,
                                        'unit_price': Decimal('10'),
                                        }])],
                        }])
            Sale.quote([sale])
            Reservation.reserve([(mug, 2)], namur, kind='transfer',
                origin=sale)
            shipment = transfer.create_transfer(namur, ghent, [(mug, 2)],
                reference=sale.number, order=sale)
            Sale.confirm([sale])
        held, = Reservation.search([('origin', '=', str(sale))])
        self.assertEqual((held.warehouse, held.state), (namur, 'reserved'))

        for user, action in [(namur_staff, 'send'), (ghent_staff, 'cancel')]:
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True,
                        company=self.company.id):
                if action == 'send':
                    Shipment.wait([Shipment(shipment.id)])
                    Shipment.assign_try([Shipment(shipment.id)])
                else:
                    Sale.draft([Sale(sale.id)])
                    Sale.cancel([Sale(sale.id)])
            if action == 'send':
                self.assertEqual(Shipment(shipment.id).state, 'assigned')
                held = Reservation(held.id)
                self.assertEqual((held.warehouse, held.state),
                    (ghent, 'reserved'))
        self.assertEqual(Shipment(shipment.id).state, 'cancelled')
        self.assertEqual(Reservation(held.id).state, 'released')

    @with_transaction()
    def test_matrix_and_low_stock(self):
        "The stock matrix shows each product per shop, low stock flagged"
        pool = Pool()
        Matrix = pool.get('urban.stock.matrix')
        ghent, namur, _ = self._setup_stock()
        p1, p2 = create_products(2)
        put_stock(p1, ghent, 10)
        put_stock(p2, ghent, 3)
        put_stock(p1, namur, 1)
        rows = {(r.product, r.warehouse): r for r in Matrix.search([
                    ('product', 'in', [p1.id, p2.id])])}
        self.assertEqual(rows[(p1, ghent)].available, 9)
        self.assertFalse(rows[(p1, ghent)].low_stock)
        self.assertEqual(rows[(p2, ghent)].available, 2)
        self.assertTrue(rows[(p2, ghent)].low_stock)
        low = Matrix.search([('low_stock', '=', True),
                ('warehouse', '=', namur.id)])
        self.assertEqual([(r.product, r.available) for r in low], [(p1, 1)])


del ModuleTestCase
