# Coupon rules of the engagement programme, enforced where a sale is quoted
# (the app, the web shop and the back office all quote):
# - a first-order coupon (shop QR code, referral code) is only for a customer
#   with no earlier order, and only once across all first-order coupons;
# - a number reserved for a customer (a redeemed reward) is only theirs;
# - a personal referral code cannot be used by its own referrer;
# - the shop whose first-order code was used is kept on the sale.
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta

ORDER_STATES = ['quotation', 'confirmed', 'processing', 'done']


class PromotionCoupon(metaclass=PoolMeta):
    __name__ = 'sale.promotion.coupon'

    first_order = fields.Boolean("First Order Only",
        help="Its numbers apply only to a customer's first order, and a "
        "customer uses at most one first-order number.")

    @classmethod
    def default_first_order(cls):
        return False


class PromotionCouponNumber(metaclass=PoolMeta):
    __name__ = 'sale.promotion.coupon.number'

    party = fields.Many2One('party.party', "Reserved For",
        ondelete='CASCADE',
        help="Only this customer may use the number (redeemed rewards).")
    referrer = fields.Many2One('party.party', "Referrer", ondelete='CASCADE',
        help="The customer whose personal referral code this is.")


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    attribution_shop = fields.Many2One('stock.location', "Attributed Shop",
        readonly=True, ondelete='SET NULL',
        domain=[('type', '=', 'warehouse')],
        help="The shop whose QR code's first-order code the customer used.")
    referrer = fields.Many2One('party.party', "Referred By", readonly=True,
        ondelete='SET NULL')

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('attribution_shop')
        default.setdefault('referrer')
        return super().copy(sales, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('quotation')
    def quote(cls, sales):
        cls.check_engagement_coupons(sales)
        super().quote(sales)

    @classmethod
    def check_engagement_coupons(cls, sales):
        """Refuse the coupon numbers a sale's customer may not use and
        record the attributed shop and referrer"""
        pool = Pool()
        Location = pool.get('stock.location')
        to_write = []
        for sale in sales:
            values = {'attribution_shop': None, 'referrer': None}
            for number in sale.coupons:
                sale.check_coupon_number(number)
                if number.coupon.first_order:
                    shops = Location.search([
                            ('first_order_code', '=', number.id),
                            ], limit=1)
                    if shops:
                        values['attribution_shop'] = shops[0].id
                if number.referrer:
                    values['referrer'] = number.referrer.id
            firsts = [n for n in sale.coupons if n.coupon.first_order]
            if len(firsts) > 1:
                raise ValidationError(gettext(
                        'urban_loyalty.msg_coupon_first_order',
                        number=firsts[1].number))
            to_write.extend([[sale], values])
        if to_write:
            cls.write(*to_write)

    def check_coupon_number(self, number):
        """Raise ValidationError when the sale's customer may not use the
        coupon number (channels call it when a code is entered)"""
        if number.party and number.party != self.party:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_coupon_reserved',
                    number=number.number))
        if number.referrer and number.referrer == self.party:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_referral_own_code',
                    number=number.number))
        if number.coupon.first_order and self.party_has_ordered():
            raise ValidationError(gettext(
                    'urban_loyalty.msg_coupon_first_order',
                    number=number.number))

    def party_has_ordered(self):
        "Whether the sale's customer has another (non-cancelled) order"
        return bool(self.search([
                    ('party', '=', self.party.id),
                    ('id', '!=', self.id),
                    ('state', 'in', ORDER_STATES),
                    ], limit=1))
