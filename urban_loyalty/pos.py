# Shop purchases rung up on a till (urban_pos_bridge): a booked sale of a
# known customer earns points (a return takes them back) and is a candidate
# for the next day's review nudge.
import datetime as dt

from trytond.pool import Pool, PoolMeta


class PosSale(metaclass=PoolMeta):
    __name__ = 'urban.pos.sale'

    @classmethod
    def on_modification(cls, mode, sales, field_names=None):
        super().on_modification(mode, sales, field_names=field_names)
        if mode == 'create':
            cls.loyalty_earn(sales)

    @classmethod
    def loyalty_earn(cls, sales):
        Points = Pool().get('urban.loyalty.points')
        for sale in sales:
            if sale.state == 'booked' and sale.party and sale.total_amount:
                Points.earn(sale.party, sale.total_amount, sale,
                    date=sale.date.date() if sale.date else None,
                    description=sale.rec_name)


class PointsLine(metaclass=PoolMeta):
    __name__ = 'urban.loyalty.points'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['urban.pos.sale']


class ReviewNudge(metaclass=PoolMeta):
    __name__ = 'urban.loyalty.review_nudge'

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['urban.pos.sale']

    @classmethod
    def _shop_purchases(cls, date):
        PosSale = Pool().get('urban.pos.sale')
        start = dt.datetime.combine(date, dt.time())
        purchases = super()._shop_purchases(date)
        for sale in PosSale.search([
                    ('date', '>=', start),
                    ('date', '<', start + dt.timedelta(days=1)),
                    ('state', '=', 'booked'),
                    ('is_return', '!=', True),
                    ('party', '!=', None),
                    ], order=[('date', 'ASC')]):
            purchases.append((sale.party, sale.shop, sale))
        return purchases
