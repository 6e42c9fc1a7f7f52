# Throttle of public forms (and any other repeated action) per client:
# events are rows in the database, so every web worker shares the count;
# an action over its limit is refused at once with the seconds to wait
# (an HTTP 429 with Retry-After), nothing sleeps.
import datetime as dt
import hashlib
import ipaddress
import math

from sql.aggregate import Count, Min

from trytond.model import Index, ModelSQL, fields
from trytond.transaction import Transaction


def client_key(ip):
    """The throttle key of a client address: the address itself for IPv4,
    its /64 network for IPv6 (one subscriber's whole range)"""
    try:
        address = ipaddress.ip_address((ip or '').strip())
    except ValueError:
        return ip or ''
    if address.version == 6:
        return str(ipaddress.ip_network('%s/64' % address, strict=False))
    return str(address)


class Throttle(ModelSQL):
    "Throttle"
    __name__ = 'urban.throttle'

    scope = fields.Char("Scope", required=True)
    key = fields.Char("Key", required=True,
        help="SHA-256 of what is throttled (e.g. the client's address).")
    at = fields.Timestamp("At", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_indexes.add(Index(table,
                (table.scope, Index.Equality()),
                (table.key, Index.Equality()),
                (table.at, Index.Range())))

    @staticmethod
    def _digest(key):
        return hashlib.sha256((key or '').encode('utf-8')).hexdigest()

    @classmethod
    def hit(cls, scope, key, limit, window):
        """Count an action of key in scope; None when it is allowed (at most
        limit actions in the last window seconds, this one included), else
        the seconds until the next one is allowed (the refused action is
        not counted). Call it before the action's own work and commit (the
        action may fail and roll back, the hit must stay)."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        now = dt.datetime.now()
        since = now - dt.timedelta(seconds=window)
        digest = cls._digest(key)
        # what is out of every window of this scope is never read again
        cursor.execute(*table.delete(
                where=(table.scope == scope) & (table.at < since)))
        cursor.execute(*table.select(Count(table.id), Min(table.at),
                where=(table.scope == scope) & (table.key == digest)
                & (table.at >= since)))
        count, oldest = cursor.fetchone()
        if count >= limit:
            if isinstance(oldest, str):  # SQLite
                oldest = dt.datetime.fromisoformat(oldest)
            wait = (oldest - since).total_seconds() if oldest else window
            return max(1, math.ceil(wait))
        cls.create([{'scope': scope, 'key': digest, 'at': now}])
        return None
