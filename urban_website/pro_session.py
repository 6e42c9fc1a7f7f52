"""Sessions and CSRF tokens of the pro portal.

A pro logs in with a Tryton web user (argon2 hash, rate-limited by
`web.user.authenticate`) whose party is an approved pro company
(urban_b2b); the session is a `web.user.session` key in an HttpOnly,
SameSite=Strict cookie limited to the portal's paths, ended after the
configured hours of inactivity (`urban.b2b.configuration.session_hours`).
Its scope is 'pro' (urban_b2b/session.py): the cookie is no bearer token
of the app's API, and an API token is no portal session.

CSRF: every form carries a token. Before login it equals a random cookie
(double submit); once logged in it is derived from the session key, which
the attacker cannot read."""
import datetime as dt
import hashlib
import hmac
import secrets

from trytond.pool import Pool

from . import settings

SESSION_COOKIE = 'ut_pro'
CSRF_COOKIE = 'ut_pro_csrf'


def _secure():
    return settings.get('site_url').startswith('https://')


def session_key(request):
    return request.cookies.get(SESSION_COOKIE) or None


def current(request):
    """(web user, company) of the request's pro session, or (user, None)
    for a valid session of a user who is not an approved pro, or
    (None, None)"""
    pool = Pool()
    Session = pool.get('web.user.session')
    Configuration = pool.get('urban.b2b.configuration')
    key = session_key(request)
    if not key:
        return None, None
    sessions = Session.search([
            ('key', '=', key),
            ('scope', '=', 'pro'),
            ], limit=1)
    if not sessions:
        return None, None
    session, = sessions
    hours = Configuration(1).session_hours or 8
    last = session.last_modified_at
    if not last or dt.datetime.now() - last > dt.timedelta(hours=hours):
        return None, None
    user = session.user
    if not user or not user.active:
        return None, None
    return user, user.b2b_company


def touch(request):
    "Extend the session (sliding expiry): called by write requests"
    Session = Pool().get('web.user.session')
    key = session_key(request)
    if key:
        Session.write(Session.search([
                    ('key', '=', key),
                    ('scope', '=', 'pro'),
                    ]), {})


def open_session(response, user):
    Session = Pool().get('web.user.session')
    key = Session.add(user, scope='pro')
    response.set_cookie(SESSION_COOKIE, key, httponly=True,
        samesite='Strict', secure=_secure(), path='/')
    return key


def close_session(request, response):
    Session = Pool().get('web.user.session')
    key = session_key(request)
    if key:
        Session.delete(Session.search([
                    ('key', '=', key),
                    ('scope', '=', 'pro'),
                    ]))
    response.delete_cookie(SESSION_COOKIE, path='/')


def csrf_token(request):
    """The token forms of this request carry; new_cookie is the value of a
    cookie to set (anonymous visitor without one yet) or None"""
    key = session_key(request)
    if key:
        return hashlib.sha256(('csrf:' + key).encode()).hexdigest(), None
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie and len(cookie) >= 32:
        return cookie, None
    cookie = secrets.token_hex(24)
    return cookie, cookie


def set_csrf_cookie(response, value):
    if value:
        response.set_cookie(CSRF_COOKIE, value, httponly=True,
            samesite='Strict', secure=_secure(), path='/')


def csrf_valid(request):
    sent = request.form.get('csrf_token', '')
    key = session_key(request)
    expected = []
    if key:
        expected.append(hashlib.sha256(('csrf:' + key).encode()).hexdigest())
    cookie = request.cookies.get(CSRF_COOKIE)
    if cookie and len(cookie) >= 32:
        expected.append(cookie)
    return bool(sent) and any(
        hmac.compare_digest(sent, e) for e in expected)
