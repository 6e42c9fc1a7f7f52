"""Edits of the catalogue clear the cached product details (catalog.DETAILS)
in every worker and the stored product documents they touch
(product_document.py): products, variants, prices, brands, universes and
tax categories, attributes, pictures, taxes and translations. Edits of
products, variants, prices and channels rewrite the catalogue listing's
rows of their products (product_listing.py). Edits of the shops clear the
cached shop list (catalog.SHOPS): documents hold no shop."""
from trytond.pool import Pool, PoolMeta

from . import api, catalog
from .product_document import ALL, _TAX_CHANGE

# translated texts that are in the documents, per model
_DOCUMENT_MODELS = {'product.template', 'product.product', 'product.image',
    'urban.creator', 'product.category', 'product.attribute'}


def _invalidate(template_ids):
    if template_ids is ALL or template_ids:
        Pool().get('urban.api.product.document').invalidate(template_ids)


def _refresh_listing(template_ids):
    if template_ids is ALL or template_ids:
        Pool().get('urban.api.product.listing').refresh(template_ids)


class _ClearsDetails:
    __slots__ = ()

    @classmethod
    def _document_templates(cls, records):
        """The ids of the templates whose documents records are part of, ALL
        when they may be in any"""
        return ALL

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        catalog.clear_caches()
        if mode != 'delete':
            _invalidate(cls._document_templates(records))

    @classmethod
    def on_delete(cls, records):
        templates = cls._document_templates(records)
        return super().on_delete(records) + [lambda: _invalidate(templates)]


class _RefreshesListing:
    "Records whose edits change the catalogue listing's rows of templates"
    __slots__ = ()

    @classmethod
    def _listing_templates(cls, records):
        return cls._document_templates(records)

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode != 'delete':
            _refresh_listing(cls._listing_templates(records))

    @classmethod
    def on_delete(cls, records):
        templates = cls._listing_templates(records)
        return super().on_delete(records) + [
            lambda: _refresh_listing(templates)]


class Template(_RefreshesListing, _ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.template'

    @classmethod
    def _document_templates(cls, templates):
        return [t.id for t in templates]

    @classmethod
    def on_delete(cls, templates):
        # their documents and listing rows are deleted with them (ON DELETE
        # CASCADE)
        return super(_ClearsDetails, cls).on_delete(templates)


class Product(_RefreshesListing, _ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.product'

    @classmethod
    def _document_templates(cls, products):
        return [p.template.id for p in products]


class ListPrice(_RefreshesListing, _ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.list_price'

    @classmethod
    def _document_templates(cls, prices):
        return [p.template.id for p in prices if p.template]


class Category(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.category'


class Attribute(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.attribute'


class Image(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'product.image'

    @classmethod
    def _document_templates(cls, images):
        return [i.template.id for i in images if i.template]


class Rendition(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'urban.product.image.rendition'

    @classmethod
    def _document_templates(cls, renditions):
        return [r.image.template.id for r in renditions
            if r.image and r.image.template]


class Creator(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'urban.creator'

    @classmethod
    def _document_templates(cls, creators):
        Template = Pool().get('product.template')
        return [t.id for t in Template.search(
                [('creator', 'in', [c.id for c in creators])], order=[])]


class TemplateChannel(_RefreshesListing, metaclass=PoolMeta):
    __name__ = 'product.template-urban.channel'

    @classmethod
    def _listing_templates(cls, relations):
        return [r.template.id for r in relations]


class Channel(metaclass=PoolMeta):
    __name__ = 'urban.channel'

    @classmethod
    def on_modification(cls, mode, channels, field_names=None):
        super().on_modification(mode, channels, field_names=field_names)
        _refresh_listing(ALL)


class WebShop(metaclass=PoolMeta):
    __name__ = 'web.shop'

    @classmethod
    def on_modification(cls, mode, shops, field_names=None):
        super().on_modification(mode, shops, field_names=field_names)
        api.COMPANY.clear()


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'

    @classmethod
    def on_modification(cls, mode, locations, field_names=None):
        super().on_modification(mode, locations, field_names=field_names)
        catalog.SHOPS.clear()


class Tax(_ClearsDetails, metaclass=PoolMeta):
    __name__ = 'account.tax'

    @classmethod
    def on_modification(cls, mode, taxes, field_names=None):
        super().on_modification(mode, taxes, field_names=field_names)
        _TAX_CHANGE.clear()


class Translation(_RefreshesListing, _ClearsDetails, metaclass=PoolMeta):
    __name__ = 'ir.translation'

    @classmethod
    def _listing_templates(cls, translations):
        "The templates whose names are translated (listed by name)"
        return [t.res_id for t in translations
            if t.type == 'model' and t.name == 'product.template,name'
            and t.res_id and t.res_id >= 0]

    @classmethod
    def _document_templates(cls, translations):
        models = {t.name.split(',', 1)[0] for t in translations
            if t.type == 'model' and t.name}
        if (models - {'product.template'}) & _DOCUMENT_MODELS:
            return ALL
        return [t.res_id for t in translations
            if t.type == 'model' and t.name
            and t.name.startswith('product.template,') and t.res_id]
