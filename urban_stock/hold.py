"""Limits on what unpaid orders may hold (no hoarding).

An order that is not paid yet holds its units for a short while
(`unpaid_hold_minutes`), and `Reservation.reserve(..., holder=...)` bounds
what one customer (or guest) holds unpaid:

- per product, all shops together, at most `unpaid_max_units` units held by
  the holder's unpaid orders (empty: no limit);
- a holder whose e-mail address is not verified cannot hold the last
  `last_units` units of a product in a shop (0: no such rule): after the
  hold, at least that many must stay available.

An order accepted (paid, or confirmed on credit) no longer counts: its
reservations lose their holder (urban_stock/sale.py)."""
import datetime as dt
import zlib

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

UNPAID_HOLD_MINUTES = 15
UNPAID_MAX_UNITS = 10
LAST_UNITS = 2
#: first key of the per-holder advisory lock ('UHLD')
LOCK_NAMESPACE = 0x55484c44


class Configuration(metaclass=PoolMeta):
    __name__ = 'stock.configuration'

    unpaid_hold_minutes = fields.Integer("Unpaid Hold (Minutes)",
        required=True,
        domain=[('unpaid_hold_minutes', '>=', 1)],
        help="How long an order not paid yet holds its units; once paid "
        "the order keeps them.")
    unpaid_max_units = fields.Integer("Units Held Unpaid per Customer",
        domain=['OR',
            ('unpaid_max_units', '=', None),
            ('unpaid_max_units', '>=', 1),
            ],
        help="The most units of one product (all shops together) one "
        "customer or guest may hold in orders not paid yet. Empty: no "
        "limit.")
    last_units = fields.Integer("Last Units for Verified Customers",
        domain=['OR',
            ('last_units', '=', None),
            ('last_units', '>=', 0),
            ],
        help="The last units of a product in a shop cannot be held unpaid "
        "by a customer whose e-mail address is not verified. 0 or empty: "
        "no such rule.")

    @classmethod
    def default_unpaid_hold_minutes(cls):
        return UNPAID_HOLD_MINUTES

    @classmethod
    def default_unpaid_max_units(cls):
        return UNPAID_MAX_UNITS

    @classmethod
    def default_last_units(cls):
        return LAST_UNITS


def limits():
    "(unpaid hold timedelta, max units per holder or None, last units)"
    config = Pool().get('stock.configuration')(1)
    return (dt.timedelta(minutes=config.unpaid_hold_minutes
            or UNPAID_HOLD_MINUTES),
        config.unpaid_max_units or None,
        config.last_units or 0)


def lock_holder(holder):
    """Serialise the unpaid holds of holder until the end of the
    transaction (taken before the product locks: no deadlock)"""
    transaction = Transaction()
    if transaction.database.flavor.paramstyle == 'format':
        transaction.connection.cursor().execute(
            'SELECT pg_advisory_xact_lock(%s, %s)',
            (LOCK_NAMESPACE, zlib.crc32(holder.encode()) - 2 ** 31))
