"""Login throttling without sleeping, for every login of the platform: the
back office (`res.user`, JSON-RPC `common.db.login`) and the customer and
pro accounts (`web.user`: /api/v1/auth/login, /pro/login, the password
reset token of /api/v1/auth/password-reset/confirm).

Tryton slows failed logins down by sleeping inside the request (1, 3, 7,
15, 31 s...), which ties up a web worker per attempt, and refuses a login
for the whole `[session] timeout` once it failed `max_attempt` times from
anywhere, which lets anyone lock the owner out. Here, with the failures kept
in Tryton's attempt tables (`res.user.login.attempt`,
`web.user.authenticate.attempt`: shared by every worker) with the client's
IP network (`[session] ip_network_4` / `ip_network_6` prefixes):

- only the failures of the last `[session] login_window` seconds (default
  900) count; older rows are deleted;
- before the password is checked, an attempt is refused when, within the
  window, there were more than
  `[session] max_attempt` (default 5) failures of this login from the
  client's network, or more than `[session] max_attempt_login` (default 20)
  failures of this login from anywhere, or more than
  `[session] max_attempt_ip_network` (default 300) failures from the
  client's network for any login. A device the back office trusts (Tryton's
  device cookie, given at a successful login) is only limited by its own
  failures (more than `max_attempt`) and its network's;
- a refusal is immediate (HTTP 429 with `Retry-After`: the seconds until
  the failure that causes it leaves the window), is not recorded (hammering
  a refused login does not extend the refusal) and never sleeps, so the
  owner gets in again at most `login_window` after the last counted failure;
- a successful login clears the failures of that login from the client's
  network (and device), not those from elsewhere.

This lives in urban_stock because every installation has it (it already
extends `res.user` for shop staff); the `web.user` part applies when
web_user is activated."""
import contextvars
import datetime as dt
import logging
import math

from sql import Null

from trytond.config import config
from trytond.exceptions import RateLimitException
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

logger = logging.getLogger(__name__)

# the last refusal of the current request, for the Retry-After of the back
# office's 429 (Tryton's dispatcher answers it without headers)
REFUSAL = contextvars.ContextVar('urban_login_refusal', default=None)


class LoginThrottled(RateLimitException):
    "A login refused at once; retry_after: seconds until it may succeed"

    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = retry_after


def now():
    "The clock of the limits (tests move it)"
    return dt.datetime.now()


def window():
    return dt.timedelta(seconds=config.getint(
            'session', 'login_window', default=15 * 60))


def limit(name, default):
    return config.getint('session', name, default=default)


class ThrottledAttempt:
    "The limits on the failures stored in a Tryton login attempt table"
    __slots__ = ()

    @classmethod
    def delay(cls):
        # Tryton's own readers of the table count over the same window
        return now() - window()

    @classmethod
    def _network(cls):
        _, network = Transaction().remote_address()
        return str(network) if network else None

    @classmethod
    def _rules(cls, login, device_cookie=None):
        "[(domain, allowed failures)] that an attempt of login must pass"
        login = login[:cls.login.size]
        network = cls._network()
        if device_cookie:
            rules = [([('login', '=', login),
                    ('device_cookie', '=', device_cookie)],
                    limit('max_attempt', 5))]
        else:
            rules = [
                ([('login', '=', login), ('ip_network', '=', network)],
                    limit('max_attempt', 5)),
                ([('login', '=', login)], limit('max_attempt_login', 20)),
                ]
        if network:
            rules.append(([('ip_network', '=', network)],
                    limit('max_attempt_ip_network', 300)))
        return rules

    @classmethod
    def check(cls, login, device_cookie=None):
        """Raise LoginThrottled when an attempt of login from the client is
        refused now"""
        since = now() - window()
        retry_after = 0
        for domain, allowed in cls._rules(login, device_cookie):
            # the failure whose expiry brings the count back to allowed
            found = cls.search(domain + [('create_date', '>=', since)],
                order=[('create_date', 'DESC'), ('id', 'DESC')],
                offset=allowed, limit=1)
            if found:
                free_at = found[0].create_date + window()
                retry_after = max(retry_after, math.ceil(
                        (free_at - now()).total_seconds()))
        if retry_after:
            retry_after = max(retry_after, 1)
            REFUSAL.set(retry_after)
            logger.info("login of '%s' from %s refused for %s s",
                login, cls._network(), retry_after)
            raise LoginThrottled(retry_after)

    @classmethod
    def failed(cls, login, device_cookie=None):
        "Record a failed attempt of login from the client"
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        table = cls.__table__()
        moment = now()
        cursor.execute(*table.delete(
                where=table.create_date < moment - window()))
        ip_address, ip_network = transaction.remote_address()
        cursor.execute(*table.insert(
                [table.create_uid, table.create_date, table.login,
                    table.device_cookie, table.ip_address, table.ip_network],
                [[transaction.user, moment, login[:cls.login.size],
                    device_cookie,
                    str(ip_address) if ip_address else None,
                    str(ip_network) if ip_network else None]]))

    @classmethod
    def succeeded(cls, login, device_cookie=None):
        """Forget the failures of login from the client's network and
        device"""
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        login = login[:cls.login.size]
        network = cls._network()
        where = table.ip_network == (network or Null)
        if device_cookie:
            where |= table.device_cookie == device_cookie
        cursor.execute(*table.delete(where=(table.login == login) & where))


class LoginAttempt(ThrottledAttempt, metaclass=PoolMeta):
    __name__ = 'res.user.login.attempt'


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def get_login(cls, login, parameters):
        """Tryton's get_login (every configured authentication method) with
        the limits above instead of its growing sleep"""
        pool = Pool()
        Attempt = pool.get('res.user.login.attempt')
        UserDevice = pool.get('res.user.device')
        parameters = parameters.copy()
        device_cookie = UserDevice.get_valid_cookie(
            login, parameters.get('device_cookie'))
        parameters['device_cookie'] = device_cookie
        Attempt.check(login, device_cookie)
        for methods in config.get(
                'session', 'authentications', default='password').split(','):
            user_ids = set()
            for method in methods.split('+'):
                if user_ids:
                    try:
                        method, options = method.split('?', 1)
                    except ValueError:
                        options = []
                    else:
                        options = options.split(':')
                    if cls._check_login_options(options, login, parameters):
                        continue
                try:
                    func = getattr(cls, '_login_%s' % method)
                except AttributeError:
                    logger.info('Missing login method: %s', method)
                    break
                user_ids.add(func(login, parameters))
                if len(user_ids) != 1 or not all(user_ids):
                    break
            if len(user_ids) == 1 and all(user_ids):
                Attempt.succeeded(login, device_cookie)
                return user_ids.pop()
        Attempt.failed(login, device_cookie)


class WebUserAuthenticateAttempt(ThrottledAttempt, metaclass=PoolMeta):
    __name__ = 'web.user.authenticate.attempt'


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    @classmethod
    def authenticate(cls, email, password):
        """The web user of email and password, or None (failure recorded);
        LoginThrottled when refused by the limits above, without sleeping"""
        Attempt = Pool().get('web.user.authenticate.attempt')
        email = email.lower()
        Attempt.check(email)
        users = cls.search([('email', '=', email)])
        if users:
            user, = users
            valid, new_hash = cls.check_password(password, user.password_hash)
            if valid:
                if new_hash:
                    logger.info("Update password hash for %s", user.id)
                    with Transaction().new_transaction():
                        with without_check_access():
                            cls.write([cls(user.id)], {
                                    'password_hash': new_hash,
                                    })
                Attempt.succeeded(email)
                return user
        Attempt.failed(email)

    @classmethod
    def set_password_token(cls, email, token, password):
        """Tryton's reset by e-mailed token, limited like the logins
        instead of sleeping"""
        Attempt = Pool().get('web.user.authenticate.attempt')
        email = email.lower()
        Attempt.check(email)
        users = cls.search([('email', '=', email)])
        if users:
            user, = users
            if user.reset_password_token == token:
                expire = user.reset_password_token_expire
                user.clear_reset_password_token()
                if expire > dt.datetime.now():
                    user.password = password
                    user.save()
                    Attempt.succeeded(email)
                    return True
        Attempt.failed(email)
        return False
