"""The public base URL of the site: `[urban] site_url` (production sets it
to the public HTTPS address), else the address trytond listens on
(`[web] listen`), so that links in pages, e-mails, the sitemap, QR codes
and payment redirects follow the port actually served."""
from trytond import config

UNSPECIFIED = {'0.0.0.0', '::', '[::]', ''}


def site_url():
    url = config.get('urban', 'site_url', default=None)
    if not url:
        listen = config.get('web', 'listen', default='localhost:8000')
        host, _, port = listen.rpartition(':')
        if host in UNSPECIFIED:
            host = '127.0.0.1'
        url = 'http://%s:%s' % (host, port)
    return url.rstrip('/')


def absolute(path):
    "path (or an absolute URL) made absolute on the site URL"
    if '://' in path:
        return path
    return site_url() + path
