"""Payments of app orders through Stripe or Mollie.

`urban.api.payment` records the provider's payment (PaymentIntent or Mollie
payment) of a sale. The provider is the source of truth: webhooks only say
"something changed", `Payment.reconcile()` re-reads the payment from the
provider and moves the order (paid: the sale is confirmed and keeps its
reservation; failed, cancelled or expired: the sale is cancelled, which
releases its reservation). Processed webhook events are stored
(`urban.api.webhook.event`) so a replay changes nothing.
"""
import datetime as dt
import logging
from decimal import Decimal

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import mollie_provider, stripe_provider
from .migration import rehome_xml_ids

logger = logging.getLogger(__name__)

PROVIDERS = {
    'stripe': stripe_provider,
    'mollie': mollie_provider,
    }


class PaymentError(Exception):
    "The provider refused or could not be reached"

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Payment(ModelSQL, ModelView):
    "App Payment"
    __name__ = 'urban.api.payment'

    sale = fields.Many2One('sale.sale', "Sale", required=True,
        ondelete='RESTRICT', readonly=True)
    provider = fields.Selection([
            ('stripe', "Stripe"),
            ('mollie', "Mollie"),
            ], "Provider", required=True, readonly=True)
    method = fields.Char("Method", readonly=True)
    reference = fields.Char("Reference", required=True, readonly=True,
        help="PaymentIntent id (Stripe) or payment id (Mollie).")
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True)
    currency = fields.Char("Currency", required=True, readonly=True)
    state = fields.Selection([
            ('pending', "Pending"),
            ('paid', "Paid"),
            ('failed', "Failed"),
            ('cancelled', "Cancelled"),
            ('refunded', "Refunded"),
            ], "State", required=True, readonly=True)
    paid_at = fields.DateTime("Paid At", readonly=True)
    refund_reference = fields.Char("Refund Reference", readonly=True)
    checkout_url = fields.Char("Checkout URL", readonly=True)
    refunds = fields.One2Many('urban.api.refund', 'payment', "Refunds",
        readonly=True)
    payment_fingerprint = fields.Char("Payment Method Fingerprint",
        readonly=True,
        help="The provider's fingerprint of the card or account that paid "
        "(same card, same fingerprint): used by the referral abuse check.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('provider_reference_unique',
                Unique(t, t.provider, t.reference),
                'urban_checkout.msg_payment_reference_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.sale, Index.Range())))
        cls._order.insert(0, ('create_date', 'DESC'))

    @classmethod
    def __register__(cls, module_name):
        # before this module's XML files are read
        rehome_xml_ids()
        super().__register__(module_name)

    @classmethod
    def default_state(cls):
        return 'pending'

    def get_rec_name(self, name):
        return '%s %s' % (self.provider, self.reference)

    @classmethod
    def start(cls, sale, provider, method, idempotency_key=None):
        """Create the provider's payment for the sale's total; returns
        (payment record, extra dict for the app: client_secret or
        checkout_url)"""
        backend = PROVIDERS[provider]
        amount = sale.total_amount
        result = backend.create_payment(
            amount=amount, currency=sale.currency.code, method=method,
            description=sale.number or str(sale.id),
            metadata={'sale': str(sale.id), 'number': sale.number or ''},
            idempotency_key=idempotency_key)
        payment = cls(sale=sale, provider=provider, method=method,
            reference=result['reference'], amount=amount,
            currency=sale.currency.code, state='pending',
            checkout_url=result.get('checkout_url'))
        payment.save()
        return payment, result

    @classmethod
    def by_reference(cls, provider, reference):
        payments = cls.search([
                ('provider', '=', provider),
                ('reference', '=', reference),
                ], limit=1)
        return payments[0] if payments else None

    def fetch_status(self):
        "Normalised status read from the provider"
        return PROVIDERS[self.provider].fetch_status(self.reference)

    def fetch_client_secret(self):
        """What a web page needs to confirm the pending payment with the
        provider's script (Stripe.js), None for a provider without one"""
        backend = PROVIDERS[self.provider]
        if self.state != 'pending' or not hasattr(backend, 'client_secret'):
            return None
        return backend.client_secret(self.reference)

    def fetch_fingerprint(self):
        """The provider's fingerprint of the paying card or account, None
        when it gives none; best effort: never blocks the payment"""
        backend = PROVIDERS[self.provider]
        if not hasattr(backend, 'fingerprint'):
            return None
        try:
            value = backend.fingerprint(self.reference)
        except Exception:
            logger.warning("No payment fingerprint for %s", self.rec_name,
                exc_info=True)
            return None
        return ('%s:%s' % (self.provider, value))[:200] if value else None

    def reconcile(self, status=None):
        """Move payment and order to the provider's status (re-read unless
        given): paid -> sale confirmed; failed/cancelled/expired -> sale
        cancelled and reservation released. Idempotent."""
        pool = Pool()
        Sale = pool.get('sale.sale')
        ReservationError = _reservation_error()
        if status is None:
            status = self.fetch_status()
        sale = self.sale
        if status == 'paid':
            if self.state == 'pending':
                self.state = 'paid'
                self.paid_at = dt.datetime.now()
                self.payment_fingerprint = self.fetch_fingerprint()
                self.save()
            if sale.state == 'quotation':
                try:
                    # a savepoint would be nicer; confirm reserves all or
                    # nothing, so a refusal leaves no reservation behind
                    Sale.confirm([sale])
                except ReservationError:
                    # paid but the hold expired and the stock is gone
                    self.refund()
                    Sale.cancel([sale])
                    return 'refunded'
                Sale.api_order_paid([sale])
            return 'paid'
        if status in {'failed', 'cancelled', 'expired'}:
            if self.state == 'pending':
                self.state = 'cancelled' if status != 'failed' else 'failed'
                self.save()
            if sale.state in {'draft', 'quotation'} and not any(
                    p.state == 'pending' for p in sale.api_payments
                    if p.id != self.id):
                Sale.cancel([sale])
            return status
        return 'pending'

    @property
    def refunded_amount(self):
        "What the provider refunded of this payment so far"
        return sum((r.amount for r in self.refunds if r.state == 'done'),
            Decimal(0))

    def refund(self, amount=None, idempotency_key=None, origin=None):
        """Refund amount (by default all that is not refunded yet) of a
        paid payment through its provider; returns the refund record or
        None when there is nothing to refund.

        One refund per idempotency key: a key already refunded is not sent
        again, a failed one is retried with the same key (the provider
        answers a replay with the first refund), so a retry never pays
        twice. A provider error is recorded on the refund (state failed)
        and raised as PaymentError."""
        pool = Pool()
        Refund = pool.get('urban.api.refund')
        key = idempotency_key or 'refund-%s' % self.id
        refunds = Refund.search([('key', '=', key)], limit=1)
        refund = refunds[0] if refunds else None
        if refund and refund.state == 'done':
            return refund
        if self.state != 'paid':
            return None
        remaining = self.amount - self.refunded_amount
        if refund:
            amount = refund.amount
        elif amount is None:
            amount = remaining
        amount = min(Decimal(amount), remaining)
        if amount <= 0:
            return None
        if not refund:
            refund = Refund(payment=self, key=key, origin=origin)
        refund.amount = amount
        refund.currency = self.currency
        refund.state = 'pending'
        refund.error = None
        refund.save()
        try:
            reference = PROVIDERS[self.provider].refund(
                self.reference, amount, self.currency,
                idempotency_key=key)
        except PaymentError as error:
            refund.state = 'failed'
            refund.error = str(error)
            refund.save()
            raise
        refund.reference = reference
        refund.state = 'done'
        refund.save()
        self.refund_reference = reference
        if amount >= remaining:
            self.state = 'refunded'
        self.save()
        return refund

    def cancel_at_provider(self):
        "Stop a pending payment (nothing to refund)"
        if self.state != 'pending':
            return
        PROVIDERS[self.provider].cancel(self.reference)
        self.state = 'cancelled'
        self.save()


class Refund(ModelSQL, ModelView):
    """App Payment Refund

    One refund asked to the provider, under its idempotency key: a whole
    payment (order cancelled or expired uncollected, origin the order) or
    the returned goods of a return sale (origin the return)."""
    __name__ = 'urban.api.refund'

    payment = fields.Many2One('urban.api.payment', "Payment", required=True,
        ondelete='RESTRICT', readonly=True)
    origin = fields.Reference("Origin", selection=[
            (None, ""),
            ('sale.sale', "Sale"),
            ], readonly=True)
    key = fields.Char("Idempotency Key", required=True, readonly=True,
        strip=False, loading='lazy')
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True)
    currency = fields.Char("Currency", required=True, readonly=True)
    state = fields.Selection([
            ('pending', "Pending"),
            ('done', "Refunded"),
            ('failed', "Failed"),
            ], "State", required=True, readonly=True)
    reference = fields.Char("Refund Reference", readonly=True)
    error = fields.Text("Error", readonly=True,
        states={'invisible': ~Eval('error')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('key_unique', Unique(t, t.key),
                'urban_checkout.msg_refund_key_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.payment, Index.Range())))
        cls._order.insert(0, ('create_date', 'DESC'))

    @classmethod
    def default_state(cls):
        return 'pending'


def _reservation_error():
    from urban_stock.reservation import ReservationError
    return ReservationError


class WebhookEvent(ModelSQL, ModelView):
    "App Payment Webhook Event"
    __name__ = 'urban.api.webhook.event'

    provider = fields.Char("Provider", required=True, readonly=True)
    event = fields.Char("Event", required=True, readonly=True)
    kind = fields.Char("Kind", readonly=True)
    result = fields.Char("Result", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('provider_event_unique', Unique(t, t.provider, t.event),
                'urban_checkout.msg_webhook_event_unique'),
            ]
        cls._order.insert(0, ('create_date', 'DESC'))

    @classmethod
    def seen(cls, provider, event_id):
        "Lock and tell whether the event was already processed"
        transaction = Transaction()
        if transaction.database.flavor.paramstyle == 'format':
            transaction.connection.cursor().execute(
                'SELECT pg_advisory_xact_lock(hashtext(%s))',
                ('%s|%s' % (provider, event_id),))
        return bool(cls.search([
                    ('provider', '=', provider),
                    ('event', '=', event_id),
                    ], limit=1))

    @classmethod
    def record(cls, provider, event_id, kind, result):
        cls.create([{
                    'provider': provider, 'event': event_id, 'kind': kind,
                    'result': result,
                    }])


def to_cents(amount):
    return int((Decimal(amount) * 100).quantize(Decimal(1)))
