"""Stock changes, told once to whoever must hear of them.

Every change of what a shop holds or promises (a move done, assigned,
cancelled or back to draft; a reservation made, released or resized) calls
`urban.stock.watch` `changed` with the (warehouse, product) pairs it
touched. The modules that mirror our stock elsewhere (the tills of
urban_pos_bridge, the Ankorstore marketplace) extend `changed`; urban_stock
does not know them."""
from trytond.model import Model
from trytond.pool import Pool, PoolMeta


class StockWatch(Model):
    "Stock Changes"
    __name__ = 'urban.stock.watch'

    @classmethod
    def changed(cls, shop_products):
        """The available stock of {(warehouse id, product id)} changed in
        this transaction; extended by the modules that push it out"""


def _shop_products(moves):
    "{(warehouse id, product id)} touched by moves"
    pairs = set()
    for move in moves:
        for location in (move.from_location, move.to_location):
            warehouse = location.warehouse if location else None
            if warehouse:
                pairs.add((warehouse.id, move.product.id))
    return pairs


def _tell(pairs):
    if pairs:
        Pool().get('urban.stock.watch').changed(pairs)


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def do(cls, moves):
        super().do(moves)
        _tell(_shop_products(moves))

    @classmethod
    def assign(cls, moves):
        super().assign(moves)
        _tell(_shop_products(moves))

    @classmethod
    def cancel(cls, moves):
        super().cancel(moves)
        _tell(_shop_products(moves))

    @classmethod
    def draft(cls, moves):
        # an assigned move going back to draft frees its units
        super().draft(moves)
        _tell(_shop_products(moves))


class Reservation(metaclass=PoolMeta):
    __name__ = 'urban.stock.reservation'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create' or (mode == 'write'
                and field_names and {'state', 'quantity'} & field_names):
            _tell({(r.warehouse.id, r.product.id) for r in records})
