"Set-up shared by the Ankorstore tests: a stock room, products, an account"
import datetime as dt
import os

from trytond.pool import Pool

from urbantherapy.emulators import ankorstore as fake

ENV = 'UT_ANKOR_TEST'


def set_environment():
    os.environ[ENV + '_CLIENT_SECRET'] = fake.CLIENT_SECRET
    os.environ[ENV + '_WEBHOOK_SECRET'] = fake.WEBHOOK_SECRET


def create_warehouse(name, code, shop=False):
    Location = Pool().get('stock.location')
    input_, output, storage = Location.create([
            {'name': f"{name} input", 'type': 'storage'},
            {'name': f"{name} output", 'type': 'storage'},
            {'name': f"{name} storage", 'type': 'storage'},
            ])
    warehouse, = Location.create([{
                'name': name, 'type': 'warehouse', 'shop': shop,
                'shop_code': code, 'fulfils_online': True,
                'input_location': input_.id, 'output_location': output.id,
                'storage_location': storage.id,
                }])
    Location.write([input_, output, storage], {'parent': warehouse.id})
    return warehouse


def create_products():
    """The emulator's variants as products (code = SKU, EAN identifier),
    but the throw (unknown to Tryton); {sku: product}"""
    pool = Pool()
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', 'Unit')])
    result = {}
    for sku, ean, name, _ in fake.VARIANTS:
        if sku == 'UT-THROW-LIN':
            continue
        template, = Template.create([{
                    'name': name, 'type': 'goods', 'salable': True,
                    'default_uom': unit.id, 'sale_uom': unit.id,
                    'list_price': 20,
                    'products': [('create', [{
                                    'suffix_code': sku,
                                    'identifiers': [('create', [{
                                                    'type': 'ean',
                                                    'code': ean}])],
                                    }])]}])
        result[sku] = template.products[0]
    return result


def put_stock(product, warehouse, quantity, company):
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    lost, = Location.search([('type', '=', 'lost_found')], limit=1)
    move, = Move.create([{
                'product': product.id, 'unit': product.default_uom.id,
                'quantity': quantity, 'from_location': lost.id,
                'to_location': warehouse.storage_location.id,
                'effective_date': dt.date.today(), 'company': company.id,
                }])
    Move.do([move])


def setup_business(company, url):
    "(account, central room, shop, {sku: product}) with stock in both"
    Account = Pool().get('urban.ankorstore.account')
    set_environment()
    shop = create_warehouse("Gent", 'GNT', shop=True)
    central = create_warehouse("Central", 'CEN')
    products = create_products()
    put_stock(products['UT-CANDLE-FIG'], central, 10, company)
    put_stock(products['UT-MUG-TERRA'], central, 4, company)
    put_stock(products['UT-MUG-TERRA'], shop, 20, company)
    account, = Account.create([{
                'name': "Urban Therapy", 'company': company.id,
                'base_url': url, 'client_id': fake.CLIENT_ID,
                'credential_env': ENV, 'warehouse': central.id,
                }])
    return account, central, shop, products
