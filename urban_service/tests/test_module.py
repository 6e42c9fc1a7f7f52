import contextlib
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase

from .tools import (
    create_customer, create_sale, create_shop, create_staff, image)


@contextlib.contextmanager
def as_user(user):
    "Act as user with the access checks of the client"
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        yield


class UrbanServiceTestCase(ModuleTestCase):
    "Test urban_service module"
    module = 'urban_service'

    def setup_business(self):
        self.company = create_company()
        self.ghent = create_shop("Ghent", 'GNT')
        self.namur = create_shop("Namur", 'NAM')
        self.anna = create_customer("Anna", 'anna@example.com', lang='nl')
        self.bob = create_customer("Bob", 'bob@example.com')

    # --- which shop answers ---------------------------------------------

    @with_transaction()
    def test_shop_is_the_order_shop(self):
        "A conversation about an order goes to the order's shop"
        Conversation = Pool().get('urban.service.conversation')
        self.setup_business()
        with set_company(self.company):
            sale = create_sale(self.company, self.anna, self.namur)
            conversation = Conversation.start(self.anna, 'order',
                "Where is my parcel?", sale=sale)
        self.assertEqual(conversation.shop, self.namur)
        self.assertEqual(conversation.sale, sale)
        self.assertEqual(conversation.title, sale.number)
        self.assertEqual(conversation.state, 'open')
        self.assertEqual(len(conversation.messages), 1)
        self.assertEqual(conversation.messages[0].author, 'customer')

    @with_transaction()
    def test_shop_is_the_favourite_then_the_usual_then_head_office(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Party = pool.get('party.party')
        Configuration = pool.get('sale.configuration')
        self.setup_business()
        brussels = create_shop("Brussels", 'BXL')
        config = Configuration(1)
        config.service_head_office = brussels
        config.save()
        # nothing known: the head office
        self.assertEqual(Conversation.shop_for(self.anna), brussels)
        # the shop of most of the customer's orders (draft ones aside)
        with set_company(self.company):
            create_sale(self.company, self.anna, self.ghent)
            create_sale(self.company, self.anna, self.namur)
            create_sale(self.company, self.anna, self.namur, state='done')
            create_sale(self.company, self.anna, self.ghent, state='draft')
            create_sale(self.company, self.anna, self.ghent, state='draft')
        self.assertEqual(Conversation.shop_for(self.anna), self.namur)
        # the favourite shop wins
        Party.write([self.anna], {'favourite_shop': self.ghent.id})
        self.assertEqual(Conversation.shop_for(Party(self.anna.id)),
            self.ghent)

    @with_transaction()
    def test_another_customers_order_is_refused(self):
        Conversation = Pool().get('urban.service.conversation')
        self.setup_business()
        with set_company(self.company):
            sale = create_sale(self.company, self.bob, self.ghent)
        with self.assertRaises(AccessError):
            Conversation.start(self.anna, 'order', "Hello", sale=sale)

    @with_transaction()
    def test_bad_input_is_refused(self):
        Conversation = Pool().get('urban.service.conversation')
        self.setup_business()
        with self.assertRaises(ValidationError):
            Conversation.start(self.anna, 'other', "   ")
        with self.assertRaises(ValidationError):
            Conversation.start(self.anna, 'weather', "Hello")
        with self.assertRaises(ValidationError):
            Conversation.start(self.anna, 'other', "x" * 5001)

    # --- answers, states, first response time -------------------------

    @with_transaction()
    def test_answer_reply_close(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Mail = pool.get('urban.mail')
        self.setup_business()
        staff = create_staff('ghent', [self.ghent])
        conversation = Conversation.start(self.anna, 'product',
            "Is the blue mug back soon?", title="Blue mug")
        Conversation.write([conversation], {'shop': self.ghent.id})
        self.assertTrue(conversation.waiting_since)
        self.assertIsNone(conversation.first_response_at)

        with as_user(staff):
            conversation = Conversation(conversation.id)
            message = conversation.staff_answer("Next week!")
        conversation = Conversation(conversation.id)
        self.assertEqual(message.author, 'staff')
        self.assertEqual(message.user, staff)
        self.assertEqual(conversation.state, 'answered')
        self.assertIsNone(conversation.waiting_since)
        first = conversation.first_response_at
        self.assertTrue(first)
        self.assertGreaterEqual(conversation.first_response_time,
            dt.timedelta(0))

        # the customer is told in their language (Dutch)
        mail, = Mail.search([('to', '=', 'anna@example.com')])
        self.assertIn("Ghent heeft je bericht beantwoord", mail.subject)
        self.assertIn("Next week!", mail.body)
        self.assertIn('/nl/account/messages/%s' % conversation.id,
            mail.body)

        conversation.customer_reply("Thanks, and in green?")
        conversation = Conversation(conversation.id)
        self.assertEqual(conversation.state, 'open')
        self.assertTrue(conversation.waiting_since)
        with as_user(staff):
            Conversation(conversation.id).staff_answer("Also.")
        conversation = Conversation(conversation.id)
        # the first response time is the first answer's
        self.assertEqual(conversation.first_response_at, first)
        self.assertEqual([m.author for m in conversation.messages],
            ['customer', 'staff', 'customer', 'staff'])

        Conversation.close([conversation])
        self.assertEqual(conversation.state, 'closed')
        # a customer writing again reopens it
        conversation.customer_reply("One more thing")
        self.assertEqual(Conversation(conversation.id).state, 'open')

    @with_transaction()
    def test_email_language_default_and_english(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Mail = pool.get('urban.mail')
        self.setup_business()
        carl = create_customer("Carl", 'carl@example.com', lang='en')
        for party in [self.bob, carl]:
            conversation = Conversation.start(party, 'other', "Hello",
                title="Opening hours")
            conversation.staff_answer("9 to 18")
        bob, = Mail.search([('to', '=', 'bob@example.com')])
        self.assertIn("a répondu à votre message", bob.subject)
        carl, = Mail.search([('to', '=', 'carl@example.com')])
        self.assertIn("answered your message", carl.subject)

    @with_transaction()
    def test_wizard_answers_as_the_staff_member(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Answer = pool.get('urban.service.answer', type='wizard')
        self.setup_business()
        staff = create_staff('ghent', [self.ghent])
        other = create_staff('namur', [self.namur])
        conversation = Conversation.start(self.anna, 'other', "Hi")
        Conversation.write([conversation], {'shop': self.ghent.id})

        def answer(user):
            with as_user(user):
                session_id, _, _ = Answer.create()
                with Transaction().set_context(
                        active_model=Conversation.__name__,
                        active_id=conversation.id,
                        active_ids=[conversation.id]):
                    Answer.execute(session_id, {'start': {
                                'body': "Hello from the shop",
                                'photo1': image('PNG'),
                                }}, 'send')
                Answer.delete(session_id)

        with self.assertRaises(UserError):
            answer(other)
        self.assertEqual(Conversation(conversation.id).state, 'open')
        answer(staff)
        conversation = Conversation(conversation.id)
        self.assertEqual(conversation.state, 'answered')
        message = conversation.messages[-1]
        self.assertEqual(message.user, staff)
        self.assertEqual(message.attachments[0].mimetype, 'image/png')

    # --- attachments ----------------------------------------------------

    @with_transaction()
    def test_attachments_checked_by_content(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        self.setup_business()
        conversation = Conversation.start(self.anna, 'return',
            "It arrived broken", attachments=[
                ('broken.JPG', image('JPEG')),
                ('../../etc/passwd.png', image('PNG')),
                ('c.webp', image('WEBP')),
                ])
        attachments = conversation.messages[0].attachments
        self.assertEqual(sorted(a.mimetype for a in attachments),
            ['image/jpeg', 'image/png', 'image/webp'])
        self.assertEqual(sorted(a.name for a in attachments),
            ['broken.jpg', 'c.webp', 'etcpasswd.png'])
        self.assertTrue(all(a.size > 0 for a in attachments))

        # a text named like a photo, a GIF, a truncated JPEG
        for data in [b'hello, not a photo', image('GIF'),
                b'\xff\xd8\xff\xe0garbage']:
            with self.subTest(data=data[:8]), \
                    self.assertRaises(ValidationError):
                conversation.customer_reply("photo", [('photo.jpg', data)])
        # too large
        with self.assertRaises(ValidationError):
            conversation.customer_reply("big", [
                    ('big.jpg', image('JPEG') + b'\0' * (5 * 1024 * 1024))])
        # too many
        with self.assertRaises(ValidationError):
            conversation.customer_reply("many",
                [('p.png', image('PNG'))] * 4)

    # --- GDPR ------------------------------------------------------------

    @with_transaction()
    def test_gdpr_export_and_erase(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Party = pool.get('party.party')
        Erase = pool.get('party.erase', type='wizard')
        self.setup_business()
        conversation = Conversation.start(self.anna, 'return',
            "My address is Veldstraat 1", title="Broken mug",
            attachments=[('mug.png', image('PNG'))])
        conversation.staff_answer("Send it back")
        other = Conversation.start(self.bob, 'other', "Bob's words")

        exported, = Conversation.export_party(self.anna)
        self.assertEqual(exported['title'], "Broken mug")
        self.assertEqual([m['body'] for m in exported['messages']],
            ["My address is Veldstraat 1", "Send it back"])
        self.assertEqual(len(exported['messages'][0]['photos']), 1)

        Party.write([self.anna], {'active': False})
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        erase.ask.party = self.anna
        erase.transition_erase()
        Erase.delete(session_id)

        Message = pool.get('urban.service.message')
        Attachment = pool.get('urban.service.attachment')
        # read from the database (erasure updates it in SQL)
        Transaction().cache.clear()
        [conversation] = Conversation.read([conversation.id], ['title'])
        self.assertEqual(conversation['title'], '****')
        messages = Message.search(
            [('conversation', '=', conversation['id'])])
        self.assertEqual({m['body'] for m in Message.read(
                    [m.id for m in messages], ['body'])}, {'****'})
        [attachment] = Attachment.read([a.id for a in Attachment.search(
                    [('message', 'in', [m.id for m in messages])])],
            ['name', 'data'])
        self.assertFalse(attachment['data'])
        self.assertEqual(attachment['name'], '****')
        # another customer's words stay
        self.assertEqual(Conversation(other.id).messages[0].body,
            "Bob's words")

    # --- who sees what ------------------------------------------------

    @with_transaction()
    def test_staff_see_their_shops_conversations_only(self):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Message = pool.get('urban.service.message')
        Attachment = pool.get('urban.service.attachment')
        User = pool.get('res.user')
        self.setup_business()
        with set_company(self.company):
            ghent_sale = create_sale(self.company, self.anna, self.ghent)
            namur_sale = create_sale(self.company, self.bob, self.namur)
        in_ghent = Conversation.start(self.anna, 'order', "Ghent?",
            sale=ghent_sale, attachments=[('a.png', image('PNG'))])
        in_namur = Conversation.start(self.bob, 'order', "Namur?",
            sale=namur_sale, attachments=[('b.png', image('PNG'))])
        ghent_staff = create_staff('ghent', [self.ghent])
        namur_staff = create_staff('namur', [self.namur])
        manager = create_staff('boss', manager=True)
        nobody, = User.create([{'login': 'nobody', 'name': "Nobody"}])
        namur_message = in_namur.messages[0]
        namur_attachment = namur_message.attachments[0]
        ghent_message = in_ghent.messages[0]

        with as_user(ghent_staff):
            self.assertEqual(Conversation.search([]), [in_ghent])
            self.assertEqual(
                {m.conversation for m in Message.search([])}, {in_ghent})
            self.assertEqual(len(Attachment.search([])), 1)
            # reading another shop's conversation or its messages fails
            with self.assertRaises(AccessError):
                Conversation.read([in_namur.id], ['title'])
            with self.assertRaises(AccessError):
                Message.read([namur_message.id], ['body'])
            with self.assertRaises(AccessError):
                Attachment.read([namur_attachment.id], ['data'])
            # nor searching the customers through it
            self.assertEqual(Conversation.search(
                    [('party.name', '=', "Bob")]), [])
            # nor answering it
            with self.assertRaises(AccessError):
                Conversation(in_namur.id).staff_answer("hi")
            # nor editing the customer's words
            with self.assertRaises(AccessError):
                Message.write([Message(ghent_message.id)],
                    {'body': "changed"})
            # nor closing it, nor moving it to their shop
            with self.assertRaises(AccessError):
                Conversation.close([Conversation(in_namur.id)])
            with self.assertRaises(AccessError):
                Conversation.write([Conversation(in_namur.id)],
                    {'shop': self.ghent.id})
            # their own: closed and reopened, but the customer's words and
            # the conversation's facts are the server's
            Conversation.close([Conversation(in_ghent.id)])
            self.assertEqual(Conversation(in_ghent.id).state, 'closed')
            Conversation.reopen([Conversation(in_ghent.id)])
            with self.assertRaises(AccessError):
                Conversation.write([Conversation(in_ghent.id)],
                    {'party': self.bob.id})
            # (raised after the insert: the client's call is rolled back)
            with self.assertRaises(AccessError):
                Message.create([{'conversation': in_ghent.id,
                            'author': 'customer', 'body': "forged"}])
        with as_user(namur_staff):
            self.assertEqual(Conversation.search([]), [in_namur])
        with as_user(manager):
            self.assertEqual(set(Conversation.search([])),
                {in_ghent, in_namur})
            self.assertEqual({m.conversation for m in Message.search([])},
                {in_ghent, in_namur})
        with as_user(nobody):
            with self.assertRaises(AccessError):
                Conversation.search([])
            with self.assertRaises(AccessError):
                Message.search([])


del ModuleTestCase
