"Request and response models of /qr-scans."
from pydantic import Field

from .schemas import Model


class ScanIn(Model):
    code: str = Field(min_length=1, max_length=512,
        description="The shop code, or the scanned QR URL (/app?shop=CODE)")


class ScanOut(Model):
    shop: str = Field(description="Shop code")
    shop_name: str
    first_order_code: str | None = Field(None,
        description="Coupon number for a first order, if any")
