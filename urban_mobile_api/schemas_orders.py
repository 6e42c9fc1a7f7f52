"Response models of /orders."
import datetime as dt

from pydantic import Field

from .schemas import Address, Id, Model, Money
from .schemas_cart import TEMPLATE_ID, VARIANT_LABEL
from .schemas_catalog import Rendition


class OrderLine(Model):
    product_id: int | None = Field(None,
        description="product.product id (variant); null for the delivery "
        "cost")
    template_id: int | None = Field(None, description=TEMPLATE_ID)
    slug: str | None = Field(None,
        description="The product's slug in the request's language")
    name: str = Field(description="The product's name (no internal code), "
        "or what the line is for")
    variant_label: str | None = Field(None, description=VARIANT_LABEL)
    thumbnail: Rendition | None = Field(None,
        description="Thumbnail of the product's first picture")
    quantity: float
    amount: Money = Field(description="Untaxed amount")


class TimelineEvent(Model):
    status: str = Field(examples=['placed', 'paid', 'preparing',
            'ready_for_pickup', 'collected', 'expired', 'shipped',
            'delivered', 'cancelled', 'returned', 'refunded'],
        description="expired: a click & collect order not collected in "
        "time, its goods back on sale (followed by refunded once the "
        "payment is refunded)")
    at: dt.datetime | None = None
    detail: str | None = None


class OrderDelivery(Model):
    "Where and how a home delivery order goes"
    method: str = Field(description="Shipping method and carrier")
    price: Money = Field(description="Delivery cost, VAT included")
    address: Address = Field(description="The customer's address")
    service_point: str | None = Field(None,
        description="The chosen service point: name and address")


class Order(Model):
    id: int
    number: str | None = None
    state: str = Field(description="Tryton sale state")
    status: str = Field(description="Latest timeline status")
    mode: str | None = None
    shop: str | None = Field(None, description="Pickup or shipping shop code")
    ready_by: dt.date | None = Field(None,
        description="Click & collect: when the order can be collected "
        "(later when goods come from another shop first)")
    created_at: dt.datetime | None = None
    lines: list[OrderLine]
    untaxed_amount: Money
    tax_amount: Money
    total_amount: Money
    timeline: list[TimelineEvent]
    tracking: list[str] = Field(default_factory=list,
        description="Tracking numbers or URLs")
    delivery: OrderDelivery | None = Field(None,
        description="Home delivery details (none for click & collect)")


class OrderList(Model):
    items: list[Order]
    next_cursor: str | None = None


class CancelOut(Model):
    order: Order
    refunded: Money | None = None


class ReturnLineIn(Model):
    line_id: Id | None = None
    product_id: Id
    quantity: int = Field(ge=1, le=99)


class ReturnIn(Model):
    lines: list[ReturnLineIn] = Field(min_length=1)
    reason: str = Field(min_length=3, max_length=500)


class ReturnOut(Model):
    id: int
    order_id: int
    state: str
