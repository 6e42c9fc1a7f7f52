"""Till accounts (one per connector account) and their outlets (shops).

Credentials come from the environment when `credential_env` names a
prefix (`<PREFIX>_ACCESS_TOKEN`, `<PREFIX>_WEBHOOK_SECRET`), else from the
fields, readable only by POS administrators (field access rights)."""
import datetime as dt
import ipaddress
import os

from sql import Null
from sql.aggregate import Count, Min

from trytond.config import config
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import connectors, oauth
from .inbox import queued_not_started

BACKOFF_BASE = 5  # seconds
BACKOFF_MAX = 15 * 60


def _datetime(value):
    "A timestamp aggregated by SQL: an ISO string on SQLite"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value


class Account(DeactivableMixin, ModelSQL, ModelView):
    "POS Account"
    __name__ = 'urban.pos.account'

    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='RESTRICT')
    connector = fields.Selection(
        connectors.selection(), "Connector", required=True)
    base_url = fields.Char("API Base URL",
        states={'invisible': Eval('connector') == 'native'},
        help="Empty: the connector's default from the configuration "
        "[urban_pos_bridge] <connector>_url.")
    notification_url = fields.Char("Notification URL",
        states={'invisible': Eval('connector') != 'square'},
        help="The webhook URL registered at the till (part of the signed "
        "message).")
    credential_env = fields.Char("Credentials Environment Prefix",
        states={'invisible': Eval('connector') == 'native'},
        help="When set, the access token and webhook secret are read from "
        "<PREFIX>_ACCESS_TOKEN and <PREFIX>_WEBHOOK_SECRET.")
    access_token = fields.Char("Access Token", strip=False, loading='lazy',
        states={'invisible': Eval('connector') == 'native'},
        help="A personal token, or the first access token of an OAuth "
        "connection (with its refresh token).")
    refresh_token = fields.Function(fields.Char("Refresh Token",
            strip=False,
            states={'invisible': Eval('connector') == 'native'},
            help="OAuth: renews the access token before it expires (the "
            "till may give a new one each time; the bridge keeps it). The "
            "application's client id and secret come from the "
            "configuration."),
        'get_oauth', setter='set_oauth')
    access_token_expires = fields.Function(fields.DateTime(
            "Access Token Expires",
            states={'invisible': Eval('connector') == 'native'},
            help="When the current access token expires (renewed before)."),
        'get_oauth', setter='set_oauth')
    webhook_secret = fields.Char("Webhook Secret", strip=False,
        loading='lazy',
        states={'invisible': Eval('connector') == 'native'})
    signature_check = fields.Boolean("Check Webhook Signatures",
        help="Off: a webhook is never read, it only makes the bridge poll "
        "the till now (the till's API stays the source of truth). Keep it "
        "on unless the till cannot sign (Lightspeed X-Series' signing "
        "scheme is unconfirmed).")
    unsigned_sources = fields.Text("Unsigned Deliveries From",
        states={'invisible': Eval('signature_check', True)
            | (Eval('connector') == 'native')},
        help="One IP address or network (CIDR) per line. When set, a "
        "delivery not signed for this account makes the bridge poll the "
        "till only when it comes from one of them (the till's published "
        "addresses); empty: from anywhere.")
    signature_warning = fields.Function(fields.Text("Warning",
            states={'invisible': ~Eval('signature_warning')}),
        'on_change_with_signature_warning')
    match_by = fields.Selection([
            ('sku', "SKU (product code)"),
            ('barcode', "Barcode (EAN/UPC)"),
            ], "Match Products By", required=True)
    reason_increase = fields.Char("Increase Reason",
        states={'invisible': Eval('connector') != 'lightspeed_x'})
    reason_decrease = fields.Char("Decrease Reason",
        states={'invisible': Eval('connector') != 'lightspeed_x'})
    fix_drift = fields.Boolean("Fix Drift",
        help="Reconciliation pushes Tryton's level where the till differs; "
        "otherwise it only reports.")
    outlets = fields.One2Many('urban.pos.outlet', 'account', "Outlets")
    sales_cursor = fields.Char("Sales Cursor", readonly=True)
    levels_cursor = fields.Char("Levels Cursor", readonly=True)
    paused_until = fields.DateTime("Paused Until", readonly=True,
        help="Calls to the till wait until then (rate limit or back-off).")
    failures = fields.Integer("Consecutive Failures", readonly=True)
    last_error = fields.Text("Last Error", readonly=True)
    last_error_at = fields.DateTime("Last Error At", readonly=True)
    last_poll_at = fields.DateTime("Last Poll", readonly=True)
    last_push_at = fields.DateTime("Last Push", readonly=True)
    last_reconcile_at = fields.DateTime("Last Reconciliation", readonly=True)
    inbox_pending = fields.Function(
        fields.Integer("Inbox Pending"), 'get_status')
    inbox_failed = fields.Function(
        fields.Integer("Inbox Failed"), 'get_status')
    outbox_pending = fields.Function(
        fields.Integer("Outbox Pending"), 'get_status')
    outbox_failed = fields.Function(
        fields.Integer("Outbox Failed"), 'get_status')
    lag = fields.Function(fields.TimeDelta("Lag",
            help="Age of the oldest event or stock change still waiting."),
        'get_status')
    sync_status = fields.Function(fields.Selection([
                ('ok', "In sync"),
                ('waiting', "Waiting"),
                ('paused', "Paused"),
                ('error', "Errors"),
                ], "Sync Status"), 'get_status')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'poll': {'invisible': Eval('connector') == 'native',
                    'depends': ['connector']},
                'push': {'invisible': Eval('connector') == 'native',
                    'depends': ['connector']},
                'reconcile': {'invisible': Eval('connector') == 'native',
                    'depends': ['connector']},
                'resume': {'invisible': ~Eval('paused_until'),
                    'depends': ['paused_until']},
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_signature_check(cls):
        return True

    @classmethod
    def default_match_by(cls):
        return 'sku'

    @classmethod
    def default_failures(cls):
        return 0

    @classmethod
    def default_fix_drift(cls):
        return False

    @classmethod
    def default_reason_increase(cls):
        return 'STOCK_FOUND'

    @classmethod
    def default_reason_decrease(cls):
        return 'INTERNAL_USE'

    @fields.depends('signature_check', 'connector')
    def on_change_with_signature_warning(self, name=None):
        if self.connector and self.connector != 'native' and (
                not self.signature_check):
            return gettext('urban_pos_bridge.msg_account_signature_off')

    @classmethod
    def validate_fields(cls, accounts, field_names):
        super().validate_fields(accounts, field_names)
        for account in accounts:
            if account.connector != 'native' and not account.get_base_url():
                raise ValidationError(gettext(
                        'urban_pos_bridge.msg_account_base_url',
                        account=account.rec_name))
            for value in (account.unsigned_sources or '').split():
                try:
                    ipaddress.ip_network(value, strict=False)
                except ValueError:
                    raise ValidationError(gettext(
                            'urban_pos_bridge.msg_account_unsigned_sources',
                            value=value, account=account.rec_name))

    def accepts_unsigned_from(self, address):
        """Whether a delivery not signed for the account may trigger a poll
        coming from address (the allowlist, when there is one)"""
        sources = (self.unsigned_sources or '').split()
        if not sources:
            return True
        try:
            address = ipaddress.ip_address(address or '')
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(s, strict=False)
            for s in sources)

    # --- configuration ------------------------------------------------------
    def _env(self, suffix):
        if self.credential_env:
            return os.environ.get('%s_%s' % (self.credential_env, suffix))

    def get_access_token(self):
        return self._env('ACCESS_TOKEN') or self.access_token

    # --- OAuth --------------------------------------------------------------
    @classmethod
    def get_oauth(cls, accounts, names):
        AccountOAuth = Pool().get('urban.pos.account.oauth')
        values = AccountOAuth.read_values([a.id for a in accounts])
        result = {n: {} for n in names}
        for account in accounts:
            _, refresh, expires = values.get(account.id, (None, None, None))
            if 'refresh_token' in result:
                result['refresh_token'][account.id] = refresh
            if 'access_token_expires' in result:
                result['access_token_expires'][account.id] = expires
        return result

    @classmethod
    def set_oauth(cls, accounts, name, value):
        AccountOAuth = Pool().get('urban.pos.account.oauth')
        if name == 'refresh_token':
            # a new connection: from the access token of the account, or
            # renewed at once
            values = {'refresh_token': value, 'access_token': None}
        else:
            values = {'expires': value}
        AccountOAuth.set_values([a.id for a in accounts], **values)

    @classmethod
    def write(cls, *args):
        AccountOAuth = Pool().get('urban.pos.account.oauth')
        super().write(*args)
        actions = iter(args)
        for accounts, values in zip(actions, actions):
            if 'access_token' in values:
                # typed in: replaces the one the bridge renewed
                AccountOAuth.set_values([a.id for a in accounts],
                    create=False, access_token=None)

    def renews_access_token(self):
        "Whether the access token is renewed (OAuth with a refresh token)"
        return self.connector != 'native' and bool(self.refresh_token)

    def client_credentials(self):
        """(client id, client secret) of the application registered at the
        till: <PREFIX>_CLIENT_ID / _CLIENT_SECRET in the environment, else
        [urban_pos_bridge] <connector>_client_id / _client_secret"""
        options = ['%s_client_id' % self.connector,
            '%s_client_secret' % self.connector]
        client_id = self._env('CLIENT_ID') or config.get(
            'urban_pos_bridge', options[0], default=None)
        secret = self._env('CLIENT_SECRET') or config.get(
            'urban_pos_bridge', options[1], default=None)
        if not client_id or not secret:
            raise connectors.Unauthorized(gettext(
                    'urban_pos_bridge.msg_account_client_credentials',
                    account=self.rec_name,
                    options=' / '.join(options)))
        return client_id, secret

    def current_access_token(self):
        """The access token for a call to the till, renewed first when it
        expires within the margin"""
        pool = Pool()
        AccountOAuth = pool.get('urban.pos.account.oauth')
        if not self.renews_access_token():
            return self.get_access_token()
        access, expires = AccountOAuth.current(self)
        access = access or self.get_access_token()
        if not access or (expires and expires - dt.datetime.utcnow()
                <= oauth.renew_margin()):
            access = AccountOAuth.renew(self, access)
        return access

    def renew_access_token(self, used):
        "A new access token: the till refused used"
        return Pool().get('urban.pos.account.oauth').renew(self, used)

    def get_webhook_secret(self):
        return self._env('WEBHOOK_SECRET') or self.webhook_secret

    def get_base_url(self):
        return self.base_url or config.get(
            'urban_pos_bridge', '%s_url' % self.connector, default=None)

    def adjustment_reason(self, quantity):
        return (self.reason_increase if quantity > 0
            else self.reason_decrease)

    @property
    def client(self):
        return connectors.CONNECTORS[self.connector](self)

    @property
    def remote(self):
        return connectors.CONNECTORS[self.connector].remote

    def outlet_for(self, outlet_ref):
        for outlet in self.outlets:
            if outlet.external_id == outlet_ref:
                return outlet

    # --- availability of the till (rate limits, back-off) -------------------
    def is_paused(self):
        return bool(self.paused_until
            and self.paused_until > dt.datetime.utcnow())

    @classmethod
    def record_failure(cls, account_id, exception):
        "Pause calls to the till after a failure (in the current transaction)"
        now = dt.datetime.utcnow()
        account = cls(account_id)
        failures = (account.failures or 0) + 1
        if exception.retry_at:
            until = exception.retry_at
        else:
            until = now + dt.timedelta(seconds=min(
                    BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX))
        message = str(exception)
        if isinstance(exception, connectors.Unauthorized):
            message = gettext('urban_pos_bridge.msg_account_unauthorized',
                account=account.rec_name, error=message)
        cls.write([account], {
                'failures': failures,
                'paused_until': until,
                'last_error': message[:2000],
                'last_error_at': now,
                })

    @classmethod
    def record_success(cls, accounts, **values):
        accounts = [a for a in accounts
            if a.failures or a.paused_until or values]
        if accounts:
            cls.write(accounts, {'failures': 0, 'paused_until': None,
                    **values})

    @classmethod
    @ModelView.button
    def resume(cls, accounts):
        cls.write(accounts, {'paused_until': None, 'failures': 0})
        cls.push(accounts)

    # --- status for the back office -----------------------------------------
    @classmethod
    def get_status(cls, accounts, names):
        pool = Pool()
        Event = pool.get('urban.pos.event')
        Level = pool.get('urban.pos.stock_level')
        Outlet = pool.get('urban.pos.outlet')
        cursor = Transaction().connection.cursor()
        ids = [a.id for a in accounts]
        result = {n: {i: None for i in ids} for n in names}
        counts = {}
        event = Event.__table__()
        cursor.execute(*event.select(event.account, event.state,
                Count(event.id), Min(event.received_at),
                where=event.account.in_(ids)
                & event.state.in_(['pending', 'error', 'blocked']),
                group_by=[event.account, event.state]))
        for account, state, count, oldest in cursor:
            counts[(account, 'in', state)] = (count, _datetime(oldest))
        level = Level.__table__()
        outlet = Outlet.__table__()
        cursor.execute(*level.join(outlet,
                condition=level.outlet == outlet.id).select(
                outlet.account, level.state, Count(level.id),
                Min(level.dirty_since),
                where=outlet.account.in_(ids)
                & (level.dirty == True) & (level.dirty_since != Null),  # noqa
                group_by=[outlet.account, level.state]))
        for account, state, count, oldest in cursor:
            counts[(account, 'out', state)] = (count, _datetime(oldest))
        now = dt.datetime.now()
        for account in accounts:
            def get(direction, state):
                return counts.get((account.id, direction, state), (0, None))
            pending_in, oldest_in = get('in', 'pending')
            failed_in = get('in', 'error')[0] + get('in', 'blocked')[0]
            pending_out, oldest_out = get('out', 'ok')
            failed_out = get('out', 'error')[0] + get('out', 'unmapped')[0]
            oldest = [o for o in (oldest_in, oldest_out) if o]
            values = {
                'inbox_pending': pending_in,
                'inbox_failed': failed_in,
                'outbox_pending': pending_out,
                'outbox_failed': failed_out,
                'lag': (now - min(oldest)) if oldest else dt.timedelta(0),
                'sync_status': ('paused' if account.is_paused()
                    else 'error' if failed_in or failed_out
                    else 'waiting' if pending_in or pending_out else 'ok'),
                }
            for name in names:
                result[name][account.id] = values[name]
        return result

    # --- webhooks -----------------------------------------------------------
    @classmethod
    def receive_webhook(cls, accounts, url, query, headers, body,
            remote_addr=None):
        """What a delivery to the webhook URL of accounts (one connector)
        does; returns (account, number of new events, number received)
        when it was stored, (None, 0, 0) when it only triggered a poll, or
        None when it must be refused (401).

        Only a body signed for an account that checks signatures is read
        and stored. A body no account could verify is never read: when
        accounts of the connector have the check switched off (and allow
        remote_addr, see unsigned_sources), it asks to poll them now
        (queued, coalesced: a flood of deliveries polls once) and the
        till's API says what happened. Raises
        connectors.BadPayload for a signed but unreadable body."""
        Event = Pool().get('urban.pos.event')
        signed = next((a for a in accounts if a.signature_check
                and a.client.verify(url, headers, body)), None)
        if signed is not None:
            items = signed.client.parse_webhook(query, headers, body)
            with Transaction().set_context(company=signed.company.id):
                new = Event.store(signed, items, source='webhook')
                if new:
                    Event.enqueue([signed.id])
            return signed, new, len(items)
        unsigned = [a for a in accounts if not a.signature_check
            and a.accepts_unsigned_from(remote_addr)]
        if not unsigned:
            return None
        cls.request_poll(unsigned)
        return None, 0, 0

    @classmethod
    def request_poll(cls, accounts):
        """Poll accounts in a queued job soon, unless such a job already
        waits to start"""
        if queued_not_started('urban_pos_poll'):
            return
        with Transaction().set_context(queue_name='urban_pos_poll'):
            cls.__queue__.poll_requested(accounts)

    @classmethod
    def poll_requested(cls, accounts):
        """Queued job of request_poll: store what the till changed and
        queue applying it, as a signed webhook does"""
        Event = Pool().get('urban.pos.event')
        for account in accounts:
            if not account.active or account.is_paused():
                continue
            with Transaction().set_context(company=account.company.id):
                try:
                    if Event.poll(account):
                        Event.enqueue([account.id])
                except connectors.ConnectorError as exception:
                    cls.record_failure(account.id, exception)

    # --- jobs ---------------------------------------------------------------
    @classmethod
    @ModelView.button
    def poll(cls, accounts):
        """Fetch what the webhooks missed; a job queued now applies it as
        soon as this transaction commits (applying it here, in transactions
        of their own, would not see the events stored by this one: they
        would wait for the next cycle, and SQLite would wait on the lock
        this transaction holds)"""
        Event = Pool().get('urban.pos.event')
        for account in accounts:
            with Transaction().set_context(company=account.company.id):
                try:
                    Event.poll(account)
                except connectors.ConnectorError as exception:
                    # shown on the account (paused, last error)
                    cls.record_failure(account.id, exception)
        Event.enqueue([a.id for a in accounts if a.remote])

    @classmethod
    def process_inbox(cls, accounts):
        """Queued job: apply the pending events of accounts, then of any
        other account (a job coalesces the requests made while it waited
        to start, whatever their accounts)"""
        Event = Pool().get('urban.pos.event')
        Event.process_accounts(accounts)
        done = {a.id for a in accounts}
        others = [a for a in cls.browse(Event.pending_account_ids())
            if a.id not in done and a.active]
        if others:
            Event.process_accounts(others)

    @classmethod
    @ModelView.button
    def push(cls, accounts):
        Level = Pool().get('urban.pos.stock_level')
        for account in accounts:
            Level.push_account(account)

    @classmethod
    @ModelView.button
    def reconcile(cls, accounts):
        Level = Pool().get('urban.pos.stock_level')
        for account in accounts:
            try:
                Level.reconcile_account(account)
            except connectors.ConnectorError as exception:
                cls.record_failure(account.id, exception)

    @classmethod
    def _remote_accounts(cls):
        return [a for a in cls.search([('connector', '!=', 'native')])]

    @classmethod
    def cron_poll(cls):
        accounts = [a for a in cls._remote_accounts() if not a.is_paused()]
        for account in accounts:
            try:
                cls.poll([account])
            except connectors.ConnectorError as exception:
                cls.record_failure(account.id, exception)
        # applied after the commit of this transaction, with what a killed
        # worker left behind
        Pool().get('urban.pos.event').enqueue(
            [a.id for a in cls._remote_accounts()])

    @classmethod
    def cron_push(cls):
        cls.push(cls._remote_accounts())

    @classmethod
    def cron_reconcile(cls):
        for account in cls._remote_accounts():
            if account.is_paused():
                continue
            try:
                cls.reconcile([account])
            except connectors.ConnectorError as exception:
                cls.record_failure(account.id, exception)


class Outlet(ModelSQL, ModelView):
    "POS Outlet: a shop (warehouse) and its location id in the till"
    __name__ = 'urban.pos.outlet'

    account = fields.Many2One('urban.pos.account', "Account", required=True,
        ondelete='CASCADE')
    shop = fields.Many2One('stock.location', "Shop", required=True,
        ondelete='RESTRICT', domain=[('type', '=', 'warehouse')])
    external_id = fields.Char("Outlet ID in the Till",
        states={'required': Eval('_parent_account', {}).get(
                'connector', 'native') != 'native'},
        help="Lightspeed outlet id, Square location id, ...")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('shop_unique', Unique(t, t.shop),
                'urban_pos_bridge.msg_outlet_shop_unique'),
            ('account_external_unique', Unique(t, t.account, t.external_id),
                'urban_pos_bridge.msg_outlet_external_unique'),
            ]

    def get_rec_name(self, name):
        return '%s (%s)' % (self.shop.rec_name, self.account.rec_name)

    @classmethod
    def by_shop(cls, shop_ids):
        "{shop id: outlet} of remote accounts for shop_ids"
        outlets = cls.search([
                ('shop', 'in', list(shop_ids)),
                ('account.active', '=', True),
                ('account.connector', '!=', 'native'),
                ])
        return {o.shop.id: o for o in outlets}
