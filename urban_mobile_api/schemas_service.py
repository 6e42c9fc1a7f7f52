"Request and response models of /conversations (customer service)."
import datetime as dt
from typing import Literal

from pydantic import Field

from .schemas import Id, Model
from .schemas_auth import TEXT

SUBJECT = Literal['order', 'product', 'return', 'other']
# 5 MB of photo in base64
PHOTO_BASE64 = 7 * 1024 * 1024
MAX_PHOTOS = 3
# a message keeps its line breaks and tabs, no other control character
# (PostgreSQL refuses NUL in text)
BODY = r'^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]*$'
BASE64 = r'^[A-Za-z0-9+/]+={0,2}$'


class AttachmentIn(Model):
    "A photo: JPEG, PNG or WebP (recognised by content), at most 5 MB"
    name: str = Field('photo', max_length=100, pattern=TEXT,
        examples=['broken-mug.jpg'])
    content_base64: str = Field(min_length=4, max_length=PHOTO_BASE64,
        pattern=BASE64, description="The photo's bytes in base64")


class MessageIn(Model):
    body: str = Field(min_length=1, max_length=5000, pattern=BODY,
        examples=["The mug arrived broken."])
    attachments: list[AttachmentIn] = Field(default_factory=list,
        max_length=MAX_PHOTOS, description="Up to 3 photos")


class ConversationIn(MessageIn):
    subject: SUBJECT = Field(description="What the customer writes about")
    title: str | None = Field(None, max_length=120, pattern=TEXT,
        description="Defaults to the order number, the product's name or "
        "the message's first line")
    order_id: Id | None = Field(None,
        description="One of the customer's orders (GET /orders); its shop "
        "answers")
    product_id: Id | None = Field(None,
        description="product.product id (variant) the message is about")


class AttachmentOut(Model):
    id: int
    name: str
    content_type: str = Field(examples=['image/jpeg'])
    size: int = Field(description="Bytes")


class MessageOut(Model):
    id: int
    author: Literal['customer', 'shop']
    body: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class ConversationSummary(Model):
    id: int
    subject: SUBJECT
    title: str
    state: Literal['open', 'answered', 'closed'] = Field(
        description="open: waiting for the shop; answered: the shop "
        "answered last; closed")
    shop: str | None = Field(None, description="Code of the shop that "
        "answers")
    shop_name: str
    order_id: int | None = None
    order_number: str | None = None
    product_id: int | None = None
    created_at: dt.datetime | None = None
    last_message_at: dt.datetime | None = None


class Conversation(ConversationSummary):
    messages: list[MessageOut] = Field(description="Oldest first")


class ConversationList(Model):
    items: list[ConversationSummary]
    next_cursor: str | None = None
