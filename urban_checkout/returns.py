"""Refunds of returned app orders.

When staff receive the goods of a return (urban_stock's "Receive Return"),
the returned amount (the return sale's lines, VAT included) is refunded to
the original order's payment through the same provider, under an
idempotency key per return and payment: running the return twice or
retrying a failed refund never pays the customer twice. A provider error
does not undo the return: the goods are back in stock, the refund is
recorded as failed with the provider's message and staff retry it with
the "Retry Refund" button of the return.
"""
import logging

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .payment import PaymentError

logger = logging.getLogger(__name__)


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    api_refunds = fields.One2Many('urban.api.refund', 'origin',
        "Refunds", readonly=True,
        states={'invisible': ~Eval('api_refunds')})
    api_refund_state = fields.Function(fields.Selection([
                (None, ""),
                ('pending', "Pending"),
                ('done', "Refunded"),
                ('failed', "Failed"),
                ], "Refund State",
            states={'invisible': ~Eval('api_refund_state')}),
        'get_api_refund_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'api_retry_refund': {
                    'invisible': Eval('api_refund_state') != 'failed',
                    'depends': ['api_refund_state'],
                    },
                })

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('api_refunds')
        return super().copy(sales, default=default)

    def get_api_refund_state(self, name):
        states = {r.state for r in self.api_refunds}
        for state in ['failed', 'pending', 'done']:
            if state in states:
                return state

    @classmethod
    def return_received(cls, returns):
        super().return_received(returns)
        cls.api_refund_returns(returns)

    @classmethod
    def api_refund_returns(cls, returns):
        """Refund the returned amount of return sales to the payments of
        their original app orders; returns the provider errors"""
        errors = []
        with without_check_access():
            for return_sale in cls.browse(returns):
                original = return_sale.return_origin
                if not original or return_sale.state == 'cancelled':
                    continue
                to_refund = -return_sale.total_amount
                for payment in original.api_payments:
                    if to_refund <= 0:
                        break
                    key = 'return-%s-%s' % (return_sale.id, payment.id)
                    try:
                        refund = payment.refund(amount=to_refund,
                            idempotency_key=key, origin=return_sale)
                    except PaymentError as error:
                        logger.warning("Refund of return %s failed: %s",
                            return_sale.rec_name, error)
                        errors.append(str(error))
                        break
                    if refund:
                        to_refund -= refund.amount
        return errors

    @classmethod
    @ModelView.button
    def api_retry_refund(cls, sales):
        errors = cls.api_refund_returns(sales)
        if errors:
            raise UserError(gettext('urban_checkout.msg_refund_failed',
                    error='\n'.join(errors)))
