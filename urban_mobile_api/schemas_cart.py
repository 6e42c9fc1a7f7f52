"Request and response models of /cart."
from pydantic import Field

from .schemas import Model, Money


class CartLineIn(Model):
    product_id: int = Field(gt=0, description="product.product id (variant)")
    quantity: int = Field(1, ge=1, le=99)


class CartLinePatch(Model):
    quantity: int = Field(ge=1, le=99)


class CouponIn(Model):
    code: str = Field(min_length=1, max_length=64)


class CartLine(Model):
    id: int
    product_id: int
    code: str | None = None
    name: str
    quantity: int
    unit_price: Money = Field(description="Unit price, VAT included")
    amount: Money = Field(description="Line amount, VAT included")


class Cart(Model):
    token: str | None = Field(None,
        description="Guest cart token: send it back in X-Cart-Token "
        "(only returned when the cart is created)")
    lines: list[CartLine]
    coupons: list[str]
    quantity: int = Field(description="Number of items")
    untaxed_amount: Money
    tax_amount: Money = Field(description="VAT")
    delivery_amount: Money = Field(description="Delivery cost, VAT "
        "included (known once a delivery method is chosen at checkout)")
    total_amount: Money = Field(description="Total to pay, VAT included, "
        "with the coupons' discounts")
