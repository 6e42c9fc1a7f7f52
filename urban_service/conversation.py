# A conversation a customer opens with the shops about an order, a product
# or a return, and its messages. The conversation belongs to one shop: the
# order's shop, else the customer's favourite shop, else the shop of most of
# their orders, else the head office (sale configuration); only that shop's
# staff see it (security.xml), managers see all. The channels call
# `Conversation.start`, `customer_reply` and read `messages`; staff answer
# with the Answer wizard (`staff_answer`), which tells the customer by
# e-mail in their language (notify.py) and, where the app is installed, by
# push (urban_mobile_api extends `notify_answer`).
import datetime as dt

from sql import Literal
from sql.aggregate import Count, Max

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError, ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import notify

SUBJECTS = [
    ('order', "Order"),
    ('product', "Product"),
    ('return', "Return"),
    ('other', "Other"),
    ]
STATES = [
    ('open', "Waiting for the Shop"),
    ('answered', "Answered"),
    ('closed', "Closed"),
    ]
MAX_BODY = 5000
MAX_TITLE = 120


class Conversation(Workflow, ModelSQL, ModelView):
    "Customer Service Conversation"
    __name__ = 'urban.service.conversation'
    __string__ = "Customer Service Conversation"
    _rec_name = 'title'

    party = fields.Many2One('party.party', "Customer", required=True,
        ondelete='CASCADE', readonly=True)
    subject = fields.Selection(SUBJECTS, "Subject", required=True,
        readonly=True)
    subject_string = subject.translated('subject')
    title = fields.Char("Title", required=True, readonly=True)
    sale = fields.Many2One('sale.sale', "Order", ondelete='SET NULL',
        readonly=True,
        domain=[('party', '=', Eval('party', -1))])
    product = fields.Many2One('product.product', "Product",
        ondelete='SET NULL', readonly=True)
    shop = fields.Many2One('stock.location', "Shop", required=True,
        ondelete='RESTRICT', domain=[('type', '=', 'warehouse')],
        states={'readonly': Eval('state') != 'open'},
        help="The shop whose staff answer the conversation.")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    messages = fields.One2Many('urban.service.message', 'conversation',
        "Messages", readonly=True, order=[('date', 'ASC'), ('id', 'ASC')])
    waiting_since = fields.DateTime("Waiting Since", readonly=True,
        help="When the customer's oldest message not answered yet was "
        "written.")
    last_message_at = fields.DateTime("Last Message", readonly=True)
    first_response_at = fields.DateTime("First Response", readonly=True)
    first_response_seconds = fields.Integer("First Response Seconds",
        readonly=True)
    first_response_time = fields.Function(fields.TimeDelta(
            "First Response Time",
            help="Time from the customer's first message to the shop's "
            "first answer."), 'get_first_response_time')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range())),
                Index(t, (t.shop, Index.Range()), (t.state, Index.Equality())),
                })
        cls._order = [('last_message_at', 'DESC NULLS FIRST'),
            ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'closed'),
            ('answered', 'closed'),
            ('closed', 'open'),
            }
        cls._buttons.update({
                'answer': {
                    'invisible': Eval('state') == 'closed',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') == 'closed',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'closed',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_subject(cls):
        return 'other'

    @property
    def opened_at(self):
        "When the customer wrote first (the server's clock, as the answers)"
        return self.messages[0].date if self.messages else self.create_date

    def get_first_response_time(self, name):
        if self.first_response_at and self.opened_at:
            return self.first_response_at - self.opened_at

    # --- which shop answers -------------------------------------------

    @classmethod
    def shop_for(cls, party, sale=None):
        """The shop that answers party: the order's shop, the favourite
        shop, the shop of most of their orders, else the head office"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        Location = pool.get('stock.location')
        Configuration = pool.get('sale.configuration')
        if sale and sale.warehouse:
            return sale.warehouse
        if getattr(party, 'favourite_shop', None):
            return party.favourite_shop
        sale_t, location = Sale.__table__(), Location.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*sale_t.join(location,
                condition=sale_t.warehouse == location.id
                ).select(sale_t.warehouse,
                where=(sale_t.party == party.id)
                & (location.shop == Literal(True))
                & sale_t.state.in_(['confirmed', 'processing', 'done']),
                group_by=[sale_t.warehouse],
                order_by=[Count(Literal(1)).desc,
                    Max(sale_t.id).desc],
                limit=1))
        row = cursor.fetchone()
        if row:
            return Location(row[0])
        head_office = Configuration(1).service_head_office
        if head_office:
            return head_office
        shops = Location.search([
                ('type', '=', 'warehouse'), ('shop', '=', True)],
            order=[('id', 'ASC')], limit=1)
        if shops:
            return shops[0]
        raise ValidationError(gettext('urban_service.msg_no_shop'))

    # --- what the channels call ---------------------------------------

    @classmethod
    def check_body(cls, body):
        body = (body or '').strip()
        if not body:
            raise ValidationError(gettext('urban_service.msg_body_empty'))
        if len(body) > MAX_BODY:
            raise ValidationError(gettext('urban_service.msg_body_too_long',
                    limit=MAX_BODY))
        return body

    @classmethod
    def start(cls, party, subject, body, title=None, sale=None,
            product=None, attachments=(), web_user=None):
        """Open a conversation of party (the customer) with its first
        message; attachments: [(name, bytes)]. The sale must be party's."""
        pool = Pool()
        Message = pool.get('urban.service.message')
        if subject not in dict(SUBJECTS):
            raise ValidationError(gettext('urban_service.msg_subject'))
        if sale and sale.party != party:
            raise AccessError(gettext('urban_service.msg_not_your_order'))
        body = cls.check_body(body)
        title = (title or '').strip()[:MAX_TITLE]
        if not title:
            if sale:
                title = sale.number or str(sale.id)
            elif product:
                title = product.rec_name
            else:
                title = body.splitlines()[0][:MAX_TITLE]
        now = dt.datetime.now()
        conversation = cls(party=party, subject=subject, title=title,
            sale=sale, product=product, shop=cls.shop_for(party, sale),
            state='open', waiting_since=now, last_message_at=now)
        conversation.save()
        Message.post(conversation, 'customer', body, attachments,
            web_user=web_user, date=now)
        return conversation

    def customer_reply(self, body, attachments=(), web_user=None):
        "The customer writes again: the conversation waits for the shop"
        Message = Pool().get('urban.service.message')
        body = self.check_body(body)
        now = dt.datetime.now()
        message = Message.post(self, 'customer', body, attachments,
            web_user=web_user, date=now)
        values = {'state': 'open', 'last_message_at': now}
        if self.state != 'open' or not self.waiting_since:
            values['waiting_since'] = now
        self.write([self], values)
        return message

    def staff_answer(self, body, attachments=()):
        """The shop answers (as the current user): the customer is told by
        e-mail and push. Under access checks (the Answer wizard), only a
        user who may write this conversation answers it."""
        Message = Pool().get('urban.service.message')
        self.check_answer_access()
        body = self.check_body(body)
        now = dt.datetime.now()
        with without_check_access():
            message = Message.post(self, 'staff', body, attachments,
                date=now, user=Transaction().user or None)
            values = {'state': 'answered', 'waiting_since': None,
                'last_message_at': now}
            if not self.first_response_at:
                values['first_response_at'] = now
                values['first_response_seconds'] = max(0, int(
                        (now - self.opened_at).total_seconds()))
            self.write([self], values)
        self.notify_answer(message)
        return message

    def check_answer_access(self):
        """Raise AccessError unless the user may write this conversation:
        the model access and the record rules (their shops only)"""
        ModelAccess = Pool().get('ir.model.access')
        if not Transaction().check_access:
            return
        ModelAccess.check(self.__name__, 'write')
        # reading applies the user's record rules: another shop's
        # conversation raises AccessError
        self.__class__.read([self.id], ['state'])

    @classmethod
    def check_modification(cls, mode, conversations, values=None,
            external=False):
        super().check_modification(mode, conversations, values=values,
            external=external)
        # from the client: staff reassign the shop or close and reopen;
        # the rest is written by the server (messages, answers)
        if external and (mode == 'create' or (mode == 'write'
                    and set(values) - {'shop', 'state', 'waiting_since'})):
            raise AccessError(gettext(
                    'urban_service.msg_conversation_modify'))

    def notify_answer(self, message):
        """Tell the customer the shop answered: a queued e-mail in their
        language; channels extend it (push). Staff may not read the
        customer's accounts nor the mail queue: the server does it."""
        with without_check_access():
            notify.send_answer_email(self, message)

    @classmethod
    def export_party(cls, party):
        """The conversations of party with their messages, for the GDPR
        export (photos by name and size)"""
        return [{
                'id': c.id,
                'subject': c.subject,
                'title': c.title,
                'shop': c.shop.name,
                'state': c.state,
                'created_at': c.create_date.isoformat(),
                'messages': [{
                        'author': m.author,
                        'body': m.body,
                        'date': m.date.isoformat(),
                        'photos': ['%s (%s bytes)' % (a.name, a.size)
                            for a in m.attachments],
                        } for m in c.messages],
                } for c in cls.search(cls.customer_domain(party),
                order=[('id', 'ASC')])]

    @classmethod
    def customer_domain(cls, party):
        "The conversations a customer sees in the app and on the site"
        return [('party', '=', party.id)]

    # --- buttons ------------------------------------------------------

    @classmethod
    @ModelView.button_action('urban_service.wizard_answer')
    def answer(cls, conversations):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, conversations):
        cls.write(conversations, {'waiting_since': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, conversations):
        cls.write(conversations, {'waiting_since': dt.datetime.now()})


class Message(ModelSQL, ModelView):
    "Customer Service Message"
    __name__ = 'urban.service.message'
    __string__ = "Customer Service Message"

    conversation = fields.Many2One('urban.service.conversation',
        "Conversation", required=True, ondelete='CASCADE', readonly=True)
    author = fields.Selection([
            ('customer', "Customer"),
            ('staff', "Shop"),
            ], "Author", required=True, readonly=True)
    author_string = author.translated('author')
    user = fields.Many2One('res.user', "Staff Member", readonly=True,
        ondelete='SET NULL',
        states={'invisible': Eval('author') != 'staff'})
    web_user = fields.Many2One('web.user', "Customer Account", readonly=True,
        ondelete='SET NULL',
        states={'invisible': Eval('author') != 'customer'})
    body = fields.Text("Message", required=True, readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    attachments = fields.One2Many('urban.service.attachment', 'message',
        "Photos", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('conversation')
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.conversation, Index.Range()), (t.date, Index.Range())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_date(cls):
        return dt.datetime.now()

    @classmethod
    def check_modification(cls, mode, messages, values=None,
            external=False):
        super().check_modification(mode, messages, values=values,
            external=external)
        # the words of the customer and of the staff are never edited;
        # messages are only posted by the conversation (start, reply,
        # answer)
        if external:
            raise AccessError(gettext('urban_service.msg_message_modify'))

    @classmethod
    def post(cls, conversation, author, body, attachments=(), date=None,
            user=None, web_user=None):
        "Create a message with its photos [(name, bytes)]"
        from .attachment import MAX_PER_MESSAGE
        attachments = list(attachments or ())
        if len(attachments) > MAX_PER_MESSAGE:
            raise ValidationError(gettext(
                    'urban_service.msg_attachment_count',
                    limit=MAX_PER_MESSAGE))
        message, = cls.create([{
                    'conversation': conversation.id,
                    'author': author,
                    'body': body,
                    'date': date or dt.datetime.now(),
                    'user': user,
                    'web_user': web_user.id if web_user else None,
                    'attachments': [('create', [{
                                    'name': name or 'photo',
                                    'data': data,
                                    } for name, data in attachments])],
                    }])
        return message
