"""The analytics filters a user keeps: the shop and channel the KPIs, the
dashboards and the manager's home show until changed, set once in the
user's preferences (they travel in the user's context, as the company
does)."""
from trytond.model import fields
from trytond.pool import PoolMeta

from . import facts


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    analytics_shop = fields.Many2One('stock.location', "Analytics Shop",
        domain=[('type', '=', 'warehouse')],
        help="The shop the analytics and the manager's home show "
        "(all shops when empty).")
    analytics_channel = fields.Selection([(None, "")] + facts.CHANNELS,
        "Analytics Channel",
        help="The channel the analytics and the manager's home show "
        "(all channels when empty).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for name in ['analytics_shop', 'analytics_channel']:
            cls._preferences_fields.append(name)
            cls._context_fields.append(name)
