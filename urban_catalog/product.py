from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Category(metaclass=PoolMeta):
    __name__ = 'product.category'

    universe = fields.Boolean("Universe",
        help="A top-level product universe shown to customers.")
    universe_description = fields.Text("Universe Description", translate=True,
        states={'invisible': ~Eval('universe', False)})
    universe_sequence = fields.Integer("Universe Sequence",
        states={'invisible': ~Eval('universe', False)})
    universe_image = fields.Function(fields.Many2One(
            'product.category.image', "Universe Image",
            states={'invisible': ~Eval('universe', False)},
            help="The first of the category's images, shown on the "
            "universe's page."),
        'get_universe_image')

    @classmethod
    def default_universe(cls):
        return False

    def get_universe_image(self, name):
        return self.images[0].id if self.images else None


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    creator = fields.Many2One('urban.creator', "Brand / Creator",
        ondelete='RESTRICT')
    universe = fields.Many2One('product.category', "Universe",
        domain=[('universe', '=', True)], ondelete='RESTRICT')
    description_long = fields.Text("Long Description", translate=True)
    new_arrival_date = fields.Date("New Arrival Date",
        help="Shown among new arrivals from this date.")
