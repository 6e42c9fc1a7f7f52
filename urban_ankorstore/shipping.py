"""Ankorstore orders we ship with our own labels (Sendcloud or any carrier
of the shop), reported to Ankorstore with their tracking.

When the customer shipment of an accepted Ankorstore order is shipped (or
done without the shipped step), a queued task reports it: the parcels (the
shipment's packages, else one parcel of the configured default size and
weight) get Ankorstore's quotes, the "custom" quote (our own carrier) is
confirmed with the packages' tracking (number and carrier, else the
tracking link, else the shipment's number with the company as carrier) and
the order is `shipped`. It is reported once: the order's state says so, and
a 409 (shipped already, e.g. a retry after a lost answer) is settled by the
order's status at Ankorstore.
"""
import logging

from trytond.config import config
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import client

logger = logging.getLogger(__name__)


def default_parcel():
    "The parcel reported when the shipment has no package with a size"
    return {
        'kg': config.getfloat('urban_ankorstore', 'parcel_kg', default=2),
        'length': config.getint('urban_ankorstore', 'parcel_length',
            default=40),
        'width': config.getint('urban_ankorstore', 'parcel_width',
            default=30),
        'height': config.getint('urban_ankorstore', 'parcel_height',
            default=20),
        }


def parcels(shipment):
    "Ankorstore's parcels of a customer shipment"
    result = []
    for package in getattr(shipment, 'root_packages', None) or []:
        weight = getattr(package, 'total_weight', None)
        sizes = [getattr(package, name, None)
            for name in ('length', 'width', 'height')]
        if weight and all(sizes):
            result.append({'kg': round(max(0.001, min(30, weight)), 3),
                    **dict(zip(('length', 'width', 'height'),
                            (max(1, round(s)) for s in sizes)))})
    return result or [default_parcel()]


def tracking(shipment):
    "Ankorstore's tracking of a customer shipment"
    carrier = getattr(shipment, 'carrier', None)
    provider = carrier.rec_name if carrier else shipment.company.rec_name
    for package in getattr(shipment, 'root_packages', None) or []:
        number = getattr(package, 'shipping_reference', None)
        if number:
            return {'trackingProvider': provider, 'trackingNumber': number}
    for package in getattr(shipment, 'root_packages', None) or []:
        link = getattr(package, 'shipping_tracking_url', None)
        if link:
            return {'trackingLink': link}
    return {'trackingProvider': provider, 'trackingNumber': shipment.number}


class Order(metaclass=PoolMeta):
    __name__ = 'urban.ankorstore.order'

    shipped_tracking = fields.Char("Tracking", readonly=True,
        states={'invisible': ~Eval('shipped_tracking')})

    @classmethod
    def report_shipped(cls, orders):
        "Report the shipments of accepted orders to Ankorstore, once"
        for order in orders:
            order = cls(order.id)  # as it is now, not as when queued
            if order.state != 'accepted':
                continue
            shipments = [s for s in order.sale.shipments
                if s.state in {'shipped', 'done'}] if order.sale else []
            if not shipments:
                continue
            shipment = shipments[0]
            values = tracking(shipment)
            with Transaction().set_context(
                    company=order.account.company.id):
                try:
                    order.account.client.ship_with_own_carrier(
                        order.ankorstore_id,
                        [p for s in shipments for p in parcels(s)], values)
                except client.Conflict:
                    remote = order.account.client.order(order.ankorstore_id)
                    if remote['status'] not in {'shipped', 'received'}:
                        raise
            cls.write([order], {
                    'shipped_tracking': (values.get('trackingNumber')
                        or values.get('trackingLink')),
                    'problem': None,
                    })
            cls.shipped([order])

    @classmethod
    @Workflow.transition('shipped')
    def shipped(cls, orders):
        pass


class ShipmentOut(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out'

    @classmethod
    @ModelView.button
    @Workflow.transition('shipped')
    def ship(cls, shipments):
        super().ship(shipments)
        cls._report_to_ankorstore(shipments)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, shipments):
        super().do(shipments)
        cls._report_to_ankorstore(shipments)

    @classmethod
    def _report_to_ankorstore(cls, shipments):
        "Queue the report (an HTTP call stays out of the warehouse's click)"
        Order = Pool().get('urban.ankorstore.order')
        sale_ids = {m.sale.id for s in shipments for m in s.outgoing_moves
            if getattr(m, 'sale', None)}
        if not sale_ids:
            return
        orders = Order.search([
                ('sale', 'in', list(sale_ids)),
                ('state', '=', 'accepted'),
                ])
        if orders:
            with Transaction().set_context(
                    queue_name='urban_ankorstore_ship'):
                Order.__queue__.report_shipped(orders)
