"""Customer accounts of the app: marketing consent on the party and the
GDPR operations (export, erasure) of a web user.

urban_loyalty has no consent model yet, so the consent is a boolean on the
party with the time of its last change (shown in the back office)."""
import datetime as dt

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    marketing_consent = fields.Boolean("Marketing Consent",
        help="The customer agreed to receive news and offers by e-mail.")
    marketing_consent_date = fields.Timestamp("Marketing Consent Changed",
        readonly=True)

    @classmethod
    def default_marketing_consent(cls):
        return False

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'marketing_consent' in values:
            values.setdefault('marketing_consent_date', dt.datetime.now())
        return values

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('marketing_consent', False)
        default.setdefault('marketing_consent_date', None)
        return super().copy(parties, default=default)


def export_user(user):
    """The data kept about a web user's party: identity, addresses,
    contacts, consents, orders and conversations with the shops (dict ready
    for schemas_auth.Export)"""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Conversation = pool.get('urban.service.conversation')
    party = user.party
    orders = []
    if party:
        for sale in Sale.search([('party', '=', party.id)],
                order=[('id', 'ASC')]):
            orders.append({
                    'id': sale.id,
                    'number': sale.number,
                    'date': sale.sale_date.isoformat()
                    if sale.sale_date else None,
                    'state': sale.state,
                    'total': str(sale.total_amount or 0),
                    'currency': sale.currency.code,
                    'lines': [{
                            'product': (line.product.rec_name
                                if line.product else line.description),
                            'quantity': float(line.quantity or 0),
                            'unit_price': str(line.unit_price or 0),
                            } for line in sale.lines if line.type == 'line'],
                    })
    return {
        'party': {
            'id': party.id, 'name': party.name, 'code': party.code,
            'language': party.lang.code if party.lang else None,
            'created_at': party.create_date.isoformat(),
            } if party else {},
        'addresses': [{
                'street': a.street or None,
                'postal_code': a.postal_code or None,
                'city': a.city or None,
                'country': a.country.code if a.country else None,
                } for a in (party.addresses if party else [])],
        'contacts': [{'type': c.type, 'value': c.value}
            for c in (party.contact_mechanisms if party else [])],
        'orders': orders,
        'conversations': Conversation.export_party(party) if party else [],
        }


def erase_user(user):
    """Close the account: sessions dropped, the web user deactivated without
    e-mail nor password, the party deactivated and anonymised by Tryton's
    party.erase (name, addresses, contacts, identifiers, attachments) while
    its orders and invoices stay for the accounts. Refused (UserError) while
    an order is still open.

    Only the customer's own party is erased: a buyer of a pro company
    (urban_b2b) is removed by `erase_b2b_buyers` and a party that other
    web users share stays; the user's login and sessions go either way."""
    pool = Pool()
    Session = pool.get('web.user.session')
    WebUser = pool.get('web.user')
    Party = pool.get('party.party')
    Erase = pool.get('party.erase', type='wizard')
    if getattr(user, 'b2b_buyer', False):
        WebUser.erase_b2b_buyers([user])
        return
    Session.delete(Session.search([('user', '=', user.id)]))
    party = user.party
    if party and WebUser.search([
                ('party', '=', party.id),
                ('id', '!=', user.id),
                ], limit=1):
        party = None
    WebUser.write([user], {
            'active': False, 'email': None, 'password_hash': None,
            'email_token': None, 'reset_password_token': None,
            'email_valid': False,
            })
    if party:
        Party.write([party], {'active': False, 'marketing_consent': False})
        session_id, _, _ = Erase.create()
        erase = Erase(session_id)
        erase.ask.party = party
        with Transaction().set_context(active_test=False):
            erase.transition_erase()
        Erase.delete(session_id)


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # secrets are read by the administrators only (security.xml): a
        # client reading a whole web user (proteus) must not ask for them
        for name in ['password_hash', 'email_token', 'reset_password_token',
                'reset_password_token_expire']:
            getattr(cls, name).loading = 'lazy'
