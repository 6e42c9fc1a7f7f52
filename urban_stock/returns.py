"""Customer returns of any channel, received in any shop or by post.

A return is a sale with negative quantities whose `origin` is the original
sale and whose warehouse is where the goods come back (a shop, or the
warehouse configured for postal returns). A channel may create a return
request (`Sale.request_return`: `return_state` requested, still a draft
sale; the app's POST /orders/<id>/returns, the site's account); staff
receive the goods with the "Receive Return" wizard, started from the
original sale or from the request: it checks the quantities (never more
than delivered minus already returned), confirms and processes the return
sale and receives its customer return shipment (`stock.shipment.out.return`)
into the shop's storage.

Channels hook `Sale.return_received(returns)` with PoolMeta to react
(refund the customer's payment); the domain does not know them.
"""
import datetime as dt

from sql.functions import CurrentTimestamp

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import (
    Transaction, check_access, without_check_access)
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import scan


class ReturnRefused(Exception):
    """A customer's return request refused: code is order_not_delivered,
    return_already_requested or invalid_return_line (of product_id)"""

    def __init__(self, code, product_id=None):
        super().__init__(code)
        self.code = code
        self.product_id = product_id


RETURN_CHANNELS = [
    (None, ""),
    ('shop', "In Shop"),
    ('post', "By Post"),
    ]


class Configuration(metaclass=PoolMeta):
    __name__ = 'stock.configuration'

    postal_return_warehouse = fields.Many2One('stock.location',
        "Postal Returns Warehouse", domain=[('type', '=', 'warehouse')],
        help="Where parcels sent back by customers are received (the "
        "central stock room).")


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    return_state = fields.Selection([
            (None, ""),
            ('requested', "Requested"),
            ('received', "Received"),
            ], "Return State", readonly=True,
        help="Set on return sales: requested by the customer, then "
        "received by the shop.")
    return_channel = fields.Selection(RETURN_CHANNELS, "Returned",
        readonly=True, states={'invisible': ~Eval('return_state')})
    return_reason = fields.Text("Return Reason", readonly=True,
        states={'invisible': ~Eval('return_state')})
    return_received_at = fields.DateTime("Return Received At",
        readonly=True, states={'invisible': ~Eval('return_state')})
    return_received_by = fields.Many2One('res.user', "Return Received By",
        readonly=True, states={'invisible': ~Eval('return_state')})
    returns = fields.One2Many('sale.sale', 'origin', "Returns",
        readonly=True, filter=[('return_state', '!=', None)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'receive_return': {
                    'invisible': ~(
                        Eval('state').in_(['processing', 'done'])
                        | (Eval('return_state') == 'requested')),
                    'depends': ['state', 'return_state'],
                    },
                })

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        for name in ['return_state', 'return_channel', 'return_reason',
                'return_received_at', 'return_received_by', 'returns']:
            default.setdefault(name)
        return super().copy(sales, default=default)

    @classmethod
    @ModelView.button_action('urban_stock.wizard_receive_return')
    def receive_return(cls, sales):
        pass

    @property
    def return_origin(self):
        "The original sale of a return sale"
        Sale = Pool().get('sale.sale')
        if self.return_state and isinstance(self.origin, Sale):
            return self.origin

    def returnable_quantities(self):
        """{sale line: quantity} delivered to the customer and not yet
        returned, in the line's unit"""
        pool = Pool()
        Uom = pool.get('product.uom')
        Line = pool.get('sale.line')
        result = {}
        for line in self.lines:
            if line.type != 'line' or not line.product or line.quantity <= 0:
                continue
            delivered = 0.0
            for move in line.moves:
                if (move.state == 'done'
                        and move.to_location.type == 'customer'):
                    delivered += Uom.compute_qty(
                        move.unit, move.quantity, line.unit, round=False)
            result[line] = delivered
        for line in Line.search([
                    ('returned_line', 'in', [l.id for l in result]),
                    ('sale.return_state', '=', 'received'),
                    ('sale.state', '!=', 'cancelled'),
                    ]):
            result[line.returned_line] += line.quantity   # negative
        return {l: max(l.unit.round(q), 0.0) for l, q in result.items()}

    def return_requestable(self):
        "Whether the customer may ask to return goods of the sale now"
        return (any(self.returnable_quantities().values())
            and not self.return_pending())

    def return_pending(self):
        "A request of the customer waits for the goods"
        return any(r.return_state == 'requested' and r.state == 'draft'
            for r in self.returns)

    def request_return(self, wanted, reason):
        """The customer's request to return [(product id, quantity)] of the
        delivered or collected goods, for reason: a draft return sale that
        staff receive; ReturnRefused when it cannot be"""
        pool = Pool()
        Line = pool.get('sale.line')
        returnable = self.returnable_quantities()
        if not any(returnable.values()):
            raise ReturnRefused('order_not_delivered')
        if self.return_pending():
            raise ReturnRefused('return_already_requested')
        bought = {}
        for line, quantity in returnable.items():
            bought.setdefault(line.product.id, []).append([line, quantity])
        for product_id, quantity in wanted:
            if product_id not in bought or (
                    quantity > sum(q for _, q in bought[product_id])):
                raise ReturnRefused('invalid_return_line', product_id)
        optional = {name: None for name in ['coupons', 'web_shop', 'web_id']
            if name in self._fields}
        return_sale, = self.copy([self], default={
                'lines': None,
                'number': None,
                'origin': str(self),
                'comment': reason,
                'reference': self.number,
                'click_collect': False,
                'return_state': 'requested',
                'return_reason': reason,
                **optional,
                })
        for product_id, quantity in wanted:
            for entry in bought[product_id]:
                original, left = entry
                taken = min(quantity, left)
                if taken <= 0:
                    continue
                Line.copy([original], default={
                        'sale': return_sale.id,
                        'returned_line': original.id,
                        'quantity': -taken})
                entry[1] -= taken
                quantity -= taken
        return return_sale

    @classmethod
    def return_received(cls, returns):
        """Hook: the goods of return sales are back in stock (channels
        extend it)"""
        pass

    @classmethod
    def receive_returned_goods(cls, original, quantities, warehouse,
            channel='shop', reason=None, request=None):
        """Receive {original sale line: quantity} back into warehouse;
        uses the draft return request if given, else creates the return
        sale. Returns the return sale, processed and received."""
        pool = Pool()
        Line = pool.get('sale.line')
        Shipment = pool.get('stock.shipment.out.return')
        if original.state not in {'processing', 'done'}:
            raise UserError(gettext('urban_stock.msg_return_not_delivered',
                    sale=original.rec_name))
        quantities = {l: q for l, q in quantities.items() if q}
        if not quantities:
            raise UserError(gettext('urban_stock.msg_return_nothing',
                    sale=original.rec_name))
        if not warehouse or warehouse.type != 'warehouse':
            raise UserError(gettext('urban_stock.msg_return_warehouse',
                    sale=original.rec_name))
        # one receiver at a time per sale: touching the original's row
        # makes a concurrent receiver wait, then fail to serialise and be
        # retried by Tryton, so that it sees the first return
        sale = cls.__table__()
        Transaction().connection.cursor().execute(*sale.update(
                [sale.write_date], [CurrentTimestamp()],
                where=sale.id == original.id))
        returnable = original.returnable_quantities()
        if not any(returnable.values()):
            raise UserError(gettext('urban_stock.msg_return_not_delivered',
                    sale=original.rec_name))
        for line, quantity in quantities.items():
            if line.sale != original or line not in returnable:
                raise UserError(gettext('urban_stock.msg_return_line',
                        sale=original.rec_name, line=line.rec_name))
            if quantity < 0 or quantity > returnable[line] + 1e-9:
                raise UserError(gettext(
                        'urban_stock.msg_return_too_many',
                        product=line.product.rec_name,
                        quantity=quantity, returnable=returnable[line]))
        values = {
            'warehouse': warehouse.id,
            'return_channel': channel,
            'return_reason': reason,
            'shipment_method': 'order',
            'click_collect': False,
            }
        if request:
            if (request.return_state != 'requested'
                    or request.state != 'draft'
                    or request.return_origin != original):
                raise UserError(gettext(
                        'urban_stock.msg_return_request_done',
                        sale=request.rec_name))
            cls.write([request], values)
            Line.delete([l for l in request.lines])
            return_sale = request
        else:
            optional = {name: None for name in ['coupons', 'web_shop',
                    'web_id'] if name in cls._fields}
            return_sale, = cls.copy([original], default={
                    **values,
                    **optional,
                    'lines': None,
                    'number': None,
                    'origin': str(original),
                    'reference': original.number,
                    'return_state': 'requested',
                    })
        Line.copy([l for l in quantities], default={
                'sale': return_sale.id,
                'returned_line': lambda data: data['id'],
                'quantity': lambda data: -quantities[Line(data['id'])],
                })
        return_sale = cls(return_sale.id)
        cls.quote([return_sale])
        cls.confirm([return_sale])
        with Transaction().set_context(_sale_manual_shipment=True):
            cls.process([return_sale])
        return_sale = cls(return_sale.id)
        shipments = [s for s in return_sale.shipment_returns
            if s.state == 'draft']
        if shipments:
            Shipment.receive(shipments)
            shipments = [s for s in Shipment.browse(shipments)
                if s.state == 'received']
            if shipments:
                Shipment.do(shipments)
        cls.write([return_sale], {
                'return_state': 'received',
                'return_received_at': dt.datetime.now(),
                'return_received_by': Transaction().user or None,
                })
        cls.return_received([return_sale])
        return return_sale


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'

    returned_line = fields.Many2One('sale.line', "Returned Line",
        readonly=True, ondelete='RESTRICT',
        help="The line of the original sale whose goods this return line "
        "brings back.")

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('returned_line')
        return super().copy(lines, default=default)


class ReceiveReturnFind(ModelView):
    "Receive Return"
    __name__ = 'urban.stock.receive_return.find'

    number = fields.Char("Order Number", required=True,
        help="The number on the customer's order confirmation or receipt.")


class ReceiveReturnStart(ModelView):
    "Receive Return"
    __name__ = 'urban.stock.receive_return.start'

    # a text, not a link: the order may belong to another shop, which
    # shop staff may not open
    order = fields.Char("Order", readonly=True)
    channel = fields.Selection(RETURN_CHANNELS[1:], "Returned",
        required=True)
    warehouse = fields.Many2One('stock.location', "Receiving Warehouse",
        required=True, domain=[('type', '=', 'warehouse')],
        help="The shop (or postal returns warehouse) where the goods go "
        "back into stock.")
    reason = fields.Text("Reason")
    lines = fields.One2Many('urban.stock.receive_return.line', None,
        "Lines")

    @fields.depends('channel', 'warehouse')
    def on_change_channel(self):
        default = default_return_warehouse(self.channel)
        if default:
            self.warehouse = default

    @fields.depends('order', 'lines')
    def on_scan_code(self, code):
        "Each article scanned is one more to return (scan.py)"
        lines = list(self.lines or [])
        scan.count_scanned(lines, code, 'quantity', 'returnable', self.order)
        self.lines = lines


class ReceiveReturnLine(ModelView):
    "Receive Return Line"
    __name__ = 'urban.stock.receive_return.line'

    # the id and a text, not a link: the order line may belong to another
    # shop's order, which shop staff may not read
    sale_line = fields.Integer("Order Line Id", readonly=True)
    description = fields.Char("Order Line", readonly=True)
    product = fields.Many2One('product.product', "Product", readonly=True)
    returnable = fields.Float("Returnable", readonly=True,
        help="Delivered and not yet returned.")
    quantity = fields.Float("Quantity to Return",
        domain=[('quantity', '>=', 0)])


def default_return_warehouse(channel):
    "The staff user's shop in a shop, the postal returns warehouse by post"
    pool = Pool()
    User = pool.get('res.user')
    Configuration = pool.get('stock.configuration')
    if channel == 'shop':
        user_id = Transaction().user
        if user_id:
            shops = User(user_id).shops
            if shops:
                return shops[0]
    return Configuration(1).postal_return_warehouse


class ReceiveReturn(Wizard):
    """Receive Return

    Started from an order or a return request (button), or from the menu
    with the order's number: a customer may bring back an order of any
    shop or of the web shop, which staff of their shop cannot open.

    The record rules keep staff to their own shops' sales; this wizard is
    the one narrow door past them: the order (found by its exact number or
    through a return request) and its lines are read and the return sale
    created without access checks, while the receiving warehouse must be
    one the user may use (their shop). The staff member only gets the
    order's text and the returnable quantities, never a link to it."""
    __name__ = 'urban.stock.receive_return'
    start_state = 'choose'
    choose = StateTransition()
    find = StateView('urban.stock.receive_return.find',
        'urban_stock.receive_return_find_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Next", 'search', 'tryton-forward', default=True),
            ])
    search = StateTransition()
    start = StateView('urban.stock.receive_return.start',
        'urban_stock.receive_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Receive", 'receive', 'tryton-ok', default=True),
            ])
    receive = StateTransition()

    def _active_sale(self):
        if self.model and self.model.__name__ == 'sale.sale':
            return self.record

    def transition_choose(self):
        return 'start' if self._active_sale() else 'find'

    @without_check_access
    def _found_sale(self):
        """The order of the number typed in: the exact number (no pattern),
        so that staff find the order the customer brings back, not browse
        other shops' orders"""
        Sale = Pool().get('sale.sale')
        number = (self.find.number or '').strip()
        sales = Sale.search([
                ('number', '=', number),
                ('state', 'not in', ['draft', 'cancelled']),
                ('return_state', '=', None),
                ], limit=1) if number else []
        if not sales:
            raise UserError(gettext('urban_stock.msg_return_order_unknown',
                    number=number))
        return sales[0]

    def transition_search(self):
        self._found_sale()
        return 'start'

    @without_check_access
    def _original_and_request(self):
        sale = self._active_sale()
        if not sale:
            sale = self._found_sale()
        if sale.return_state == 'requested':
            original = sale.return_origin
            if not original:
                raise AccessError(gettext(
                        'urban_stock.msg_return_request_done',
                        sale=sale.rec_name))
            return original, sale
        if sale.return_state:
            raise AccessError(gettext('urban_stock.msg_return_request_done',
                    sale=sale.rec_name))
        requests = [r for r in sale.returns
            if r.return_state == 'requested' and r.state == 'draft']
        return sale, (requests[0] if requests else None)

    @without_check_access
    def default_start(self, fields):
        original, request = self._original_and_request()
        requested = {}
        if request:
            for line in request.lines:
                if line.returned_line:
                    requested[line.returned_line.id] = -line.quantity
                elif line.product:
                    requested.setdefault(('product', line.product.id),
                        -line.quantity)
        lines = []
        for line, returnable in original.returnable_quantities().items():
            quantity = requested.get(line.id,
                requested.get(('product', line.product.id), 0))
            lines.append({
                    'sale_line': line.id,
                    'description': line.rec_name,
                    'product': line.product.id,
                    'returnable': returnable,
                    'quantity': float(min(quantity, returnable)),
                    })
        channel = 'shop' if default_return_warehouse('shop') else 'post'
        warehouse = default_return_warehouse(channel)
        return {
            'order': '%s (%s)' % (original.rec_name, original.party.rec_name),
            'channel': channel,
            'warehouse': warehouse.id if warehouse else None,
            'reason': (request.return_reason or request.comment
                if request else None),
            'lines': lines,
            }

    def transition_receive(self):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        Location = pool.get('stock.location')
        warehouse = self.start.warehouse
        if warehouse:
            # the goods go into a warehouse the user may use: their shop
            with check_access():
                Location.read([warehouse.id], ['id'])
        with without_check_access():
            original, request = self._original_and_request()
            quantities = {}
            for line in self.start.lines:
                if line.quantity and line.sale_line is not None:
                    sale_line = Line(line.sale_line)
                    quantities[sale_line] = (
                        quantities.get(sale_line, 0) + line.quantity)
            Sale.receive_returned_goods(original, quantities, warehouse,
                channel=self.start.channel, reason=self.start.reason,
                request=request)
        return 'end'
