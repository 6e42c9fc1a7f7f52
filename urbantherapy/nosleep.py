"""No request sleeps: Tryton's doors that slow failures down by sleeping
inside the request, each replaced by the same work without the sleep.

A sleeping request holds a web worker (gunicorn's sync workers serve one
request each) for up to seconds: a handful of failed calls per second ties
up every worker. Tryton sleeps, reachable over HTTP, in:

- `res.user.get_login` (JSON-RPC `common.db.login`, `/<db>/session/login`)
  and `web.user.authenticate` / `set_password_token`: replaced by the
  limits of urban_stock/login.py (refused at once with 429 + Retry-After);
- `POST /<db>/user/application/` (a random sleep of up to 1 s after every
  request) and `DELETE /<db>/user/application/` (a sleep of 2^failures - 1
  seconds): `user_application` below, limited like the logins;
- JSON-RPC `common.db.reset_password` (`trytond.security.reset_password`, a
  random sleep of up to 1 s before every request): `reset_password` below,
  whose e-mail goes through the queue so that a known and an unknown login
  take the same time without sleeping.

(The 0.02 s pauses between retries of a transaction that met a lock are
no failure delay: they stay.)"""
import datetime as dt
import logging

from werkzeug.exceptions import BadRequest

from trytond import backend, security
from trytond.config import config
from trytond.exceptions import RateLimitException
from trytond.protocols.wrappers import (
    Response, allow_null_origin, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

logger = logging.getLogger(__name__)


def _login_of(data):
    login = data.get('user') if isinstance(data, dict) else None
    if not isinstance(login, str) or not login or '\x00' in login:
        raise BadRequest("Missing or invalid user")
    return login


@allow_null_origin
@with_pool
@with_transaction(readonly=False)
def user_application(request, pool):
    """Tryton's res/routes.py user_application without its sleeps: a
    request (POST) does the same work for a known and an unknown login; a
    revocation (DELETE) is limited like the logins (urban_stock/login.py:
    429 with Retry-After past the failures allowed) and answers 404 when
    no application has this login, key and name"""
    User = pool.get('res.user')
    UserApplication = pool.get('res.user.application')
    Attempt = pool.get('res.user.login.attempt')
    data = request.parsed_data
    if not isinstance(data, dict):
        raise BadRequest("Malformed request")
    login = _login_of(data)
    if request.method == 'POST':
        users = User.search([('login', '=', login)])
        user_id = users[0].id if users else None
        if not users:
            logger.info('User Application not found: %s', login)
        if UserApplication.count(user_id):
            logger.info('User Application has already a request: %s', login)
            user_id = None
        application, = UserApplication.create([{
                    'application': data.get('application'),
                    'user': user_id,
                    'state': 'requested',
                    }])
        key = application.key
        UserApplication.delete(UserApplication.search([
                    ('user', '=', None),
                    ]))
        return key
    # DELETE
    try:
        Attempt.check(login)
    except RateLimitException:
        # answered, not raised: nothing to roll back, nothing recorded
        return _too_many(request)
    key, name = data.get('key'), data.get('application')
    applications = []
    if isinstance(key, str) and isinstance(name, str):
        applications = UserApplication.search([
                ('user.login', '=', login),
                ('key', '=', key),
                ('application', '=', name),
                ])
    if applications:
        UserApplication.delete(applications)
        Attempt.succeeded(login)
        return None
    # returned, not raised: the failure must be committed to count
    Attempt.failed(login)
    return Response(status=404)


def _too_many(request):
    from urban_stock.login import REFUSAL
    retry_after = REFUSAL.get() or 60
    return Response(status=429, headers={'Retry-After': str(retry_after)})


def reset_password(dbname, user, context=None):
    """trytond.security.reset_password without its random sleep: the reset
    of a known login is queued (the password generated and e-mailed by the
    queue), so a known and an unknown login cost the same in the request"""
    now = dt.datetime.now()
    for count in range(config.getint('database', 'retry'), -1, -1):
        with Transaction().start(dbname, 0, context=context) as transaction:
            pool = security._get_pool(dbname)
            User = pool.get('res.user')
            try:
                users = User.search([('login', '=', user)]) if isinstance(
                    user, str) else []
                if not users:
                    logger.info("Reset password for unknown user: %s", user)
                else:
                    user_, = users
                    if (user_.password_reset
                            and user_.password_reset_expire > now):
                        logger.info("Password reset already exists for "
                            "user: %s", user_)
                    else:
                        User.__queue__.reset_password([user_])
                        logger.info("Password reset for user: %s", user_)
                transaction.commit()
            except backend.DatabaseOperationalError:
                if count:
                    transaction.rollback()
                    continue
                raise
        # with [queue] worker = False the reset runs here, in-process
        while transaction.tasks:
            from trytond.worker import run_task
            run_task(pool, transaction.tasks.pop())
        break


def install():
    "Put the functions above in place of Tryton's"
    from trytond.res import routes
    for rule in app.url_map.iter_rules():
        if rule.endpoint is routes.user_application:
            rule.endpoint = user_application
            app.url_map._rules_by_endpoint.setdefault(
                rule.endpoint, []).append(rule)
    security.reset_password = reset_password


install()
