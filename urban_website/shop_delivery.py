"""The public page "Delivery and returns" (/delivery, /nl/delivery,
/en/delivery): the delivery methods to each country we deliver to with
their price and delivery time, as the checkout offers them
(urban_checkout.shipping: Sendcloud's), click & collect (free, the pickup
shops, when an order is ready and how long it waits, urban_checkout and
urban_stock's rules) and returns (the terms of sale's section, and the
refund urban_checkout makes when the goods come back)."""
from . import i18n, legal, seller
from .render import page
from .routes import localized
from .shop_checkout import COUNTRY_NAMES


def _(lang, text, **variables):
    return i18n.gettext(lang, text, **variables)


def offers(lang):
    "[(country code, name, delivery methods)] of the countries we deliver to"
    from urban_checkout import shipping
    return [(code, _(lang, COUNTRY_NAMES[code]),
            shipping.delivery_methods(code))
        for code in shipping.COUNTRIES]


@localized('/delivery')
def delivery(request, pool, lang):
    from urban_checkout import checkout
    Sale = pool.get('sale.sale')
    title = _(lang, "Delivery and returns")
    return page(request, 'delivery.html', lang,
        {l: '/delivery' for l in i18n.LANGUAGES},
        title="%s — Urban Therapy" % title,
        description=_(lang, "Home delivery in Belgium and nearby countries "
            "with its prices and delivery times, free click & collect in our "
            "shops, and how to return an article."),
        heading=title, offers=offers(lang), shops=checkout.pickup_shops(),
        preparation_hours=int(
            checkout.PREPARATION.total_seconds() // 3600),
        pickup_days=Sale.collect_pickup_window().days,
        withdrawal=legal.section('terms', legal.TERMS_WITHDRAWAL, lang,
            seller.identity()))
