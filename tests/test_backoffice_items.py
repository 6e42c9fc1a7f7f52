"""What staff and managers do in the back office on the demo business,
through sao's own JSON-RPC calls (issue 24): returns of any channel's order
received in the staff member's shop, the manager's groups, and creating a
product (with variants, their attributes and an explicit publication) the
way the web client does it."""
import re
import unittest
import uuid

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from tests.test_demo_backoffice import BackOffice
from urbantherapy.demo import data
from urbantherapy.testing import activate_demo


class RPCError(Exception):
    pass


class Client(BackOffice):
    "BackOffice whose calls return the RPC error instead of asserting"

    def call(self, method, *params):
        response = self.client.post(self.url, json={
                'id': 1, 'method': method, 'params': list(params)},
            headers=getattr(self, 'headers', {}))
        if response.status_code != 200:
            raise PermissionError(response.status_code)
        body = response.json
        if body.get('error'):
            raise RPCError(body['error'])
        return body['result']

    def ctx(self, **values):
        return dict(self.context, **values)

    def rec_names(self, model, values, fields):
        """What sao does when a Many2One value comes without its name: it
        reads the record's rec_name (Sao.field.Many2One.set)"""
        for name, relation in fields.items():
            if values.get(name) is not None and values[name] >= 0 \
                    and not (values.get(name + '.') or {}).get('rec_name'):
                self.call('model.%s.read' % relation, [values[name]],
                    ['rec_name'], self.context)


def web_order_delivered(shop_code, quantity=2):
    """(sale id, number, product id) of a web-shop order shipped from
    shop_code to its customer"""
    with Transaction().start(DB_NAME, 0) as transaction:
        pool = Pool()
        Sale = pool.get('sale.sale')
        Shipment = pool.get('stock.shipment.out')
        Location = pool.get('stock.location')
        Product = pool.get('product.product')
        Party = pool.get('party.party')
        Company = pool.get('company.company')
        WebShop = pool.get('web.shop')
        company, = Company.search([], limit=1)
        warehouse, = Location.search([('shop_code', '=', shop_code)])
        Move = pool.get('stock.move')
        party, = Party.search([('addresses', '!=', None),
                ('b2b_state', '=', None)], limit=1)
        web_shop, = WebShop.search([], limit=1)
        lost_found, = Location.search([('type', '=', 'lost_found')],
            limit=1)
        with transaction.set_context(company=company.id,
                _skip_warnings=True):
            product, = Product.search([('salable', '=', True),
                    ('type', '=', 'goods')], limit=1, order=[('id', 'ASC')])
            Move.do(Move.create([{
                            'product': product.id,
                            'unit': product.default_uom.id,
                            'quantity': quantity + 20,
                            'from_location': lost_found.id,
                            'to_location': warehouse.storage_location.id,
                            }]))
            sale, = Sale.create([{
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': party.id, 'web_shop': web_shop.id,
                        'web_id': uuid.uuid4().hex,
                        'warehouse': warehouse.id,
                        'invoice_address': party.addresses[0].id,
                        'shipment_address': party.addresses[0].id,
                        'shipment_method': 'order',
                        'invoice_method': 'manual',
                        'lines': [('create', [{
                                        'product': product.id,
                                        'unit': product.sale_uom.id,
                                        'quantity': quantity,
                                        'unit_price': (
                                            product.template.list_price),
                                        }])],
                        }])
            Sale.quote([sale])
            Sale.confirm([sale])
            Sale.process([sale])
            shipment, = Sale(sale.id).shipments
            Shipment.assign_try([shipment])
            Shipment.pick([shipment])
            Shipment.pack([shipment])
            Shipment.do([shipment])
            assert Shipment(shipment.id).state == 'done'
        transaction.commit()
        return sale.id, Sale(sale.id).number, product.id


class BackOfficeItemsTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    # 4. returns of any channel's order received in the staff's shop

    def receive_from_menu(self, office, number, quantity, warehouse=None):
        """sao's calls for Sales > Receive Return, the order's number typed
        in; returns the 'start' defaults"""
        menu, = office.search_read('ir.ui.menu',
            [('id', '=', self.menu('urban_stock', 'menu_receive_return'))],
            ['action'])
        model, action_id = menu['action'].split(',')
        self.assertEqual(model, 'ir.action.wizard')
        context = office.ctx(active_model='ir.ui.menu',
            active_id=menu['id'], active_ids=[menu['id']],
            action_id=int(action_id))
        wizard = 'wizard.urban.stock.receive_return'
        session, _, _ = office.call(wizard + '.create', context)
        result = office.call(wizard + '.execute', session, {}, 'choose',
            context)
        self.assertEqual(result['view']['state'], 'find')
        result = office.call(wizard + '.execute', session,
            {'find': {'number': number}}, 'search', context)
        view = result['view']
        self.assertEqual(view['state'], 'start')
        defaults = view['defaults']

        def many2ones(model):
            return {n: f['relation'] for n, f in office.call(
                    'model.%s.fields_get' % model, None,
                    office.context).items() if f['type'] == 'many2one'}
        office.rec_names('urban.stock.receive_return.start', defaults,
            many2ones('urban.stock.receive_return.start'))
        line_many2ones = many2ones('urban.stock.receive_return.line')
        for line in defaults['lines']:
            office.rec_names('urban.stock.receive_return.line', line,
                line_many2ones)
        lines = [{k: v for k, v in l.items() if not k.endswith('.')}
            for l in defaults['lines']]
        for line in lines:
            line['quantity'] = quantity
        office.call(wizard + '.execute', session, {'start': {
                    'order': defaults['order'],
                    'channel': defaults['channel'],
                    'warehouse': warehouse or defaults['warehouse'],
                    'reason': "Too small",
                    'lines': lines,
                    }}, 'receive', context)
        office.call(wizard + '.delete', session, context)
        return defaults

    def test_staff_receive_web_order_return_in_their_shop(self):
        """A web order shipped from Brussels is brought back to Ghent: the
        Ghent staff receive it into Ghent's stock"""
        sale_id, number, product = web_order_delivered('BXL')
        office = Client('staff.gnt', data.DEMO_PASSWORD)
        ghent, = office.search_read('stock.location',
            [('shop_code', '=', 'GNT')], ['id'])
        defaults = self.receive_from_menu(office, number, 1)
        self.assertEqual(defaults['warehouse'], ghent['id'])
        self.assertEqual(len(defaults['lines']), 1)

        returns = office.search_read('sale.sale',
            [('return_state', '=', 'received'),
                ('reference', '=', number)],
            ['warehouse', 'return_channel', 'total_amount'])
        self.assertEqual(len(returns), 1)
        self.assertEqual(returns[0]['warehouse'], ghent['id'])
        with Transaction().start(DB_NAME, 0):
            Sale = Pool().get('sale.sale')
            return_sale = Sale(returns[0]['id'])
            self.assertEqual(return_sale.origin, Sale(sale_id))
            self.assertEqual(
                [(l.product.id, l.quantity) for l in return_sale.lines],
                [(product, -1.0)])
            self.assertEqual(
                [s.state for s in return_sale.shipment_returns], ['done'])

    def test_staff_still_cannot_read_other_shops_sales(self):
        "Receiving returns opens no other shop's sale to staff"
        sale_id, number, _ = web_order_delivered('ANT')
        office = Client('staff.gnt', data.DEMO_PASSWORD)
        self.assertEqual(office.search_read('sale.sale',
                [('id', '=', sale_id)], ['number']), [])
        self.assertEqual(office.search_read('sale.sale',
                [('number', '=', number)], ['number']), [])
        with self.assertRaises(RPCError):
            office.call('model.sale.sale.read', [sale_id], ['number'],
                office.context)
        with self.assertRaises(RPCError):
            office.call('model.sale.sale.write', [sale_id],
                {'comment': "mine now"}, office.context)
        line, = office.call('model.sale.line.search', [], 0, 1, None,
            office.ctx(active_test=False)) or [None]
        if line:
            # staff's own lines only
            self.assertNotIn(line, self.lines_of(sale_id))
        with self.assertRaises(RPCError):
            office.call('model.sale.line.read', self.lines_of(sale_id),
                ['quantity'], office.context)
        # nor can they put the goods into another shop's stock
        with Transaction().start(DB_NAME, 0):
            Location = Pool().get('stock.location')
            antwerp, = Location.search([('shop_code', '=', 'ANT')])
        with self.assertRaises(RPCError) as context:
            self.receive_from_menu(office, number, 1, warehouse=antwerp.id)
        # the access rule's error, in Dutch for Gent's staff
        self.assertIn("Voorraad locatie", context.exception.args[0][1][0])
        self.assertIn("Winkelpersoneel: locaties van de eigen winkels",
            context.exception.args[0][1][0])
        # after receiving it, the original stays closed to them
        self.receive_from_menu(office, number, 1)
        with self.assertRaises(RPCError):
            office.call('model.sale.sale.read', [sale_id], ['number'],
                office.context)

    def lines_of(self, sale_id):
        with Transaction().start(DB_NAME, 0):
            return [l.id for l in Pool().get('sale.sale')(sale_id).lines]

    # 5 a) the manager sees the analytics

    def test_manager_has_analytics(self):
        """The manager opens Back Office > Analytics and its company-wide
        KPI board; shop staff see their shop's figures there, not the board"""
        kpi_board = [('id', '=', self.kpi_menu())]
        office = Client('manager', data.DEMO_PASSWORD)
        menus = office.search_read('ir.ui.menu',
            [('id', '=', self.menu('urban_analytics', 'menu_analytics')),
                ('parent', '=',
                    self.menu('urban_analytics', 'menu_back_office'))],
            ['name'])
        # in her language
        self.assertEqual([m['name'] for m in menus], ["Analyses"])
        self.assertEqual(len(office.search_read('ir.ui.menu', kpi_board,
                    ['name'])), 1)
        staff = Client('staff.gnt', data.DEMO_PASSWORD)
        self.assertEqual(
            staff.search_read('ir.ui.menu', kpi_board, ['name']), [])

    @classmethod
    def kpi_menu(cls):
        return cls.menu('urban_analytics', 'menu_kpi')

    @staticmethod
    def menu(module, xml_id):
        "The id of a menu entry (users read its name in their language)"
        with Transaction().start(DB_NAME, 0, readonly=True):
            ModelData = Pool().get('ir.model.data')
            return ModelData.get_id(module, xml_id)

    # 5 c) d) creating a product with variants the way sao does it

    def sao_new(self, office, model, view, parent=None, parent_field=None):
        """sao's calls for a new record in a form view: default_get, then
        on_change and on_change_with of the defaulted fields with a
        negative id. Returns the record's values."""
        fields = view['fields']
        values = office.call('model.%s.default_get' % model, list(fields),
            office.context)
        if parent is not None:
            values[parent_field] = parent['id']
        record = {'id': parent['id'] - 1 if parent else -1}
        for name, field in fields.items():
            if name == 'id':
                continue
            if field['type'] in {'one2many', 'many2many'}:
                record[name] = values.get(name) or []
            elif field['type'] == 'boolean':
                record[name] = bool(values.get(name))
            else:
                record[name] = values.get(name)
            if field['type'] == 'many2one':
                office.rec_names(model, values, {name: field['relation']})
        if parent is not None:
            record['_parent_' + parent_field] = parent
        self.sao_changes(office, model, fields, record, list(values))
        return record

    def args(self, record, names):
        result = {}
        for name in names:
            if name in record:
                result[name] = record[name]
            elif '.' in name:
                head, tail = name.split('.', 1)
                if isinstance(record.get(head), dict) \
                        and tail in record[head]:
                    result[name] = record[head][tail]
        return result

    def sao_changes(self, office, model, fields, record, changed):
        "Record.on_change then Record.on_change_with of sao"
        values = {}
        for name in changed:
            if fields.get(name, {}).get('on_change'):
                values.update(self.args(record, fields[name]['on_change']))
        if values:
            values['id'] = record['id']
            result = office.call('model.%s.on_change' % model, values,
                changed, office.context)
            record.update({k: v for k, v in result.items() if k in fields})
        names, values = [], {}
        for name, field in fields.items():
            depends = field.get('on_change_with') or []
            if set(depends) & set(changed):
                names.append(name)
                values.update(self.args(record, depends + [name]))
        if names:
            values['id'] = record['id']
            result = office.call('model.%s.on_change_with' % model, values,
                names, office.context)
            record.update({k: v for k, v in result.items() if k in fields})

    def view(self, office, model, view_id=None):
        return office.call('model.%s.fields_view_get' % model, view_id,
            'form', office.context)

    def test_manager_creates_product_like_sao(self):
        """New product, then a new variant in the embedded list: no error
        pop-up, the variants take their colour, not published until told"""
        office = Client('manager', data.DEMO_PASSWORD)
        form = self.view(office, 'product.template')
        template = self.sao_new(office, 'product.template', form)
        published_by_default = template['channels']

        # the variants' views embedded in the product form
        match = re.search(r'<field [^>]*name="products"[^>]*>',
            form['arch'])
        view_ids = re.search(r'view_ids="([^"]*)"', match.group(0))
        variant_views = [int(v) for v in view_ids.group(1).split(',')]
        variant_form = self.view(office, 'product.product',
            variant_views[0])
        variant_tree = office.call('model.product.product.fields_view_get',
            variant_views[1], 'tree', office.context)
        for view in [variant_form, variant_tree]:
            self.assert_loads_depends(office, 'product.product', view)
        # the default variant of a new product: its list changed
        self.sao_changes(office, 'product.template', form['fields'],
            template, ['products'])

        colour, = office.search_read('product.attribute.set',
            [('name', '=', "Colour")], ['id'])
        unit, = office.search_read('product.uom',
            [('symbol', '=', 'u')], ['id'])
        template.update({'name': "Linen cushion", 'default_uom': unit['id'],
                'attribute_set': colour['id'],
                'list_price': '20.6612'})
        self.sao_changes(office, 'product.template', form['fields'],
            template, ['name', 'default_uom', 'attribute_set', 'list_price'])

        variants = []
        for value in ['ochre', 'sage']:
            variant = self.sao_new(office, 'product.product', variant_form,
                parent=template, parent_field='template')
            variant['attributes'] = {'colour': value}
            variant['suffix_code'] = '-' + value[:3].upper()
            self.sao_changes(office, 'product.product',
                variant_form['fields'], variant,
                ['attributes', 'suffix_code'])
            variants.append(variant)
            template['products'] = [
                ('create', [self.save_values(v, variant_form['fields'],
                            'template') for v in variants])]
            self.sao_changes(office, 'product.template', form['fields'],
                template, ['products'])

        # the variants' attributes are edited in the product form
        self.assertIn('attributes', variant_form['fields'])
        self.assertIn('attributes_name', variant_tree['fields'])
        self.assertIn('editable="1"', variant_tree['arch'])
        self.assertEqual(published_by_default, [])
        category, = office.search_read('product.category',
            [('name', '=', "Goods 21% VAT")], ['id'])
        values = self.save_values(template, form['fields'])
        values['account_category'] = category['id']
        values['products'] = [('create', [
                    self.save_values(v, variant_form['fields'], 'template')
                    for v in variants])]
        template_id, = office.call('model.product.template.create',
            [values], office.context)
        saved, = office.search_read('product.template',
            [('id', '=', template_id)], ['channels', 'products'])
        self.assertEqual(saved['channels'], [])
        products = office.search_read('product.product',
            [('template', '=', template_id)], ['attributes', 'code'],
            )
        self.assertEqual(sorted(p['attributes']['colour'] for p in products),
            ['ochre', 'sage'])

    def assert_loads_depends(self, office, model, view):
        """The client sends to on_change only the fields of its view: a
        list the server must fill in itself for a new record is refused by
        Tryton (ModelView._changed_values), so every such field an on_change
        depends on must be in the view"""
        fields = office.call('model.%s.fields_get' % model, None,
            office.context)
        missing = set()
        for field in view['fields'].values():
            for name in (field.get('on_change') or []) + (
                    field.get('on_change_with') or []):
                if (name in fields and name not in view['fields']
                        and fields[name]['type'] in {
                            'one2many', 'many2many'}):
                    missing.add(name)
        self.assertEqual(missing, set())

    def save_values(self, record, fields, parent_field=None):
        "What sao saves of a new record: its set, writable fields"
        values = {}
        for name, value in record.items():
            if name not in fields or name == parent_field \
                    or name.startswith('_') or value in (None, [], {}):
                continue
            field = fields[name]
            if field.get('readonly') or field['type'] in {
                    'one2many', 'many2many'} or name.endswith('_name'):
                continue
            if field['type'] == 'float' and False:
                continue
            values[name] = value
        return values

    # 5 e) f) publication is explicit and needs taxes

    def test_publish_needs_customer_taxes(self):
        office = Client('manager', data.DEMO_PASSWORD)
        unit, = office.search_read('product.uom',
            [('symbol', '=', 'u')], ['id'])
        template_id, = office.call('model.product.template.create', [{
                    'name': "Untaxed vase", 'default_uom': unit['id'],
                    'sale_uom': unit['id'],
                    'type': 'goods', 'salable': True,
                    'list_price': '24.79',
                    'products': [('create', [{}])]}], office.context)
        saved, = office.search_read('product.template',
            [('id', '=', template_id)], ['channels'])
        self.assertEqual(saved['channels'], [])
        with self.assertRaises(RPCError) as context:
            office.call('model.product.template.publish', [template_id],
                office.context)
        self.assertEqual(context.exception.args[0][0], 'UserError')
        self.assertIn("Untaxed vase", context.exception.args[0][1][0])
        self.assertIn("tax", context.exception.args[0][1][0])
        category, = office.search_read('product.category',
            [('name', '=', "Goods 21% VAT")], ['id'])
        office.call('model.product.template.write', [template_id],
            {'account_category': category['id']}, office.context)
        office.call('model.product.template.publish', [template_id],
            office.context)
        saved, = office.search_read('product.template',
            [('id', '=', template_id)], ['channels.code'])
        self.assertEqual(sorted(c['code'] for c in saved['channels.']),
            ['app', 'pos', 'pro', 'web'])


if __name__ == '__main__':
    unittest.main()
