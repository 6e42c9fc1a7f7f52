# When a sale is processed (its order accepted): points for B2C purchases,
# the referrer's reward for a friend's first order. When it is cancelled,
# or fully returned (a return is a sale with negative quantities whose
# origin is the purchase), its points are taken back (points.py).
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
    @ModelView.button
    def cancel(cls, sales):
        super().cancel(sales)
        cls.loyalty_reverse([s for s in cls.browse([s.id for s in sales])
                if s.state == 'cancelled'])

    @classmethod
    def loyalty_processed(cls, sales):
        pool = Pool()
        Points = pool.get('urban.loyalty.points')
        Referral = pool.get('urban.loyalty.referral')
        orders = [s for s in sales if s.state in {'processing', 'done'}]
        for sale in orders:
            if sale.loyalty_earns() and sale.total_amount > 0:
                Points.earn(sale.party, sale.total_amount, sale,
                    date=sale.sale_date, description=sale.number)
        Referral.reward(orders)
        voided = [s for s in orders if s.loyalty_voided()]
        returned = {s.origin for s in orders
            if isinstance(s.origin, cls) and s.origin.id >= 0
            and s.origin.loyalty_fully_returned()}
        cls.loyalty_reverse(voided + list(returned))

    @classmethod
    def loyalty_reverse(cls, sales):
        "Take back the points earned by sales"
        Points = Pool().get('urban.loyalty.points')
        for sale in sales:
            Points.reverse(sale)

    def loyalty_earns(self):
        """Whether the sale is a B2C purchase that earns points (channels
        that sell to consumers say so)"""
        return False

    def loyalty_voided(self):
        """Whether a processed sale was given up before anything was
        delivered: every goods move cancelled and no invoice left"""
        moves = [m for l in self.lines if l.type == 'line'
            for m in l.moves]
        return bool(moves) and all(m.state == 'cancelled' for m in moves) and (
            all(i.state == 'cancelled' for i in self.invoices))

    def loyalty_fully_returned(self):
        """Whether processed returns (sales with negative quantities whose
        origin is this sale) give back every unit bought"""
        bought, returned = {}, {}
        for line in self.lines:
            if line.type == 'line' and line.product and line.quantity > 0:
                key = line.product.id
                bought[key] = bought.get(key, 0) + line.quantity
        if not bought:
            return False
        for sale in self.search([
                    ('origin', '=', str(self)),
                    ('state', 'in', ['processing', 'done']),
                    ]):
            for line in sale.lines:
                if (line.type == 'line' and line.product
                        and line.quantity < 0):
                    key = line.product.id
                    returned[key] = returned.get(key, 0) - line.quantity
        return all(returned.get(k, 0) >= q for k, q in bought.items())
