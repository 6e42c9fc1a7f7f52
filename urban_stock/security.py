"""Access checks beyond what record rules and field access can say.

Record rules keep shop staff to their own shops' records and field access
keeps secrets to the administrators (security.xml of each module). Two
gaps are closed here:

- stock: a shop's staff may ask another shop for goods (a draft transfer
  from its shelves) but never reserve (assign) or take (do) stock out of
  another shop's locations; buttons run without access checks, so the
  moves refuse it themselves, whatever the path (transfer, inventory,
  standalone move);
- search: Tryton checks the read access of every model and field a search
  names, following dotted paths, but not the operand of a 'where' clause,
  which is converted without access checks: ('b2b_buyers', 'where',
  [('reset_password_token', '=', guess)]) on a party, or ('user', 'where',
  ...) on a push device, would tell, one guess at a time, the value of a
  field the user may not read. ModelStorage.search, where Tryton runs
  those checks, checks the operands too, as a search of their target.
"""
from trytond.i18n import gettext
from trytond.model import ModelStorage
from trytond.model.exceptions import AccessError
from trytond.model.modelstorage import is_leaf
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def assign(cls, moves):
        cls.check_shop_staff_source(moves)
        super().assign(moves)

    @classmethod
    def do(cls, moves):
        cls.check_shop_staff_source(moves)
        super().do(moves)

    @classmethod
    def check_shop_staff_source(cls, moves):
        "Shop staff reserve and move out only their own shops' stock"
        User = Pool().get('res.user')
        shops = User.get_staff_shops()
        if shops is None:
            return
        for move in moves:
            warehouse = move.from_location.warehouse
            if warehouse and warehouse.id not in shops:
                raise AccessError(gettext(
                        'urban_stock.msg_stock_other_shop',
                        shop=warehouse.rec_name,
                        product=move.product.rec_name))


def _where_targets(Model, domain):
    "(target model, operand) of the 'where' clauses at the top of domain"
    pool = Pool()
    if is_leaf(domain):
        name, operator, value = domain[:3]
        if operator not in {'where', 'not where'}:
            return
        Target = Model
        for part in name.split('.'):
            field = Target._fields.get(part)
            if field is None or not hasattr(field, 'get_target'):
                return
            if field._type == 'reference':
                if len(domain) < 4:
                    return
                Target = pool.get(domain[3])
            else:
                Target = field.get_target()
        yield Target, value
    elif isinstance(domain, (list, tuple)):
        for clause in domain:
            if not isinstance(clause, str):
                yield from _where_targets(Model, clause)


def _check_where_operands(search):
    def wrapper(cls, domain, offset=0, limit=None, order=None, count=False):
        result = search(cls, domain, offset=offset, limit=limit, order=order,
            count=count)
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            for Target, operand in _where_targets(cls, domain):
                # the same checks as a search of the target, recursively
                wrapper(Target, operand, order=[])
        return result
    wrapper.checks_where_operands = True
    return wrapper


if not getattr(ModelStorage.search, 'checks_where_operands', False):
    ModelStorage.search = classmethod(
        _check_where_operands(ModelStorage.search.__func__))
