"""Shared set-up of the /api/v1 cart, checkout and journey tests: the demo
database, configuration pointing at local fakes, web users with sessions,
stock facts read from the database."""
import json
import time
import unittest
import uuid

from trytond import backend
from trytond.config import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware

WEBHOOK_SECRET = 'whsec_test_local'


def committed(func, *args, context=None):
    """Run func(*args) in a committed transaction, retried as Tryton's
    dispatcher does when it must first lock a table"""
    from trytond.transaction import TransactionError
    from trytond.worker import run_task
    extras = {}
    while True:
        try:
            with Transaction().start(DB_NAME, 0, context=context,
                    **extras) as transaction:
                result = func(*args)
                transaction.commit()
                tasks = list(transaction.tasks)
                transaction.tasks.clear()
        except TransactionError as error:
            error.fix(extras)
            continue
        except backend.DatabaseOperationalError:
            # concurrent update (a queued job of the server): retry
            time.sleep(0.1)
            continue
        # queued jobs run after the commit, as trytond does in-process
        for task_id in tasks:
            run_task(DB_NAME, task_id)
        return result


def set_config(**values):
    if not config.has_section('urban'):
        config.add_section('urban')
    for key, value in values.items():
        config.set('urban', key, value)


class ApiTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()
        set_config(stripe_secret_key='sk_test_local',
            stripe_webhook_secret=WEBHOOK_SECRET)

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    @staticmethod
    def json(response):
        return json.loads(response.data)

    def assertProblem(self, response, status, code=None):
        self.assertEqual(response.status_code, status, response.data)
        self.assertEqual(response.mimetype, 'application/problem+json')
        if code:
            self.assertEqual(self.json(response)['code'], code)

    def new_user(self, lang='fr', verified=True):
        """(web user id, bearer headers) of a new customer (verified: its
        e-mail address is confirmed, which lets it hold the last units)"""
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            WebUser = pool.get('web.user')
            user, = WebUser.create([{
                        'email': 'customer-%s@example.com' % uuid.uuid4().hex,
                        'email_valid': verified,
                        }])
            key = user.new_session()
            transaction.commit()
            return user.id, {'Authorization': 'Bearer %s' % key}

    def in_stock(self, shop_code=None, minimum=2, exclude=()):
        """(product id, shop code, available) of an app product with at
        least minimum units available in a pickup shop"""
        from urban_stock import availability
        from urban_checkout.channel import web_shop
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Location = pool.get('stock.location')
            shop = web_shop(pool)
            domain = [('type', '=', 'warehouse'), ('shop', '=', True),
                ('pickup_enabled', '=', True)]
            if shop_code:
                domain.append(('shop_code', '=', shop_code))
            shops = Location.search(domain, order=[('id', 'ASC')])
            products = [p.id for p in shop.products
                if p.id not in exclude and p.template.type == 'goods']
            available = availability.for_products(products,
                [s.id for s in shops])
            for location in shops:
                for product_id in products:
                    qty = available[(product_id, location.id)]
                    if qty >= minimum:
                        transaction.rollback()
                        return product_id, location.shop_code, qty
        raise AssertionError("no product in stock")

    def variant_in_stock(self, minimum=1):
        """(product id, template id, shop code) of an app product that is a
        variant (it has attributes) with minimum units in a pickup shop"""
        with Transaction().start(DB_NAME, 0):
            Product = Pool().get('product.product')
            variants = [p.id for p in Product.search([],
                    order=[('id', 'ASC')]) if p.attributes]
        exclude = set()
        while True:
            product, shop, _ = self.in_stock(minimum=minimum,
                exclude=exclude)
            if product in variants:
                with Transaction().start(DB_NAME, 0):
                    template = Pool().get('product.product')(
                        product).template.id
                return product, template, shop
            exclude.add(product)

    def available(self, product_id, shop_code):
        from urban_stock import availability
        with Transaction().start(DB_NAME, 0):
            Location = Pool().get('stock.location')
            shop, = Location.search([('shop_code', '=', shop_code)])
            return availability.for_products([product_id],
                [shop.id])[(product_id, shop.id)]

    def payment_reference(self, order_id):
        "The provider's reference of the order's newest payment"
        def reference():
            Payment = Pool().get('urban.api.payment')
            payments = Payment.search([('sale', '=', order_id)],
                order=[('id', 'DESC')])
            return payments[0].reference if payments else None
        return committed(reference)
