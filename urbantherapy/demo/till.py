"""The demo till: a Lightspeed X-Series account of the POS bridge with an
outlet in every shop, pointing at the till emulator `make demo` starts.

Created (or updated, the till's address and keys change with each run) in
the demo database before trytond starts; returns the till's catalogue
(shops, products by SKU and the shops' stock) in the shape the emulator
takes."""
from decimal import Decimal

ACCOUNT_NAME = "Demo till (emulated Lightspeed X-Series)"
VAT = Decimal('1.21')


def ensure_demo_till(database, till_url, token, secret):
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    from urban_stock import availability

    Pool(database).init()
    with Transaction().start(database, 0, context={'active_test': False}
            ) as transaction:
        pool = Pool()
        Account = pool.get('urban.pos.account')
        Company = pool.get('company.company')
        Location = pool.get('stock.location')
        Shop = pool.get('web.shop')
        company, = Company.search([], limit=1)
        shops = Location.search([('type', '=', 'warehouse'),
                ('shop', '=', True)], order=[('shop_code', 'ASC')])
        values = {'name': ACCOUNT_NAME, 'connector': 'lightspeed_x',
            'company': company.id, 'base_url': till_url,
            'access_token': token, 'webhook_secret': secret,
            'signature_check': True, 'active': True, 'match_by': 'sku'}
        accounts = Account.search([('name', '=', ACCOUNT_NAME)])
        if accounts:
            Account.write(accounts, values)
            account, = accounts
        else:
            account, = Account.create([values])
        # one outlet per shop across all accounts: the demo's history
        # records its till sales under a native account, whose outlets the
        # demo till takes over (its past sales stay where they are)
        Outlet = pool.get('urban.pos.outlet')
        outlets = {o.shop.id: o for o in Outlet.search([
                    ('shop', 'in', [s.id for s in shops])])}
        for shop in shops:
            outlet = outlets.get(shop.id)
            values = {'account': account.id, 'external_id': outlet_id(shop)}
            if outlet is None:
                Outlet.create([dict(values, shop=shop.id)])
            elif (outlet.account != account
                    or outlet.external_id != values['external_id']):
                Outlet.write([outlet], values)

        web_shop, = Shop.search([], limit=1)
        products = sorted((p for p in web_shop.products
                if p.code and p.template.type == 'goods'),
            key=lambda p: p.code)
        figures = availability.for_products([p.id for p in products],
            [s.id for s in shops])
        catalog = {
            'shops': [{'shop': s.shop_code, 'name': s.name,
                    'lightspeed_x_outlet_id': outlet_id(s)} for s in shops],
            'products': [{'sku': p.code, 'name': p.template.name,
                    'lightspeed_x_product_id': product_id(p),
                    'price': str(((p.template.list_price or Decimal(0))
                            * VAT).quantize(Decimal('0.01')))}
                for p in products],
            'initial_stock_before_fixtures': [
                {'shop': s.shop_code, 'sku': p.code,
                    'on_hand': float(figures.on_hand.get((p.id, s.id), 0))}
                for s in shops for p in products],
            }
        transaction.commit()
    return catalog


def outlet_id(shop):
    return 'demo-outlet-%s' % shop.shop_code.lower()


def product_id(product):
    return 'demo-product-%s' % product.id
