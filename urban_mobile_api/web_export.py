"""/webapp: the app's web export (`mobile/dist`, built by `expo export
--platform web`), served by trytond for the app's end-to-end tests and
for previews. It is not the web shop customers use (that is the site,
urban_website; its /shop/* addresses lead there): it is never indexed.

- Files of the export are served as they are; the bundles under
  `/webapp/_expo/static/` have content hashes in their names and are cached
  for a year (immutable); other files for an hour, revalidated by ETag.
- Any other path without a file extension is a route of the app (deep link
  such as /webapp/product/12): the app's HTML is answered (SPA fallback),
  never cached, with the runtime settings the app needs injected as
  `window.URBAN_CONFIG` (Stripe publishable key and Stripe.js URL).

Settings: `[urban] app_web_root` (default: the repository's mobile/dist),
`[urban] stripe_publishable_key` (env STRIPE_PUBLISHABLE_KEY),
`[urban] stripe_js_url` (tests point it at localstripe)."""
import json
import os
import posixpath
from http import HTTPStatus

from werkzeug.security import safe_join
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Response

from trytond.config import config
from trytond.wsgi import app

from urban_checkout import stripe_provider
from urbantherapy import security

PREFIX = '/webapp'
YEAR = 365 * 24 * 3600
HOUR = 3600
DEFAULT_ROOT = os.path.normpath(os.path.join(
        os.path.dirname(__file__), '..', 'mobile', 'dist'))


def web_root():
    return config.get('urban', 'app_web_root', default=None) or DEFAULT_ROOT


def runtime_config():
    return {
        'stripePublishableKey': stripe_provider.publishable_key(),
        'stripeJsUrl': stripe_provider.js_url(),
        }


def _html(request, root):
    path = os.path.join(root, 'index.html')
    with open(path, encoding='utf-8') as file:
        html = file.read()
    settings = json.dumps(runtime_config()).replace('</', '<\\/')
    script = '<script>window.URBAN_CONFIG=%s;</script>' % settings
    html = html.replace('</head>', script + '</head>', 1)
    response = Response(html, content_type='text/html; charset=utf-8')
    response.headers['Cache-Control'] = 'no-cache'
    response.headers['X-Content-Type-Options'] = 'nosniff'
    response.headers['Referrer-Policy'] = security.REFERRER_POLICY
    response.headers['Content-Security-Policy'] = str(security.shop_policy(
            html, stripe_js=stripe_provider.js_url()))
    return response


def serve(request, path):
    response = _serve(request, path)
    response.headers['X-Robots-Tag'] = 'noindex'
    return response


def _serve(request, path):
    root = web_root()
    if not os.path.isfile(os.path.join(root, 'index.html')):
        return Response("The web shop is not built (make app-web).",
            status=HTTPStatus.SERVICE_UNAVAILABLE, content_type='text/plain')
    path = path.strip('/')
    if not path or path == 'index.html':
        return _html(request, root)
    filename = safe_join(root, path)
    if filename is None:
        return Response('Not Found', status=HTTPStatus.NOT_FOUND,
            content_type='text/plain')
    if os.path.isfile(filename):
        immutable = path.startswith('_expo/static/')
        response = send_file(filename, request.environ, conditional=True,
            etag=True, max_age=YEAR if immutable else HOUR)
        response.headers['Cache-Control'] = (
            'public, max-age=%d, immutable' % YEAR if immutable
            else 'public, max-age=%d' % HOUR)
        return response
    if posixpath.splitext(path)[1]:
        # a missing asset is a 404, not the app's HTML
        return Response('Not Found', status=HTTPStatus.NOT_FOUND,
            content_type='text/plain')
    return _html(request, root)


@app.route(PREFIX, methods={'GET', 'HEAD'})
def shop_root(request):
    return redirect(PREFIX + '/', code=HTTPStatus.MOVED_PERMANENTLY)


@app.route(PREFIX + '/', methods={'GET', 'HEAD'})
def shop_index(request):
    return serve(request, '')


@app.route(PREFIX + '/<path:path>', methods={'GET', 'HEAD'})
def shop_file(request, path):
    return serve(request, path)
