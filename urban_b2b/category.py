"""Customer categories of pros (retailer, concept store, corporate): each
has its price list; a company may have its own that wins."""
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields


class Category(DeactivableMixin, ModelSQL, ModelView):
    "Pro Customer Category"
    __name__ = 'urban.b2b.category'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True,
        help="Kind of shop chosen on the application form.")
    price_list = fields.Many2One('product.price_list', "Price List",
        required=True, ondelete='RESTRICT',
        help="Pro prices (excl. VAT) with their quantity tiers.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
