"""/api/v1/cart on the demo data: guest carts with their token, the
customer's cart, lines, coupons, totals with VAT, merge on login."""
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from tests.fakes.harness import ApiTestCase, committed


def create_coupon(number, **values):
    "A coupon of 10% off on the web shop's company, with one number"
    pool = Pool()
    Promotion = pool.get('sale.promotion')
    Coupon = pool.get('sale.promotion.coupon')
    from urban_checkout.channel import web_shop
    shop = web_shop(pool)
    promotion, = Promotion.create([{
                'name': number, 'company': shop.company.id,
                'formula': 'unit_price * 0.9',
                }])
    Coupon.create([{
                'promotion': promotion.id,
                'company': shop.company.id,
                'numbers': [('create', [{'number': number,
                                'company': shop.company.id}])],
                **values,
                }])


class ApiCartTestCase(ApiTestCase):

    def test_guest_cart(self):
        "A guest adds, changes and removes lines with its cart token"
        client = self.client()
        product, _, _ = self.in_stock()
        empty = client.get('/api/v1/cart')
        self.assertEqual(empty.status_code, 200)
        self.assertEqual(self.json(empty)['lines'], [])

        response = client.post('/api/v1/cart/lines',
            json={'product_id': product, 'quantity': 2})
        self.assertEqual(response.status_code, 201, response.data)
        cart = self.json(response)
        token = cart['token']
        self.assertTrue(token)
        self.assertEqual(response.headers['X-Cart-Token'], token)
        self.assertEqual(cart['quantity'], 2)
        line, = cart['lines']
        self.assertEqual(line['product_id'], product)
        unit = Decimal(line['unit_price']['amount'])
        self.assertEqual(Decimal(line['amount']['amount']), unit * 2)
        untaxed = Decimal(cart['untaxed_amount']['amount'])
        tax = Decimal(cart['tax_amount']['amount'])
        self.assertGreater(tax, 0)
        self.assertEqual(Decimal(cart['total_amount']['amount']),
            untaxed + tax)
        self.assertEqual(Decimal(cart['total_amount']['amount']), unit * 2)
        self.assertEqual(cart['total_amount']['currency'], 'EUR')

        headers = {'X-Cart-Token': token}
        again = client.post('/api/v1/cart/lines', headers=headers,
            json={'product_id': product, 'quantity': 1})
        self.assertEqual(self.json(again)['lines'][0]['quantity'], 3)
        self.assertIsNone(self.json(again)['token'])

        patched = client.patch('/api/v1/cart/lines/%d' % line['id'],
            headers=headers, json={'quantity': 1})
        self.assertEqual(patched.status_code, 200, patched.data)
        self.assertEqual(self.json(patched)['quantity'], 1)

        # another guest cannot touch this line
        other = client.post('/api/v1/cart/lines',
            json={'product_id': product, 'quantity': 1})
        other_headers = {'X-Cart-Token': self.json(other)['token']}
        self.assertProblem(client.patch('/api/v1/cart/lines/%d' % line['id'],
                headers=other_headers, json={'quantity': 4}), 404,
            'cart_line_not_found')

        deleted = client.delete('/api/v1/cart/lines/%d' % line['id'],
            headers=headers)
        self.assertEqual(deleted.status_code, 200)
        self.assertEqual(self.json(deleted)['lines'], [])
        self.assertEqual(self.json(deleted)['total_amount']['amount'],
            '0.00')

    def test_bad_input(self):
        "Unknown product 404, bad quantity 422, no cart 404"
        client = self.client()
        product, _, _ = self.in_stock()
        self.assertProblem(client.post('/api/v1/cart/lines',
                json={'product_id': 999999999, 'quantity': 1}), 404,
            'product_not_found')
        self.assertProblem(client.post('/api/v1/cart/lines',
                json={'product_id': product, 'quantity': 0}), 422,
            'validation_error')
        self.assertProblem(client.post('/api/v1/cart/lines',
                json={'product_id': 'x'}), 422, 'validation_error')
        self.assertProblem(client.patch('/api/v1/cart/lines/1',
                json={'quantity': 1}), 404, 'cart_not_found')
        self.assertProblem(client.patch('/api/v1/cart/lines/1',
                headers={'X-Cart-Token': 'forged'}, json={'quantity': 1}),
            404, 'cart_not_found')
        created = client.post('/api/v1/cart/lines',
            json={'product_id': product, 'quantity': 60})
        headers = {'X-Cart-Token': self.json(created)['token']}
        self.assertProblem(client.post('/api/v1/cart/lines', headers=headers,
                json={'product_id': product, 'quantity': 60}), 422,
            'quantity_too_large')
        self.assertProblem(client.post('/api/v1/cart/coupons',
                headers=headers, json={'code': 'NOPE-123'}), 404,
            'coupon_not_found')

    def test_coupon(self):
        "A coupon's discount shows in the cart total"
        client = self.client()
        product, _, _ = self.in_stock()
        committed(lambda: create_coupon('TEN-OFF', number_of_use=0))
        created = client.post('/api/v1/cart/lines',
            json={'product_id': product, 'quantity': 1})
        before = Decimal(self.json(created)['total_amount']['amount'])
        headers = {'X-Cart-Token': self.json(created)['token']}
        response = client.post('/api/v1/cart/coupons', headers=headers,
            json={'code': 'TEN-OFF'})
        self.assertEqual(response.status_code, 200, response.data)
        cart = self.json(response)
        self.assertEqual(cart['coupons'], ['TEN-OFF'])
        after = Decimal(cart['total_amount']['amount'])
        self.assertAlmostEqual(after, before * Decimal('0.9'),
            delta=Decimal('0.02'))
        removed = client.delete('/api/v1/cart/coupons/TEN-OFF',
            headers=headers)
        self.assertEqual(self.json(removed)['coupons'], [])
        self.assertEqual(Decimal(self.json(removed)['total_amount'][
                    'amount']), before)

    def test_welcome_code_per_visitor(self):
        """A shop's welcome code (one use per customer, read from the QR
        code in the bag) works for every guest, in any case: another
        guest's cart is not this visitor's use"""
        client = self.client()
        product, _, _ = self.in_stock()
        committed(lambda: create_coupon('HELLO-GNT', number_of_use=1,
                per_party=True))
        for typed in ['hello-gnt', ' Hello-Gnt ', 'HELLO-GNT']:
            created = client.post('/api/v1/cart/lines',
                json={'product_id': product, 'quantity': 1})
            headers = {'X-Cart-Token': self.json(created)['token']}
            response = client.post('/api/v1/cart/coupons', headers=headers,
                json={'code': typed})
            self.assertEqual(response.status_code, 200, response.data)
            self.assertEqual(self.json(response)['coupons'], ['HELLO-GNT'])
            # entered twice, it stays once
            again = client.post('/api/v1/cart/coupons', headers=headers,
                json={'code': typed.upper()})
            self.assertEqual(self.json(again)['coupons'], ['HELLO-GNT'])
        removed = client.delete('/api/v1/cart/coupons/hello-gnt',
            headers=headers)
        self.assertEqual(self.json(removed)['coupons'], [])
        # wildcards are no way to guess a code
        self.assertProblem(client.post('/api/v1/cart/coupons',
                headers=headers, json={'code': 'HELLO%'}), 404,
            'coupon_not_found')

    def test_user_cart_and_merge(self):
        "A customer's cart follows the bearer token; a guest cart merges"
        from urban_checkout.cart import merge_guest_cart
        client = self.client()
        product, _, _ = self.in_stock()
        other, _, _ = self.in_stock(exclude=(product,))
        user_id, auth = self.new_user()
        mine = client.post('/api/v1/cart/lines', headers=auth,
            json={'product_id': product, 'quantity': 1})
        self.assertEqual(mine.status_code, 201)
        self.assertIsNone(self.json(mine)['token'])
        self.assertNotIn('X-Cart-Token', mine.headers)
        guest = client.post('/api/v1/cart/lines',
            json={'product_id': product, 'quantity': 2})
        token = self.json(guest)['token']
        client.post('/api/v1/cart/lines', headers={'X-Cart-Token': token},
            json={'product_id': other, 'quantity': 1})
        with Transaction().start(DB_NAME, 0) as transaction:
            WebUser = Pool().get('web.user')
            from urban_checkout.channel import web_shop
            company = web_shop(Pool()).company.id
            with transaction.set_context(company=company):
                merge_guest_cart(WebUser(user_id), token)
            transaction.commit()
        cart = self.json(client.get('/api/v1/cart', headers=auth))
        quantities = {l['product_id']: l['quantity'] for l in cart['lines']}
        self.assertEqual(quantities, {product: 3, other: 1})
        # the guest cart is gone
        self.assertEqual(self.json(client.get('/api/v1/cart',
                    headers={'X-Cart-Token': token}))['lines'], [])

    def test_line_leads_to_product(self):
        """A cart line gives its product's id and slug, the variant's label
        and a thumbnail, in the request's language, and a name without the
        internal code"""
        client = self.client()
        product, template, _ = self.variant_in_stock()
        created = client.post('/api/v1/cart/lines',
            json={'product_id': product, 'quantity': 1})
        self.assertEqual(created.status_code, 201, created.data)
        token = self.json(created)['token']
        for lang in ('fr', 'nl', 'en'):
            headers = {'X-Cart-Token': token, 'Accept-Language': lang}
            line, = self.json(client.get('/api/v1/cart',
                    headers=headers))['lines']
            detail = self.json(client.get('/api/v1/products/%d'
                    % line['template_id'], headers=headers))
            self.assertEqual(line['template_id'], template)
            self.assertEqual(line['product_id'], product)
            self.assertEqual(line['slug'], detail['slug'])
            self.assertEqual(line['name'], detail['name'])
            self.assertNotIn('[', line['name'])
            variant, = [v for v in detail['variants'] if v['id'] == product]
            self.assertEqual(line['variant_label'], variant['label'])
            self.assertEqual(line['thumbnail'],
                detail['images'][0]['thumbnail'])
            image = client.get(line['thumbnail']['url'])
            self.assertEqual(image.status_code, 200)
            self.assertEqual(image.mimetype, 'image/webp')
