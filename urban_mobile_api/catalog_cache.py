"""Edits of the catalogue clear the cached product details (catalog.DETAILS)
in every worker: products, variants, prices, brands, universes and tax
categories, attributes, pictures, shops, taxes and translations."""
from trytond.pool import PoolMeta

from . import catalog


class _ClearsDetails:
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        catalog.DETAILS.clear()


class Template(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.template'


class Product(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.product'


class ListPrice(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.list_price'


class Category(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.category'


class Attribute(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.attribute'


class Image(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.image'


class Rendition(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'urban.product.image.rendition'


class Creator(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'urban.creator'


class Location(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'stock.location'


class Tax(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'account.tax'


class Translation(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'ir.translation'
