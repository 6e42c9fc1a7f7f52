"""What protects the public forms and counts: a throttle per client address
(the domain's `urban.throttle`, answered 429 with Retry-After at once) and
the device cookie of the QR landing (a scan counts once a day per device),
the origin check of forms on cached pages."""
import re
import secrets
import urllib.parse

from trytond.pool import Pool
from trytond.transaction import Transaction

from urban_catalog.throttle import client_key

from . import settings

DEVICE_COOKIE = 'ut_device'
CONTROL = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029]')
DEVICE = re.compile(r'^[A-Za-z0-9_-]{22,64}$')
YEAR = 365 * 24 * 3600


def limit(setting='form_throttle'):
    "(actions, seconds) allowed per client address on a public form"
    actions, _, seconds = settings.get(setting).partition('/')
    return int(actions), int(seconds or 3600)


def throttle(request, scope, setting='form_throttle'):
    """Count a submission of the form scope by the request's client: None
    when allowed, else the seconds to wait (the limit is the setting's).
    The count is committed at once, so that a submission that fails later
    still counts."""
    Throttle = Pool().get('urban.throttle')
    actions, seconds = limit(setting)
    wait = Throttle.hit(scope, client_key(request.remote_addr), actions,
        seconds)
    Transaction().commit()
    return wait


def printable(text):
    "text without control characters (to show it back in a form)"
    return CONTROL.sub('', text or '')


def too_many(response, wait):
    "response made a 429 that tells when to come back"
    response.status_code = 429
    response.headers['Retry-After'] = str(wait)
    response.headers['Cache-Control'] = 'no-store'
    return response


def client(request):
    "The client's address and browser (when it keeps no cookie)"
    return '%s|%s' % (request.remote_addr or '',
        (request.headers.get('User-Agent') or '')[:256])


def device(request):
    """(the device's identifier, whether it is new): the cookie it sent
    back, or a new one to set on the response (set_device)"""
    value = request.cookies.get(DEVICE_COOKIE) or ''
    if DEVICE.match(value):
        return value, False
    return secrets.token_urlsafe(24), True


def set_device(response, value):
    response.set_cookie(DEVICE_COOKIE, value, max_age=YEAR, httponly=True,
        samesite='Lax', path='/',
        secure=settings.get('site_url').startswith('https://'))
    return response


def same_origin(request):
    """Whether a POST comes from a page of this site (its Origin, else its
    Referer, names this host): the CSRF check of forms on cached public
    pages, which cannot carry a visitor's token"""
    source = request.headers.get('Origin') or request.headers.get('Referer')
    if not source or source == 'null':
        return False
    host = urllib.parse.urlsplit(source).netloc
    site = urllib.parse.urlsplit(settings.get('site_url')).netloc
    return bool(host) and host in {request.host, site}
