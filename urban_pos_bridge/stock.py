"""Hooks: every stock change of a shop in Tryton (urban_stock's watch) queues
a push to its till; product and price changes too."""
from trytond.pool import Pool, PoolMeta


class StockWatch(metaclass=PoolMeta):
    __name__ = 'urban.stock.watch'

    @classmethod
    def changed(cls, shop_products):
        super().changed(shop_products)
        Pool().get('urban.pos.stock_level').mark_dirty(shop_products)


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['urban.pos.event']


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    @classmethod
    def on_modification(cls, mode, templates, field_names=None):
        super().on_modification(mode, templates, field_names=field_names)
        if mode == 'write' and field_names and (
                {'list_price', 'name'} & field_names):
            _products_changed([p for t in templates for p in t.products])


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'

    @classmethod
    def on_modification(cls, mode, products, field_names=None):
        super().on_modification(mode, products, field_names=field_names)
        if mode == 'write' and field_names and (
                {'suffix_code', 'list_price'} & field_names):
            _products_changed(products)


def _products_changed(products):
    pool = Pool()
    ProductMap = pool.get('urban.pos.product')
    Level = pool.get('urban.pos.stock_level')
    if not products:
        return
    mappings = ProductMap.search([
            ('product', 'in', [p.id for p in products]),
            ('account.connector', '!=', 'native'),
            ])
    if mappings:
        ProductMap.write(mappings, {'product_dirty': True})
        Level.enqueue_push({m.account.id for m in mappings})


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('urban.pos.account|cron_poll',
                    "Poll the Tills and Apply the POS Inbox"),
                ('urban.pos.account|cron_push',
                    "Push Stock Levels to the Tills"),
                ('urban.pos.account|cron_reconcile',
                    "Reconcile Stock Levels with the Tills"),
                ])
