# The customer service settings, on the sales configuration: the shop that
# answers when neither an order nor the customer names one (the head
# office), and after how long an unanswered conversation is a problem on
# the orders dashboard.
from trytond.model import fields
from trytond.pool import PoolMeta

UNANSWERED_HOURS = 24


class Configuration(metaclass=PoolMeta):
    __name__ = 'sale.configuration'

    service_head_office = fields.Many2One('stock.location',
        "Customer Service Head Office",
        domain=[('type', '=', 'warehouse')],
        help="The shop that answers the customers who write about no "
        "order and have no favourite or usual shop.")
    service_unanswered_hours = fields.Integer(
        "Customer Service Answer Delay",
        domain=['OR',
            ('service_unanswered_hours', '=', None),
            ('service_unanswered_hours', '>=', 1),
            ],
        help="Hours after which a conversation waiting for the shop's "
        "answer shows in the orders dashboard's problems.")

    @classmethod
    def default_service_unanswered_hours(cls):
        return UNANSWERED_HOURS
