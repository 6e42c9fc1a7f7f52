"""Pro companies (parties approved for the pro channel) and their buyers
(web users of the company's party: a company can have several)."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    b2b_state = fields.Selection([
            (None, ""),
            ('approved', "Approved"),
            ('suspended', "Suspended"),
            ], "Pro Account",
        help="Only the buyers of an approved pro company can log in to "
        "the pro portal.")
    b2b_category = fields.Many2One('urban.b2b.category', "Pro Category",
        ondelete='RESTRICT',
        states={'required': Eval('b2b_state') == 'approved'})
    b2b_buyers = fields.One2Many('web.user', 'party', "Pro Buyers",
        readonly=True,
        states={'invisible': ~Eval('b2b_state')})

    @property
    def b2b_approved(self):
        return self.b2b_state == 'approved' and bool(self.b2b_category)

    def b2b_price_list(self):
        """The pro price list: the company's own (sale price list of the
        party), else its category's"""
        own = self.sale_price_list
        if own:
            return own
        return self.b2b_category.price_list if self.b2b_category else None

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('b2b_state')
        default.setdefault('b2b_buyers')
        return super().copy(parties, default=default)


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    @property
    def b2b_company(self):
        "The approved pro company of the buyer, else None"
        if self.active and self.party and self.party.b2b_approved:
            return self.party
        return None
