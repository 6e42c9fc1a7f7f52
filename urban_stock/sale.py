"""Accepting an order reserves its goods in the order's shop.

`sale.sale` confirm reserves, in the sale's warehouse, what its lines need
beyond what the sale already holds (the app's checkout reserves before
payment with the sale as origin), all or nothing under the reservation
lock: a sale the stock does not cover is refused with a clear error.
Confirmed reservations no longer expire except click & collect ones (the
customer has a pickup window); they are consumed when Tryton assigns the
shipment's moves and released when the sale goes back to draft or is
cancelled.
"""
from sql import Null

from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    sales_channel = fields.Char("Sales Channel", readonly=True,
        help="Set by the channel module that recorded the sale (e.g. "
        "ankorstore); empty: the app, the web shop or pro, as recorded.")

    @classmethod
    def channel_cases(cls, table):
        """(SQL condition, channel code) pairs that name the channel of a
        sale row, first match wins. A channel module that marks its orders
        in a field of its own extends this; the analytics read it."""
        return [(table.sales_channel != Null, table.sales_channel)]

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, sales):
        cls.reserve_stock(sales)
        super().confirm(sales)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, sales):
        # back to draft (from quotation or confirmed): no longer accepted
        super().draft(sales)
        cls.release_stock(sales)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, sales):
        super().cancel(sales)
        cls.release_stock(sales)

    @classmethod
    def release_stock(cls, sales):
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Shipment = pool.get('stock.shipment.internal')
        Reservation.release(Reservation.search([
                    ('origin', 'in', [str(s) for s in sales]),
                    ('state', '=', 'reserved'),
                    ]))
        # the goods on their way for them stay where they are
        Shipment.cancel_orders(sales)

    def stock_to_reserve(self):
        """{product id: quantity in its default unit} the sale's lines ship
        from its warehouse"""
        Uom = Pool().get('product.uom')
        wanted = {}
        for line in self.lines:
            if (line.type != 'line' or not line.product
                    or line.product.type not in {'goods', 'assets'}
                    or not line.quantity or line.quantity <= 0):
                continue
            quantity = Uom.compute_qty(
                line.unit, line.quantity, line.product.default_uom,
                round=False)
            wanted[line.product.id] = (
                wanted.get(line.product.id, 0) + quantity)
        return wanted

    @classmethod
    def reserve_stock(cls, sales):
        "Reserve what sales need beyond their active reservations"
        Reservation = Pool().get('urban.stock.reservation')
        for sale in sales:
            wanted = sale.stock_to_reserve()
            if not wanted or not sale.warehouse:
                continue
            held = Reservation.search([
                    ('origin', '=', str(sale)),
                    ('state', '=', 'reserved'),
                    ])
            for reservation in held:
                if reservation.product.id in wanted:
                    wanted[reservation.product.id] -= reservation.quantity
            missing = [(p, q) for p, q in sorted(wanted.items())
                if q > 1e-9]
            if missing:
                held += Reservation.reserve(
                    missing, sale.warehouse, kind='order', origin=sale,
                    reference=sale.number or sale.reference)
            # an accepted order keeps its units until they are shipped
            Reservation.write(
                [r for r in held if r.kind != 'click_collect'],
                {'expires_at': None})
            # and no longer counts as an unpaid hold (hold.py)
            unpaid = [r for r in held if r.holder]
            if unpaid:
                Reservation.write(unpaid, {'holder': None})
