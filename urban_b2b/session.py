"""Session scopes: a web user's session opened by the pro portal, one
opened by the app's API and one opened by the site's customer account are
not interchangeable. A session carries its scope; `get_user(key)` (what
bearer tokens are checked with) only accepts the app's customer sessions,
the pro portal only pro sessions, the site only site sessions
(`Session.add(user, scope='pro')`, searched by scope)."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.transaction import Transaction

SCOPES = [
    ('customer', "Customer"),
    ('pro', "Pro Portal"),
    ('site', "Website Account"),
    ]


class UserSession(metaclass=PoolMeta):
    __name__ = 'web.user.session'

    scope = fields.Selection(SCOPES, "Scope", required=True, readonly=True)

    @classmethod
    def default_scope(cls):
        return Transaction().context.get('web_session_scope') or 'customer'

    @classmethod
    def add(cls, user, scope='customer'):
        "A new session key of user for scope"
        with Transaction().set_context(web_session_scope=scope):
            return super().add(user)

    @classmethod
    def get_user(cls, session, scope='customer'):
        "The user of a valid session key of scope, else None"
        if not cls.search([
                    ('key', '=', session),
                    ('scope', '=', scope),
                    ], limit=1):
            return None
        return super().get_user(session)
