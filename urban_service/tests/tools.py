"Helpers of the customer service tests (module tests and API/site tests)"
import io

from trytond.pool import Pool
from trytond.transaction import Transaction


def image(kind='JPEG', size=(4, 4)):
    "The bytes of a small image of kind (JPEG, PNG, WEBP)"
    from PIL import Image
    buffer = io.BytesIO()
    Image.new('RGB', size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def create_shop(name, code, **values):
    "A warehouse flagged as shop with its standard sub-locations"
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


def create_customer(name, email=None, lang=None):
    pool = Pool()
    Party = pool.get('party.party')
    Lang = pool.get('ir.lang')
    values = {'name': name, 'addresses': [('create', [{}])]}
    if email:
        values['contact_mechanisms'] = [('create', [{
                        'type': 'email', 'value': email}])]
    if lang:
        values['lang'], = [l.id for l in Lang.search([('code', '=', lang)])]
    party, = Party.create([values])
    return party


def create_sale(company, party, shop, state='confirmed'):
    "An order of party in shop (its state set directly)"
    pool = Pool()
    Sale = pool.get('sale.sale')
    sale, = Sale.create([{
                'party': party.id, 'warehouse': shop.id,
                'company': company.id, 'currency': company.currency.id,
                'invoice_address': party.addresses[0].id,
                'shipment_address': party.addresses[0].id,
                }])
    table = Sale.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.update([table.state, table.number],
            [state, 'SO%s' % sale.id], where=table.id == sale.id))
    # the records read before the update are stale
    Transaction().cache.clear()
    return Sale(sale.id)


def create_staff(login, shops=(), manager=False):
    "A back-office user of shops (shop staff) or a manager"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = [ModelData.get_id('urban_stock',
            'group_manager' if manager else 'group_shop_staff'),
        ModelData.get_id('sale', 'group_sale')]
    user, = User.create([{
                'login': login, 'name': login.title(),
                'groups': [('add', groups)],
                'shops': [('add', [s.id for s in shops])],
                }])
    return user
