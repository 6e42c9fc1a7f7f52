"""Back office: stock matrix (products x shops) and low-stock list.

Both read `urban.stock.matrix`, a SQL view (table_query) with one row per
product and warehouse built from the same query as availability.py."""
from sql import Literal
from sql.conditionals import Case, Coalesce, Greatest

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from . import availability

ID_FACTOR = 100000


class StockMatrix(ModelSQL, ModelView):
    "Stock per Shop"
    __name__ = 'urban.stock.matrix'

    product = fields.Many2One('product.product', "Product", readonly=True)
    warehouse = fields.Many2One('stock.location', "Shop", readonly=True)
    on_hand = fields.Float("On Hand", readonly=True)
    reserved = fields.Float("Reserved", readonly=True)
    safety_buffer = fields.Float("Safety Buffer", readonly=True)
    available = fields.Float("Available to Promise", readonly=True)
    threshold = fields.Float("Low Stock Threshold", readonly=True)
    low_stock = fields.Boolean("Low Stock", readonly=True)
    fulfils_online = fields.Boolean("Fulfils Online", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('product', 'ASC'), ('warehouse', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        Location = Pool().get('stock.location')
        location = Location.__table__()
        quantities = availability.quantities_query()
        atp = Greatest(
            quantities.on_hand - quantities.reserved - quantities.buffer, 0)
        threshold = Coalesce(location.low_stock_threshold, 0)
        return quantities.join(location,
            condition=quantities.warehouse == location.id
            ).select(
                (quantities.product * ID_FACTOR
                    + quantities.warehouse).as_('id'),
                quantities.product.as_('product'),
                quantities.warehouse.as_('warehouse'),
                quantities.on_hand.as_('on_hand'),
                quantities.reserved.as_('reserved'),
                quantities.buffer.as_('safety_buffer'),
                atp.as_('available'),
                threshold.as_('threshold'),
                Case((atp <= threshold, Literal(True)),
                    else_=Literal(False)).as_('low_stock'),
                Case((quantities.online == 1, Literal(True)),
                    else_=Literal(False)).as_('fulfils_online'),
                )
