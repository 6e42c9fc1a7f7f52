# When a sale is processed (its order accepted): points for B2C purchases,
# the referrer's reward for a friend's first order.
from trytond.model import ModelView
from trytond.pool import Pool, PoolMeta


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    @ModelView.button
    def process(cls, sales):
        super().process(sales)
        cls.loyalty_processed(cls.browse([s.id for s in sales]))

    @classmethod
    def loyalty_processed(cls, sales):
        pool = Pool()
        Points = pool.get('urban.loyalty.points')
        Referral = pool.get('urban.loyalty.referral')
        orders = [s for s in sales if s.state in {'processing', 'done'}]
        for sale in orders:
            if sale.loyalty_earns():
                Points.earn(sale.party, sale.total_amount, sale,
                    date=sale.sale_date, description=sale.number)
        Referral.reward(orders)

    def loyalty_earns(self):
        """Whether the sale is a B2C purchase that earns points (channels
        that sell to consumers say so)"""
        return False
