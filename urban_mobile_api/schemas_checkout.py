"Request and response models of /checkout."
import datetime as dt
from typing import Literal

from pydantic import Field

from .schemas import Address, Model, Money
from .schemas_orders import Order


class PickupOption(Model):
    shop: str = Field(description="Shop code", examples=['GNT'])
    name: str
    available: bool = Field(description="The shop has the whole cart now")
    ready_by: dt.date | None = Field(None,
        description="When the order can be collected (later when goods "
        "must come from another shop)")
    transfer: bool = Field(False,
        description="Goods come from another shop first")


class DeliveryOption(Model):
    carrier: str = Field(examples=['bpost'])
    method: str = Field(description="Shipping method id to send back")
    name: str
    price: Money
    service_point: bool = Field(description="Delivered to a service point "
        "(send service_point)")


class CheckoutOptions(Model):
    click_collect: list[PickupOption]
    delivery: list[DeliveryOption]


class ServicePoint(Model):
    id: str
    carrier: str
    name: str
    address: Address
    distance_m: int | None = None


class ServicePointQuery(Model):
    postal_code: str = Field(min_length=4, max_length=10)
    carrier: str = Field(min_length=2, max_length=32)
    country: str = Field('BE', min_length=2, max_length=2)


class ServicePointList(Model):
    items: list[ServicePoint]


class CheckoutIn(Model):
    mode: Literal['click_collect', 'delivery']
    shop: str | None = Field(None, description="Shop code (click & collect)")
    address: Address | None = Field(None,
        description="Delivery address (delivery)")
    phone: str = Field(min_length=6, max_length=32,
        description="Phone number; Belgian if no country prefix")
    shipping_method: str | None = None
    service_point: str | None = None
    payment_provider: Literal['stripe', 'mollie'] = 'stripe'
    payment_method: Literal['card', 'bancontact', 'creditcard', 'kbc',
        'belfius'] = 'card'


class PaymentOut(Model):
    provider: str
    reference: str
    status: str
    amount: Money
    client_secret: str | None = Field(None,
        description="Stripe PaymentIntent client secret (confirm it with "
        "the Stripe SDK)")
    checkout_url: str | None = Field(None,
        description="Mollie hosted checkout page")
    publishable_key: str | None = Field(None,
        description="Stripe publishable key to confirm the PaymentIntent "
        "with (Stripe.js or the Stripe SDK)")
    stripe_js_url: str | None = Field(None,
        description="Where Stripe.js is loaded from; the demo's Stripe "
        "emulator serves it and its API at the same origin")


class CheckoutOut(Model):
    order: Order
    payment: PaymentOut
