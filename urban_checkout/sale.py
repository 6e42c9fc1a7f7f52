"""sale.sale at checkout: the cart (a draft sale of the web shop the app
and the website sell through, found by its owner or by the hash of an
opaque guest token), the order's checkout data (mode, phone, web user,
delivery) and its online payments.

Channels react to the transitions with PoolMeta: `api_order_paid` is
called once the payment of orders succeeded (the app e-mails its
confirmation, the pro portal its own)."""
import datetime as dt
import hashlib

from sql import Null

from trytond.model import Index, fields
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
        """The online payment of sales succeeded and they are confirmed:
        the goods of a click & collect order are held until its pickup.
        Channels extend it to tell their customers."""
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        from urban_stock.reservation import COLLECT_HOLD
        collect = [str(s) for s in sales if s.api_mode == 'click_collect']
        if collect:
            Reservation.write(Reservation.search([
                        ('origin', 'in', collect),
                        ('state', '=', 'reserved'),
                        ('kind', '=', 'click_collect'),
                        ]), {
                    'expires_at': dt.datetime.now() + COLLECT_HOLD,
                    })

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


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'

    api_delivery = fields.Boolean("App Delivery Cost", readonly=True,
        help="The delivery cost line of an app order.")

    @classmethod
    def default_api_delivery(cls):
        return False
