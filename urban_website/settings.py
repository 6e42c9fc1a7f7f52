"""Website settings from the trytond configuration, section [urban].

| option | default | what |
|---|---|---|
| database | urban | the database the public pages read (never in URLs) |
| site_url | http://127.0.0.1:8000 | public base URL for canonical links, hreflang, sitemap, QR codes |
| app_store_url | App Store search for Urban Therapy | iOS store link |
| play_store_url | Google Play search for Urban Therapy | Android store link |
| app_product_url | urbantherapy://products/{code} | "buy in the app" deep link |
| webshop_product_url | /shop/products/{code} | the product in the web shop (relative: on site_url) |
| pro_url | /pro/ | the pro portal |
| page_max_age | 300 | Cache-Control max-age of public pages (seconds) |
"""
from trytond import config

DEFAULTS = {
    'database': 'urban',
    'site_url': 'http://127.0.0.1:8000',
    'app_store_url': 'https://apps.apple.com/be/search?term=urban%20therapy',
    'play_store_url': (
        'https://play.google.com/store/search?q=urban%20therapy&c=apps'),
    'app_product_url': 'urbantherapy://products/{code}',
    'webshop_product_url': '/shop/products/{code}',
    'pro_url': '/pro/',
    'page_max_age': '300',
    }


def get(name):
    value = config.get('urban', name, default=DEFAULTS[name])
    if name == 'site_url':
        value = value.rstrip('/')
    return value


def absolute(path):
    "path (or an absolute URL) made absolute on site_url"
    if '://' in path:
        return path
    return get('site_url') + path
