"""Sessions of the site's customer account.

A customer logs in with the Tryton web user of the app (argon2 hash,
rate-limited by `web.user.authenticate`); the session is a
`web.user.session` key of scope 'site' (urban_b2b/session.py) in an
HttpOnly, SameSite=Lax cookie (Lax: a link from an e-mail to an order
opens it logged in; every form still carries the CSRF token of
pro_session). A site session is no bearer token of the app's API and
opens no pro portal; neither of theirs opens the account. It ends after
`account_session_days` without a visit (sliding expiry: each account page
extends it)."""
import datetime as dt
import re

from trytond.pool import Pool

from . import settings

SESSION_COOKIE = 'ut_account'
SCOPE = 'site'
KEY = re.compile(r'^[0-9a-f]{32,128}$')


def _secure():
    return settings.get('site_url').startswith('https://')


def _lifetime():
    return dt.timedelta(days=int(settings.get('account_session_days')))


def key(request):
    value = request.cookies.get(SESSION_COOKIE) or ''
    return value if KEY.match(value) else None


def _session(request):
    Session = Pool().get('web.user.session')
    value = key(request)
    if not value:
        return None
    sessions = Session.search([
            ('key', '=', value),
            ('scope', '=', SCOPE),
            ], limit=1)
    if not sessions:
        return None
    session, = sessions
    last = session.last_modified_at
    if not last or dt.datetime.now() - last > _lifetime():
        return None
    return session


def current(request):
    "The web user of the request's site session, or None"
    session = _session(request)
    user = session.user if session else None
    return user if user and user.active else None


def _set_cookie(response, value):
    response.set_cookie(SESSION_COOKIE, value, httponly=True,
        samesite='Lax', secure=_secure(), path='/',
        max_age=int(_lifetime().total_seconds()))


def touch(request, response):
    """Extend the session and its cookie (sliding expiry); needs a
    transaction that writes"""
    Session = Pool().get('web.user.session')
    session = _session(request)
    if session:
        Session.write([session], {})
        _set_cookie(response, session.key)


def _end(request):
    Session = Pool().get('web.user.session')
    value = key(request)
    if value:
        Session.delete(Session.search([
                    ('key', '=', value),
                    ('scope', '=', SCOPE),
                    ]))


def open_session(request, response, user):
    "A new session of user (never the one the browser came with)"
    Session = Pool().get('web.user.session')
    _end(request)
    value = Session.add(user, scope=SCOPE)
    _set_cookie(response, value)
    return value


def close_session(request, response):
    _end(request)
    response.delete_cookie(SESSION_COOKIE, path='/')
