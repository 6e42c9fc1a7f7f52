# The engagement settings of the company: how many points a euro earns, what
# a reward costs, which coupons carry the reward and referral discounts, and
# the throttles of the nudges, campaigns and cart reminders.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Loyalty Configuration"
    __name__ = 'urban.loyalty.configuration'

    points_per_euro = fields.Numeric("Points per Euro", digits=(16, 2),
        required=True,
        help="Points earned per euro (tax included) of a B2C purchase.")
    reward_points = fields.Integer("Reward Points", required=True,
        help="Points a customer spends for one reward coupon.")
    reward_coupon = fields.Many2One('sale.promotion.coupon', "Reward Coupon",
        ondelete='RESTRICT',
        help="The coupon (and its promotion's discount) under which a "
        "single-use number is created for each redemption.")
    referral_coupon = fields.Many2One('sale.promotion.coupon',
        "Referral Coupon", ondelete='RESTRICT',
        help="The coupon (e.g. -10 %) under which each customer's personal "
        "referral code is created; the friend uses it on a first order.")
    referral_points = fields.Integer("Referral Points", required=True,
        help="Points the referrer earns after the friend's first order.")
    review_interval = fields.Integer("Review Nudge Interval", required=True,
        help="At most one review nudge per customer in this many months.")
    campaign_interval = fields.Integer("Campaign Interval", required=True,
        help="At most one push campaign per customer in this many days.")
    campaign_batch = fields.Integer("Campaign Batch", required=True,
        help="At most this many customers are sent to per cron run.")
    cart_reminder_delay = fields.Integer("Cart Reminder Delay",
        required=True, help="Hours after which an idle cart is reminded.")
    company = fields.Function(fields.Many2One('company.company', "Company"),
        'get_company')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for name in ['reward_coupon', 'referral_coupon']:
            getattr(cls, name).domain = [
                ('company', '=', Eval('context', {}).get('company', -1)),
                ]

    @classmethod
    def default_points_per_euro(cls):
        from decimal import Decimal
        return Decimal(1)

    @classmethod
    def default_reward_points(cls):
        return 100

    @classmethod
    def default_referral_points(cls):
        return 100

    @classmethod
    def default_review_interval(cls):
        return 6

    @classmethod
    def default_campaign_interval(cls):
        return 3

    @classmethod
    def default_campaign_batch(cls):
        return 500

    @classmethod
    def default_cart_reminder_delay(cls):
        return 24

    def get_company(self, name):
        from trytond.transaction import Transaction
        return Transaction().context.get('company')


def get_config():
    return Pool().get('urban.loyalty.configuration')(1)
