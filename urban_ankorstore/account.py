"""Ankorstore accounts (one per brand) and their cached access token.

The client id is a field; the client secret and the webhook subscription's
secret come from the environment (<PREFIX>_CLIENT_SECRET,
<PREFIX>_WEBHOOK_SECRET, PREFIX = `credential_env`), never from a field, as
the POS bridge reads its till credentials (or, failing that, from the
configuration's [urban_ankorstore] client_secret / webhook_secret, which
trytond also takes from its environment). The access token lives in a row
of its own (urban.ankorstore.token), readable by administrators only; it is
renewed `token_renew_margin` seconds before it expires (the token endpoint
allows 60 calls an hour), never fetched per call."""
import datetime as dt
import logging
import os

from trytond.config import config
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import client

logger = logging.getLogger(__name__)


def renew_margin():
    return dt.timedelta(seconds=config.getint(
            'urban_ankorstore', 'token_renew_margin', default=300))


class Account(DeactivableMixin, ModelSQL, ModelView):
    "Ankorstore Account"
    __name__ = 'urban.ankorstore.account'

    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='RESTRICT')
    base_url = fields.Char("API Base URL",
        help="Empty: [urban_ankorstore] url of the configuration, else "
        "https://www.ankorstore.com.")
    client_id = fields.Char("Client ID", required=True)
    credential_env = fields.Char("Credentials Environment Prefix",
        required=True,
        help="The client secret and the webhook secret are read from "
        "<PREFIX>_CLIENT_SECRET and <PREFIX>_WEBHOOK_SECRET.")
    warehouse = fields.Many2One('stock.location', "Warehouse", required=True,
        ondelete='RESTRICT', domain=[('type', '=', 'warehouse')],
        help="Where the orders are reserved and shipped from (the central "
        "stock room).")
    orders_cursor = fields.Char("Orders Cursor", readonly=True,
        help="The last master order read: polling goes on after it.")
    last_poll_at = fields.DateTime("Last Poll", readonly=True)
    last_error = fields.Text("Last Error", readonly=True)
    orders = fields.One2Many('urban.ankorstore.order', 'account', "Orders",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'poll': {},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_credential_env(cls):
        return 'ANKORSTORE'

    @classmethod
    def default_warehouse(cls):
        "The central stock room first (fulfils online, not a shop)"
        Location = Pool().get('stock.location')
        for domain in [
                [('fulfils_online', '=', True), ('shop', '=', False)],
                [('fulfils_online', '=', True)],
                []]:
            warehouses = Location.search(
                [('type', '=', 'warehouse')] + domain, order=[('id', 'ASC')],
                limit=1)
            if warehouses:
                return warehouses[0].id

    @classmethod
    def validate_fields(cls, accounts, field_names):
        super().validate_fields(accounts, field_names)
        for account in accounts:
            if not account.credential_env.replace('_', '').isalnum():
                raise ValidationError(gettext(
                        'urban_ankorstore.msg_account_credential_env',
                        account=account.rec_name))

    # --- configuration ------------------------------------------------------
    def _env(self, suffix):
        """<PREFIX>_<SUFFIX> from the environment, else [urban_ankorstore]
        <suffix> of the configuration (TRYTOND_URBAN_ANKORSTORE__<SUFFIX>)"""
        return (os.environ.get('%s_%s' % (self.credential_env, suffix))
            or config.get('urban_ankorstore', suffix.lower(), default=None))

    def get_base_url(self):
        return (self.base_url or config.get('urban_ankorstore', 'url',
                default=None) or 'https://www.ankorstore.com')

    def get_webhook_secret(self):
        return self._env('WEBHOOK_SECRET')

    # --- token --------------------------------------------------------------
    def access_token(self, refused=None):
        """A valid access token: the cached one unless it expires within
        the margin or Ankorstore refused it (refused)"""
        Token = Pool().get('urban.ankorstore.token')
        token, expires = Token.current(self)
        now = dt.datetime.utcnow()
        if (token and token != refused and expires
                and expires - now > renew_margin()):
            return token
        secret = self._env('CLIENT_SECRET')
        if not secret:
            raise client.Unauthorized(gettext(
                    'urban_ankorstore.msg_account_no_secret',
                    account=self.rec_name,
                    variable='%s_CLIENT_SECRET' % self.credential_env))
        token, expires = client.fetch_token(
            self.get_base_url(), self.client_id, secret)
        Token.store(self, token, expires)
        logger.info('Ankorstore account %s: token renewed (expires %s)',
            self.id, expires)
        return token

    @property
    def client(self):
        return client.Client(self.get_base_url(), self.access_token)

    # --- polling ------------------------------------------------------------
    @classmethod
    @ModelView.button
    def poll(cls, accounts):
        "Read the orders placed since the cursor; returns the new orders"
        Order = Pool().get('urban.ankorstore.order')
        new = []
        for account in accounts:
            with Transaction().set_context(company=account.company.id):
                try:
                    new += Order.poll(account)
                except client.AnkorstoreError as exception:
                    logger.warning('Ankorstore account %s: %s',
                        account.id, exception)
                    cls.write([account], {'last_error': str(exception)})
        return new

    @classmethod
    def cron_poll(cls):
        cls.poll(cls.search([]))


class Token(ModelSQL):
    "Ankorstore Access Token"
    __name__ = 'urban.ankorstore.token'

    account = fields.Many2One('urban.ankorstore.account', "Account",
        required=True, ondelete='CASCADE')
    access_token = fields.Char("Access Token", strip=False)
    expires = fields.DateTime("Expires")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('account_unique', Unique(t, t.account),
                'urban_ankorstore.msg_token_unique'),
            ]

    @classmethod
    def current(cls, account):
        "(access token, expiry) stored for account (no access check)"
        t = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*t.select(t.access_token, t.expires,
                where=t.account == account.id))
        row = cursor.fetchone()
        return row if row else (None, None)

    @classmethod
    def store(cls, account, token, expires):
        with Transaction().set_context(_check_access=False):
            records = cls.search([('account', '=', account.id)])
            if records:
                cls.write(records, {'access_token': token,
                        'expires': expires})
            else:
                cls.create([{'account': account.id, 'access_token': token,
                            'expires': expires}])
