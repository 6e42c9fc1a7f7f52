"""The demo's Ankorstore brand: an account of urban_ankorstore pointing at
the Ankorstore emulator `make demo` starts, with the client secret and the
webhook secret in trytond's environment (ANKORSTORE_*), as production.

`ensure_demo_ankorstore` creates (or updates: the emulator's address
changes with each run) the account before trytond starts and returns the
variants the emulator sells: a few of the web shop's goods by SKU (their
code) at half their list price; `seed_orders` places retailers' orders
in the emulator, one of them beyond the stock (proposed for rejection).
"Poll Now" on the account (or its cron) imports them. `publish_stock`
reads the brand's variants at the emulator and sends them our stock, as a
manager's first "Read the Variants" does; from then on every stock change
is pushed."""
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


def publish_stock(database):
    "Map the emulator's variants and send them the stock (see above)"
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    from trytond.transaction import TransactionError

    extras = {}
    while True:
        # the push locks the account: on SQLite the transaction must start
        # again holding that lock, as trytond retries a request
        try:
            with Transaction().start(database, 0, **extras) as transaction:
                Account = Pool().get('urban.ankorstore.account')
                accounts = Account.search([('name', '=', ACCOUNT_NAME)])
                if accounts:
                    with Transaction().set_context(
                            company=accounts[0].company.id):
                        Account.read_variants(accounts)
                        Account.push_stock(accounts)
                transaction.commit()
            return
        except TransactionError as error:
            error.fix(extras)
