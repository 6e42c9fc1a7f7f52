"""Known business data for the analytics scenario: two shops, three
products, four customers and orders in every channel, whose KPIs are worked
out by hand in scenario_analytics.rst."""
import datetime as dt
from decimal import Decimal as D

from trytond.pool import Pool
from urban_analytics.facts import KEY_SALE
from trytond.transaction import Transaction


def _shop(name, code):
    Location = Pool().get('stock.location')
    storage, input_, output = Location.create([
            {'name': f"{name} shelves", 'type': 'storage'},
            {'name': f"{name} in", 'type': 'storage'},
            {'name': f"{name} out", 'type': 'storage'}])
    shop, = Location.create([{
                'name': name, 'type': 'warehouse', 'shop': True,
                'shop_code': code, 'storage_location': storage.id,
                'input_location': input_.id, 'output_location': output.id,
                'pickup_enabled': True, 'fulfils_online': True}])
    Location.write([storage, input_, output], {'parent': shop.id})
    return shop


def load_known_data():
    """Create the data; returns {name: id} of shops, products, parties,
    coupon number and orders (see the scenario for the figures)."""
    pool = Pool()
    Company = pool.get('company.company')
    Party = pool.get('party.party')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Sale = pool.get('sale.sale')
    WebShop = pool.get('web.shop')
    Account = pool.get('urban.pos.account')
    PosSale = pool.get('urban.pos.sale')
    Promotion = pool.get('sale.promotion')
    Coupon = pool.get('sale.promotion.coupon')
    Scan = pool.get('urban.loyalty.qr_scan')
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    Payment = pool.get('urban.api.payment')
    Event = pool.get('urban.pos.event')
    OrderFact = pool.get('urban.analytics.order.fact')
    cursor = Transaction().connection.cursor()

    company, = Company.search([], limit=1)
    ids = {'company': company.id}
    antwerp, brussels = _shop("Antwerp", 'ANT'), _shop("Brussels", 'BRU')
    ids.update(antwerp=antwerp.id, brussels=brussels.id)
    unit, = Uom.search([('name', '=', 'Unit')])
    products = {}
    for name in ['P1', 'P2', 'P3']:
        template, = Template.create([{'name': name, 'type': 'goods',
                        'default_uom': unit.id, 'salable': True,
                        'sale_uom': unit.id,
                        'code': name, 'products': [('create', [{}])]}])
        products[name], = template.products
        ids[name] = products[name].id
    parties = {}
    for name in ['Alice', 'Bob', 'Carol', 'Dan']:
        parties[name], = Party.create([{'name': name,
                    'addresses': [('create', [{'street': "Main street"}])]}])
        ids[name] = parties[name].id

    promotion, = Promotion.create([{'name': "First order",
                'company': company.id, 'formula': 'unit_price'}])
    coupon, = Coupon.create([{'promotion': promotion.id,
                'company': company.id, 'number_of_use': 1,
                'per_party': True,
                'numbers': [('create', [{'number': 'WELCOME-ANT',
                                'company': company.id}])]}])
    number, = coupon.numbers
    ids['coupon'] = number.id
    Location.write([antwerp], {'first_order_code': number.id})

    app, web = WebShop.create([
            {'name': "App", 'company': company.id,
                'currency': company.currency.id},
            {'name': "Web", 'company': company.id,
                'currency': company.currency.id}])

    def sale(name, party, date, shop, lines, state='confirmed',
            web_shop=None, mode=None, coupons=None):
        party = parties[party]
        address = party.addresses[0]
        record, = Sale.create([{
                    'company': company.id, 'currency': company.currency.id,
                    'party': party.id, 'invoice_address': address.id,
                    'shipment_address': address.id,
                    'warehouse': shop.id, 'web_shop': web_shop,
                    'web_id': name if web_shop else None,
                    'api_mode': mode, 'click_collect': mode == 'click_collect',
                    'sale_date': date, 'reference': name,
                    'coupons': [('add', coupons or [])],
                    'lines': [('create', [{
                                    'type': 'line',
                                    'product': products[p].id,
                                    'unit': unit.id, 'quantity': q,
                                    'unit_price': D(price)}
                                for p, q, price in lines])]}])
        table = Sale.__table__()
        # the states a channel's workflow would have reached
        cursor.execute(*table.update([table.state], [state],
                where=table.id == record.id))
        # written by SQL, behind the ORM's back: refresh its facts
        OrderFact.refresh({KEY_SALE: [record.id]})
        ids[name] = record.id
        return record

    account, = Account.create([{'name': "Till", 'company': company.id,
                'connector': 'native', 'match_by': 'sku'}])

    def pos(name, party, when, shop, lines, is_return=False):
        total = sum(D(t) for _, _, t, _ in lines)
        tax = sum(D(x) for _, _, _, x in lines)
        record, = PosSale.create([{
                    'account': account.id, 'shop': shop.id,
                    'external_id': name, 'number': name, 'date': when,
                    'state': 'booked', 'is_return': is_return,
                    'party': parties[party].id if party else None,
                    'currency': company.currency.id,
                    'total_amount': total, 'tax_amount': tax,
                    'lines': [('create', [{
                                    'product': products[p].id,
                                    'quantity': q,
                                    'unit_price': (D(t) - D(x)) / q,
                                    'total_amount': D(t),
                                    'tax_amount': D(x)}
                                for p, q, t, x in lines])]}])
        ids[name] = record.id
        return record

    # earlier orders: January and February
    pos('T9', 'Alice', dt.datetime(2026, 1, 15, 10), antwerp,
        [('P1', 1, '12.10', '2.10')])
    sale('S11', 'Bob', dt.date(2026, 1, 20), antwerp, [('P1', 1, '10')],
        web_shop=app.id, mode='delivery', state='done')
    sale('S10', 'Carol', dt.date(2026, 2, 10), antwerp, [('P2', 1, '10')],
        web_shop=web.id, state='done')
    # March, the period of the scenario
    pos('T1', 'Alice', dt.datetime(2026, 3, 2, 9, 30), antwerp,
        [('P1', 2, '24.20', '4.20')])
    pos('T2', None, dt.datetime(2026, 3, 2, 17), antwerp,
        [('P2', 1, '12.10', '2.10')])
    pos('T3', 'Alice', dt.datetime(2026, 3, 3, 11), brussels,
        [('P1', -1, '-12.10', '-2.10')], is_return=True)
    sale('S4', 'Bob', dt.date(2026, 3, 2), antwerp,
        [('P1', 1, '10'), ('P3', 2, '15')], web_shop=app.id,
        mode='click_collect', coupons=[number.id])
    sale('S5', 'Carol', dt.date(2026, 3, 5), brussels, [('P2', 3, '10')],
        web_shop=web.id, state='processing')
    sale('S6', 'Dan', dt.date(2026, 3, 5), brussels, [('P3', 10, '12.5')],
        state='done')
    sale('S7', 'Bob', None, antwerp, [('P2', 1, '10')], web_shop=app.id,
        state='draft')
    sale('S8', 'Carol', dt.date(2026, 3, 6), antwerp, [('P1', 5, '10')],
        web_shop=app.id, mode='delivery', state='cancelled')
    # an app checkout whose payment failed, not paid since
    s12 = sale('S12', 'Dan', dt.date(2026, 3, 7), antwerp,
        [('P1', 1, '10')], web_shop=app.id, mode='delivery',
        state='quotation')
    Payment.create([{'sale': s12.id, 'provider': 'stripe',
                'reference': 'pi_failed', 'amount': D('10'),
                'currency': 'EUR', 'state': 'failed'}])
    # the click & collect order S4 waits since two days
    table = Sale.__table__()
    cursor.execute(*table.update([table.write_date],
            [dt.datetime.now() - dt.timedelta(days=2)],
            where=table.id == ids['S4']))
    # a POS event blocked on an unknown product
    Event.create([{'account': account.id, 'kind': 'sale',
                'source': 'webhook', 'dedupe_key': 'evt-1',
                'received_at': dt.datetime(2026, 3, 4, 8),
                'state': 'blocked', 'message': "Unknown product X"}])

    # QR scans of Antwerp: 4 app activations in March, one on the web,
    # one in February
    for when, channel in [
            (dt.datetime(2026, 3, 1, 10), 'app'),
            (dt.datetime(2026, 3, 2, 10), 'app'),
            (dt.datetime(2026, 3, 9, 10), 'app'),
            (dt.datetime(2026, 3, 31, 23), 'app'),
            (dt.datetime(2026, 3, 3, 10), 'web'),
            (dt.datetime(2026, 2, 27, 10), 'app')]:
        Scan.create([{'shop': antwerp.id, 'scanned_at': when,
                    'channel': channel}])

    # stock: 10 P1 in Antwerp since February
    supplier, = Location.search([('type', '=', 'supplier')], limit=1)
    move, = Move.create([{'product': products['P1'].id, 'unit': unit.id,
                'quantity': 10, 'from_location': supplier.id,
                'to_location': antwerp.storage_location.id,
                'effective_date': dt.date(2026, 2, 1),
                'planned_date': dt.date(2026, 2, 1),
                'unit_price': D('5'), 'currency': company.currency.id,
                'company': company.id}])
    Move.do([move])
    return ids


def run(config, function, *args):
    """Call function in a committed transaction of the proteus config's
    database, retried with the table locks Tryton asks for"""
    from trytond.transaction import TransactionError
    extras = {}
    while True:
        try:
            with Transaction().start(config.database_name, config.user,
                    context=config.context, **extras) as transaction:
                result = function(*args)
                transaction.commit()
            return result
        except TransactionError as e:
            e.fix(extras)
