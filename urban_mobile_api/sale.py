"""sale.sale as seen by the app: the cart (a draft sale of the app's web
shop, found by its owner or by the hash of an opaque guest token), the
order's channel data (mode, phone, web user) and the idempotency records of
POST /checkout."""
import hashlib

from sql import Null

from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    api_user = fields.Many2One('web.user', "App User", readonly=True,
        ondelete='RESTRICT',
        help="The app customer who owns this cart or order.")
    api_cart_token = fields.Char("Cart Token Hash", readonly=True,
        strip=False, loading='lazy',
        help="SHA-256 of the guest cart token (the token itself is only "
        "known by the app).")
    api_mode = fields.Selection([
            (None, ""),
            ('click_collect', "Click & Collect"),
            ('delivery', "Home Delivery"),
            ], "App Mode", readonly=True)
    api_phone = fields.Char("Customer Phone", readonly=True)
    api_shipping_method = fields.Char("Shipping Method", readonly=True,
        states={'invisible': Eval('api_mode') != 'delivery'})
    api_service_point = fields.Char("Service Point", readonly=True,
        states={'invisible': Eval('api_mode') != 'delivery'})
    api_service_point_name = fields.Char("Service Point Address",
        readonly=True,
        states={'invisible': ~Eval('api_service_point')},
        help="Name and address of the service point, as Sendcloud gave "
        "them when the order was placed.")
    api_payments = fields.One2Many('urban.api.payment', 'sale',
        "App Payments", readonly=True)
    api_order_token = fields.Char("Order Page Token Hash", readonly=True,
        strip=False, loading='lazy',
        help="SHA-256 of the token of the order's page on the website "
        "(guest checkout): only its buyer knows the token.")
    terms_version = fields.Char("Accepted Terms", readonly=True,
        help="Version of the general terms of sale the customer accepted "
        "when placing the order.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.api_cart_token, Index.Equality()),
                    where=t.state == 'draft'),
                Index(t, (t.api_user, Index.Range()),
                    where=t.api_user != None),  # noqa: E711
                Index(t, (t.api_order_token, Index.Equality()),
                    where=t.api_order_token != None),  # noqa: E711
                })

    @classmethod
    def channel_cases(cls, table):
        # orders placed through the app's checkout
        return super().channel_cases(table) + [
            (table.api_mode != Null, 'app')]

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('api_cart_token')
        default.setdefault('api_order_token')
        default.setdefault('terms_version')
        default.setdefault('api_payments')
        return super().copy(sales, default=default)

    @property
    def api_paid(self):
        return any(p.state == 'paid' for p in self.api_payments)

    @classmethod
    def api_order_paid(cls, sales):
        "The app's payment of sales succeeded: confirm it to the customer"
        from . import order_notify
        for sale in sales:
            order_notify.send_email(sale, 'confirmation')

    @classmethod
    def api_cancel_processed(cls, sales):
        """Close sales cancelled by the customer after Tryton processed
        them (their shipments are cancelled): draft invoices are cancelled
        and the cancelled moves and invoices ignored, so the sale ends."""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('sale.line')
        invoices = [i for s in sales for i in s.invoices
            if i.state == 'draft']
        if invoices:
            Invoice.cancel(invoices)
        for sale in cls.browse(sales):
            cls.write([sale], {'invoices_ignored': [('add', [
                                i.id for i in sale.invoices
                                if i.state == 'cancelled'])]})
            for line in sale.lines:
                moves = [m.id for m in line.moves if m.state == 'cancelled']
                if moves:
                    Line.write([line], {'moves_ignored': [('add', moves)]})
        cls.release_stock(sales)
        cls.process(cls.browse(sales))

    @classmethod
    @ModelView.button
    def mark_ready_for_pickup(cls, sales):
        from . import order_notify
        super().mark_ready_for_pickup(sales)
        for sale in cls.browse(sales):
            if sale.api_user:
                order_notify.send_email(sale, 'ready')
                order_notify.push(sale, 'ready')


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'

    api_delivery = fields.Boolean("App Delivery Cost", readonly=True,
        help="The delivery cost line of an app order.")

    @classmethod
    def default_api_delivery(cls):
        return False


class ShipmentOut(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out'

    @classmethod
    @ModelView.button
    @Workflow.transition('shipped')
    def ship(cls, shipments):
        super().ship(shipments)
        cls._api_notify_shipped(shipments)

    @classmethod
    def _api_notify_shipped(cls, shipments):
        "Tell app customers their delivered order left the shop"
        from . import order_notify
        Sale = Pool().get('sale.sale')
        for shipment in shipments:
            sales = {m.sale for m in shipment.outgoing_moves
                if getattr(m, 'sale', None)}
            for sale in sales:
                sale = Sale(sale.id)
                if sale.api_user and sale.api_mode == 'delivery':
                    tracking = shipment_tracking(shipment)
                    order_notify.send_email(sale, 'shipped', tracking)
                    order_notify.push(sale, 'shipped', tracking)


def shipment_tracking(shipment):
    "Tracking references or URLs of a shipment's packages, if any"
    refs = []
    for package in getattr(shipment, 'root_packages', None) or []:
        value = (getattr(package, 'shipping_tracking_url', None)
            or getattr(package, 'shipping_reference', None))
        if value:
            refs.append(value)
    return ', '.join(refs) or None


class IdempotencyKey(ModelSQL):
    """API Idempotency Key

    The answer of a request sent with an Idempotency-Key header: the same
    key with the same body gets the same answer, another body a 409."""
    __name__ = 'urban.api.idempotency'

    scope = fields.Char("Scope", required=True,
        help="Endpoint and caller (web user) the key belongs to.")
    key = fields.Char("Key", required=True, strip=False)
    request_hash = fields.Char("Request Hash", required=True)
    status = fields.Integer("Status", required=True)
    response = fields.Text("Response", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('scope_key_unique', Unique(t, t.scope, t.key),
                'urban_mobile_api.msg_idempotency_key_unique'),
            ]

    @classmethod
    def lookup(cls, scope, key):
        records = cls.search([('scope', '=', scope), ('key', '=', key)],
            limit=1)
        return records[0] if records else None

    @classmethod
    def lock_key(cls, scope, key):
        """Serialise concurrent requests with the same key until the end of
        the transaction (PostgreSQL advisory lock)"""
        from trytond.transaction import Transaction
        transaction = Transaction()
        if transaction.database.flavor.paramstyle == 'format':
            digest = hashlib.sha256(('%s|%s' % (scope, key)).encode())
            value = int.from_bytes(digest.digest()[:8], 'big', signed=True)
            transaction.connection.cursor().execute(
                'SELECT pg_advisory_xact_lock(%s)', (value,))


def app_sales_domain(user):
    "Orders of a web user through the app (not carts)"
    return [
        ('api_user', '=', user.id),
        ('state', 'not in', ['draft']),
        ('return_state', '=', None),
        ]

