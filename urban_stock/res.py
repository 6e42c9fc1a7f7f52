from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    shops = fields.Many2Many('res.user-urban.shop', 'user', 'shop', "Shops",
        domain=[('type', '=', 'warehouse')],
        help="The shops whose stock and orders this user may see when in "
        "the shop staff group.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # secrets are read by the administrators only (security.xml): a
        # client reading a whole user (proteus) must not ask for them
        for name in ['password_hash', 'password_reset',
                'password_reset_expire']:
            getattr(cls, name).loading = 'lazy'

    @classmethod
    def get_shops(cls):
        "Ids of the shops of the current user, for record rules"
        user_id = Transaction().user
        if not user_id:
            return []
        return [s.id for s in cls(user_id).shops]

    @classmethod
    def get_staff_shops(cls):
        """The shops of the current user when in the shop staff group (the
        only shops whose stock they may reserve or move out), else None"""
        ModelData = Pool().get('ir.model.data')
        if not Transaction().user:
            return None
        staff = ModelData.get_id('urban_stock', 'group_shop_staff')
        if staff not in cls.get_groups():
            return None
        return set(cls.get_shops())


class UserApplication(metaclass=PoolMeta):
    __name__ = 'res.user.application'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # read by the administrators only (security.xml)
        cls.key.loading = 'lazy'


class UserShop(ModelSQL):
    "User - Shop"
    __name__ = 'res.user-urban.shop'
    user = fields.Many2One('res.user', "User", required=True,
        ondelete='CASCADE')
    shop = fields.Many2One('stock.location', "Shop", required=True,
        ondelete='CASCADE')


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += '\n- "shops" as list of ids from the current user'

    @classmethod
    def _get_cache_key(cls, model_names):
        User = Pool().get('res.user')
        return (*super()._get_cache_key(model_names), tuple(User.get_shops()))

    @classmethod
    def _get_context(cls, model_name):
        User = Pool().get('res.user')
        context = super()._get_context(model_name)
        context['shops'] = User.get_shops()
        return context
