"""The customer's messages to the shops on the site (FR/NL/EN): under
/account/messages the list of their conversations and a form to write
(about an order, from its page's "Write to the shop" link, a product, a
return or anything), each conversation's thread and a reply form. Pages
of the account (shop_account.signed_in: session, CSRF, noindex); another
customer's conversation is a 404. The rules (which shop answers, who is
told) are urban_service's; photos are sent from the app."""
import re

from trytond.exceptions import UserError
from trytond.protocols.wrappers import redirect
from trytond.transaction import Transaction

from . import forms, i18n
from .routes import not_found
from .shop_account import account_page, signed_in

CONVERSATIONS = 50
# control characters but the line breaks and tabs of a message
CONTROL = re.compile('[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]')
SUBJECTS = {
    'order': "An order",
    'product': "A product",
    'return': "A return",
    'other': "Something else",
    }
STATES = {
    'open': "Waiting for the shop",
    'answered': "The shop answered",
    'closed': "Conversation closed",
    }


def _(lang, text, **variables):
    return i18n.gettext(lang, text, **variables)


def _conversations(pool, user):
    Conversation = pool.get('urban.service.conversation')
    if not user.party:
        return []
    return Conversation.search(Conversation.customer_domain(user.party),
        order=[('id', 'DESC')], limit=CONVERSATIONS)


def own_conversation(pool, user, conversation_id):
    "The conversation of the user's party numbered conversation_id or None"
    from urbantherapy.routing import parse_id
    Conversation = pool.get('urban.service.conversation')
    conversation_id = parse_id(conversation_id)
    if not conversation_id or not user.party:
        return None
    found = Conversation.search([('id', '=', conversation_id),
            *Conversation.customer_domain(user.party)], limit=1)
    return found[0] if found else None


def messages_view(request, pool, lang, user, status=200, error=None,
        values=None):
    "The list of conversations and the form to write to the shop"
    from urban_checkout import history
    values = values or {}
    orders = history.customer_orders(user, limit=CONVERSATIONS)
    if 'order' not in values and request.args.get('order'):
        values['order'] = request.args.get('order', '')[:64]
        values['subject'] = 'order'
    return account_page(request, 'customer/messages.html', lang,
        '/account/messages', status=status,
        title="%s — Urban Therapy" % _(lang, "My messages"),
        description=_(lang, "My messages"),
        conversations=[(c, _(lang, STATES[c.state]))
            for c in _conversations(pool, user)],
        orders=orders,
        subjects=[(k, _(lang, v)) for k, v in SUBJECTS.items()],
        values=values, error=error)


def thread_view(request, lang, conversation, status=200, error=None,
        body=''):
    return account_page(request, 'customer/thread.html', lang,
        '/account/messages/%s' % conversation.id, status=status,
        title="%s — Urban Therapy" % conversation.title,
        description=_(lang, "My messages"), conversation=conversation,
        state_label=_(lang, STATES[conversation.state]),
        subject_label=_(lang, SUBJECTS[conversation.subject]),
        error=error, body=body,
        notice=not error and request.args.get('sent'))


def _body(request):
    text = request.form.get('body', '').replace('\r\n', '\n')
    return CONTROL.sub('', text)[:5000].strip()


@signed_in('/account/messages', methods=('GET', 'POST'))
def messages(request, pool, lang, user):
    "GET: the conversations; POST: write to the shop (a new conversation)"
    from urban_checkout import cart, history
    Conversation = pool.get('urban.service.conversation')
    if request.method == 'GET':
        return messages_view(request, pool, lang, user)
    values = {
        'subject': request.form.get('subject', '')[:16],
        'order': request.form.get('order', '')[:64],
        'title': forms.printable(request.form.get('title', ''))[:120]
        .strip(),
        'body': _body(request),
        }

    def refused(status, text):
        Transaction().rollback()
        return messages_view(request, pool, lang, user, status=status,
            error=text, values=values)
    if values['subject'] not in SUBJECTS:
        return refused(422, _(lang, "Choose what your message is about."))
    if not values['body']:
        return refused(422, _(lang, "Please write your message."))
    sale = None
    if values['order']:
        sale = history.customer_order(user, values['order'])
        if sale is None:
            return refused(404, _(lang,
                    "This order is not in your account."))
    party = cart.customer_party(user)
    if sale and sale.party != party:
        return refused(404, _(lang, "This order is not in your account."))
    try:
        conversation = Conversation.start(party, values['subject'],
            values['body'], title=values['title'], sale=sale,
            web_user=user)
    except UserError as error:
        return refused(422, error.message)
    return redirect(i18n.url(lang, '/account/messages/%s'
            % conversation.id) + '?sent=1', code=303)


@signed_in('/account/messages/<conversation_id>')
def thread(request, pool, lang, user, conversation_id):
    conversation = own_conversation(pool, user, conversation_id)
    if conversation is None:
        return not_found(request, lang)
    return thread_view(request, lang, conversation)


@signed_in('/account/messages/<conversation_id>/reply', methods=('POST',))
def reply(request, pool, lang, user, conversation_id):
    "Write again: the conversation waits for the shop (a closed one reopens)"
    conversation = own_conversation(pool, user, conversation_id)
    if conversation is None:
        return not_found(request, lang)
    body = _body(request)
    if not body:
        return thread_view(request, lang, conversation, status=422,
            error=_(lang, "Please write your message."))
    try:
        conversation.customer_reply(body, web_user=user)
    except UserError as error:
        Transaction().rollback()
        return thread_view(request, lang, conversation, status=422,
            error=error.message, body=body)
    return redirect(i18n.url(lang, '/account/messages/%s'
            % conversation.id) + '?sent=1', code=303)
