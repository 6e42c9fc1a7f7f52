"""Customer service through the app's API (/api/v1/conversations) and the
push and e-mail the customer gets when the shop answers, on a database
with our modules activated (no demo): the customer writes about an order
(its shop answers) or anything (their favourite shop), adds photos checked
by content, reads the thread; another customer's conversation is a 404,
an anonymous call a 401, bad input a 422 problem."""
import base64
import json

from trytond.modules.company.tests import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import ActivatedTestCase
from urbantherapy.wsgi import PlatformMiddleware
from urban_service.tests.tools import (
    create_customer, create_sale, create_shop, create_staff, image)


def in_db(func, *args, user=0):
    """func(*args) in a committed transaction (queued tasks are left in
    the queue: no e-mail nor push leaves the test)"""
    with Transaction().start(DB_NAME, user, context={
                '_check_access': bool(user)}) as transaction:
        result = func(*args)
        transaction.commit()
        return result


def b64(data):
    return base64.b64encode(data).decode()


class ServiceApiTestCase(ActivatedTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = in_db(cls.business)

    @staticmethod
    def business():
        pool = Pool()
        WebUser = pool.get('web.user')
        Device = pool.get('urban.api.push.device')
        Party = pool.get('party.party')
        company = create_company()
        ghent = create_shop("Ghent", 'GNT')
        namur = create_shop("Namur", 'NAM')
        anna = create_customer("Anna", 'anna@example.com', lang='nl')
        bob = create_customer("Bob", 'bob@example.com')
        Party.write([anna], {'favourite_shop': ghent.id})
        sale = create_sale(company, anna, namur)
        bob_sale = create_sale(company, bob, namur)
        users = WebUser.create([{
                    'email': 'anna@example.com', 'email_valid': True,
                    'party': anna.id,
                    }, {
                    'email': 'bob@example.com', 'email_valid': True,
                    'party': bob.id,
                    }])
        Device.create([{
                    'user': users[0].id, 'token': 'ExponentPushToken[anna]',
                    'platform': 'ios', 'language': 'nl',
                    'topics': ['orders'],
                    }])
        namur_staff = create_staff('namur', [namur])
        ghent_staff = create_staff('ghent', [ghent])
        return {
            'anna': 'Bearer %s' % users[0].new_session(),
            'bob': 'Bearer %s' % users[1].new_session(),
            'sale': sale.id, 'sale_number': sale.number,
            'bob_sale': bob_sale.id,
            'namur_staff': namur_staff.id, 'ghent_staff': ghent_staff.id,
            }

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def call(self, method, path, who=None, **kwargs):
        headers = {'Accept-Language': 'en'}
        if who:
            headers['Authorization'] = self.ids[who]
        return getattr(self.client(), method)('/api/v1' + path,
            headers=headers, **kwargs)

    def assertProblem(self, response, status, code=None):
        self.assertEqual(response.status_code, status, response.data)
        self.assertEqual(response.mimetype, 'application/problem+json')
        if code:
            self.assertEqual(json.loads(response.data)['code'], code)

    def test_write_about_an_order_and_read_the_answer(self):
        created = self.call('post', '/conversations', 'anna', json={
                'subject': 'order', 'order_id': self.ids['sale'],
                'body': "The mug arrived broken.",
                'attachments': [{'name': 'mug.jpg',
                        'content_base64': b64(image('JPEG'))}],
                })
        self.assertEqual(created.status_code, 201, created.data)
        conversation = json.loads(created.data)
        # the order's shop answers, not the favourite one
        self.assertEqual(conversation['shop'], 'NAM')
        self.assertEqual(conversation['state'], 'open')
        self.assertEqual(conversation['order_number'],
            self.ids['sale_number'])
        self.assertEqual(conversation['title'], self.ids['sale_number'])
        message, = conversation['messages']
        self.assertEqual(message['author'], 'customer')
        attachment, = message['attachments']
        self.assertEqual(attachment['content_type'], 'image/jpeg')

        # the staff of the order's shop answer from the back office
        def answer():
            Conversation = Pool().get('urban.service.conversation')
            Conversation(conversation['id']).staff_answer(
                "Sorry! A new one leaves today.")
        in_db(answer, user=self.ids['namur_staff'])

        # push to Anna's device in its language, e-mail in hers
        def told():
            pool = Pool()
            Message = pool.get('urban.api.push.message')
            Mail = pool.get('urban.mail')
            pushes = Message.search([
                    ('device.token', '=', 'ExponentPushToken[anna]')])
            mails = Mail.search([('to', '=', 'anna@example.com')])
            return ([(p.title, p.body, dict(p.data)) for p in pushes],
                [(m.subject, m.body) for m in mails])
        pushes, mails = in_db(told)
        (title, body, data), = pushes
        self.assertEqual(title, "Namur heeft geantwoord")
        self.assertEqual(body, "Sorry! A new one leaves today.")
        self.assertEqual(data, {'conversation_id': conversation['id'],
                'type': 'service_answer'})
        (subject, text), = mails
        self.assertIn("Namur heeft je bericht beantwoord", subject)

        thread = self.call('get', '/conversations/%s' % conversation['id'],
            'anna')
        self.assertEqual(thread.status_code, 200)
        thread = json.loads(thread.data)
        self.assertEqual(thread['state'], 'answered')
        self.assertEqual([m['author'] for m in thread['messages']],
            ['customer', 'shop'])

        # Anna writes again: the conversation waits for the shop
        again = self.call('post', '/conversations/%s/messages'
            % conversation['id'], 'anna', json={
                'body': "Thank you!\n\tAnna"})
        self.assertEqual(again.status_code, 201, again.data)
        self.assertEqual(json.loads(again.data)['author'], 'customer')
        thread = json.loads(self.call('get', '/conversations/%s'
                % conversation['id'], 'anna').data)
        self.assertEqual(thread['state'], 'open')

        listed = json.loads(self.call('get', '/conversations', 'anna').data)
        self.assertIn(conversation['id'],
            [c['id'] for c in listed['items']])
        self.assertNotIn('messages', listed['items'][0])

    def test_without_order_the_favourite_shop_answers(self):
        created = self.call('post', '/conversations', 'anna', json={
                'subject': 'product', 'title': "Green vase",
                'body': "Will it be back?"})
        self.assertEqual(created.status_code, 201, created.data)
        self.assertEqual(json.loads(created.data)['shop'], 'GNT')
        self.assertEqual(json.loads(created.data)['title'], "Green vase")

    def test_another_customers_conversation_is_not_found(self):
        created = json.loads(self.call('post', '/conversations', 'bob',
                json={'subject': 'other', 'body': "Hello"}).data)
        path = '/conversations/%s' % created['id']
        self.assertProblem(self.call('get', path, 'anna'), 404,
            'conversation_not_found')
        self.assertProblem(self.call('post', path + '/messages', 'anna',
                json={'body': "Hi Bob"}), 404, 'conversation_not_found')
        listed = json.loads(self.call('get', '/conversations', 'anna').data)
        self.assertNotIn(created['id'], [c['id'] for c in listed['items']])
        # nor another's order
        self.assertProblem(self.call('post', '/conversations', 'anna',
                json={'subject': 'order', 'order_id': self.ids['bob_sale'],
                    'body': "Where is it?"}), 404, 'order_not_found')
        # Bob sees his
        self.assertEqual(self.call('get', path, 'bob').status_code, 200)

    def test_anonymous_is_refused(self):
        for method, path, body in [
                ('get', '/conversations', None),
                ('post', '/conversations', {'subject': 'other',
                        'body': "x"}),
                ('get', '/conversations/1', None),
                ('post', '/conversations/1/messages', {'body': "x"}),
                ]:
            with self.subTest(method=method, path=path):
                self.assertProblem(self.call(method, path, json=body), 401,
                    'unauthenticated')

    def test_bad_input(self):
        for body in [
                {'subject': 'weather', 'body': "x"},
                {'subject': 'other', 'body': ""},
                {'subject': 'other', 'body': "x" * 5001},
                {'subject': 'other', 'body': "x", 'extra': 1},
                {'subject': 'other', 'body': "x", 'attachments': [
                        {'content_base64': b64(image('PNG'))}] * 4},
                {'subject': 'other', 'body': "x", 'attachments': [
                        {'content_base64': '!!not base64!!'}]},
                {'subject': 'other', 'body': "NUL \x00 inside"},
                {'subject': 'other', 'body': "x", 'title': "a\nb"},
                ]:
            with self.subTest(body=str(body)[:60]):
                self.assertProblem(self.call('post', '/conversations',
                        'anna', json=body), 422)
        # a text file named like a photo: refused by its content
        self.assertProblem(self.call('post', '/conversations', 'anna',
                json={'subject': 'return', 'body': "x", 'attachments': [{
                            'name': 'photo.jpg',
                            'content_base64': b64(b'GIF89a or not'),
                            }]}), 422, 'invalid_message')
        # a photo over 5 MB
        big = image('JPEG') + b'\0' * (5 * 1024 * 1024)
        self.assertProblem(self.call('post', '/conversations', 'anna',
                json={'subject': 'return', 'body': "x", 'attachments': [{
                            'content_base64': b64(big)}]}), 422,
            'invalid_message')
        # a whitespace-only message
        self.assertProblem(self.call('post', '/conversations', 'anna',
                json={'subject': 'other', 'body': "   "}), 422,
            'invalid_message')
        self.assertProblem(self.call('get', '/conversations/abc', 'anna'),
            404)

    def test_photos_of_a_few_megabytes_are_accepted(self):
        "the API takes more than trytond's 2 MB default for the photos"
        from PIL import Image
        import io
        import os
        buffer = io.BytesIO()
        Image.frombytes('RGB', (1100, 1100), os.urandom(1100 * 1100 * 3)
            ).save(buffer, 'PNG')
        photo = buffer.getvalue()
        self.assertGreater(len(photo), 3 * 1024 * 1024)
        created = self.call('post', '/conversations', 'anna', json={
                'subject': 'return', 'body': "Here it is",
                'attachments': [{'name': 'big.png',
                        'content_base64': b64(photo)}]})
        self.assertEqual(created.status_code, 201, created.data[:300])
        attachment, = json.loads(created.data)['messages'][0][
            'attachments']
        self.assertEqual(attachment['size'], len(photo))

    def test_gdpr_export_includes_the_conversations(self):
        self.call('post', '/conversations', 'bob', json={
                'subject': 'other', 'title': "Gift wrap",
                'body': "Do you wrap gifts?"})
        exported = self.call('get', '/me/export', 'bob')
        self.assertEqual(exported.status_code, 200, exported.data)
        conversations = json.loads(exported.data)['conversations']
        mine = [c for c in conversations if c['title'] == "Gift wrap"]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]['messages'][0]['body'],
            "Do you wrap gifts?")
        # none of Anna's
        anna = json.loads(self.call('get', '/me/export', 'anna').data)
        self.assertNotIn("Gift wrap",
            [c['title'] for c in anna['conversations']])

    def test_openapi_documents_the_routes(self):
        document = json.loads(self.call('get', '/openapi.json').data)
        paths = document['paths']
        self.assertIn('/api/v1/conversations', paths)
        self.assertEqual(set(paths['/api/v1/conversations']),
            {'get', 'post'})
        self.assertIn('/api/v1/conversations/{conversation_id}', paths)
        self.assertIn('/api/v1/conversations/{conversation_id}/messages',
            paths)
