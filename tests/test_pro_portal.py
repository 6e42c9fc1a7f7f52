"""The pro portal over HTTP (werkzeug client on the whole WSGI app, demo
business): apply → approve → log in → catalogue, quick order, CSV order,
checkout, invoice PDF/UBL and Peppol through a local fake access point;
every pro route refused to anonymous visitors and B2C customers; pro
prices absent from public pages and the B2C API."""
import hashlib
import io
import re
import unittest
from decimal import Decimal
from unittest import mock

from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware

from urban_website import pro, render, settings

from .api_support import FakeSMTP
from urbantherapy.emulators.peppol import FakeAccessPoint

SITE = 'https://www.urbantherapy.test'


def csrf_of(response):
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"',
        response.get_data(as_text=True))
    return match.group(1) if match else None


def pro_articles_in_stock(count=3, minimum=12):
    """(warehouse, products): the central stock room and the count dearest
    articles sold to pros one by one (case pack 1) with at least minimum
    units available there; to run in a transaction"""
    from urban_stock import availability
    pool = Pool()
    Product = pool.get('product.product')
    Location = pool.get('stock.location')
    central, = Location.search([('code', '=', 'CEN')])
    candidates = Product.search([
            ('template.b2b_published', '=', True),
            ('template.b2b_case_pack', '=', 1),
            ], order=[('id', 'ASC')])
    candidates.sort(key=lambda p: -(p.list_price_used or 0))
    atp = availability.for_products([p.id for p in candidates],
        [central.id])
    return central, [p for p in candidates
        if atp[(p.id, central.id)] >= minimum][:count]


def transaction(readonly=False):
    "A transaction as the back office's company (the demo's only one)"
    with Transaction().start(DB_NAME, 0, readonly=True):
        company, = Pool().get('company.company').search([])
        company_id = company.id
    context = {'company': company_id, 'language': 'en'}
    return Transaction().start(DB_NAME, 0, readonly=readonly,
        context=context)


def with_locks(function):
    "Run function(transaction) and commit, retrying with the locks asked"
    from trytond.transaction import TransactionError
    extras = {}
    with Transaction().start(DB_NAME, 0, readonly=True):
        company, = Pool().get('company.company').search([])
        company_id = company.id
    for _ in range(5):
        try:
            with Transaction().start(DB_NAME, 0, context={
                        'company': company_id, 'language': 'en'},
                    **extras) as t:
                result = function(t)
                t.commit()
                return result
        except TransactionError as error:
            error.fix(extras)
    raise AssertionError("could not take the locks")


class ProPortalTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()
        config.set('urban', 'site_url', SITE)
        cls.smtp = FakeSMTP()
        cls._patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._patch.start()
        cls.access_point = FakeAccessPoint(key='ap-test-key').start()
        if not config.has_section('urban_b2b'):
            config.add_section('urban_b2b')
        config.set('urban_b2b', 'peppol_url', cls.access_point.url)
        config.set('urban_b2b', 'peppol_key', 'ap-test-key')

    @classmethod
    def tearDownClass(cls):
        cls._patch.stop()
        cls.access_point.stop()
        config.set('urban', 'site_url', settings.DEFAULTS['site_url'])
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def login(self, client, email, password, status=303):
        home = client.get('/pro/')
        response = client.post('/pro/login', data={
                'csrf_token': csrf_of(home), 'email': email,
                'password': password})
        self.assertEqual(response.status_code, status,
            response.get_data(as_text=True)[-800:])
        return response

    # -- fixtures -----------------------------------------------------------

    def b2c_session(self):
        """A B2C customer (web user of a non-pro party) and the key of a
        portal session (as a buyer whose company lost its pro account
        keeps; an app session is no portal session at all:
        test_pro_scopes)"""
        with transaction() as t:
            pool = Pool()
            Party = pool.get('party.party')
            WebUser = pool.get('web.user')
            Session = pool.get('web.user.session')
            email = 'b2c-%s@example.be' % id(self)
            party, = Party.create([{'name': "B2C customer"}])
            user, = WebUser.create([{'email': email,
                        'password': 'b2c-password-1', 'party': party.id}])
            key = Session.add(user, scope='pro')
            t.commit()
        return email, key

    def some_order_and_invoice_ids(self):
        with transaction(readonly=True):
            pool = Pool()
            Sale = pool.get('sale.sale')
            Invoice = pool.get('account.invoice')
            sales = Sale.search([], limit=1)
            invoices = Invoice.search([], limit=1)
            return (sales[0].id if sales else 1,
                invoices[0].id if invoices else 1)

    def concrete(self, path, order_id, invoice_id):
        path = path.replace('<id:order_id>', str(order_id))
        return path.replace('<id:invoice_id>', str(invoice_id))

    # -- security -----------------------------------------------------------

    def test_every_pro_route_refuses_anonymous_and_b2c(self):
        routes = pro.routes()
        self.assertGreaterEqual(len(routes), 14)
        order_id, invoice_id = self.some_order_and_invoice_ids()
        email, key = self.b2c_session()
        for prefix in ('', '/nl', '/en'):
            for method, path in routes:
                url = prefix + self.concrete(path, order_id, invoice_id)
                # anonymous
                client = self.client()
                home = client.get(prefix + '/pro/')
                token = csrf_of(home)
                response = client.open(url, method=method,
                    data={'csrf_token': token} if method == 'POST' else None)
                if method == 'GET':
                    self.assertEqual(response.status_code, 303, url)
                    self.assertIn('/pro/?next=', response.headers['Location'])
                else:
                    self.assertEqual(response.status_code, 401, url)
                self.assertNotIn('class="pro-price"',
                    response.get_data(as_text=True))
                # B2C customer with a valid session
                client = self.client()
                client.set_cookie('ut_pro', key, domain='localhost')
                token = hashlib.sha256(('csrf:' + key).encode()).hexdigest()
                response = client.open(url, method=method,
                    data={'csrf_token': token} if method == 'POST' else None)
                self.assertEqual(response.status_code, 403, url)
                self.assertNotIn('class="pro-price"',
                    response.get_data(as_text=True))
        # nor can a B2C customer log in to the pro portal
        self.login(self.client(), email, 'b2c-password-1', status=403)

    def test_csrf_and_wrong_password(self):
        client = self.client()
        response = client.post('/pro/login', data={
                'email': 'achats@maisonfleurie.be',
                'password': 'urban-demo'})
        self.assertEqual(response.status_code, 403)
        self.assertNotIn('ut_pro=', response.headers.get('Set-Cookie', ''))
        self.login(client, 'achats@maisonfleurie.be', 'wrong-password',
            status=401)
        # logged in, a POST without its token is refused
        client = self.client()
        self.login(client, 'hello@ateliernord.be', 'urban-demo')
        response = client.post('/pro/quick-order', data={'lines': 'X 1'})
        self.assertEqual(response.status_code, 403)

    def test_catalogue_search_and_facets(self):
        """The pro catalogue searches as the site does (plurals, accents,
        typos, SKU, EAN) and narrows by designer and colour with counts"""
        client = self.client()
        self.login(client, 'hello@ateliernord.be', 'urban-demo')

        def skus(query):
            html = client.get('/en/pro/catalogue?view=list&' + query
                ).get_data(as_text=True)
            return html, re.findall(r'<tr data-sku="([^"]+)"', html)
        _, every = skus('')
        with transaction(readonly=True):
            Product = Pool().get('product.product')
            vase = Product.search([('code', 'in', every),
                    ('template.name', 'ilike', '%vase%')], limit=1)[0]
            sku = vase.code
            ean = next((i.code for i in vase.identifiers if i.type == 'ean'),
                None)
        for query in ['q=vases', 'q=VASE', 'q=vasse', 'q=' + sku] + (
                ['q=' + ean] if ean else []):
            with self.subTest(query=query):
                _, found = skus(query)
                self.assertIn(sku, found)
                self.assertLess(len(found), len(every))
        # a French word in the French catalogue
        html = client.get('/pro/catalogue?view=list&q=c%C3%A9ramique'
            ).get_data(as_text=True)
        self.assertTrue(re.findall(r'<tr data-sku="([^"]+)"', html))
        # a colour keeps its articles, as many as its option says
        html, _ = skus('')
        options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+) '
            r'\((\d+)\)</option>', html.split('name="colour"')[1].split(
                '</select>')[0])
        self.assertGreater(len(options), 1)
        for key, label, count in options:
            with self.subTest(colour=label):
                html, found = skus('colour=' + key)
                self.assertEqual(len(found), int(count))
                self.assertIn('value="%s" selected' % key, html)
        designers = re.findall(r'<option value="(\d+)"[^>]*>[^<]+ '
            r'\((\d+)\)</option>', html.split('name="creator"')[1].split(
                '</select>')[0])
        self.assertTrue(designers)
        # with that colour chosen, a designer's count is what both keep
        creator, count = designers[0]
        _, both = skus('creator=%s&colour=%s' % (creator, key))
        self.assertEqual(len(both), int(count))
        self.assertLessEqual(len(both), len(found))
        # the line sheet follows the same choice
        sheet = client.get('/en/pro/line-sheet.pdf?colour=' + key)
        self.assertEqual(sheet.status_code, 200)

    def test_session_expires(self):
        client = self.client()
        self.login(client, 'gifts@kantoorco.be', 'urban-demo')
        self.assertEqual(client.get('/pro/catalogue').status_code, 200)
        with transaction() as t:
            Session = Pool().get('web.user.session')
            table = Session.__table__()
            cursor = t.connection.cursor()
            cursor.execute(*table.update([table.write_date],
                    [table.create_date - __import__('datetime').timedelta(
                            hours=9)]))
            cursor.execute(*table.update([table.create_date],
                    [table.create_date - __import__('datetime').timedelta(
                            hours=9)]))
            t.commit()
        self.assertEqual(client.get('/pro/catalogue').status_code, 303)

    def test_no_pro_price_in_public_pages_nor_b2c_api(self):
        with transaction(readonly=True):
            pool = Pool()
            Template = pool.get('product.template')
            Party = pool.get('party.party')
            from urban_b2b import rules
            companies = Party.search([('b2b_state', '=', 'approved')])
            templates = Template.search([('b2b_published', '=', True)],
                order=[('id', 'ASC')], limit=12)
            checks = []
            for template in templates:
                prices = set()
                for product in template.products:
                    for company in companies:
                        for _, price in rules.tiers(company, product):
                            prices.add(price)
                checks.append((template.id, template.slug, prices))
        self.assertTrue(all(p for _, _, p in checks))
        client = self.client()
        for template_id, slug, prices in checks:
            texts = []
            for path in ('/products/%s' % slug, '/en/products/%s' % slug):
                response = client.get(path, follow_redirects=True)
                self.assertEqual(response.status_code, 200, path)
                texts.append(response.get_data(as_text=True))
            response = client.get('/api/v1/products/%s' % template_id)
            self.assertEqual(response.status_code, 200)
            texts.append(response.get_data(as_text=True))
            for price in prices:
                for lang in ('fr', 'en'):
                    shown = render.money(price, lang)
                    for text in texts:
                        self.assertNotIn(shown, text)
                for text in texts[2:]:
                    self.assertNotIn('"%s"' % price, text)
        landing = client.get('/').get_data(as_text=True)
        listing = client.get('/api/v1/products?limit=50').get_data(
            as_text=True)
        for _, _, prices in checks:
            for price in prices:
                self.assertNotIn('"%s"' % price, listing)
        self.assertNotIn('class="pro-price"', landing)

    # -- Peppol delivery status ------------------------------------------

    def poll_peppol(self):
        "What the hourly cron of edocument_peppol does"
        with_locks(lambda t: Pool().get('edocument.peppol').update_status())

    def run_queue(self):
        "What a queue worker does: run the pending tasks"
        from trytond.worker import run_task
        done = set()
        while True:
            # a task may queue others (submit → process → _process)
            with transaction(readonly=True):
                Queue = Pool().get('ir.queue')
                tasks = [q.id for q in Queue.search([
                            ('dequeued_at', '=', None)],
                        order=[('id', 'ASC')]) if q.id not in done]
            if not tasks:
                return
            for task_id in tasks:
                done.add(task_id)
                run_task(DB_NAME, task_id)

    def peppol_documents(self, invoice_id):
        with transaction(readonly=True):
            Invoice = Pool().get('account.invoice')
            return sorted((d.id, d.state, d.status, d.transmission_id)
                for d in Invoice(invoice_id).peppol)

    def peppol_label(self, client, url, invoice_id):
        html = client.get(url).get_data(as_text=True)
        match = re.search(r'id="peppol-%s" data-state="(\w+)">([^<]*)<'
            % invoice_id, html)
        return match.groups() if match else None

    def check_peppol_status(self, client, order_url, invoice_id):
        """The delivery status of the sent invoice is polled from the
        access point (edocument_peppol's cron) and shown in the portal and
        on the invoice in the back office: pending, refused by the
        receiver's access point, retried from the back office, delivered"""
        self.run_queue()
        (_, state, _, transmission), = self.peppol_documents(invoice_id)
        self.assertEqual((state, transmission), ('processing', 'T-1'))
        self.assertEqual(self.peppol_label(client, order_url, invoice_id),
            ('processing', 'Being sent through Peppol'))
        # still in transit: nothing changes
        self.poll_peppol()
        self.assertEqual(self.peppol_documents(invoice_id)[0][1],
            'processing')
        self.assertTrue(any(r[:2] == ('GET', '/documents/T-1')
                for r in self.access_point.requests))
        # the receiver's access point refuses it
        reason = "Receiver 0208:0403170701 is not registered"
        self.access_point.reject('T-1', reason)
        self.poll_peppol()
        (_, state, status, _), = self.peppol_documents(invoice_id)
        self.assertEqual((state, status), ('failed', reason))
        self.assertEqual(self.peppol_label(client, order_url, invoice_id),
            ('failed', 'Refused through Peppol (%s)' % reason))
        french = client.get(order_url.replace('/en/', '/')).get_data(
            as_text=True)
        self.assertIn('Refusée via Peppol', french)
        self.assertIn('Refused through Peppol',
            client.get('/en/pro/orders').get_data(as_text=True))
        # the back office retries it; an unreachable access point at the
        # next poll changes nothing

        def retry(t):
            Peppol = Pool().get('edocument.peppol')
            Peppol.retry(Peppol.search([('invoice', '=', invoice_id),
                        ('state', '=', 'failed')]))
        with_locks(retry)
        self.run_queue()
        self.assertEqual(len(self.access_point.documents), 2)
        url = config.get('urban_b2b', 'peppol_url')
        config.set('urban_b2b', 'peppol_url', 'http://127.0.0.1:9')
        try:
            self.poll_peppol()
        finally:
            config.set('urban_b2b', 'peppol_url', url)
        self.assertEqual([d[1] for d in self.peppol_documents(invoice_id)],
            ['retried', 'processing'])
        self.access_point.deliver('T-2')
        self.poll_peppol()
        self.assertEqual([d[1:] for d in self.peppol_documents(invoice_id)],
            [('retried', reason, 'T-1'), ('succeeded', 'delivered', 'T-2')])
        self.assertEqual(self.peppol_label(client, order_url, invoice_id),
            ('succeeded', 'Delivered through Peppol'))
        self.assertIn('Delivered through Peppol',
            client.get('/en/pro/orders').get_data(as_text=True))
        with transaction(readonly=True):
            invoice = Pool().get('account.invoice')(invoice_id)
            self.assertEqual(invoice.peppol_state, 'succeeded')

    # -- the journey ------------------------------------------------------

    def test_journey(self):
        client = self.client()
        # apply
        form = client.get('/en/pro/apply')
        self.assertEqual(form.status_code, 200)
        category = re.search(r'<option value="(\d+)"',
            form.get_data(as_text=True)).group(1)
        values = {
            'csrf_token': csrf_of(form), 'company_name': "Studio Brume",
            'vat_number': 'BE0403.170.702', 'peppol_id': '0208:0403170701',
            'category': category, 'street': "Rue Haute 10",
            'postal_code': '1000', 'city': "Bruxelles", 'country': 'BE',
            'contact_name': "Lou", 'email': 'lou@studiobrume.be',
            'phone': '', 'password': 'brume-password'}
        response = client.post('/en/pro/apply', data=values)
        self.assertEqual(response.status_code, 400)
        self.assertIn('not a valid EU VAT number',
            response.get_data(as_text=True))
        values['vat_number'] = 'BE0403.170.701'
        response = client.post('/en/pro/apply', data=values)
        self.assertEqual(response.status_code, 200,
            response.get_data(as_text=True)[-500:])
        self.assertIn('Thank you', response.get_data(as_text=True))
        # not approved yet: cannot log in
        self.login(self.client(), 'lou@studiobrume.be', 'brume-password',
            status=401)
        # the B2B manager approves (model API, as the back office does)
        with transaction() as t:
            Application = Pool().get('urban.b2b.application')
            application, = Application.search([
                    ('email', '=', 'lou@studiobrume.be')])
            Application.approve([application])
            t.commit()
        self.assertIn('lou@studiobrume.be', [m['To'] for m in self.smtp.sent])

        client = self.client()
        self.login(client, 'lou@studiobrume.be', 'brume-password')
        catalogue = client.get('/en/pro/catalogue?view=list')
        self.assertEqual(catalogue.status_code, 200)
        html = catalogue.get_data(as_text=True)
        self.assertIn('class="pro-price"', html)
        self.assertIn('RRP', html)
        self.assertIn('Studio Brume', html)
        grid = client.get('/pro/catalogue')
        self.assertIn('pro-card', grid.get_data(as_text=True))
        sheet = client.get('/en/pro/line-sheet.pdf')
        self.assertEqual(sheet.status_code, 200)
        self.assertTrue(sheet.data.startswith(b'%PDF'))
        self.assertIn(b'/Image', sheet.data)

        with transaction(readonly=True):
            _, products = pro_articles_in_stock()
            (sku1, min1), (sku2, min2), (sku3, min3) = [
                (p.code, p.template.minimum_quantity) for p in products]
            ean3 = [i.code for i in products[2].identifiers
                if i.type == 'ean'][0]
        token = csrf_of(client.get('/en/pro/cart'))
        # quick order: one unknown code → nothing is added
        response = client.post('/en/pro/quick-order', data={
                'csrf_token': token,
                'lines': '%s %s\nNOPE-1 2\n' % (sku1, min1 + 2)})
        self.assertEqual(response.status_code, 400)
        self.assertIn('Row 2', response.get_data(as_text=True))
        self.assertIn('Your cart is empty', response.get_data(as_text=True))
        response = client.post('/en/pro/quick-order', data={
                'csrf_token': token,
                'lines': '%s %s\n%s %s\n' % (sku1, min1 + 2, sku2,
                    min2 + 2)})
        self.assertEqual(response.status_code, 303)
        # CSV: a bad quantity row → nothing added; then a valid file
        bad = 'sku,quantity\n%s,%s\n%s,abc\n' % (ean3, min3, sku1)
        response = client.post('/en/pro/csv', data={'csrf_token': token,
                'file': (io.BytesIO(bad.encode()), 'order.csv')},
            content_type='multipart/form-data')
        self.assertEqual(response.status_code, 400)
        self.assertIn('Row 3', response.get_data(as_text=True))
        cart = client.get('/en/pro/cart').get_data(as_text=True)
        self.assertNotIn('data-sku="%s"' % sku3, cart)
        good = 'sku;quantity\n%s;%s\n' % (ean3, min3 + 2)
        response = client.post('/en/pro/csv', data={'csrf_token': token,
                'file': (io.BytesIO(good.encode()), 'order.csv')},
            content_type='multipart/form-data')
        self.assertEqual(response.status_code, 303)
        cart = client.get('/en/pro/cart').get_data(as_text=True)
        for sku in (sku1, sku2, sku3):
            self.assertIn('data-sku="%s"' % sku, cart)
        # place the order on 30-day invoice, delivered
        response = client.post('/en/pro/checkout', data={
                'csrf_token': token, 'delivery': 'delivery',
                'payment': 'invoice'})
        self.assertEqual(response.status_code, 303, re.findall(
                r'class="pro-error"[^>]*>(.*?)</(?:p|div)>',
                response.get_data(as_text=True), re.S))
        order_url = response.headers['Location']
        order = client.get(order_url)
        self.assertEqual(order.status_code, 200)
        self.assertRegex(order.get_data(as_text=True),
            r'id="status">(Confirmed|Processing)<')
        self.assertTrue(any('confirmed' in m['Subject']
                for m in self.smtp.sent if m['To'] == 'lou@studiobrume.be'))
        order_id = int(re.search(r'/orders/(\d+)', order_url).group(1))
        # the accountant posts the invoice (as the back office does:
        # retried with the locks the transaction asks for)

        def post_invoice(t):
            pool = Pool()
            Sale = pool.get('sale.sale')
            Invoice = pool.get('account.invoice')
            Service = pool.get('edocument.peppol.service')
            sale = Sale(order_id)
            invoices = sale.invoices
            self.assertTrue(invoices)
            # the company's Peppol access point (the local fake); the pro
            # company has a Peppol ID, so posting sends the invoice
            if not Service.search([]):
                Service.create([{'company': sale.company.id,
                            'service': 'urban_ap'}])
            Invoice.post(invoices)
            return invoices[0].id
        invoice_id = with_locks(post_invoice)
        order = client.get(order_url).get_data(as_text=True)
        self.assertIn('/pro/invoices/%s.pdf' % invoice_id, order)
        pdf = client.get('/en/pro/invoices/%s.pdf' % invoice_id)
        self.assertEqual(pdf.status_code, 200)
        self.assertTrue(pdf.data.startswith(b'%PDF'))
        ubl = client.get('/en/pro/invoices/%s.xml' % invoice_id)
        self.assertEqual(ubl.status_code, 200)
        self.assertIn(b'<Invoice', ubl.data)
        self.assertIn(b'0403170701', ubl.data)
        response = client.post('/en/pro/invoices/%s/peppol' % invoice_id,
            data={'csrf_token': token})
        self.assertEqual(response.status_code, 303)
        self.assertIn('sent=peppol', response.headers['Location'])
        self.assertEqual(len(self.access_point.documents), 1)
        self.assertIn(b'<Invoice', self.access_point.documents[0])
        self.assertEqual(self.access_point.requests[0][4]['Authorization'],
            'Bearer ap-test-key')
        self.check_peppol_status(client, order_url, invoice_id)
        # another company cannot see this invoice
        other = self.client()
        self.login(other, 'hello@ateliernord.be', 'urban-demo')
        self.assertEqual(
            other.get('/en/pro/invoices/%s.pdf' % invoice_id).status_code,
            404)
        # reorder fills the cart again
        response = client.post('/en/pro/orders/%s/reorder' % order_id,
            data={'csrf_token': token})
        self.assertEqual(response.status_code, 303)
        cart = client.get('/en/pro/cart').get_data(as_text=True)
        self.assertIn('data-sku="%s"' % sku1, cart)

    # -- the invoice's legal and payment details (issue 19) ----------------

    def posted_invoice_21_and_6(self):
        """Id of a posted customer invoice of Atelier Nord SRL (Tournai):
        10 × 100.00 at 21% VAT and 5 × 46.90 at 6% VAT"""
        def create(t):
            pool = Pool()
            Company = pool.get('company.company')
            Party = pool.get('party.party')
            Product = pool.get('product.product')
            Invoice = pool.get('account.invoice')
            Line = pool.get('account.invoice.line')
            Journal = pool.get('account.journal')
            Term = pool.get('account.invoice.payment_term')
            Date = pool.get('ir.date')
            company, = Company.search([])
            party, = Party.search([('name', '=', "Atelier Nord SRL")])
            journal, = Journal.search([('type', '=', 'revenue')], limit=1)
            term = party.customer_payment_term or Term.search([], limit=1)[0]
            invoice = Invoice(type='out', company=company, party=party,
                invoice_address=party.address_get(type='invoice'),
                currency=company.currency, journal=journal,
                account=party.account_receivable_used, payment_term=term,
                invoice_date=Date.today())
            lines = []
            for rate, quantity, price in (
                    (21, 10, Decimal('100.00')), (6, 5, Decimal('46.90'))):
                product, = Product.search([
                        ('template.account_category.name', '=',
                            "Goods %s%% VAT" % rate)], limit=1)
                lines.append(Line(invoice=invoice, type='line',
                        company=company, currency=company.currency,
                        invoice_type='out', party=party, product=product,
                        description=product.rec_name,
                        quantity=quantity, unit=product.default_uom,
                        unit_price=price,
                        account=product.account_revenue_used,
                        taxes=product.customer_taxes_used))
            invoice.lines = lines
            invoice.save()
            Invoice.update_taxes([invoice])
            Invoice.post([invoice])
            return invoice.id
        return with_locks(create)

    def test_invoice_legal_details(self):
        """The invoice shows who sells (address, enterprise number), a VAT
        row per rate adding up to the totals, the bank account and the
        payment reference, amounts and dates in the reader's language; the
        UBL carries the same bank account"""
        from lxml import etree

        from urbantherapy.demo import data

        from urban_b2b import documents

        def spaces(text):
            return text.replace('\xa0', ' ').replace('\u202f', ' ')
        invoice_id = self.posted_invoice_21_and_6()
        # the UBL renders Tryton's invoice report too, which caches it
        with transaction():
            invoice = Pool().get('account.invoice')(invoice_id)
            self.assertEqual(invoice.untaxed_amount, Decimal('1234.50'))
            sheets = {lang: documents.invoice_sheet(invoice, lang)
                for lang in ['fr', 'nl', 'en']}
            for lang in sheets:
                self.assertTrue(
                    documents.invoice_pdf(invoice, lang).startswith(b'%PDF'))
            ubl = etree.fromstring(documents.invoice_ubl(invoice))
            total = invoice.total_amount
            tax = invoice.tax_amount
        sheet = sheets['fr']
        # the seller as the company's party holds it
        seller = '\n'.join(sheet['seller'])
        self.assertIn(data.COMPANY['name'], seller)
        self.assertIn(data.COMPANY['street'], seller)
        self.assertIn('1000 Bruxelles', seller)

        def enterprise_number(base):
            "'BE 0487.654.335', as Belgians write it"
            vat = data.belgian_vat(base)
            return 'BE %s.%s.%s' % (vat[2:6], vat[6:9], vat[9:])
        self.assertIn(enterprise_number(data.COMPANY['vat_base']), seller)
        customer = '\n'.join(sheet['customer'])
        self.assertIn("Atelier Nord SRL", customer)
        self.assertIn('7500 Tournai', customer)
        nord, = [c for c in data.PRO_CUSTOMERS if c[0] == "Atelier Nord SRL"]
        self.assertIn('TVA %s' % enterprise_number(nord[2]), customer)
        # one VAT row per rate, adding up to the totals
        rows = sheet['taxes']
        self.assertEqual(sorted(r['rate'] for r in rows),
            [Decimal('0.06'), Decimal('0.21')])
        self.assertEqual(sum(r['base'] for r in rows), Decimal('1234.50'))
        self.assertEqual(sum(r['amount'] for r in rows), tax)
        by_rate = {r['rate']: r for r in rows}
        self.assertEqual(by_rate[Decimal('0.21')]['amount'],
            Decimal('210.00'))
        self.assertEqual(by_rate[Decimal('0.06')]['amount'],
            Decimal('14.07'))
        self.assertEqual(total, Decimal('1458.57'))
        # amounts and dates in the reader's language (Tryton's ir.lang)
        self.assertEqual(spaces(sheets['fr']['untaxed']), '1 234,50 €')
        self.assertEqual(spaces(sheets['fr']['total']), '1 458,57 €')
        self.assertEqual(spaces(by_rate[Decimal('0.21')]['base_text']),
            '1 000,00 €')
        self.assertEqual(spaces(sheets['nl']['untaxed']), '€ 1 234,50')
        self.assertEqual(sheets['en']['untaxed'], '€1,234.50')
        self.assertEqual(sheets['en']['total'], '€1,458.57')
        self.assertRegex(sheets['fr']['date'], r'^\d\d\.\d\d\.\d{4}$')
        self.assertRegex(sheets['nl']['date'], r'^\d\d-\d\d-\d{4}$')
        self.assertRegex(sheets['en']['date'], r'^\d\d/\d\d/\d{4}$')
        self.assertEqual(sheets['fr']['labels']['invoice'], "Facture")
        self.assertEqual(sheets['nl']['labels']['invoice'], "Factuur")
        # how to pay: the company's bank account, the Belgian structured
        # communication (the customer is in Belgium) and the due date
        payment = sheet['payment']
        self.assertEqual(payment['iban'], 'BE21 0012 3456 7803')
        self.assertEqual(payment['bic'], 'GEBABEBB')
        self.assertRegex(payment['reference'],
            r'^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$')
        self.assertRegex(payment['due'], r'^\d\d\.\d\d\.\d{4}$')
        # the UBL: credit transfer to the same account, same reference
        means, = ubl.findall('{*}PaymentMeans')
        self.assertEqual(means.findtext('{*}PaymentMeansCode'), '30')
        self.assertEqual(
            means.findtext('{*}PayeeFinancialAccount/{*}ID'),
            'BE21001234567803')
        self.assertEqual(means.findtext(
                '{*}PayeeFinancialAccount/{*}FinancialInstitutionBranch/'
                '{*}ID'), 'GEBABEBB')
        self.assertEqual(means.findtext('{*}PaymentID'),
            payment['reference'])
