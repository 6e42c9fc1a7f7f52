"""Cost of one completed checkout, per channel: a cart of 3 lines, click &
collect, the payment intent, Stripe's webhook.

The site (a guest: 3 × POST /cart/add, GET and POST /checkout) and the app
(a customer with a session: 3 × POST /api/v1/cart/lines, POST
/api/v1/checkout) go through the whole WSGI application in this process
(werkzeug's client, no sockets) on the demo business in PostgreSQL, with
localstripe as Stripe; the buyer pays with the test card through the
Stripe SDK (Stripe's side, neither counted nor timed) and the signed
`payment_intent.succeeded` webhook confirms the order.

Counted: every SQL statement our server sends (trytond's cursor), per
step. Timed: the server's part of one checkout (the requests above),
alone and with 16 buyers of different products at once (threads of this
process, sharing one GIL: production spreads them over worker processes,
so this is the pessimistic side).

Prints sql_<channel>= (statements of one checkout, median of the runs;
target <= 60), sql_<channel>_<step>=, p95_ms_<channel>_1= and
p95_ms_<channel>_16=.

Usage: .venv/bin/python bench/checkout_cost.py [--runs 10] [--buyers 16]
Runtime: ~3 min the first time after a change of our modules, ~1 min
afterwards.
"""
import argparse
import collections
import hashlib
import hmac
import itertools
import json
import re
import statistics
import sys
import threading
import time
import uuid

import stock_setup

DATABASE = 'bench_checkout'
WEBHOOK_SECRET = 'whsec_bench'
STRIPE_KEY = 'sk_test_local'
PHONE = '+32 2 511 22 33'
# guests cannot take a shop's last units (urban_checkout's rule): keep off
MARGIN = 3

counter = threading.local()


def count_statements():
    "Count the statements of trytond's cursors, per thread"
    from trytond.backend.postgresql import database

    cursor = database.LoggingCursor
    execute, executemany = cursor.execute, cursor.executemany

    def counted_execute(self, *args, **kwargs):
        counter.n = getattr(counter, 'n', 0) + 1
        return execute(self, *args, **kwargs)

    def counted_executemany(self, *args, **kwargs):
        counter.n = getattr(counter, 'n', 0) + 1
        return executemany(self, *args, **kwargs)
    cursor.execute = counted_execute
    cursor.executemany = counted_executemany


class Step:
    "Statements and seconds of the requests made inside it"

    def __init__(self, costs, name):
        self.costs, self.name = costs, name

    def __enter__(self):
        self.n, self.start = getattr(counter, 'n', 0), time.perf_counter()

    def __exit__(self, *exc):
        self.costs[self.name] = (getattr(counter, 'n', 0) - self.n,
            time.perf_counter() - self.start)


def signed(payload):
    timestamp = int(time.time())
    signature = hmac.new(WEBHOOK_SECRET.encode(),
        b'%d.%s' % (timestamp, payload), hashlib.sha256).hexdigest()
    return 't=%d,v1=%s' % (timestamp, signature)


def pay(reference):
    "The buyer's card, on Stripe's side"
    import stripe
    method = stripe.PaymentMethod.create(type='card', card={
            'number': '4242424242424242', 'exp_month': 12,
            'exp_year': 2030, 'cvc': '123'}, api_key=STRIPE_KEY)
    stripe.PaymentIntent.modify(reference, payment_method=method.id,
        api_key=STRIPE_KEY)
    intent = stripe.PaymentIntent.confirm(reference, api_key=STRIPE_KEY)
    assert intent.status == 'succeeded', intent.status


def webhook(client, reference):
    payload = json.dumps({'id': 'evt_%s' % uuid.uuid4().hex,
            'object': 'event', 'type': 'payment_intent.succeeded',
            'created': int(time.time()), 'data': {'object': {
                    'id': reference, 'object': 'payment_intent'}}}).encode()
    response = client.post('/webhooks/stripe', data=payload, headers={
            'Stripe-Signature': signed(payload),
            'Content-Type': 'application/json'})
    assert response.status_code == 200, response.data[:300]
    assert json.loads(response.data)['result'] == 'paid', response.data


def reference_of_site_order(location):
    "The payment intent of the site order whose page is location"
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    from urban_checkout.sale import token_hash
    token = location.rsplit('/', 1)[1]
    with Transaction().start(DATABASE, 0, readonly=True):
        Sale = Pool().get('sale.sale')
        sale, = Sale.search([('api_order_token', '=', token_hash(token))])
        payment, = [p for p in sale.api_payments if p.provider == 'stripe']
        return payment.reference


def site_checkout(client, basket, shop):
    "The site's guest checkout: {step: (statements, seconds)}"
    costs = {}
    origin = {'Origin': 'http://localhost'}
    with Step(costs, 'cart'):
        for product in basket:
            response = client.post('/en/cart/add', headers=origin, data={
                    'product': str(product), 'quantity': '1'})
            assert response.status_code == 303, response.status_code
    with Step(costs, 'checkout'):
        page = client.get('/en/checkout')
        assert page.status_code == 200, page.status_code
        csrf = re.search(r'name="csrf_token" value="([^"]+)"',
            page.get_data(as_text=True)).group(1)
        response = client.post('/en/checkout', data={
                'csrf_token': csrf, 'email': 'guest-%s@example.com'
                % uuid.uuid4().hex[:12], 'name': "Bench Guest",
                'phone': PHONE, 'shop': shop, 'terms': 'yes'})
        assert response.status_code == 303, response.get_data(
            as_text=True)[-600:]
    pay(reference_of_site_order(response.headers['Location']))
    with Step(costs, 'webhook'):
        webhook(client, reference_of_site_order(
                response.headers['Location']))
    return costs


def new_customer():
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DATABASE, 0) as transaction:
        user, = Pool().get('web.user').create([{
                    'email': 'bench-%s@example.com' % uuid.uuid4().hex,
                    'email_valid': True}])
        key = user.new_session()
        transaction.commit()
    return {'Authorization': 'Bearer %s' % key}


def app_checkout(client, basket, shop):
    "The app's checkout by a customer: {step: (statements, seconds)}"
    costs = {}
    auth = new_customer()
    with Step(costs, 'cart'):
        for product in basket:
            response = client.post('/api/v1/cart/lines', headers=auth,
                json={'product_id': product, 'quantity': 1})
            assert response.status_code == 201, response.data[:300]
    with Step(costs, 'checkout'):
        response = client.post('/api/v1/checkout', json={
                'mode': 'click_collect', 'shop': shop, 'phone': PHONE},
            headers=dict(auth, **{'Idempotency-Key': uuid.uuid4().hex}))
        assert response.status_code == 201, response.data[:600]
    reference = json.loads(response.data)['payment']['reference']
    pay(reference)
    with Step(costs, 'webhook'):
        webhook(client, reference)
    return costs


CHANNELS = {'site': site_checkout, 'app': app_checkout}


def baskets(count):
    """count baskets of 3 different products of one pickup shop each, no
    product in two baskets of the same shop: (shop code, [product ids])"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    from urban_checkout.channel import web_shop
    from urban_stock import availability
    with Transaction().start(DATABASE, 0, readonly=True):
        pool = Pool()
        Location = pool.get('stock.location')
        shops = Location.search([('type', '=', 'warehouse'),
                ('shop', '=', True), ('pickup_enabled', '=', True)])
        products = [p.id for p in web_shop(pool).products
            if p.template.type == 'goods']
        available = availability.for_products(products,
            [s.id for s in shops])
        result = []
        for shop in shops:
            free = [p for p in products
                if available[(p, shop.id)] >= MARGIN + 1]
            for i in range(0, len(free) - 2, 3):
                result.append((shop.shop_code, free[i:i + 3]))
    # spread the shops: concurrent buyers are in different shops first
    by_shop = collections.defaultdict(list)
    for basket in result:
        by_shop[basket[0]].append(basket)
    mixed = [b for group in itertools.zip_longest(*by_shop.values())
        for b in group if b]
    if len(mixed) < count:
        sys.exit("the demo has %d baskets, %d asked" % (len(mixed), count))
    return mixed[:count]


def client():
    from trytond.wsgi import app
    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    from urbantherapy.wsgi import PlatformMiddleware
    return Client(PlatformMiddleware(app), Response)


def server_seconds(costs):
    return sum(seconds for _, seconds in costs.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=10,
        help="checkouts of one buyer alone, per channel")
    parser.add_argument('--buyers', type=int, default=16,
        help="buyers at once, per channel")
    args = parser.parse_args()

    stock_setup.prepare(DATABASE, demo=True)
    from trytond.config import config

    from urbantherapy.emulators.localstripe import LocalStripe
    stripe = LocalStripe().start()
    try:
        import stripe as stripe_sdk
        stripe_sdk.api_base = stripe.url
        if not config.has_section('urban'):
            config.add_section('urban')
        for key, value in {'stripe_api_base': stripe.url,
                'stripe_secret_key': STRIPE_KEY,
                'stripe_publishable_key': 'pk_test_local',
                'stripe_webhook_secret': WEBHOOK_SECRET}.items():
            config.set('urban', key, value)
        count_statements()
        needed = 2 * (args.runs + 1 + args.buyers)
        available = iter(baskets(needed))
        for channel, checkout in CHANNELS.items():
            # one checkout warms the process (pool, caches), as a server
            # that has served traffic is
            checkout(client(), *reversed(next(available)))
            alone = []
            for _ in range(args.runs):
                shop, basket = next(available)
                alone.append(checkout(client(), basket, shop))
            for step in ('cart', 'checkout', 'webhook'):
                print('sql_%s_%s=%d' % (channel, step, statistics.median(
                            c[step][0] for c in alone)))
            print('sql_%s=%d' % (channel, statistics.median(
                        sum(n for n, _ in c.values()) for c in alone)))
            print('p95_ms_%s_1=%.0f' % (channel, 1000 * stock_setup.percentile(
                        [server_seconds(c) for c in alone], 95)))
            together, errors = [], []
            barrier = threading.Barrier(args.buyers)

            def buyer(shop, basket):
                barrier.wait()
                try:
                    together.append(checkout(client(), basket, shop))
                except Exception as error:  # a refused buyer is a figure
                    errors.append(repr(error)[:200])
            threads = [threading.Thread(target=buyer, args=next(available))
                for _ in range(args.buyers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            print('p95_ms_%s_%d=%.0f' % (channel, args.buyers,
                    1000 * stock_setup.percentile(
                        [server_seconds(c) for c in together], 95)))
            print('errors_%s_%d=%d' % (channel, args.buyers, len(errors)))
            for error in errors[:3]:
                print(error, file=sys.stderr)
    finally:
        stripe.stop()


if __name__ == '__main__':
    main()
