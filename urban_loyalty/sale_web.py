# Orders of the app and the web shop (web.shop) are B2C purchases: they earn
# points, except for the shop's anonymous guest customer.
from trytond.pool import PoolMeta


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    def loyalty_earns(self):
        earns = super().loyalty_earns()
        shop = getattr(self, 'web_shop', None)
        if shop and self.party and self.party != shop.guest_party:
            return True
        return earns
