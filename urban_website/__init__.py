# Urban Therapy website: landing, universes, product and shop pages, QR
# landing, legal pages, sitemap and robots (channel module: it only renders
# the domain modules' data).
from . import routes  # noqa: F401  (registers the routes on trytond's app)
from . import pro  # noqa: F401,E402  (the /pro portal)
from . import account  # noqa: F401,E402  (the account e-mails' pages)
from . import shop_cart, shop_checkout  # noqa: F401,E402  (the web shop)
from . import shop_account  # noqa: F401,E402  (the customer's account)
from . import shop_delivery  # noqa: F401,E402  (delivery and returns)
from . import shop_messages  # noqa: F401,E402  (messages to the shops)
from . import old_shop  # noqa: F401,E402  (/shop/* → the site's pages)
