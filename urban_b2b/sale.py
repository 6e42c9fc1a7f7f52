"""Pro orders are sales of an approved company placed by one of its buyers
(`b2b_buyer`). The pro cart is the buyer's draft sale; its lines carry the
pro price of their quantity (tiers). Quoting a pro sale checks case packs,
minimum quantities and the minimum order amount; confirming it reserves
the stock (urban_stock) and e-mails the buyer."""
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from . import mail, rules


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    b2b_buyer = fields.Many2One('web.user', "Pro Buyer", readonly=True,
        ondelete='RESTRICT')
    b2b_payment = fields.Selection([
            (None, ""),
            ('invoice', "30-day Invoice"),
            ], "Pro Payment", readonly=True,
        states={'invisible': ~Eval('b2b_buyer')})

    # -- cart ---------------------------------------------------------------

    @classmethod
    def b2b_cart(cls, user, create=True):
        "The buyer's cart: their draft pro sale (created when create)"
        company = user.b2b_company
        if not company:
            raise UserError(gettext('urban_b2b.msg_not_pro'))
        carts = cls.search([
                ('b2b_buyer', '=', user.id),
                ('state', '=', 'draft'),
                ], order=[('id', 'DESC')], limit=1)
        if carts:
            return carts[0]
        if not create:
            return None
        sale = cls(party=company, b2b_buyer=user)
        sale.on_change_party()
        sale.price_list = company.b2b_price_list()
        sale.invoice_method = 'order'
        sale.save()
        return sale

    def b2b_set_quantities(self, quantities, add=False):
        """Set (or add when add) the quantities {product: quantity} of the
        cart at their pro prices; a quantity of 0 removes the line"""
        pool = Pool()
        Line = pool.get('sale.line')
        assert self.state == 'draft' and self.b2b_buyer
        lines = {l.product.id: l for l in self.lines
            if l.type == 'line' and l.product}
        to_save, to_delete = [], []
        for product, quantity in quantities.items():
            line = lines.get(product.id)
            if add and line:
                quantity += line.quantity
            if quantity <= 0:
                if line:
                    to_delete.append(line)
                continue
            if not line:
                line = Line(sale=self, type='line', product=product,
                    unit=product.sale_uom)
                line.taxes = line.compute_taxes(self.party)
            line.quantity = quantity
            price = rules.unit_price(self.party, product, quantity)
            if price is None:
                raise UserError(gettext('urban_b2b.msg_no_pro_price',
                        product=product.rec_name))
            line.unit_price = price
            to_save.append(line)
        Line.delete(to_delete)
        Line.save(to_save)
        self.b2b_reprice()

    def b2b_reprice(self):
        "Pro prices of the cart's lines at their quantities (tiers)"
        Line = Pool().get('sale.line')
        changed = []
        for line in self.__class__(self.id).lines:
            if line.type != 'line' or not line.product:
                continue
            price = rules.unit_price(self.party, line.product, line.quantity)
            if price is not None and price != line.unit_price:
                line.unit_price = price
                changed.append(line)
        Line.save(changed)

    def b2b_errors(self):
        "Messages of what prevents ordering the sale (empty when none)"
        errors = []
        for line in self.lines:
            if line.type != 'line' or not line.product:
                continue
            errors.extend(rules.line_errors(line.product, line.quantity))
        minimum = rules.minimum_amount()
        if not any(l.type == 'line' for l in self.lines):
            errors.append(gettext('urban_b2b.msg_empty_order'))
        elif (self.untaxed_amount or 0) < minimum:
            errors.append(gettext('urban_b2b.msg_minimum_amount',
                    amount=minimum, currency=self.currency.code))
        return errors

    @classmethod
    @ModelView.button
    @Workflow.transition('quotation')
    def quote(cls, sales):
        for sale in sales:
            if sale.b2b_buyer:
                errors = sale.b2b_errors()
                if errors:
                    raise UserError(gettext('urban_b2b.msg_order_refused',
                            sale=sale.rec_name, errors='\n'.join(errors)))
        super().quote(sales)

    @classmethod
    def b2b_payments(cls):
        "The ways a pro may pay an order"
        return [v for v, _ in cls.b2b_payment.selection if v]

    def b2b_place(self, pickup_shop=None, payment='invoice'):
        """Order the cart: delivery to the company (or pickup at the shop
        pickup_shop), quoted (rules checked), then paid as payment says:
        on 30-day invoice the order is confirmed (stock reserved) and
        e-mailed to the buyer at once; other ways are placed by
        `_b2b_place_<payment>`"""
        pool = Pool()
        Configuration = pool.get('urban.b2b.configuration')
        config = Configuration(1)
        if payment not in self.b2b_payments():
            raise UserError(gettext('urban_b2b.msg_payment_unknown'))
        self.b2b_payment = payment
        if payment == 'invoice' and config.invoice_payment_term:
            self.payment_term = config.invoice_payment_term
        if pickup_shop:
            if not pickup_shop.pickup_enabled:
                raise UserError(gettext('urban_b2b.msg_no_pickup',
                        shop=pickup_shop.rec_name))
            self.warehouse = pickup_shop
            self.click_collect = True
            self.shipment_address = (
                pickup_shop.address or self.shipment_address)
        else:
            self.click_collect = False
            if not self.warehouse:
                warehouses = pool.get('stock.location').search([
                        ('type', '=', 'warehouse'),
                        ('fulfils_online', '=', True),
                        ], limit=1)
                self.warehouse = warehouses[0] if warehouses else None
        self.save()
        self.b2b_reprice()
        self.quote([self])
        getattr(self, '_b2b_place_%s' % payment)()
        return self

    def _b2b_place_invoice(self):
        self.confirm([self])
        self.b2b_send_confirmation()

    def b2b_send_confirmation(self):
        lang = self.party.lang.code[:2] if self.party.lang else 'fr'
        return mail.send(self.b2b_buyer.email, 'order', lang, {
                'number': self.number,
                'company': self.party.rec_name,
                'untaxed': '%s %s' % (self.untaxed_amount, self.currency.code),
                'total': '%s %s' % (self.total_amount, self.currency.code),
                'lines': ['%s × %s' % (int(l.quantity), l.product.rec_name)
                    for l in self.lines if l.type == 'line' and l.product],
                'shop': self.warehouse.rec_name if self.click_collect
                else None,
                'invoice': self.b2b_payment == 'invoice',
                'card': self.b2b_payment == 'card',
                })

    @classmethod
    def b2b_reorder(cls, sale, user):
        "Add the lines of the past order sale to the buyer's cart"
        cart = cls.b2b_cart(user)
        quantities = {}
        for line in sale.lines:
            if line.type == 'line' and line.product and line.quantity > 0:
                quantities[line.product] = (
                    quantities.get(line.product, 0) + line.quantity)
        cart.b2b_set_quantities(quantities, add=True)
        return cart

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('b2b_buyer')
        default.setdefault('b2b_payment')
        return super().copy(sales, default=default)
