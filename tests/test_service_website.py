"""Customer service on the site: from an order's page ("Write to the
shop") the logged-in customer writes to the order's shop, reads the
thread and answers (forms with their CSRF token), in French, Dutch and
English; another customer's conversation is a 404, an anonymous visitor
goes to the login page. On a database with our modules (no demo)."""
import re

from trytond.modules.company.tests import create_company
from trytond.pool import Pool
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import ActivatedTestCase
from urbantherapy.wsgi import PlatformMiddleware
from urban_service.tests.tools import (
    create_customer, create_sale, create_shop)

from .test_service_api import in_db

PASSWORD = 'Correct-Horse-Battery-9'


def csrf_of(response):
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"',
        response.get_data(as_text=True))
    return match.group(1) if match else None


class ServiceWebsiteTestCase(ActivatedTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = in_db(cls.business)

    @staticmethod
    def business():
        pool = Pool()
        WebUser = pool.get('web.user')
        company = create_company()
        create_shop("Ghent", 'GNT')
        namur = create_shop("Namur", 'NAM')
        anna = create_customer("Anna", 'anna@example.com', lang='nl')
        bob = create_customer("Bob", 'bob@example.com')
        sale = create_sale(company, anna, namur)
        WebUser.create([{
                    'email': 'anna@example.com', 'email_valid': True,
                    'party': anna.id, 'password': PASSWORD,
                    }, {
                    'email': 'bob@example.com', 'email_valid': True,
                    'party': bob.id, 'password': PASSWORD,
                    }])
        return {'sale_number': sale.number}

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def login(self, email, lang='en'):
        client = self.client()
        prefix = '' if lang == 'fr' else '/' + lang
        form = client.get(prefix + '/account/login')
        response = client.post(prefix + '/account/login', data={
                'csrf_token': csrf_of(form), 'email': email,
                'password': PASSWORD})
        self.assertEqual(response.status_code, 303,
            response.get_data(as_text=True)[-800:])
        return client

    def write(self, client, lang='en', **values):
        prefix = '' if lang == 'fr' else '/' + lang
        page = client.get(prefix + '/account/messages')
        self.assertEqual(page.status_code, 200)
        data = {'csrf_token': csrf_of(page), 'subject': 'other',
            'body': "Hello"}
        data.update(values)
        return client.post(prefix + '/account/messages', data=data)

    def test_write_from_the_order_page_and_reply(self):
        client = self.login('anna@example.com')
        number = self.ids['sale_number']
        order = client.get('/en/account/orders/%s' % number)
        self.assertEqual(order.status_code, 200)
        html = order.get_data(as_text=True)
        self.assertIn('Write to the shop', html)
        link = re.search(r'href="([^"]+)" id="write-to-shop"', html).group(1)
        self.assertEqual(link, '/en/account/messages?order=%s' % number)
        form = client.get(link)
        self.assertIn('<option value="%s" selected>' % number,
            form.get_data(as_text=True))

        sent = client.post('/en/account/messages', data={
                'csrf_token': csrf_of(form), 'subject': 'order',
                'order': number, 'body': "Line one\nLine two"})
        self.assertEqual(sent.status_code, 303, sent.data[-500:])
        thread_path = sent.headers['Location'].split('?')[0]
        self.assertRegex(thread_path, r'^/en/account/messages/\d+$')
        thread = client.get(sent.headers['Location'])
        html = thread.get_data(as_text=True)
        self.assertEqual(thread.status_code, 200)
        self.assertIn('Namur', html)       # the order's shop answers
        self.assertIn('Line one<br>Line two', html)
        self.assertIn('Waiting for the shop', html)
        self.assertIn('noindex', html)

        conversation_id = int(thread_path.rsplit('/', 1)[1])

        def answer():
            Conversation = Pool().get('urban.service.conversation')
            Conversation(conversation_id).staff_answer("<b>Coming</b>")
        in_db(answer)
        html = client.get(thread_path).get_data(as_text=True)
        self.assertIn('The shop answered', html)
        # the staff's words are text, never markup
        self.assertIn('&lt;b&gt;Coming&lt;/b&gt;', html)

        reply = client.post(thread_path + '/reply', data={
                'csrf_token': csrf_of(thread), 'body': "Thanks"})
        self.assertEqual(reply.status_code, 303)
        html = client.get(thread_path).get_data(as_text=True)
        self.assertIn('Thanks', html)
        self.assertIn('Waiting for the shop', html)

        listed = client.get('/en/account/messages').get_data(as_text=True)
        self.assertIn(thread_path, listed)

        # without the CSRF token nothing is written
        refused = client.post(thread_path + '/reply',
            data={'body': "forged"})
        self.assertEqual(refused.status_code, 403)
        self.assertNotIn('forged', client.get(thread_path).get_data(
                as_text=True))

        # another customer: 404 for the thread and the reply
        bob = self.login('bob@example.com')
        self.assertEqual(bob.get(thread_path).status_code, 404)
        page = bob.get('/en/account/messages')
        self.assertNotIn(thread_path, page.get_data(as_text=True))
        self.assertEqual(bob.post(thread_path + '/reply', data={
                    'csrf_token': csrf_of(page), 'body': "hi"}
                ).status_code, 404)
        # nor may Bob write about Anna's order
        self.assertEqual(self.write(bob, subject='order',
                order=number).status_code, 404)

    def test_anonymous_goes_to_login(self):
        client = self.client()
        for path in ['/en/account/messages', '/en/account/messages/1']:
            with self.subTest(path=path):
                response = client.get(path)
                self.assertEqual(response.status_code, 303)
                self.assertIn('/en/account/login',
                    response.headers['Location'])
        self.assertEqual(client.post('/en/account/messages', data={
                    'subject': 'other', 'body': "x"}).status_code, 401)

    def test_pages_in_french_and_dutch(self):
        client = self.login('anna@example.com', lang='nl')
        page = client.get('/nl/account/messages').get_data(as_text=True)
        self.assertIn('Mijn berichten', page)
        self.assertIn('Schrijf naar de winkel', page)
        page = client.get('/account/messages').get_data(as_text=True)
        self.assertIn('Mes messages', page)
        self.assertIn('Écrire au magasin', page)

    def test_bad_input(self):
        client = self.login('bob@example.com')
        self.assertEqual(self.write(client, subject='weather').status_code,
            422)
        response = self.write(client, body="   ")
        self.assertEqual(response.status_code, 422)
        self.assertIn('Please write your message.',
            response.get_data(as_text=True))
        self.assertEqual(self.write(client, subject='order',
                order='NOPE').status_code, 404)
        self.assertEqual(client.get('/en/account/messages/abc').status_code,
            404)
