"""Pro companies (parties approved for the pro channel) and their buyers
(web users of the company's party: a company can have several)."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction


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

    @property
    def b2b_buyer(self):
        "Whether the user buys for a pro company (approved or suspended)"
        return bool(self.party and self.party.b2b_state)

    @classmethod
    def erase_b2b_buyers(cls, users):
        """Remove buyers of pro companies (GDPR erasure of a buyer): their
        sessions, their login (the web user is deactivated without e-mail
        nor password) and the personal data kept about them (the company's
        contact mechanisms of their e-mail or phone, the contact details of
        their applications). The company party, its other buyers, orders
        and invoices stay: they are the company's, not the buyer's."""
        pool = Pool()
        Session = pool.get('web.user.session')
        Contact = pool.get('party.contact_mechanism')
        Application = pool.get('urban.b2b.application')
        user_ids = [u.id for u in users]
        Session.delete(Session.search([('user', 'in', user_ids)]))
        with Transaction().set_context(active_test=False):
            applications = Application.search(['OR',
                    ('user', 'in', user_ids),
                    ('email', 'in', [u.email for u in users if u.email]),
                    ])
            values = {u.email for u in users if u.email}
            values |= {a.email for a in applications if a.email}
            values |= {a.phone for a in applications if a.phone}
            parties = [u.party.id for u in users if u.party]
            contacts = Contact.search([
                    ('party', 'in', parties),
                    ('value', 'in', sorted(values)),
                    ]) if parties and values else []
        Contact.delete(contacts)
        for application in applications:
            Application.write([application], {
                    'contact_name': '-',
                    'email': 'erased-%s@invalid.invalid' % application.id,
                    'phone': None,
                    'password_hash': None,
                    })
        cls.write(list(users), {
                'active': False, 'email': None, 'password_hash': None,
                'email_token': None, 'reset_password_token': None,
                'email_valid': False,
                })
