"""What pros may buy and how: case pack (quantities are multiples of it)
and minimum order quantity per article, publication to the pro catalogue
and its collection."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    b2b_published = fields.Boolean("Sold to Pros",
        help="Show the article in the pro catalogue.")
    b2b_case_pack = fields.Integer("Case Pack",
        domain=['OR', ('b2b_case_pack', '=', None),
            ('b2b_case_pack', '>', 0)],
        states={'invisible': ~Eval('b2b_published')},
        help="Pros order multiples of this quantity.")
    b2b_minimum_quantity = fields.Integer("Minimum Order Quantity",
        domain=['OR', ('b2b_minimum_quantity', '=', None),
            ('b2b_minimum_quantity', '>=', 0)],
        states={'invisible': ~Eval('b2b_published')},
        help="The least quantity of the article in a pro order.")
    b2b_collection = fields.Char("Pro Collection", translate=True,
        states={'invisible': ~Eval('b2b_published')},
        help="The collection (season, theme) of the pro catalogue.")

    @classmethod
    def default_b2b_published(cls):
        return False

    @classmethod
    def default_b2b_case_pack(cls):
        return 1

    @classmethod
    def default_b2b_minimum_quantity(cls):
        return 1

    @property
    def case_pack(self):
        return max(self.b2b_case_pack or 1, 1)

    @property
    def minimum_quantity(self):
        "The minimum quantity, rounded up to a whole case"
        pack = self.case_pack
        minimum = max(self.b2b_minimum_quantity or 0, pack)
        return -(-minimum // pack) * pack
