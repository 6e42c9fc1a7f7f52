"""Pro orders paid online by card or Bancontact (Stripe), through the
online payments of urban_checkout (`urban.api.payment`): the pro
portal (a channel) adds this way of paying to the pro orders' rules
(urban_b2b), which know nothing of the payment providers.

The pro order is quoted (rules checked), its goods held in its shop for
the checkout hold (urban_stock), and a Stripe PaymentIntent of its total
incl. VAT started through `urban.api.payment`. It stays a quotation until
Stripe's signed webhook says the payment succeeded:
`Payment.reconcile()` then confirms it (the hold becomes the order's
reservation) and the buyer gets the pro confirmation e-mail; a failed or
cancelled payment cancels it, which releases its hold."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.b2b_payment.selection.append(('card', "Card or Bancontact"))

    def _b2b_place_card(self):
        pool = Pool()
        Reservation = pool.get('urban.stock.reservation')
        Payment = pool.get('urban.api.payment')
        from urban_stock.reservation import CHECKOUT_HOLD
        from urban_checkout.payment import PaymentError, to_cents
        sale = self.__class__(self.id)
        lines = [(product, quantity) for product, quantity
            in sorted(sale.stock_to_reserve().items())]
        if lines and sale.warehouse:
            Reservation.reserve(lines, sale.warehouse, kind='checkout',
                expires_at=dt.datetime.now() + CHECKOUT_HOLD,
                origin=sale, reference=sale.number)
        # the same order and amount ask Stripe for the same PaymentIntent
        # (a retried request does not start a second one)
        try:
            Payment.start(sale, 'stripe', None,
                idempotency_key='pro-order-%s-%s-%s' % (
                    sale.id, sale.number, to_cents(sale.total_amount)))
        except PaymentError as error:
            raise UserError(gettext('urban_b2b.msg_payment_unavailable'),
                str(error)) from error

    @property
    def b2b_card_payment(self):
        "The pending Stripe payment of a pro order paid by card, if any"
        if self.b2b_payment != 'card':
            return None
        for payment in self.api_payments:
            if payment.provider == 'stripe' and payment.state == 'pending':
                return payment
        return None

    @classmethod
    def api_order_paid(cls, sales):
        "The payment of pro orders succeeded: the pro confirmation e-mail"
        pro = [s for s in sales if s.b2b_buyer]
        for sale in pro:
            sale.b2b_send_confirmation()
        super().api_order_paid([s for s in sales if not s.b2b_buyer])
