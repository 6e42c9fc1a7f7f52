"""Security headers of every response, by path prefix.

Every response gets `X-Content-Type-Options: nosniff` and a
`Referrer-Policy`; HTML gets a Content-Security-Policy that allows scripts
from our own origin only (no 'unsafe-inline' script, no 'unsafe-eval'), and
may not be framed (`frame-ancestors 'none'` and `X-Frame-Options: DENY`).

- website and /pro: inline `<style>` blocks are allowed by their hashes
  (the pages inline their CSS), there is no inline script (JSON-LD blocks are
  data, never executed); the pro payment page adds Stripe.js.
- /webapp (the app's web export): its inline scripts (the runtime settings)
  by their hashes, Stripe.js; inline styles are allowed (React Native Web
  writes style attributes).
- /admin (sao): the inline script of its index.html by its hash; inline
  styles are allowed (sao and its libraries write style attributes).
- anything else (JSON API, webhooks, images): nothing may be loaded.

A response that already has a Content-Security-Policy keeps it: the page
that knows its own inline code builds it (`website_policy`,
`shop_policy`)."""
import base64
import functools
import hashlib
import os
import re
import urllib.parse

REFERRER_POLICY = 'strict-origin-when-cross-origin'
STRIPE_JS_ORIGINS = ('https://js.stripe.com', 'https://*.js.stripe.com')
STRIPE_FRAME_ORIGINS = STRIPE_JS_ORIGINS + ('https://hooks.stripe.com',)
STRIPE_CONNECT_ORIGINS = ('https://api.stripe.com', 'https://m.stripe.network',
    'https://q.stripe.com', 'https://r.stripe.com')
STRIPE_IMG_ORIGINS = ('https://*.stripe.com',)

_SCRIPT = re.compile(r'<script\b([^>]*)>(.*?)</script\s*>', re.S | re.I)
_STYLE = re.compile(r'<style\b[^>]*>(.*?)</style\s*>', re.S | re.I)
_TYPE = re.compile(r'''\btype\s*=\s*["']?([^"'\s>]+)''', re.I)
_SRC = re.compile(r'\bsrc\s*=', re.I)
_JS_URL = re.compile(r'''\bhref\s*=\s*["'](javascript:[^"']*)["']''', re.I)
JS_TYPES = {'', 'text/javascript', 'application/javascript', 'module',
    'text/ecmascript', 'application/ecmascript'}


def source_hash(text):
    "CSP hash source of an inline script or style"
    digest = hashlib.sha256(text.encode('utf-8')).digest()
    return "'sha256-%s'" % base64.b64encode(digest).decode('ascii')


def inline_script_hashes(html):
    """Hash sources of the executable inline scripts of html (scripts with
    a src, JSON-LD and other data blocks need none)"""
    hashes = []
    for attributes, body in _SCRIPT.findall(html):
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if (kind.group(1).lower() if kind else '') not in JS_TYPES:
            continue
        hashes.append(source_hash(body))
    return list(dict.fromkeys(hashes))


def inline_style_hashes(html):
    return list(dict.fromkeys(source_hash(b) for b in _STYLE.findall(html)))


class Policy:
    "A Content-Security-Policy: directive -> sources"

    def __init__(self, **directives):
        self.directives = {}
        for name, sources in directives.items():
            self.add(name.replace('_', '-'), *sources)

    def add(self, directive, *sources):
        values = self.directives.setdefault(directive, [])
        for source in sources:
            if source not in values:
                values.append(source)
        return self

    def copy(self):
        policy = Policy()
        for directive, sources in self.directives.items():
            policy.add(directive, *sources)
        return policy

    def __str__(self):
        return '; '.join(' '.join([d] + s) if s else d
            for d, s in self.directives.items())


def _base(**directives):
    base = dict(
        default_src=["'self'"], script_src=["'self'"],
        style_src=["'self'"], img_src=["'self'", 'data:'],
        font_src=["'self'"], connect_src=["'self'"], object_src=["'none'"],
        base_uri=["'self'"], form_action=["'self'"],
        frame_ancestors=["'none'"])
    for name, sources in directives.items():
        base[name] = list(sources)
    return Policy(**base)


def origin(url):
    "scheme://host[:port] of an absolute URL, None otherwise"
    parts = urllib.parse.urlsplit(url or '')
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        return None
    return '%s://%s' % (parts.scheme, parts.netloc)


def add_stripe(policy, js_url):
    """Allow Stripe.js loaded from js_url: Stripe's documented origins for
    js.stripe.com, the origin of js_url otherwise (a local fake)"""
    stripe_origin = origin(js_url)
    if not stripe_origin:
        return policy
    if stripe_origin == 'https://js.stripe.com':
        policy.add('script-src', *STRIPE_JS_ORIGINS)
        policy.add('frame-src', "'self'", *STRIPE_FRAME_ORIGINS)
        policy.add('connect-src', *STRIPE_CONNECT_ORIGINS)
        policy.add('img-src', *STRIPE_IMG_ORIGINS)
    else:
        policy.add('script-src', stripe_origin)
        policy.add('frame-src', "'self'", stripe_origin)
        policy.add('connect-src', stripe_origin)
        policy.add('img-src', stripe_origin)
    return policy


def website_policy(html, stripe_js=None):
    "The policy of a page of the website or the pro portal"
    policy = _base()
    policy.add('style-src', *inline_style_hashes(html))
    if stripe_js:
        add_stripe(policy, stripe_js)
    else:
        policy.add('frame-src', "'none'")
    return policy


def shop_policy(html, stripe_js=None):
    "The policy of the app's web export (/webapp)"
    policy = _base(style_src=["'self'", "'unsafe-inline'"],
        img_src=["'self'", 'data:', 'blob:'],
        font_src=["'self'", 'data:'])
    policy.add('script-src', *inline_script_hashes(html))
    if stripe_js:
        add_stripe(policy, stripe_js)
    return policy


def admin_policy(html):
    "The policy of the back office (sao) from its index.html"
    policy = _base(style_src=["'self'", "'unsafe-inline'"],
        img_src=["'self'", 'data:', 'blob:'],
        frame_src=["'self'", 'blob:'], worker_src=["'self'", 'blob:'])
    policy.add('script-src', *inline_script_hashes(html))
    # its menu button is a link to "javascript:void(0)": allowed by its
    # hash only ('unsafe-hashes' extends hashes to such URLs and handlers)
    urls = list(dict.fromkeys(_JS_URL.findall(html)))
    if urls:
        policy.add('script-src', "'unsafe-hashes'",
            *(source_hash(u) for u in urls))
    return policy


NONE_POLICY = Policy(default_src=["'none'"], frame_ancestors=["'none'"])


@functools.lru_cache(maxsize=4)
def _admin_policy_of(path, mtime):
    try:
        with open(path, encoding='utf-8') as file:
            html = file.read()
    except OSError:
        html = ''
    return str(admin_policy(html))


def admin_index(web_root):
    return os.path.join(web_root or '', 'admin', 'index.html')


def admin_policy_header(web_root):
    "The /admin policy of the sao installed under web_root (cached)"
    path = admin_index(web_root)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = None
    return _admin_policy_of(path, mtime)


def headers_for(path, web_root=None):
    """[(name, value)] of the security headers of a response to path when
    the application did not set them"""
    if path == '/admin' or path.startswith('/admin/'):
        policy = admin_policy_header(web_root)
    elif path == '/webapp' or path.startswith('/webapp/'):
        policy = str(shop_policy(''))
    elif path.startswith(('/api/', '/webhooks/', '/health', '/media/',
                '/assets/')):
        policy = str(NONE_POLICY)
    else:
        policy = str(website_policy(''))
    return [
        ('Content-Security-Policy', policy),
        ('X-Content-Type-Options', 'nosniff'),
        ('X-Frame-Options', 'DENY'),
        ('Referrer-Policy', REFERRER_POLICY),
        ]


def add_headers(path, headers, web_root=None):
    "headers (a list of (name, value)) completed with the missing ones"
    present = {name.lower() for name, _ in headers}
    for name, value in headers_for(path, web_root):
        if name.lower() not in present:
            headers.append((name, value))
    return headers
