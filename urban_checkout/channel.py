"""The app's sales channel: Tryton's web.shop record the API sells through.

Its company, currency, warehouses (shops offered for pickup and delivery),
guest party and published products configure the app. Chosen by
`[urban] app_web_shop` (the web.shop name), else the first web shop.
"""
from trytond.config import config


def web_shop(pool):
    WebShop = pool.get('web.shop')
    name = config.get('urban', 'app_web_shop', default=None)
    domain = [('name', '=', name)] if name else []
    shops = WebShop.search(domain, limit=1, order=[('id', 'ASC')])
    return shops[0] if shops else None
