"""Pydantic models of the account endpoints (/auth/..., /me)."""
from typing import Literal

from pydantic import Field

from .schemas import Address, Model

Language = Literal['fr', 'nl', 'en']
# no control characters (Tryton refuses some in Char fields) nor line
# separators (an e-mail header may not hold what str.splitlines() splits on)
NOT_CONTROL = r'\x00-\x1f\x7f-\x9f\u2028\u2029'
EMAIL = (r'^[^@\s%(c)s]+@[^@\s%(c)s]+\.[^@\s%(c)s]+$'
    % {'c': NOT_CONTROL})
TEXT = r'^[^%s]*$' % NOT_CONTROL


def Password():
    return Field(min_length=8, max_length=128,
        description="At least 8 characters and hard to guess (zxcvbn score "
        "3 or more, knowing the e-mail address, the name, French, Dutch "
        "and shop words): else 422 weak_password")


class Register(Model):
    email: str = Field(max_length=254, pattern=EMAIL,
        examples=['camille@example.be'])
    password: str = Password()
    name: str = Field(min_length=1, max_length=120, pattern=TEXT)
    language: Language = 'fr'
    marketing_consent: bool = False


class VerifyEmail(Model):
    token: str = Field(min_length=1, max_length=128, pattern=TEXT)


class Login(Model):
    email: str = Field(min_length=1, max_length=254, pattern=TEXT)
    password: str = Field(min_length=1, max_length=128)


class PasswordReset(Model):
    email: str = Field(min_length=1, max_length=254, pattern=TEXT)


class PasswordResetConfirm(Model):
    email: str = Field(min_length=1, max_length=254, pattern=TEXT)
    token: str = Field(min_length=1, max_length=128, pattern=TEXT)
    password: str = Password()


class MeUpdate(Model):
    name: str | None = Field(None, min_length=1, max_length=120,
        pattern=TEXT)
    language: Language | None = None
    marketing_consent: bool | None = None


class Consent(Model):
    marketing: bool
    marketing_changed_at: str | None = Field(None,
        description="ISO 8601 date and time of the last change")


class User(Model):
    id: int
    email: str
    email_verified: bool
    name: str
    language: Language
    consent: Consent


class Accepted(Model):
    status: Literal['accepted'] = 'accepted'
    detail: str | None = None


class Session(Model):
    token: str = Field(description="Bearer token for the Authorization header")
    expires_at: str = Field(description="ISO 8601, UTC")
    user: User


class ExportedOrderLine(Model):
    product: str | None = None
    quantity: float
    unit_price: str


class ExportedOrder(Model):
    id: int
    number: str | None = None
    date: str | None = None
    state: str
    total: str
    currency: str
    lines: list[ExportedOrderLine]


class ExportedContact(Model):
    type: str
    value: str


class ExportedMessage(Model):
    author: str = Field(description="customer or staff")
    body: str
    date: str
    photos: list[str] = Field(description="Name and size of each photo")


class ExportedConversation(Model):
    "A conversation with the shops (customer service)"
    id: int
    subject: str
    title: str
    shop: str
    state: str
    created_at: str
    messages: list[ExportedMessage]


class Export(Model):
    "Everything the platform keeps about the customer (GDPR art. 15/20)"
    user: User
    party: dict
    addresses: list[Address]
    contacts: list[ExportedContact]
    orders: list[ExportedOrder]
    conversations: list[ExportedConversation] = Field(default_factory=list)
    exported_at: str
