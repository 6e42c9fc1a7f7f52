"""Tryton's own till (sale_point) in the same database: nothing to sync.

Its sales post their stock moves themselves (sale.point.sale post), so a
native account has no webhook, no polling and no outbox."""
from .base import Connector


class Native(Connector):
    code = 'native'
    name = "Tryton sale point (native)"
    remote = False

    def verify(self, url, headers, body):
        return False

    def parse_webhook(self, query, headers, body):
        return []

    def read_levels(self, outlet_ref, product_refs):
        return []

    def push_adjustments(self, adjustments, key):
        return []

    def push_product(self, product_ref, values):
        return {}
