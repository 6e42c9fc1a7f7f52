"Set-up shared by the POS bridge tests: shops, products, stock, accounts"
import datetime as dt

from trytond.pool import Pool

from urbantherapy.emulators import pos as fake_pos

SHOPS = ['gent', 'antwerpen', 'brussel']


def create_shop(name):
    Location = Pool().get('stock.location')
    input_, output, storage = Location.create([
            {'name': f"{name} input", 'type': 'storage'},
            {'name': f"{name} output", 'type': 'storage'},
            {'name': f"{name} storage", 'type': 'storage'},
            ])
    shop, = Location.create([{
                'name': name, 'type': 'warehouse', 'shop': True,
                'shop_code': name[:3].upper(), 'fulfils_online': True,
                'input_location': input_.id, 'output_location': output.id,
                'storage_location': storage.id,
                }])
    Location.write([input_, output, storage], {'parent': shop.id})
    return shop


def create_catalogue():
    "Products of catalog_map.json (code = SKU); {sku: product}"
    pool = Pool()
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', 'Unit')])
    result = {}
    for row in fake_pos.catalog()['products']:
        template, = Template.create([{
                    'name': row['name'], 'type': 'goods', 'code': row['sku'],
                    'default_uom': unit.id, 'list_price': 10,
                    'products': [('create', [{}])]}])
        result[row['sku']] = template.products[0]
    return result


def put_stock(product, shop, quantity, company):
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    lost, = Location.search([('type', '=', 'lost_found')], limit=1)
    move, = Move.create([{
                'product': product.id, 'unit': product.default_uom.id,
                'quantity': quantity, 'from_location': lost.id,
                'to_location': shop.storage_location.id,
                'effective_date': dt.date.today(), 'company': company.id,
                }])
    Move.do([move])


def setup_business(company):
    "Shops, products and the starting stock of catalog_map.json"
    shops = {name: create_shop(name) for name in SHOPS}
    products = create_catalogue()
    for row in fake_pos.catalog()['initial_stock_before_fixtures']:
        if row['shop'] in shops:
            put_stock(products[row['sku']], shops[row['shop']],
                row['on_hand'], company)
    return shops, products


def create_account(connector, url, shops, company, **values):
    Account = Pool().get('urban.pos.account')
    key = {'lightspeed_x': 'lightspeed_x_outlet_id',
        'square': 'square_location_id'}[connector]
    refs = {s['shop']: s[key] for s in fake_pos.catalog()['shops']}
    secret = {'lightspeed_x': fake_pos.LSX_SECRET,
        'square': fake_pos.SQUARE_KEY}[connector]
    account, = Account.create([{
                'name': connector, 'connector': connector,
                'company': company.id, 'base_url': url,
                'access_token': fake_pos.TOKEN, 'webhook_secret': secret,
                'notification_url': fake_pos.SQUARE_URL,
                'outlets': [('create', [{'shop': shop.id,
                                'external_id': refs[name]}
                            for name, shop in shops.items()
                            if refs.get(name)])],
                **values}])
    return account


def on_hand(product, shop):
    from urban_stock import availability
    figures = availability.for_products([product.id], [shop.id])
    return figures.on_hand.get((product.id, shop.id), 0.0)
