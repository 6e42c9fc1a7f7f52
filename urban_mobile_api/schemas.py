"""Pydantic models shared by the endpoints (requests and responses).

They validate what comes in, shape what goes out and generate the OpenAPI
document. Money is a decimal string with its currency code."""
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from urbantherapy.routing import MAX_ID

# a database id sent by the client (as `<id:...>` in paths): 1 to 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Model(BaseModel):
    model_config = ConfigDict(extra='forbid')


class Money(Model):
    amount: str = Field(description="Decimal amount", examples=['24.90'],
        pattern=r'^-?\d+(\.\d+)?$')
    currency: str = Field(examples=['EUR'], min_length=3, max_length=3)

    @classmethod
    def of(cls, amount, currency):
        amount = Decimal(amount or 0).quantize(Decimal('0.01'))
        return cls(amount=str(amount), currency=currency)


class Coordinates(Model):
    latitude: float
    longitude: float


class Address(Model):
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2",
        examples=['BE'])


class OpeningHours(Model):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    opens: str = Field(examples=['10:00'])
    closes: str = Field(examples=['18:30'])


class Shop(Model):
    code: str = Field(examples=['GNT'])
    name: str = Field(examples=['Urban Therapy Gent'])
    address: Address | None = None
    coordinates: Coordinates | None = None
    phone: str | None = None
    pickup_enabled: bool
    opening_hours: list[OpeningHours]


class ShopList(Model):
    items: list[Shop]
