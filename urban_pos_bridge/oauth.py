"""OAuth tokens of the till accounts: the access token and its expiry, the
refresh token that renews it.

They live in a row of their own per account, not on the account: a renewal
commits in a transaction of its own (the till has revoked the refresh token
used, the new one must survive whatever happens to the job that needed
it), and the jobs that update the account row (cursors, failures) while it
renews would otherwise conflict with it (PostgreSQL's repeatable read).

A renewal locks its row (SELECT ... FOR UPDATE, read committed): a second
job needing one waits for the first and takes the token it stored instead
of spending the refresh token the first one rotated. The application's
client id and secret come from the environment or the configuration, never
from a field."""
import datetime as dt
import logging

from sql import For

from trytond.config import config
from trytond.i18n import gettext
from trytond.model import ModelSQL, Unique, fields
from trytond.transaction import Transaction

from urban_stock.reservation import read_committed

from . import connectors

logger = logging.getLogger(__name__)
#: (database, account id): (access token, expiry) renewed by this process,
#: newer than what a transaction that started before may read
_renewed = {}


def renew_margin():
    "An access token is renewed this long before it expires"
    return dt.timedelta(seconds=config.getint(
            'urban_pos_bridge', 'token_renew_margin', default=600))


class AccountOAuth(ModelSQL):
    "POS Account OAuth Tokens"
    __name__ = 'urban.pos.account.oauth'

    account = fields.Many2One('urban.pos.account', "Account", required=True,
        ondelete='CASCADE')
    access_token = fields.Char("Access Token", strip=False)
    refresh_token = fields.Char("Refresh Token", strip=False)
    expires = fields.DateTime("Access Token Expires")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('account_unique', Unique(t, t.account),
                'urban_pos_bridge.msg_account_oauth_unique'),
            ]

    @classmethod
    def read_values(cls, account_ids):
        "{account id: (access token, refresh token, expiry)}"
        t = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*t.select(t.account, t.access_token, t.refresh_token,
                t.expires, where=t.account.in_(list(account_ids))))
        return {a: (access, refresh, expires)
            for a, access, refresh, expires in cursor}

    @classmethod
    def set_values(cls, account_ids, create=True, **values):
        """Store values (access_token, refresh_token, expires) of accounts
        (create: also for those without tokens yet)"""
        existing = {r.account.id: r for r in cls.search([
                    ('account', 'in', list(account_ids)),
                    ])}
        to_write = [existing[a] for a in account_ids if a in existing]
        if to_write:
            cls.write(to_write, values)
        to_create = [dict(values, account=a) for a in account_ids
            if a not in existing]
        if to_create and create:
            cls.create(to_create)
        database = Transaction().database.name
        for account_id in account_ids:
            _renewed.pop((database, account_id), None)

    @classmethod
    def current(cls, account):
        """(access token, expiry) of account: the stored ones, or those
        this process renewed since"""
        access, _, expires = cls.read_values([account.id]).get(
            account.id, (None, None, None))
        renewed = _renewed.get((Transaction().database.name, account.id))
        if renewed and (not expires or (renewed[1] or dt.datetime.max)
                > expires):
            access, expires = renewed
        return access, expires

    @classmethod
    def renew(cls, account, used):
        """A valid access token for account, renewed with its refresh token
        unless another job did since `used` (the access token that is
        about to expire or was refused) was read. On PostgreSQL in a
        transaction of its own, committed at once."""
        transaction = Transaction()
        if transaction.database.has_select_for():
            with transaction.new_transaction() as renewal:
                read_committed(renewal)
                result = cls._renew(account, used)
                if result is not None:
                    renewal.commit()
                    _renewed[(transaction.database.name, account.id)] = \
                        result
                    return result[0]
        # SQLite (one writer at a time: the caller holds the lock), or an
        # account created by the caller's transaction: renewed in it
        result = cls._renew(account, used)
        if result is None:
            raise connectors.Unauthorized(gettext(
                    'urban_pos_bridge.msg_account_no_refresh_token',
                    account=account.rec_name))
        _renewed[(transaction.database.name, account.id)] = result
        return result[0]

    @classmethod
    def _renew(cls, account, used):
        """(access token, expiry) after renewing under the lock of the
        account's row, None when the transaction does not see it"""
        transaction = Transaction()
        t = cls.__table__()
        query = t.select(t.id, t.access_token, t.refresh_token, t.expires,
            where=t.account == account.id)
        if transaction.database.has_select_for():
            query.for_ = For('UPDATE')
        cursor = transaction.connection.cursor()
        cursor.execute(*query)
        row = cursor.fetchone()
        if row is None:
            return None
        row_id, access, refresh, expires = row
        now = dt.datetime.utcnow()
        if (access and access != used
                and (not expires or expires - now > renew_margin())):
            # renewed by another job meanwhile
            return access, expires
        if not refresh:
            raise connectors.Unauthorized(gettext(
                    'urban_pos_bridge.msg_account_no_refresh_token',
                    account=account.rec_name))
        client_id, client_secret = account.client_credentials()
        access, refresh, expires = account.client.renew_token(
            refresh, client_id, client_secret)
        # the access token and the (rotated) refresh token together
        cursor.execute(*t.update(
                [t.access_token, t.refresh_token, t.expires, t.write_date,
                    t.write_uid],
                [access, refresh, expires, now, transaction.user],
                where=t.id == row_id))
        logger.info('POS account %s: access token renewed (expires %s)',
            account.id, expires)
        return access, expires
