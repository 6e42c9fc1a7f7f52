"""Settings of the pro channel: minimum order amount, payment terms of the
30-day invoice, session lifetime of the pro portal."""
from decimal import Decimal

from trytond.model import ModelSingleton, ModelSQL, ModelView, fields


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "B2B Configuration"
    __name__ = 'urban.b2b.configuration'

    minimum_order_amount = fields.Numeric("Minimum Order Amount",
        digits=(16, 2), required=True,
        help="Untaxed amount below which a pro order is refused.")
    invoice_payment_term = fields.Many2One('account.invoice.payment_term',
        "Invoice Payment Term",
        help="The term of the orders paid on invoice (30 days).")
    session_hours = fields.Integer("Pro Session Hours", required=True,
        help="A pro session ends after this many hours without activity.")
    manager_email = fields.Char("Manager E-mail",
        help="Where new applications are announced.")

    @classmethod
    def default_minimum_order_amount(cls):
        return Decimal('150.00')

    @classmethod
    def default_session_hours(cls):
        return 8
