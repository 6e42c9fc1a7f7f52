# Urban Therapy app API /api/v1 (channel module: thin, on top of the domain
# modules).
# The routes register themselves on trytond's WSGI app when imported.
from . import openapi, routes_meta, routes_shops  # noqa: F401
from . import routes_auth, routes_catalog  # noqa: F401
from . import (  # noqa: F401,E402
    routes_cart, routes_checkout, routes_loyalty, routes_orders,
    routes_push, routes_qr, routes_service, routes_webhooks, web_export)
