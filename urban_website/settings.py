"""Website settings from the trytond configuration, section [urban].

Option (default): what.

- database (urban): the database the public pages read (never in URLs)
- site_url (the address served, `[web] listen`): public base URL for
  canonical links, hreflang, sitemap, QR codes
- app_store_url (App Store search for Urban Therapy): iOS store link
- play_store_url (Google Play search for Urban Therapy): Android store link
- pro_url (/pro/): the pro portal
- page_max_age (300): Cache-Control max-age of public pages (seconds)
- form_throttle (5/3600): submissions of a public form (newsletter, pro
  application) allowed per client address and per seconds
- checkout_throttle (20/3600): orders placed on the site's checkout per
  client address and per seconds (each one holds stock and starts a
  payment)
- account_session_days (30): a customer's site session ends after so many
  days without a visit of their account
"""
from trytond import config

DEFAULTS = {
    'database': 'urban',
    'site_url': 'http://127.0.0.1:8000',
    'app_store_url': 'https://apps.apple.com/be/search?term=urban%20therapy',
    'play_store_url': (
        'https://play.google.com/store/search?q=urban%20therapy&c=apps'),
    'pro_url': '/pro/',
    'page_max_age': '300',
    'form_throttle': '5/3600',
    'checkout_throttle': '20/3600',
    'account_session_days': '30',
    }


def get(name):
    if name == 'site_url':
        # the served address unless configured (urban_catalog.site)
        from urban_catalog.site import site_url
        return site_url()
    return config.get('urban', name, default=DEFAULTS[name])


def absolute(path):
    "path (or an absolute URL) made absolute on site_url"
    if '://' in path:
        return path
    return get('site_url') + path
