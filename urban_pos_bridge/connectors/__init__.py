"Till connectors: one class per API, chosen by the account's connector"
from .base import (  # noqa: F401
    Adjustment, BadPayload, ConnectorError, InboxItem, Level, RateLimited,
    Rejected, Sale, SaleLine, Timeout, Unauthorized, Unavailable)
from .lightspeed_x import LightspeedX
from .native import Native
from .square import Square

CONNECTORS = {c.code: c for c in [LightspeedX, Square, Native]}


def selection():
    return [(code, c.name) for code, c in CONNECTORS.items()]
