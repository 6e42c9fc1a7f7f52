"""/conversations: the customer writes to the shops (about an order, a
product, a return) and reads their answers. Another customer's conversation
is a 404. Which shop answers, the photo checks and who is told what are
urban_service's; this file only speaks HTTP."""
import base64
import binascii

from trytond.exceptions import UserError
from trytond.pool import Pool

from . import api, schemas_service
from .schemas import Id, Model

PAGE = 20
# 3 photos of 5 MB in base64 and the text
MAX_REQUEST = 22 * 1024 * 1024
TAGS = ['service']


def _attachment(attachment):
    return schemas_service.AttachmentOut(id=attachment.id,
        name=attachment.name, content_type=attachment.mimetype or '',
        size=attachment.size or 0)


def _message(message):
    return schemas_service.MessageOut(id=message.id,
        author='shop' if message.author == 'staff' else 'customer',
        body=message.body, created_at=api.utc(message.date),
        attachments=[_attachment(a) for a in message.attachments])


def _summary(conversation, model=schemas_service.ConversationSummary,
        **extra):
    sale = conversation.sale
    return model(id=conversation.id, subject=conversation.subject,
        title=conversation.title, state=conversation.state,
        shop=conversation.shop.shop_code, shop_name=conversation.shop.name,
        order_id=sale.id if sale else None,
        order_number=sale.number if sale else None,
        product_id=conversation.product.id if conversation.product
        else None,
        created_at=api.utc(conversation.create_date),
        last_message_at=api.utc(conversation.last_message_at), **extra)


def conversation_schema(conversation):
    return _summary(conversation, schemas_service.Conversation,
        messages=[_message(m) for m in conversation.messages])


def _customer(call):
    if not call.party:
        raise api.Problem(409, 'no_customer',
            "This account has no customer record yet")
    return call.party


def own_conversation(call, conversation_id):
    Conversation = Pool().get('urban.service.conversation')
    party = _customer(call)
    found = Conversation.search([('id', '=', conversation_id),
            *Conversation.customer_domain(party)], limit=1)
    if not found:
        raise api.Problem(404, 'conversation_not_found',
            "No such conversation")
    return found[0]


def _photos(attachments):
    photos = []
    for index, attachment in enumerate(attachments):
        try:
            data = base64.b64decode(attachment.content_base64,
                validate=True)
        except (binascii.Error, ValueError):
            raise api.Problem(422, 'validation_error', "Invalid request",
                errors=[{'loc': ['body', 'attachments', str(index),
                            'content_base64'],
                        'msg': "not base64", 'type': 'value_error'}])
        photos.append((attachment.name, data))
    return photos


def _refused(error):
    "A message or photo urban_service refuses: 422 with its reason"
    return api.Problem(422, 'invalid_message', error.message)


class ConversationQuery(Model):
    cursor: Id | None = None


@api.endpoint('GET', '/conversations', summary="My conversations with "
    "the shops", tags=TAGS, auth='required',
    query=ConversationQuery, response=schemas_service.ConversationList,
    errors=(401, 409))
def list_conversations(call):
    "Latest first, 20 per page; pass next_cursor as cursor for more"
    Conversation = Pool().get('urban.service.conversation')
    domain = list(Conversation.customer_domain(_customer(call)))
    if call.query.cursor:
        domain.append(('id', '<', call.query.cursor))
    conversations = Conversation.search(domain, order=[('id', 'DESC')],
        limit=PAGE + 1)
    return schemas_service.ConversationList(
        items=[_summary(c) for c in conversations[:PAGE]],
        next_cursor=str(conversations[PAGE - 1].id)
        if len(conversations) > PAGE else None)


@api.endpoint('POST', '/conversations', summary="Write to the shop",
    tags=TAGS, auth='required', body=schemas_service.ConversationIn,
    response=schemas_service.Conversation, status=201,
    errors=(401, 404, 409, 422), max_request_size=MAX_REQUEST)
def start_conversation(call):
    """About one of my orders (its shop answers), a product, a return or
    anything else (my favourite or usual shop answers). Up to 3 photos."""
    pool = Pool()
    Conversation = pool.get('urban.service.conversation')
    Sale = pool.get('sale.sale')
    Product = pool.get('product.product')
    party = _customer(call)
    body = call.body
    sale = product = None
    if body.order_id:
        sales = Sale.search([('id', '=', body.order_id),
                ('party', '=', party.id), ('state', '!=', 'draft')],
            limit=1)
        if not sales:
            raise api.Problem(404, 'order_not_found', "No such order")
        sale, = sales
    if body.product_id:
        products = Product.search([('id', '=', body.product_id),
                ('template.salable', '=', True)], limit=1)
        if not products:
            raise api.Problem(404, 'product_not_found', "No such product")
        product, = products
    photos = _photos(body.attachments)
    try:
        conversation = Conversation.start(party, body.subject, body.body,
            title=body.title, sale=sale, product=product,
            attachments=photos, web_user=call.user)
    except UserError as error:
        raise _refused(error)
    return conversation_schema(Conversation(conversation.id))


@api.endpoint('GET', '/conversations/<id:conversation_id>',
    summary="One of my conversations with its messages", tags=TAGS,
    auth='required', response=schemas_service.Conversation,
    errors=(401, 404, 409))
def get_conversation(call, conversation_id):
    return conversation_schema(own_conversation(call, conversation_id))


@api.endpoint('POST', '/conversations/<id:conversation_id>/messages',
    summary="Write again in a conversation", tags=TAGS, auth='required',
    body=schemas_service.MessageIn, response=schemas_service.MessageOut,
    status=201, errors=(401, 404, 409, 422),
    max_request_size=MAX_REQUEST)
def post_message(call, conversation_id):
    "The conversation waits for the shop again (a closed one reopens)."
    conversation = own_conversation(call, conversation_id)
    photos = _photos(call.body.attachments)
    try:
        message = conversation.customer_reply(call.body.body, photos,
            web_user=call.user)
    except UserError as error:
        raise _refused(error)
    return _message(message)
