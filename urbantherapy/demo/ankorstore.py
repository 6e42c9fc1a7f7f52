"""The demo's Ankorstore brand: an account of urban_ankorstore pointing at
the Ankorstore emulator `make demo` starts, with the client secret and the
webhook secret in trytond's environment (ANKORSTORE_*), as production.

`ensure_demo_ankorstore` creates (or updates: the emulator's address
changes with each run) the account before trytond starts and returns the
variants the emulator sells: a few of the web shop's goods by SKU (their
code) at half their list price; `seed_orders` places retailers' orders
in the emulator, one of them beyond the stock (proposed for rejection).
"Poll Now" on the account (or its cron) imports them."""
from decimal import Decimal

ACCOUNT_NAME = "Urban Therapy on Ankorstore (emulated)"
ENV = 'ANKORSTORE'


def ensure_demo_ankorstore(database, url, client_id):
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool(database).init()
    with Transaction().start(database, 0, context={'active_test': False}
            ) as transaction:
        pool = Pool()
        Account = pool.get('urban.ankorstore.account')
        Company = pool.get('company.company')
        Shop = pool.get('web.shop')
        company, = Company.search([], limit=1)
        values = {'name': ACCOUNT_NAME, 'company': company.id,
            'base_url': url, 'client_id': client_id, 'credential_env': ENV,
            'active': True}
        accounts = Account.search([('name', '=', ACCOUNT_NAME)])
        if accounts:
            Account.write(accounts, values)
        else:
            values['warehouse'] = Account.default_warehouse()
            Account.create([values])
        shops = Shop.search([], limit=1)
        products = sorted((p for p in (shops[0].products if shops else [])
                if p.code and p.template.type == 'goods'),
            key=lambda p: p.code)[:6]
        variants = [(p.code, None, p.template.name,
                int((p.template.list_price or Decimal(0)) * 50))
            for p in products]
        transaction.commit()
    return variants


def seed_orders(fake):
    "Retailers' orders in the emulator (fake: FakeAnkorstore)"
    skus = list(fake.variants)
    if not skus:
        return
    fake.add_order([(skus[0], 2), (skus[-1], 1)], retailer=0)
    fake.add_order([(skus[len(skus) // 2], 3)], retailer=1)
    # more than any stock room holds: proposed for rejection
    fake.add_order([(skus[0], 999)], retailer=1)
