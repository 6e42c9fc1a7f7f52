"""sale.sale as the app tells it: the customer is e-mailed and pushed when
the order is paid, ready for pickup, shipped or expired (urban_checkout
owns the order's checkout data and payments), and the idempotency records
of POST /checkout."""
import hashlib

from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from urban_checkout.history import shipment_tracking


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def api_order_paid(cls, sales):
        "The payment of orders placed at checkout succeeded: confirm it"
        from . import order_notify
        super().api_order_paid(sales)
        for sale in sales:
            if sale.api_mode:
                order_notify.send_email(sale, 'confirmation')

    @classmethod
    @ModelView.button
    def mark_ready_for_pickup(cls, sales):
        from . import order_notify
        super().mark_ready_for_pickup(sales)
        for sale in cls.browse(sales):
            if sale.api_user:
                order_notify.send_email(sale, 'ready')
                order_notify.push(sale, 'ready')

    @classmethod
    def collect_expired(cls, sales):
        "Tell app customers their uncollected order expired (and refunded)"
        from . import order_notify
        super().collect_expired(sales)
        # staff (the "Not Collected" button) may not read the customer
        with without_check_access():
            for sale in cls.browse(sales):
                if not sale.api_user:
                    continue
                extra = sale._api_expired_refund_values()
                order_notify.send_email(sale, 'expired', extra=extra)
                order_notify.push(sale, 'expired', extra=extra)


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
