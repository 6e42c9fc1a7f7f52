"""Pydantic models of the catalogue endpoints (/universes, /products,
/images)."""
from typing import Literal

from pydantic import Field

from .catalog import IMAGE_URL
from .schemas import Model, Money

SLUG = r'^[a-z0-9]+(?:-[a-z0-9]+)*$'
PRICE = r'^\d{1,7}(\.\d{1,2})?$'
LIMIT_MAX = 60


class Universe(Model):
    id: int
    slug: str | None = None
    name: str
    description: str | None = None
    product_count: int = Field(description="Products published in the app")


class UniverseList(Model):
    items: list[Universe]


class UniverseRef(Model):
    id: int
    slug: str | None = None
    name: str


class Brand(Model):
    code: str
    name: str
    kind: Literal['own_brand', 'designer']


class BrandDetail(Brand):
    bio: str | None = None
    city: str | None = None
    website: str | None = None


class Rendition(Model):
    url: str = Field(examples=['/api/v1/images/42.webp'])
    width: int
    height: int

    @classmethod
    def of(cls, value):
        "The rendition of (id, width, height), None for None"
        if not value:
            return None
        rendition_id, width, height = value
        return cls(url=IMAGE_URL % rendition_id, width=width, height=height)


class Image(Model):
    alt: str | None = None
    thumbnail: Rendition | None = None
    card: Rendition | None = None
    zoom: Rendition | None = None


class ProductCard(Model):
    id: int
    slug: str | None = None
    name: str
    brand: Brand | None = None
    universe: UniverseRef | None = None
    price: Money = Field(description="Lowest variant price, VAT included")
    price_varies: bool = Field(description="Variants have other prices")
    image: Rendition | None = Field(None, description="Card rendition")
    online_quantity: float = Field(
        description="Available to promise for delivery")
    in_stock: bool = Field(description="Can be ordered for delivery")
    new: bool


class ProductPage(Model):
    items: list[ProductCard]
    next_cursor: str | None = Field(None,
        description="Pass as `cursor` for the next page; null at the end")


class ProductQuery(Model):
    universe: str | None = Field(None, max_length=96, pattern=SLUG,
        description="Universe slug (in the request's language)")
    brand: str | None = Field(None, min_length=1, max_length=32,
        description="Brand / creator code")
    price_min: str | None = Field(None, pattern=PRICE,
        description="Lowest price, VAT included")
    price_max: str | None = Field(None, pattern=PRICE,
        description="Highest price, VAT included")
    in_stock_at: str | None = Field(None, min_length=1, max_length=16,
        description="Shop code: only products available there")
    new: bool | None = Field(None, description="Only new arrivals")
    q: str | None = Field(None, min_length=1, max_length=200,
        description="Search text (best 100 matches)")
    sort: (Literal['relevance', 'new', 'price_asc', 'price_desc', 'name']
           | None) = Field(
        None, description="Default: relevance with q, else new")
    cursor: str | None = Field(None, max_length=200,
        description="`next_cursor` of the previous page")
    limit: int = Field(24, ge=1, le=LIMIT_MAX)


class RecommendationQuery(Model):
    shop: str | None = Field(None, max_length=16, pattern=r'^[A-Za-z0-9_-]+$',
        description="Code of the customer's shop: only what it has in "
        "stock (else what can be sent)")


class SuggestionQuery(Model):
    q: str = Field(min_length=2, max_length=200,
        description="What the customer has typed so far (2+ letters)")


class Suggestion(Model):
    kind: Literal['universe', 'product'] = Field(
        description="A universe (open its page) or a product")
    id: int
    slug: str | None = None
    name: str = Field(description="In the request's language")


class SuggestionList(Model):
    items: list[Suggestion] = Field(description="Up to 8, best first")


class ShopAvailability(Model):
    shop: str = Field(description="Shop code")
    name: str
    quantity: float
    in_stock: bool


class Attribute(Model):
    name: str
    label: str
    value: str
    value_label: str


class Variant(Model):
    id: int
    code: str | None = None
    label: str
    attributes: list[Attribute]
    price: Money
    online_quantity: float
    in_stock: bool
    shops: list[ShopAvailability]


class ProductDetail(Model):
    id: int
    slug: str | None = None
    name: str
    description: str | None = None
    brand: BrandDetail | None = None
    universe: UniverseRef | None = None
    new: bool
    price: Money
    images: list[Image]
    variants: list[Variant]
    slugs: dict[str, str | None] = Field(
        description="Slug per language (fr, nl, en)")
