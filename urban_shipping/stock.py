"""Ship-from-store: a shop packs the customer shipment of an order it
fulfils and gets the carrier's label at once.

Packing an outgoing shipment whose carrier ships with Sendcloud creates
the parcels (one per package, sender address of the shop's warehouse as
set on the credential) through Tryton's stock_package_shipping_sendcloud
wizard: each package gets its PDF label and tracking number, the shipment
its shipping reference. Click & collect shipments need no carrier: the
customer takes the goods in the shop.
"""
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class ShipmentOut(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out'

    @property
    def click_collect(self):
        "Whether the customer picks the goods up in the shop"
        return any(getattr(m.sale, 'click_collect', False)
            for m in self.outgoing_moves
            if getattr(m, 'sale', None))

    @classmethod
    def check_no_carrier(cls, shipments):
        super().check_no_carrier([s for s in shipments
                if not s.click_collect])

    @classmethod
    @ModelView.button
    @Workflow.transition('packed')
    def pack(cls, shipments):
        super().pack(shipments)
        to_label = [s for s in shipments
            if s.carrier and s.carrier.shipping_service == 'sendcloud'
            and not s.shipping_reference]
        if to_label:
            cls.create_sendcloud_labels(to_label)

    @classmethod
    def create_sendcloud_labels(cls, shipments):
        "Create the Sendcloud parcels and labels of packed shipments"
        pool = Pool()
        Wizard = pool.get(
            'stock.shipment.create_shipping.sendcloud', type='wizard')
        for shipment in shipments:
            if not shipment.root_packages:
                raise AccessError(gettext(
                        'urban_shipping.msg_shipment_no_package',
                        shipment=shipment.rec_name))
            if not shipment.get_sendcloud_credential():
                raise AccessError(gettext(
                        'urban_shipping.msg_shipment_no_credential',
                        shipment=shipment.rec_name))
            with Transaction().set_context(
                    active_model=cls.__name__, active_id=shipment.id,
                    active_ids=[shipment.id]):
                session_id, _, _ = Wizard.create()
                try:
                    Wizard(session_id).transition_start()
                finally:
                    Wizard.delete(session_id)
