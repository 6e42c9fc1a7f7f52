"Response models of /orders."
import datetime as dt

from pydantic import Field

from .schemas import Address, Model, Money


class OrderLine(Model):
    product_id: int | None = None
    name: str
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
    line_id: int | None = None
    product_id: int
    quantity: int = Field(ge=1, le=99)


class ReturnIn(Model):
    lines: list[ReturnLineIn] = Field(min_length=1)
    reason: str = Field(min_length=3, max_length=500)


class ReturnOut(Model):
    id: int
    order_id: int
    state: str
