"""Click & collect lifecycle of a sale: ready for pickup, then collected.

A channel flags a sale `click_collect` (its warehouse is the pickup shop).
Once it is confirmed, staff mark it ready when the goods are set aside
(`mark_ready_for_pickup`) and collected when the customer took them
(`mark_collected`, which completes the sale's outgoing shipments).
Channels hook these transitions with PoolMeta to notify the customer.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    click_collect = fields.Boolean("Click & Collect", readonly=True,
        help="The customer picks the order up in the sale's warehouse.")
    collect_state = fields.Selection([
            (None, ""),
            ('ready', "Ready for Pickup"),
            ('collected', "Collected"),
            ], "Pickup State", readonly=True,
        states={'invisible': ~Eval('click_collect')})
    collect_ready_at = fields.DateTime("Ready At", readonly=True,
        states={'invisible': ~Eval('click_collect')})
    collected_at = fields.DateTime("Collected At", readonly=True,
        states={'invisible': ~Eval('click_collect')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'mark_ready_for_pickup': {
                    'invisible': (~Eval('click_collect')
                        | Bool(Eval('collect_state'))
                        | ~Eval('state').in_(['confirmed', 'processing'])),
                    'depends': ['click_collect', 'collect_state', 'state'],
                    },
                'mark_collected': {
                    'invisible': (~Eval('click_collect')
                        | (Eval('collect_state') != 'ready')),
                    'depends': ['click_collect', 'collect_state'],
                    },
                })

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        for name in ['collect_state', 'collect_ready_at', 'collected_at']:
            default.setdefault(name)
        return super().copy(sales, default=default)

    @classmethod
    @ModelView.button
    def mark_ready_for_pickup(cls, sales):
        for sale in sales:
            if (not sale.click_collect or sale.collect_state
                    or sale.state not in {'confirmed', 'processing'}):
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_ready',
                        sale=sale.rec_name))
        cls.write(sales, {
                'collect_state': 'ready',
                'collect_ready_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    def mark_collected(cls, sales):
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        for sale in sales:
            if sale.collect_state != 'ready':
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_collectable',
                        sale=sale.rec_name))
        shipments = [s for sale in sales for s in sale.shipments
            if s.state not in {'done', 'cancelled'}]
        cls._complete_shipments(Shipment, shipments)
        cls.write(sales, {
                'collect_state': 'collected',
                'collected_at': dt.datetime.now(),
                })

    @classmethod
    def _complete_shipments(cls, Shipment, shipments):
        "Hand the goods over: the shipments go to done"
        waiting = [s for s in shipments if s.state == 'waiting']
        if waiting:
            Shipment.assign_try(waiting)
        for shipment in shipments:
            if shipment.state == 'waiting':
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_assigned',
                        shipment=shipment.rec_name))
        assigned = [s for s in shipments if s.state == 'assigned']
        if assigned:
            Shipment.pick(assigned)
        picked = [s for s in shipments if s.state == 'picked']
        if picked:
            Shipment.pack(picked)
        packed = [s for s in shipments if s.state == 'packed']
        if packed:
            Shipment.do(packed)
