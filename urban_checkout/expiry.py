"""Click & collect app orders that expire uncollected.

urban_stock expires an order ready for pickup that its customer did not
collect in time (staff's "Not Collected" button or the hourly cron
`sale.sale|expire_pickups`): its goods are back on sale and its invoice
settled, then `Sale.collect_expired` is called. For orders paid online
this module then refunds what was paid, in full, to the payment it came
from (Stripe or Mollie) under one idempotency key per order and payment,
so a retry, the button clicked again or the next cron run never refunds
twice (urban_mobile_api extends `collect_expired` to tell the app's
customer by e-mail and push in their language).

A provider error does not undo the expiry: the refund is recorded as
failed with the provider's message; the next cron run tries it again, and
staff may with the "Retry Refund" button.
"""
import logging
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.pool import PoolMeta
from trytond.transaction import without_check_access

from .payment import PaymentError

logger = logging.getLogger(__name__)


def refund_key(sale, payment):
    return 'expired-%s-%s' % (sale.id, payment.id)


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def collect_expired(cls, sales):
        super().collect_expired(sales)
        cls.api_refund_expired(sales)

    def _api_expired_refund_values(self):
        """{refunded: amount the provider refunded, refunding: amount whose
        refund is still to be made} of the expiry, as texts"""
        done = pending = Decimal(0)
        for payment in self.api_payments:
            refunds = [r for r in payment.refunds
                if r.key == refund_key(self, payment)]
            for refund in refunds:
                if refund.state == 'done':
                    done += refund.amount
                else:
                    pending += refund.amount
        currency = self.currency.code

        def text(amount):
            return '%s %s' % (amount, currency) if amount else None
        return {'refunded': text(done), 'refunding': text(pending)}

    @classmethod
    def api_refund_expired(cls, sales):
        """Refund in full the app payments of expired click & collect
        sales; returns the provider errors"""
        errors = []
        with without_check_access():
            for sale in cls.browse(sales):
                if sale.collect_state != 'expired':
                    continue
                for payment in sale.api_payments:
                    try:
                        payment.refund(
                            idempotency_key=refund_key(sale, payment),
                            origin=sale)
                    except PaymentError as error:
                        logger.warning(
                            "Refund of expired order %s failed: %s",
                            sale.rec_name, error)
                        errors.append(str(error))
        return errors

    @classmethod
    def expire_pickups(cls):
        sales = super().expire_pickups()
        # the refunds the provider refused at a previous run: again
        failed = cls.search([
                ('collect_state', '=', 'expired'),
                ('api_refunds.state', '=', 'failed'),
                ('id', 'not in', [s.id for s in sales]),
                ], order=[])
        if failed:
            cls.api_refund_expired(failed)
        return sales

    @classmethod
    @ModelView.button
    def api_retry_refund(cls, sales):
        expired = [s for s in sales if s.collect_state == 'expired']
        errors = cls.api_refund_expired(expired)
        if errors:
            raise UserError(gettext(
                    'urban_checkout.msg_expired_refund_failed',
                    error='\n'.join(errors)))
        super().api_retry_refund([s for s in sales if s not in expired])
