from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields


class Creator(DeactivableMixin, ModelSQL, ModelView):
    """Brand or creator behind a product: our own brand or an independent
    designer"""
    __name__ = 'urban.creator'

    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True,
        help="Short stable identifier used in URLs and imports.")
    kind = fields.Selection([
            ('own_brand', "Own brand"),
            ('designer', "Independent designer"),
            ], "Kind", required=True, sort=False)
    bio = fields.Text("Short Bio", translate=True)
    city = fields.Char("City")
    website = fields.Char("Website")
    templates = fields.One2Many('product.template', 'creator', "Products")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'urban_catalog.msg_creator_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def default_kind(cls):
        return 'designer'
