"""Ankorstore orders: polled with a cursor (the truth) or announced by a
signed webhook (which only makes the account poll), each becomes one sale
of its retailer at Ankorstore's wholesale prices whose goods are reserved
in the unified stock (urban_stock) at once; the back office accepts or
rejects it at Ankorstore.

- one order per (account, Ankorstore id) (a unique constraint): the same
  order polled twice, or webhooked twice, makes one sale;
- items are matched to products by EAN (barcode identifier), then SKU
  (product code); an unknown item is listed as a problem and the order
  waits (no sale) until every item is mapped and `process` runs again;
- the reservation is all or nothing under urban_stock's lock: an order the
  stock does not cover reserves nothing, is never oversold and is proposed
  for rejection with PRODUCT_OUT_OF_STOCK;
- accept: the sale is confirmed (its reservation kept) and brand-validates
  sent; reject: brand-rejects sent and the sale cancelled (the stock
  released); both are sent once (the local state says what was sent; a
  409 is settled by reading the order's status at Ankorstore);
- a cancellation at Ankorstore (webhook order.cancelled) cancels the sale.
"""
import datetime as dt
import json
import logging

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from urban_stock.reservation import ReservationError

from . import client

logger = logging.getLogger(__name__)

REJECT_TYPES = [
    ('PRODUCT_OUT_OF_STOCK', "Product out of stock"),
    ('BRAND_CANNOT_DELIVER_TO_THE_AREA', "Cannot deliver to the area"),
    ('BRAND_ALREADY_HAS_CUSTOMER_IN_THE_AREA',
        "Already a customer in the area"),
    ('RETAILER_NOT_GOOD_FIT_FOR_BRAND', "Retailer not a good fit"),
    ('ORDER_ITEMS_PRICES_INCORRECT', "Item prices incorrect"),
    ('PREPARATION_TIME_TOO_HIGH', "Preparation time too high"),
    ('OTHER', "Other"),
    ]
CLOSED = {'accepted', 'shipped', 'rejected', 'cancelled'}


class Order(Workflow, ModelSQL, ModelView):
    "Ankorstore Order"
    __name__ = 'urban.ankorstore.order'
    _rec_name = 'reference'

    account = fields.Many2One('urban.ankorstore.account', "Account",
        required=True, readonly=True, ondelete='RESTRICT')
    company = fields.Function(fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    ankorstore_id = fields.Char("Ankorstore ID", required=True,
        readonly=True)
    reference = fields.Char("Reference", readonly=True)
    remote_status = fields.Char("Ankorstore Status", readonly=True)
    retailer = fields.Many2One('party.party', "Retailer", readonly=True,
        ondelete='RESTRICT')
    sale = fields.Many2One('sale.sale', "Sale", readonly=True,
        ondelete='RESTRICT')
    lines = fields.One2Many('urban.ankorstore.order.line', 'order', "Lines",
        states={'readonly': Eval('state').in_(list(CLOSED))})
    state = fields.Selection([
            ('unmapped', "Unmapped Items"),
            ('reserved', "Reserved"),
            ('short', "Short of Stock"),
            ('accepted', "Accepted"),
            ('shipped', "Shipped"),
            ('rejected', "Rejected"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    reject_type = fields.Selection([(None, "")] + REJECT_TYPES,
        "Reject Reason",
        states={'readonly': Eval('state').in_(list(CLOSED))},
        help="Sent with a rejection; proposed when the stock does not "
        "cover the order.")
    reject_reason = fields.Char("Reject Details",
        states={
            'readonly': Eval('state').in_(list(CLOSED)),
            'required': (Eval('reject_type') == 'OTHER')
            & ~Eval('state').in_(list(CLOSED)),
            })
    problem = fields.Text("Problem", readonly=True)
    sent_transition = fields.Char("Sent to Ankorstore", readonly=True)
    received_at = fields.DateTime("Received", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('ankorstore_unique', Unique(t, t.account, t.ankorstore_id),
                'urban_ankorstore.msg_order_unique'),
            ]
        cls._order.insert(0, ('received_at', 'DESC'))
        cls._transitions |= {
            ('unmapped', 'reserved'), ('unmapped', 'short'),
            ('short', 'reserved'),
            ('reserved', 'accepted'), ('short', 'accepted'),
            ('unmapped', 'rejected'), ('reserved', 'rejected'),
            ('short', 'rejected'),
            ('unmapped', 'cancelled'), ('reserved', 'cancelled'),
            ('short', 'cancelled'), ('accepted', 'cancelled'),
            ('accepted', 'shipped'),
            }
        cls._buttons.update({
                'accept': {
                    'invisible': ~Eval('state').in_(['reserved', 'short']),
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state').in_(list(CLOSED)),
                    'readonly': ~Bool(Eval('reject_type')),
                    'depends': ['state', 'reject_type'],
                    },
                'process': {
                    'invisible': ~Eval('state').in_(['unmapped', 'short']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'unmapped'

    @fields.depends('account', '_parent_account.company')
    def on_change_with_company(self, name=None):
        return self.account.company if self.account else None

    def get_rec_name(self, name):
        return self.reference or self.ankorstore_id

    # --- import -------------------------------------------------------------
    @classmethod
    def poll(cls, account):
        """Import the orders placed after the account's cursor, page by
        page (the cursor moves with each page); returns the new orders"""
        Account = Pool().get('urban.ankorstore.account')
        api = account.client
        new = []
        for ids, last in api.master_orders(after=account.orders_cursor):
            new += cls.import_orders(account, ids, api=api)
            if last:
                Account.write([account], {'orders_cursor': last})
        Account.write([account], {'last_poll_at': dt.datetime.now(),
                'last_error': None})
        return new

    @classmethod
    def import_orders(cls, account, order_ids, api=None):
        "Create the orders of order_ids not known yet; returns them"
        api = api or account.client
        known = {o.ankorstore_id for o in cls.search([
                    ('account', '=', account.id),
                    ('ankorstore_id', 'in', list(order_ids)),
                    ])}
        orders = []
        for order_id in order_ids:
            if order_id in known:
                continue
            known.add(order_id)
            orders.append(cls.create_from(account, api.order(order_id)))
        cls.process(orders)
        return orders

    @classmethod
    def create_from(cls, account, remote):
        "An order (with lines mapped to products) from parse_order's dict"
        Line = Pool().get('urban.ankorstore.order.line')
        order, = cls.create([{
                    'account': account.id,
                    'ankorstore_id': remote['id'],
                    'reference': remote['reference'],
                    'remote_status': remote['status'],
                    'retailer': cls.retailer_party(remote['retailer']).id,
                    'state': 'unmapped',
                    'received_at': dt.datetime.now(),
                    'lines': [('create', [{
                                    'item_id': i['id'], 'sku': i['sku'],
                                    'ean': i['ean'], 'name': i['name'],
                                    'quantity': i['quantity'],
                                    'unit_price': i['unit_price'],
                                    'product': Line.match_product(
                                        i['ean'], i['sku']),
                                    } for i in remote['items']])],
                    }])
        return order

    @classmethod
    def retailer_party(cls, retailer):
        "The party of an Ankorstore retailer (by its id), created if new"
        Party = Pool().get('party.party')
        parties = Party.search([
                ('ankorstore_retailer', '=', retailer['id'])], limit=1)
        if parties:
            return parties[0]
        name = (retailer.get('storeName') or retailer.get('companyName')
            or ' '.join(filter(None, [retailer.get('firstName'),
                        retailer.get('lastName')]))
            or retailer['id'])
        mechanisms = [{'type': t, 'value': retailer[k]}
            for t, k in [('email', 'email'), ('phone', 'phoneNumberE164')]
            if retailer.get(k)]
        party, = Party.create([{
                    'name': name,
                    'ankorstore_retailer': retailer['id'],
                    'addresses': [('create', [{}])],
                    'contact_mechanisms': [('create', mechanisms)],
                    }])
        return party

    @classmethod
    @ModelView.button
    def process(cls, orders):
        """Make the sale of each order whose items are all mapped and
        reserve its goods (all or nothing); idempotent"""
        for order in orders:
            if order.state not in {'unmapped', 'short'}:
                continue
            unmapped = [l for l in order.lines if not l.product]
            if unmapped:
                cls.write([order], {'problem': gettext(
                            'urban_ankorstore.msg_order_unmapped',
                            items=', '.join(l.rec_name for l in unmapped))})
                continue
            if not order.sale:
                order.sale = order.make_sale()
                order.save()
            cls.reserve([order])

    def make_sale(self):
        Sale = Pool().get('sale.sale')
        party = self.retailer
        address = party.addresses[0] if party.addresses else None
        with Transaction().set_context(company=self.account.company.id):
            sale, = Sale.create([{
                        'company': self.account.company.id,
                        'currency': self.account.company.currency.id,
                        'party': party.id,
                        'invoice_address': address.id if address else None,
                        'shipment_address': (
                            address.id if address else None),
                        'warehouse': self.account.warehouse.id,
                        'sales_channel': 'ankorstore',
                        # Ankorstore invoices the retailer and pays the
                        # brand less its commission: we invoice no retailer
                        'invoice_method': 'manual',
                        'reference': 'Ankorstore %s' % self.reference,
                        'description': 'Ankorstore %s' % self.reference,
                        'lines': [('create', [{
                                        'product': l.product.id,
                                        'quantity': l.quantity,
                                        'unit': l.product.sale_uom.id,
                                        'unit_price': l.unit_price,
                                        } for l in self.lines
                                    if l.quantity > 0])],
                        }])
            Sale.quote([sale])
        return sale

    @classmethod
    def reserve(cls, orders):
        """Reserve each order's sale in its warehouse, all or nothing: a
        refusal leaves nothing reserved, the order short of stock with
        PRODUCT_OUT_OF_STOCK proposed"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        for order in orders:
            try:
                Sale.reserve_stock([order.sale])
            except ReservationError as exception:
                cls.write([order], {'problem': exception.message,
                        'reject_type': order.reject_type
                        or 'PRODUCT_OUT_OF_STOCK'})
                if order.state != 'short':
                    cls.short([order])
            else:
                cls.write([order], {'problem': None})
                cls.reserved([order])

    @classmethod
    @Workflow.transition('reserved')
    def reserved(cls, orders):
        pass

    @classmethod
    @Workflow.transition('short')
    def short(cls, orders):
        pass

    # --- transitions sent to Ankorstore -------------------------------------
    def _send(self, kind, attributes=None):
        """Send the transition once; a 409 (already transitioned, e.g. a
        retry after a lost answer) is settled by the order's status"""
        if self.sent_transition == kind:
            return
        expected = {'brand-validates': 'brand_confirmed',
            'brand-rejects': 'rejected'}[kind]
        api = self.account.client
        try:
            remote = api.transition(self.ankorstore_id, kind, attributes)
        except client.Conflict as exception:
            remote = api.order(self.ankorstore_id)
            if remote['status'] != expected:
                raise UserError(gettext(
                        'urban_ankorstore.msg_order_transition_refused',
                        order=self.rec_name, status=remote['status'],
                        error=str(exception)))
        except client.AnkorstoreError as exception:
            raise UserError(gettext(
                    'urban_ankorstore.msg_order_transition_failed',
                    order=self.rec_name, error=str(exception)))
        self.__class__.write([self], {'sent_transition': kind,
                'remote_status': remote['status']})

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, orders):
        """Confirm the sales (the reservation is checked again: short stock
        refuses) then accept at Ankorstore"""
        Sale = Pool().get('sale.sale')
        for order in orders:
            if any(not l.product for l in order.lines) or not order.sale:
                raise UserError(gettext(
                        'urban_ankorstore.msg_order_unmapped',
                        items=order.rec_name))
            with Transaction().set_context(
                    company=order.account.company.id):
                Sale.confirm([order.sale])
            order._send('brand-validates')
        cls.write(orders, {'problem': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, orders):
        "Reject at Ankorstore with the reason, then cancel the sales"
        for order in orders:
            if not order.reject_type:
                raise UserError(gettext(
                        'urban_ankorstore.msg_order_reject_type',
                        order=order.rec_name))
            attributes = {'rejectType': order.reject_type}
            if order.reject_reason:
                attributes['rejectReason'] = order.reject_reason
            order._send('brand-rejects', attributes)
        cls.cancel_sales(orders)

    @classmethod
    @Workflow.transition('cancelled')
    def cancel(cls, orders):
        "Cancelled at Ankorstore: the sales are cancelled, stock released"
        cls.cancel_sales(orders)

    @classmethod
    def cancel_sales(cls, orders):
        Sale = Pool().get('sale.sale')
        sales = [o.sale for o in orders
            if o.sale and o.sale.state in {'draft', 'quotation', 'confirmed'}]
        for sale in sales:
            with Transaction().set_context(company=sale.company.id):
                Sale.cancel([sale])

    @classmethod
    def refresh(cls, account, order_ids):
        "Read the status of known orders (webhook); cancel the cancelled"
        orders = cls.search([('account', '=', account.id),
                ('ankorstore_id', 'in', list(order_ids))])
        api = account.client
        for order in orders:
            remote = api.order(order.ankorstore_id)
            if remote['status'] != order.remote_status:
                cls.write([order], {'remote_status': remote['status']})
            if remote['status'] == 'cancelled' and order.state != 'cancelled' \
                    and order.state != 'rejected':
                cls.cancel([order])


class OrderLine(ModelSQL, ModelView):
    "Ankorstore Order Line"
    __name__ = 'urban.ankorstore.order.line'

    order = fields.Many2One('urban.ankorstore.order', "Order", required=True,
        ondelete='CASCADE')
    item_id = fields.Char("Item ID", readonly=True)
    sku = fields.Char("SKU", readonly=True)
    ean = fields.Char("EAN", readonly=True)
    name = fields.Char("Name", readonly=True)
    product = fields.Many2One('product.product', "Product",
        ondelete='RESTRICT',
        states={'readonly': Eval('order_state').in_(list(CLOSED)
                + ['reserved'])},
        help="Matched by EAN, then SKU; set it for an unknown item, then "
        "process the order again.")
    quantity = fields.Integer("Quantity", readonly=True)
    unit_price = fields.Numeric("Wholesale Price", digits=(16, 4),
        readonly=True)
    order_state = fields.Function(fields.Selection('get_order_states',
            "Order State"), 'on_change_with_order_state')
    mapped = fields.Function(fields.Boolean("Mapped"), 'get_mapped',
        searcher='search_mapped')

    @classmethod
    def get_order_states(cls):
        return Pool().get('urban.ankorstore.order').fields_get(
            ['state'])['state']['selection']

    @fields.depends('order', '_parent_order.state')
    def on_change_with_order_state(self, name=None):
        return self.order.state if self.order else None

    def get_mapped(self, name):
        return bool(self.product)

    @classmethod
    def search_mapped(cls, name, clause):
        _, operator, value = clause
        if (operator == '=') == bool(value):
            return [('product', '!=', None)]
        return [('product', '=', None)]

    def get_rec_name(self, name):
        return self.name or self.sku or self.ean or self.item_id or ''

    @classmethod
    def match_product(cls, ean, sku):
        "The product id of an EAN (barcode identifier) or else a SKU (code)"
        Product = Pool().get('product.product')
        if ean:
            products = Product.search([
                    ('identifiers', 'where', [
                            ('code', '=', ean),
                            ]),
                    ], limit=1)
            if products:
                return products[0].id
        if sku:
            products = Product.search([('code', '=', sku)], limit=1)
            if products:
                return products[0].id


class Event(ModelSQL, ModelView):
    "Ankorstore Webhook Event"
    __name__ = 'urban.ankorstore.event'

    account = fields.Many2One('urban.ankorstore.account', "Account",
        required=True, readonly=True, ondelete='CASCADE')
    event_id = fields.Char("Event ID", required=True, readonly=True)
    type = fields.Char("Type", readonly=True)
    order_ref = fields.Char("Order ID", readonly=True)
    received_at = fields.DateTime("Received", readonly=True)
    payload = fields.Text("Payload", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('event_unique', Unique(t, t.account, t.event_id),
                'urban_ankorstore.msg_event_unique'),
            ]
        cls._order.insert(0, ('received_at', 'DESC'))

    @classmethod
    def receive(cls, accounts, headers, body):
        """A webhook delivery: (account, new) once verified, None for a bad
        signature (nothing stored). A new event makes the account poll and
        refresh the order it names; a replay (same meta.event.id) changes
        nothing."""
        Order = Pool().get('urban.ankorstore.order')
        signature = headers.get('signature')
        account = next((a for a in accounts
                if client.verify(a.get_webhook_secret(), body, signature)),
            None)
        if account is None:
            return None
        try:
            payload = json.loads(body)
            data = payload['data']
            event = (data.get('meta') or {}).get('event') or {}
            event_id = str(event['id'])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ValueError('unreadable payload')
        if cls.search([('account', '=', account.id),
                    ('event_id', '=', event_id)], limit=1):
            return account, False
        cls.create([{'account': account.id, 'event_id': event_id,
                    'type': event.get('type'),
                    'order_ref': data.get('id'),
                    'received_at': dt.datetime.now(),
                    'payload': body.decode('utf-8', 'replace')[:20000],
                    }])
        with Transaction().set_context(company=account.company.id):
            try:
                Order.poll(account)
                if data.get('id'):
                    Order.refresh(account, [data['id']])
            except client.AnkorstoreError as exception:
                # stored: the next poll (cron) reads what it announced
                logger.warning('Ankorstore webhook %s: %s', event_id,
                    exception)
        return account, True


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    ankorstore_retailer = fields.Char("Ankorstore Retailer ID",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('ankorstore_retailer_unique',
                Unique(t, t.ankorstore_retailer),
                'urban_ankorstore.msg_party_retailer_unique'),
            ]


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    ankorstore_orders = fields.One2Many('urban.ankorstore.order', 'sale',
        "Ankorstore Orders", readonly=True)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('urban.ankorstore.account|cron_poll',
                    "Poll Ankorstore Orders"),
                ('urban.ankorstore.account|cron_push_stock',
                    "Push the Stock to Ankorstore"),
                ])
