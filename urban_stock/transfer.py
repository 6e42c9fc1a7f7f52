"""Transfers between shops: Tryton internal shipments."""

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from .reservation import ReservationError


def create_transfer(from_shop, to_shop, lines, planned_date=None,
        reference=None, order=None):
    """Create a draft internal shipment from the storage of from_shop to
    the storage of to_shop for lines [(product or id, quantity)]; order:
    the sale it brings the goods for (its transfer reservations follow
    the goods, it is cancelled with the order)."""
    pool = Pool()
    Shipment = pool.get('stock.shipment.internal')
    Location = pool.get('stock.location')
    Product = pool.get('product.product')
    Date = pool.get('ir.date')
    from_shop = Location(int(getattr(from_shop, 'id', from_shop)))
    to_shop = Location(int(getattr(to_shop, 'id', to_shop)))
    if from_shop == to_shop:
        raise ReservationError(gettext(
                'urban_stock.msg_transfer_same_shop', shop=from_shop.rec_name))
    planned_date = planned_date or Date.today()
    shipment = Shipment(
        state='draft', internal_transit_location=None,
        from_location=from_shop.storage_location,
        to_location=to_shop.storage_location,
        planned_date=planned_date,
        planned_start_date=min(planned_date, Date.today()),
        reference=reference, order=order)
    shipment.company = shipment.default_company()
    moves = []
    for product, quantity in lines:
        product = Product(int(getattr(product, 'id', product)))
        if float(quantity) <= 0:
            raise ReservationError(gettext(
                    'urban_stock.msg_reservation_quantity_positive',
                    product=product.rec_name, quantity=quantity))
        move = shipment._get_transfer_move(product, quantity)
        moves.append(move)
    shipment.moves = moves
    shipment.save()
    return shipment


def transfers_from_plan(plan, reference=None, order=None):
    "Create the internal shipments proposed by a routing plan"
    grouped = {}
    for transfer in plan.get('transfers', []):
        key = (transfer['from'], transfer['to'], transfer['date'])
        grouped.setdefault(key, []).append(
            (transfer['product'], transfer['quantity']))
    return [create_transfer(f, t, lines, planned_date=d, reference=reference,
            order=order)
        for (f, t, d), lines in grouped.items()]


class ShipmentInternal(metaclass=PoolMeta):
    __name__ = 'stock.shipment.internal'

    order = fields.Many2One('sale.sale', "Order", readonly=True,
        ondelete='SET NULL',
        help="The click & collect order this transfer brings goods for.")

    from_my_shop = fields.Function(fields.Boolean("From My Shop",
            help="Sent from one of the shops of the user "
            "(any shop for a user without shops)."),
        'get_my_shop', searcher='search_my_shop')
    to_my_shop = fields.Function(fields.Boolean("To My Shop",
            help="Sent to one of the shops of the user "
            "(any shop for a user without shops)."),
        'get_my_shop', searcher='search_my_shop')

    @classmethod
    def _my_shop_domain(cls, name):
        "Domain of the shipments from (or to) the user's shops"
        User = Pool().get('res.user')
        shops = User.get_shops()
        location = 'from_location' if name == 'from_my_shop' else (
            'to_location')
        if not shops:
            return []
        return [(location, 'child_of', shops, 'parent')]

    @classmethod
    def get_my_shop(cls, shipments, name):
        mine = set(map(int, cls.search([
                        ('id', 'in', [s.id for s in shipments]),
                        *cls._my_shop_domain(name),
                        ], order=[])))
        return {s.id: s.id in mine for s in shipments}

    @classmethod
    def search_my_shop(cls, name, clause):
        _, operator, value = clause
        domain = cls._my_shop_domain(name)
        if (operator == '=') == bool(value):
            return domain
        return [('id', 'not in', cls.search(domain, order=[], query=True))]

    @classmethod
    def copy(cls, shipments, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('order')
        return super().copy(shipments, default=default)

    @classmethod
    def assign(cls, shipments):
        """The assigned moves hold the units in the source now: an order's
        transfer reservations there follow the goods to the pickup shop,
        where they keep them for the order when they arrive"""
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        super().assign(shipments)
        for shipment in shipments:
            source = shipment.from_location.warehouse
            destination = shipment.to_location.warehouse
            if not shipment.order or not source or not destination:
                continue
            # the source's staff send it: the hold leaves their shops
            with without_check_access():
                Reservation.write(Reservation.search([
                            ('origin', '=', str(shipment.order)),
                            ('kind', '=', 'transfer'),
                            ('state', '=', 'reserved'),
                            ('warehouse', '=', source.id),
                            ('product', 'in',
                                [m.product.id for m in shipment.moves]),
                            ]), {'warehouse': destination.id})

    @classmethod
    @without_check_access
    def cancel_orders(cls, sales):
        """Cancel the transfers of orders that no longer need them (whoever
        cancels the order: the pickup shop's staff, the customer)"""
        shipments = cls.search([
                ('order', 'in', [s.id for s in sales]),
                ('state', 'in',
                    ['request', 'draft', 'waiting', 'assigned', 'packed']),
                ])
        if shipments:
            cls.cancel(shipments)

    def _get_transfer_move(self, product, quantity):
        "A draft move; Tryton adds the transit moves when it waits"
        Move = Pool().get('stock.move')
        move = Move(
            product=product, unit=product.default_uom,
            quantity=float(quantity),
            from_location=self.from_location,
            to_location=self.to_location,
            planned_date=self.planned_date,
            company=self.company)
        return move
