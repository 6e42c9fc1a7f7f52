"""/api/v1 catalogue on the demo data: universes, product pages with
filters, sorts and cursors, product details by id and slug, images, ETags,
languages, and a fixed number of queries per page."""
import datetime as dt
from decimal import Decimal
from unittest import mock

from trytond.backend.postgresql.database import LoggingCursor
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from tests.api_support import ApiTestCase
from tests.fakes import harness


class ApiCatalogTestCase(ApiTestCase):

    def get(self, url, lang='fr', **headers):
        headers['Accept-Language'] = lang
        return self.client().get(url, headers=headers)

    def page(self, url, lang='fr'):
        response = self.get(url, lang)
        self.assertEqual(response.status_code, 200, response.data)
        return self.json(response)

    def all_items(self, url):
        items, cursor = [], None
        while True:
            page = self.page(url + ('&cursor=%s' % cursor if cursor else ''))
            items.extend(page['items'])
            cursor = page['next_cursor']
            if not cursor:
                return items

    def test_recommendations(self):
        """What goes with a product (anyone), for you (a customer): cards
        of other sellable products; unknown product 404, unknown shop 422,
        for you needs a login"""
        product = self.page('/api/v1/products')['items'][0]
        url = '/api/v1/products/%d/recommendations' % product['id']
        items = self.page(url)['items']
        self.assertEqual(len(items), 8)
        self.assertNotIn(product['id'], [i['id'] for i in items])
        self.assertTrue(all(i['in_stock'] for i in items))
        shops = self.page('/api/v1/shops')['items']
        in_shop = self.page('%s?shop=%s' % (url, shops[0]['code']))['items']
        self.assertTrue(in_shop)
        self.assertProblem(self.get(url + '?shop=NOWHERE'), 422,
            'unknown_shop')
        self.assertProblem(self.get(
                '/api/v1/products/999999/recommendations'), 404)
        self.assertProblem(self.get('/api/v1/recommendations'), 401)
        _, auth = harness.ApiTestCase.new_user(self)
        mine = self.get('/api/v1/recommendations', **auth)
        self.assertEqual(mine.status_code, 200, mine.data)
        # a new customer: best sellers and new arrivals
        self.assertEqual(len(self.json(mine)['items']), 8)

    def test_universes(self):
        "Seven universes in order, translated, with product counts"
        fr = self.page('/api/v1/universes')['items']
        nl = self.page('/api/v1/universes', 'nl')['items']
        self.assertEqual(len(fr), 7)
        self.assertEqual([u['id'] for u in fr], [u['id'] for u in nl])
        self.assertNotEqual([u['name'] for u in fr], [u['name'] for u in nl])
        self.assertEqual(sum(u['product_count'] for u in fr), 150)
        self.assertTrue(all(u['slug'] for u in fr))

    def test_products_page_and_cursor(self):
        "Pages of 24 chain through next_cursor without repeats"
        first = self.page('/api/v1/products')
        self.assertEqual(len(first['items']), 24)
        item = first['items'][0]
        for key in ('id', 'slug', 'name', 'brand', 'universe', 'price',
                'image', 'online_quantity', 'in_stock'):
            self.assertIn(key, item)
        self.assertEqual(item['price']['currency'], 'EUR')
        self.assertTrue(item['image']['url'].endswith('.webp'))
        items = self.all_items('/api/v1/products?limit=60')
        self.assertEqual(len(items), 150)
        self.assertEqual(len({i['id'] for i in items}), 150)
        # default order: newest first
        self.assertTrue(items[0]['new'])

    def test_filters(self):
        "Universe, brand, price range, new, shop stock and search filters"
        universes = self.page('/api/v1/universes')['items']
        universe = universes[0]
        items = self.all_items('/api/v1/products?limit=60&universe=%s'
            % universe['slug'])
        self.assertEqual(len(items), universe['product_count'])
        self.assertTrue(all(i['universe']['id'] == universe['id']
                for i in items))
        self.assertEqual(self.page(
                '/api/v1/products?universe=no-such-universe')['items'], [])

        brand = items[0]['brand']['code']
        by_brand = self.all_items('/api/v1/products?limit=60&brand=%s'
            % brand)
        self.assertTrue(by_brand)
        self.assertTrue(all(i['brand']['code'] == brand for i in by_brand))

        priced = self.all_items(
            '/api/v1/products?limit=60&price_min=20&price_max=40')
        self.assertTrue(priced)
        for item in priced:
            self.assertTrue(Decimal('20') <= Decimal(item['price']['amount'])
                <= Decimal('40'), item['price'])

        new = self.all_items('/api/v1/products?limit=60&new=true')
        self.assertTrue(new)
        self.assertTrue(all(i['new'] for i in new))
        self.assertLess(len(new), 150)

        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Location = pool.get('stock.location')
            Template = pool.get('product.template')
            from urban_stock import availability
            shop, = Location.search([('shop_code', '=', 'GNT')])
            templates = Template.search([])
            products = [p.id for t in templates for p in t.products]
            atp = availability.for_products(products, [shop.id])
            expected = {t.id for t in templates
                if any(atp[(p.id, shop.id)] > 0 for p in t.products)}
        at_gnt = self.all_items('/api/v1/products?limit=60&in_stock_at=GNT')
        self.assertEqual({i['id'] for i in at_gnt}, expected)
        self.assertLess(len(expected), 150)

        target = self.page('/api/v1/products?limit=1&sort=name', 'fr')[
            'items'][0]
        word = max(target['name'].split(), key=len)
        found = self.all_items('/api/v1/products?limit=60&q=%s' % word)
        self.assertIn(target['id'], [i['id'] for i in found])
        self.assertTrue(all(word.lower() in (i['name'] + ' '
                        + i['brand']['name']).lower() for i in found[:1]))
        self.assertEqual(self.page(
                '/api/v1/products?q=zzzqqqxxx')['items'], [])

    def test_search_finds(self):
        "Plurals, typos, accents, codes and EANs find their products"
        def first(q, lang='fr'):
            return self.page('/api/v1/products?limit=5&q=%s' % q,
                lang)['items']
        vases = first('vases')
        self.assertTrue(vases and vases[0]['name'].startswith('Vase'))
        self.assertTrue(first('vazen', 'nl')[0]['name'].startswith('Vaas'))
        self.assertTrue(first('bougies')[0]['name'].startswith('Bougie'))
        self.assertIn('coussin', first('cousin')[0]['name'])
        self.assertEqual(first('c%C3%A9ramique')[0]['universe']['name'],
            "Céramique")
        template_id = vases[0]['id']
        detail = self.page('/api/v1/products/%s' % template_id)
        variant = detail['variants'][0]['code']
        self.assertEqual([i['id'] for i in first(variant)][:1],
            [template_id])

    def test_search_suggestions(self):
        "Universes and product names for what was typed, translated"
        fr = self.page('/api/v1/search/suggestions?q=c%C3%A9r')['items']
        self.assertEqual(fr[0]['kind'], 'universe')
        self.assertEqual(fr[0]['name'], "Céramique")
        self.assertTrue(fr[0]['slug'])
        nl = self.page('/api/v1/search/suggestions?q=vaa', 'nl')['items']
        self.assertTrue(nl)
        self.assertLessEqual(len(nl), 8)
        self.assertTrue(all(i['kind'] == 'product'
                and i['name'].startswith('Vaas') and i['slug'] for i in nl))
        product = self.page('/api/v1/products/%s' % nl[0]['id'], 'nl')
        self.assertEqual(product['name'], nl[0]['name'])
        self.assertProblem(self.get('/api/v1/search/suggestions?q=v'), 422)
        self.assertEqual(self.page(
                '/api/v1/search/suggestions?q=zzqq')['items'], [])

    def test_sorts(self):
        "Price ascending/descending and name sorts are consistent"
        asc = self.all_items('/api/v1/products?limit=60&sort=price_asc')
        amounts = [Decimal(i['price']['amount']) for i in asc]
        self.assertEqual(amounts, sorted(amounts))
        desc = self.page('/api/v1/products?limit=60&sort=price_desc')
        amounts = [Decimal(i['price']['amount']) for i in desc['items']]
        self.assertEqual(amounts, sorted(amounts, reverse=True))
        names = [i['name'] for i in self.page(
                '/api/v1/products?limit=60&sort=name', 'nl')['items']]
        self.assertEqual(names, sorted(names))

    def listing_rows(self):
        with Transaction().start(DB_NAME, 0) as transaction:
            Listing = Pool().get('urban.api.product.listing')
            table = Listing.__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*table.select(table.template, table.company,
                    table.language, table.name, table.universe,
                    table.creator, table.account_category,
                    table.new_arrival_date, table.price))
            return sorted(cursor)

    def test_pages_follow_edits_at_once(self):
        "Prices, names and sale edited show in the pages at once"
        universe = self.page('/api/v1/universes')['items'][0]['slug']
        url = '/api/v1/products?limit=60&universe=%s' % universe
        item = self.page(url + '&sort=price_desc')['items'][0]
        with Transaction().start(DB_NAME, 0):
            company, = Pool().get('company.company').search([], limit=1)
        context = {'company': company.id}
        with Transaction().start(DB_NAME, 0, context=context) as transaction:
            pool = Pool()
            Template = pool.get('product.template')
            template = Template(item['id'])
            with transaction.set_context(language='fr'):
                saved = template.list_price, Template(item['id']).name
            Template.write([template], {'list_price': Decimal('1.00')})
            with transaction.set_context(language='fr'):
                Template.write([template], {'name': "Aaa premier"})
            transaction.commit()
        try:
            cheapest = self.page(url + '&sort=price_asc')['items'][0]
            self.assertEqual(cheapest['id'], item['id'])
            # with its VAT
            self.assertLessEqual(Decimal(cheapest['price']['amount']),
                Decimal('1.21'))
            first = self.page(url + '&sort=name')['items'][0]
            self.assertEqual(first['id'], item['id'])
            self.assertEqual(first['name'], "Aaa premier")
            # kept up to date by the edits as a full rebuild makes them
            rows = self.listing_rows()
            with Transaction().start(DB_NAME, 0) as transaction:
                Pool().get('urban.api.product.listing').fill()
                transaction.commit()
            self.assertEqual(self.listing_rows(), rows)

            with Transaction().start(DB_NAME, 0,
                    context=context) as transaction:
                Template.write([Template(item['id'])], {'salable': False})
                transaction.commit()
            ids = {i['id'] for i in self.all_items(url + '&sort=new')}
            self.assertNotIn(item['id'], ids)
        finally:
            with Transaction().start(DB_NAME, 0,
                    context=context) as transaction:
                Template.write([Template(item['id'])],
                    {'list_price': saved[0], 'salable': True})
                with transaction.set_context(language='fr'):
                    Template.write([Template(item['id'])],
                        {'name': saved[1]})
                transaction.commit()
        ids = {i['id'] for i in self.all_items(url + '&sort=new')}
        self.assertIn(item['id'], ids)

    def test_bad_queries(self):
        "Bad parameters are 422 problems"
        for url in ['/api/v1/products?limit=61', '/api/v1/products?limit=0',
                '/api/v1/products?sort=random',
                '/api/v1/products?price_min=abc',
                '/api/v1/products?universe=Not%20A%20Slug',
                '/api/v1/products?price_min=50&price_max=10']:
            self.assertProblem(self.get(url), 422, 'validation_error')
        self.assertProblem(self.get('/api/v1/products?cursor=garbage'),
            422, 'invalid_cursor')
        cursor = self.page('/api/v1/products')['next_cursor']
        # a cursor is bound to its filters
        self.assertProblem(self.get(
                '/api/v1/products?sort=name&cursor=%s' % cursor),
            422, 'invalid_cursor')
        self.assertProblem(self.get('/api/v1/products?in_stock_at=XXX'),
            422, 'unknown_shop')

    def test_etag_and_languages(self):
        "ETag/304, Cache-Control and Vary; texts follow Accept-Language"
        response = self.get('/api/v1/products?limit=5')
        self.assertIn('max-age', response.headers['Cache-Control'])
        self.assertEqual(response.headers['Vary'], 'Accept-Language')
        again = self.get('/api/v1/products?limit=5',
            **{'If-None-Match': response.headers['ETag']})
        self.assertEqual(again.status_code, 304)
        nl = self.get('/api/v1/products?limit=5', 'nl')
        self.assertNotEqual(nl.headers['ETag'], response.headers['ETag'])
        fr_names = [i['name'] for i in self.json(response)['items']]
        nl_names = [i['name'] for i in self.json(nl)['items']]
        self.assertNotEqual(fr_names, nl_names)

    def test_product_detail(self):
        "Variants with attributes, prices, per-shop stock; images; brand"
        item = self.page('/api/v1/products?limit=60&sort=name')['items'][0]
        detail = self.page('/api/v1/products/%s' % item['id'])
        self.assertEqual(detail['id'], item['id'])
        self.assertEqual(detail['name'], item['name'])
        self.assertTrue(detail['description'])
        self.assertTrue(detail['brand']['bio'])
        self.assertTrue(detail['variants'])
        self.assertEqual(detail['price'], item['price'])
        for variant in detail['variants']:
            self.assertEqual(len(variant['shops']), 6)
            self.assertEqual(variant['in_stock'],
                variant['online_quantity'] > 0)
        image = detail['images'][0]
        for kind, size in (('thumbnail', 160), ('card', 480), ('zoom', 1200)):
            self.assertLessEqual(max(image[kind]['width'],
                    image[kind]['height']), size)
        self.assertEqual(image['card'], item['image'])
        with_axes = [p for p in self.all_items('/api/v1/products?limit=60')]
        for candidate in with_axes:
            detail = self.page('/api/v1/products/%s' % candidate['id'])
            if len(detail['variants']) > 1:
                break
        self.assertTrue(all(v['attributes'] for v in detail['variants']))
        self.assertTrue(detail['variants'][0]['attributes'][0]['value_label'])

        by_slug = self.page('/api/v1/products/by-slug/%s'
            % detail['slugs']['nl'], 'fr')
        self.assertEqual(by_slug['id'], detail['id'])
        self.assertEqual(by_slug['slug'], detail['slugs']['fr'])
        for lang in ('fr', 'nl', 'en'):
            self.assertEqual(self.page('/api/v1/products/%s' % detail['id'],
                    lang)['slug'], detail['slugs'][lang])
        self.assertEqual(len(set(detail['slugs'].values())), 3)
        self.assertProblem(self.get('/api/v1/products/by-slug/nothing-here'),
            404, 'not_found')
        self.assertProblem(self.get('/api/v1/products/999999'), 404,
            'not_found')

    def test_product_detail_cache(self):
        """The catalogue part of a detail is kept until the catalogue is
        edited (in any worker); its availability is read on each request"""
        item = self.page('/api/v1/products?limit=1&sort=name')['items'][0]
        url = '/api/v1/products/%s' % item['id']
        before = self.page(url)
        variant = before['variants'][0]
        shop = variant['shops'][0]
        queries = []
        real = LoggingCursor.execute

        def counting(cursor, *args, **kwargs):
            queries.append(args)
            return real(cursor, *args, **kwargs)
        with mock.patch.object(LoggingCursor, 'execute', counting):
            self.assertEqual(self.page(url), before)
        # the availability and the transaction's own, no catalogue read
        self.assertLessEqual(len(queries), 4, queries)

        with Transaction().start(DB_NAME, 0) as transaction:
            company, = Pool().get('company.company').search([], limit=1)
        # the French name (the page's language): the others stay as they are
        context = {'company': company.id, 'language': 'fr'}
        with Transaction().start(DB_NAME, 0, context=context) as transaction:
            pool = Pool()
            Template = pool.get('product.template')
            Location = pool.get('stock.location')
            Move = pool.get('stock.move')
            Product = pool.get('product.product')
            template = Template(item['id'])
            name, price = template.name, template.list_price
            Template.write([template], {'name': name + " (edition)",
                    'list_price': price + 10})
            shop_location, = Location.search(
                [('shop_code', '=', shop['shop'])])
            lost, = Location.search([('type', '=', 'lost_found')], limit=1)
            product = Product(variant['id'])
            unit, storage = product.default_uom.id, (
                shop_location.storage_location.id)
            lost = lost.id
            Move.do(Move.create([{'product': product.id,
                            'unit': unit, 'quantity': 2,
                            'from_location': lost, 'to_location': storage,
                            'effective_date': dt.date.today()}]))
            transaction.commit()
        try:
            after = self.page(url)
            self.assertEqual(after['name'], name + " (edition)")
            self.assertGreater(
                Decimal(after['variants'][0]['price']['amount']),
                Decimal(variant['price']['amount']))
            self.assertEqual(after['variants'][0]['shops'][0]['quantity'],
                shop['quantity'] + 2)

            # stock alone does not clear the cache: still read live
            with Transaction().start(DB_NAME, 0,
                    context=context) as transaction:
                Move = Pool().get('stock.move')
                moves = Move.create([{'product': variant['id'],
                            'unit': unit, 'quantity': 2,
                            'from_location': storage, 'to_location': lost,
                            'effective_date': dt.date.today()}])
                Move.do(moves)
                transaction.commit()
            self.assertEqual(self.page(url)['variants'][0]['shops'][0][
                    'quantity'], shop['quantity'])
        finally:
            with Transaction().start(DB_NAME, 0,
                    context=context) as transaction:
                Template = Pool().get('product.template')
                Template.write([Template(item['id'])],
                    {'name': name, 'list_price': price})
                transaction.commit()
        self.assertEqual(self.page(url)['name'], before['name'])

    def test_product_documents(self):
        """A worker that never served a product reads its stored document
        (one query) instead of the catalogue; an edit drops the document of
        the product it touches and queues its rebuild; a document built
        before a tax change is not used"""
        from urban_mobile_api import catalog
        items = self.page('/api/v1/products?limit=2&sort=name')['items']
        urls = ['/api/v1/products/%s' % i['id'] for i in items]
        catalog.DETAILS.clear()
        live = {(u, l): self.page(u, l) for u in urls for l in ('fr', 'nl')}

        with Transaction().start(DB_NAME, 0) as transaction:
            company, = Pool().get('company.company').search([], limit=1)
            Document = Pool().get('urban.api.product.document')
            Document.fill()
            transaction.commit()
        context = {'company': company.id, 'language': 'fr'}

        def documents():
            # in the company's context, as the API reads them: its day
            # (Europe/Brussels) is the documents' day
            with Transaction().start(DB_NAME, 0, readonly=True,
                    context={'company': company.id}):
                Document = Pool().get('urban.api.product.document')
                return {(i['id'], l): Document.fetch(i['id'], l, company.id)
                    for i in items for l in ('fr', 'nl', 'en')}
        self.assertTrue(all(documents().values()))

        queries = []
        real = LoggingCursor.execute

        def counting(cursor, *args, **kwargs):
            queries.append(args)
            return real(cursor, *args, **kwargs)
        catalog.DETAILS.clear()
        with mock.patch.object(LoggingCursor, 'execute', counting):
            self.assertEqual(self.page(urls[0]), live[(urls[0], 'fr')])
        # the document, the availability, the request's shop and company
        # and the transaction's own (not the cache clear recorded above)
        queries = [q for q in queries if 'ir_cache' not in q[0]]
        self.assertLessEqual(len(queries), 6, queries)
        self.assertEqual(len([q for q in queries
                    if 'urban_api_product_document' in q[0]]), 1)
        for (url, lang), detail in live.items():
            self.assertEqual(self.page(url, lang), detail)

        # an edit drops the edited product's documents only and queues them
        # for the queue's workers (none: no rebuild is queued)
        from trytond import config
        with Transaction().start(DB_NAME, 0, context=context) as transaction:
            Template = Pool().get('product.template')
            Queue = Pool().get('ir.queue')
            last, = Queue.search([], order=[('id', 'DESC')], limit=1) or [None]
            Template.write([Template(items[1]['id'])],
                {'name': Template(items[1]['id']).name})
            self.assertFalse(
                Queue.search([('id', '>', last.id if last else 0)]))
            transaction.rollback()
        config.set('queue', 'worker', 'True')
        self.addCleanup(config.set, 'queue', 'worker', 'False')
        with Transaction().start(DB_NAME, 0, context=context) as transaction:
            pool = Pool()
            Template = pool.get('product.template')
            Queue = pool.get('ir.queue')
            template = Template(items[0]['id'])
            name = template.name
            Template.write([template], {'name': name + " (edition)"})
            tasks = [q.id for q in Queue.search([], order=[('id', 'DESC')],
                    limit=5)
                if q.data['method'] == 'build_api_documents'
                and template.id in q.data['instances']]
            self.assertTrue(tasks)
            transaction.commit()
        try:
            stored = documents()
            self.assertFalse(any(stored[(items[0]['id'], l)]
                    for l in ('fr', 'nl', 'en')))
            self.assertTrue(stored[(items[1]['id'], 'fr')])
            self.assertEqual(self.page(urls[0])['name'], name + " (edition)")
            with Transaction().start(DB_NAME, 0) as transaction:
                Queue = Pool().get('ir.queue')
                for task in Queue.browse(tasks):
                    task.run()
                transaction.commit()
            self.assertIn(" (edition)", documents()[(items[0]['id'], 'fr')])
            catalog.DETAILS.clear()
            self.assertEqual(self.page(urls[0])['name'], name + " (edition)")
        finally:
            with Transaction().start(DB_NAME, 0,
                    context=context) as transaction:
                Template = Pool().get('product.template')
                Template.write([Template(items[0]['id'])], {'name': name})
                Pool().get('urban.api.product.document').fill()
                transaction.commit()

        # a tax starting today outdates the documents built before
        with Transaction().start(DB_NAME, 0) as transaction:
            Tax = Pool().get('account.tax')
            Document = Pool().get('urban.api.product.document')
            table = Document.__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*table.update([table.built_on],
                    [dt.date.today() - dt.timedelta(days=1)]))
            tax = Tax.__table__()
            cursor.execute(*tax.select(tax.id, tax.start_date, limit=1))
            tax_id, start = cursor.fetchone()
            cursor.execute(*tax.update([tax.start_date], [dt.date.today()],
                    where=tax.id == tax_id))
            from urban_mobile_api.product_document import _TAX_CHANGE
            _TAX_CHANGE.clear()
            self.assertEqual(Document.valid_since(company.id),
                dt.date.today())
            self.assertIsNone(
                Document.fetch(items[0]['id'], 'fr', company.id))
            # fill rebuilds the outdated ones
            Document.fill()
            self.assertTrue(Document.fetch(items[0]['id'], 'fr', company.id))
            transaction.rollback()
        with Transaction().start(DB_NAME, 0) as transaction:
            _TAX_CHANGE.clear()
            transaction.commit()

    def test_image(self):
        "Renditions are served as WebP with a long cache and an ETag"
        item = self.page('/api/v1/products?limit=1')['items'][0]
        response = self.get(item['image']['url'])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, 'image/webp')
        self.assertEqual(response.data[:4], b'RIFF')
        self.assertIn('immutable', response.headers['Cache-Control'])
        again = self.get(item['image']['url'],
            **{'If-None-Match': response.headers['ETag']})
        self.assertEqual(again.status_code, 304)
        self.assertProblem(self.get('/api/v1/images/999999.webp'), 404)

    def test_unpublished_hidden(self):
        "A product removed from the app channel disappears everywhere"
        item = self.page('/api/v1/products?limit=1')['items'][0]
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Template = pool.get('product.template')
            Channel = pool.get('urban.channel')
            app, = Channel.search([('code', '=', 'app')])
            Template.write([Template(item['id'])],
                {'channels': [('remove', [app.id])]})
            transaction.commit()
        try:
            self.assertProblem(self.get('/api/v1/products/%s' % item['id']),
                404)
            self.assertProblem(self.get(item['image']['url']), 404)
            ids = {i['id'] for i in self.all_items(
                    '/api/v1/products?limit=60')}
            self.assertNotIn(item['id'], ids)
        finally:
            with Transaction().start(DB_NAME, 0) as transaction:
                Template = Pool().get('product.template')
                Template.write([Template(item['id'])],
                    {'channels': [('add', [app.id])]})
                transaction.commit()

    def test_micro_cache(self):
        "Public catalogue responses are reused for api_cache_ttl seconds"
        from trytond.config import config

        from urban_mobile_api.api import RESPONSE_CACHE
        item = self.page('/api/v1/products?limit=1&sort=name')['items'][0]
        url = '/api/v1/products/%s' % item['id']
        config.set('urban', 'api_cache_ttl', '60')
        RESPONSE_CACHE.clear()
        self.addCleanup(RESPONSE_CACHE.clear)
        self.addCleanup(config.set, 'urban', 'api_cache_ttl', '0')
        first = self.get(url)
        queries = []
        real = LoggingCursor.execute

        def counting(cursor, *args, **kwargs):
            queries.append(args)
            return real(cursor, *args, **kwargs)
        with mock.patch.object(LoggingCursor, 'execute', counting):
            hit = self.get(url)
            not_modified = self.get(url,
                **{'If-None-Match': first.headers['ETag']})
            nl = self.get(url, 'nl')
        self.assertEqual(hit.data, first.data)
        self.assertEqual(hit.headers['ETag'], first.headers['ETag'])
        self.assertEqual(not_modified.status_code, 304)
        # the Dutch page is another entry: computed, with queries
        self.assertNotEqual(self.json(nl)['name'], self.json(first)['name'])
        self.assertTrue(queries)
        queries.clear()
        with mock.patch.object(LoggingCursor, 'execute', counting):
            self.get(url, 'nl')
        self.assertEqual(queries, [])
        # an expired entry is computed again
        config.set('urban', 'api_cache_ttl', '0.01')
        RESPONSE_CACHE.clear()
        self.get(url)
        import time
        time.sleep(0.05)
        with mock.patch.object(LoggingCursor, 'execute', counting):
            self.get(url)
        self.assertTrue(queries)
        # a 404 is never cached
        config.set('urban', 'api_cache_ttl', '60')
        self.assertProblem(self.get('/api/v1/products/999999999'), 404)
        with mock.patch.object(LoggingCursor, 'execute', counting):
            queries.clear()
            self.get('/api/v1/products/999999999')
        self.assertTrue(queries)

    def test_fixed_number_of_queries(self):
        """A page of 24 costs as many queries as a page of 4 (no N+1), with
        its products' details cached or stored, or built for the page"""
        from urban_mobile_api import catalog
        counts, current = {}, {}
        real = LoggingCursor.execute

        def counting(cursor, *args, **kwargs):
            size = current['size']
            counts[size] = counts.get(size, 0) + 1
            return real(cursor, *args, **kwargs)

        def count_pages():
            counts.clear()
            with mock.patch.object(LoggingCursor, 'execute', counting):
                for size in (4, 24):
                    current['size'] = size
                    if cold:
                        catalog.DETAILS.clear()
                    self.page(
                        '/api/v1/products?limit=%s&sort=price_desc' % size)
            self.assertEqual(counts[4], counts[24], counts)
            return counts[24]
        # warm Tryton's caches
        self.page('/api/v1/products?limit=4&sort=name')
        self.page('/api/v1/products?limit=24&sort=price_desc')
        cold = False
        self.assertLess(count_pages(), 12, counts)

        # without the details (a catalogue edit, documents to rebuild)
        with Transaction().start(DB_NAME, 0) as transaction:
            Document = Pool().get('urban.api.product.document')
            Document.delete(Document.search([]))
            transaction.commit()
        try:
            cold = True
            self.assertLess(count_pages(), 60, counts)
        finally:
            with Transaction().start(DB_NAME, 0) as transaction:
                Pool().get('urban.api.product.document').fill()
                transaction.commit()

    def _template_with(self, axis, value):
        "A published template with a variant whose attribute axis is value"
        with Transaction().start(DB_NAME, 0):
            Product = Pool().get('product.product')
            for product in Product.search([], order=[('id', 'ASC')]):
                if (product.attributes or {}).get(axis) == value:
                    return product.template.id
        raise AssertionError("no variant with %s %s" % (axis, value))

    def test_variant_texts_follow_language(self):
        "Attribute names, values and picture alts follow Accept-Language"
        expected = {
            'colour': {'en': ("Colour", "Sand"), 'fr': ("Couleur", "Sable"),
                'nl': ("Kleur", "Zand")},
            'size': {'en': ("Size", "S"), 'fr': ("Taille", "S"),
                'nl': ("Maat", "S")},
            }
        for axis, value in (('colour', 'sand'), ('size', 'S')):
            template_id = self._template_with(axis, value)
            alts = {}
            for lang, (label, value_label) in expected[axis].items():
                detail = self.page('/api/v1/products/%s' % template_id, lang)
                variant, = [v for v in detail['variants']
                    if any(a['name'] == axis and a['value'] == value
                        for a in v['attributes'])]
                attribute, = variant['attributes']
                self.assertEqual((attribute['label'],
                        attribute['value_label']), (label, value_label),
                    lang)
                self.assertEqual(variant['label'], value_label)
                # the picture describes the product in the same language
                alts[lang] = detail['images'][0]['alt']
                self.assertEqual(alts[lang], detail['name'], lang)
            self.assertEqual(len(set(alts.values())), 3, alts)
