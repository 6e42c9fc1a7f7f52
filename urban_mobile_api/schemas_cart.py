"Request and response models of /cart."
from pydantic import Field

from .schemas import Id, Model, Money
from .schemas_catalog import Rendition

TEMPLATE_ID = ("The product's id in /products/{product_id} (product_id "
    "here is the variant's)")
VARIANT_LABEL = ("The variant's attribute values in the request's "
    "language, e.g. 'S / Sand'; null for a product without variants")


class CartLineIn(Model):
    product_id: Id = Field(description="product.product id (variant)")
    quantity: int = Field(1, ge=1, le=99)


class CartLinePatch(Model):
    quantity: int = Field(ge=1, le=99)


class CouponIn(Model):
    code: str = Field(min_length=1, max_length=64)


class CartLine(Model):
    id: int
    product_id: int = Field(description="product.product id (variant)")
    template_id: int = Field(description=TEMPLATE_ID)
    slug: str | None = Field(None,
        description="The product's slug in the request's language")
    code: str | None = None
    name: str = Field(description="The product's name (no internal code)")
    variant_label: str | None = Field(None, description=VARIANT_LABEL)
    thumbnail: Rendition | None = Field(None,
        description="Thumbnail of the product's first picture")
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
