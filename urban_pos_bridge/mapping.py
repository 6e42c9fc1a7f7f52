"""Product (and customer) mapping between Tryton and a till, and the report
of till items that could not be mapped."""
import datetime as dt

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool


class ProductMap(ModelSQL, ModelView):
    "POS Product Mapping"
    __name__ = 'urban.pos.product'

    account = fields.Many2One('urban.pos.account', "Account", required=True,
        ondelete='CASCADE')
    product = fields.Many2One('product.product', "Product", required=True,
        ondelete='CASCADE')
    external_id = fields.Char("Product ID in the Till", required=True)
    sku = fields.Char("SKU")
    product_dirty = fields.Boolean("Product Change to Push", readonly=True)
    last_error = fields.Text("Last Error", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('external_unique', Unique(t, t.account, t.external_id),
                'urban_pos_bridge.msg_product_external_unique'),
            ('product_unique', Unique(t, t.account, t.product),
                'urban_pos_bridge.msg_product_product_unique'),
            ]

    @classmethod
    def default_product_dirty(cls):
        return False

    @classmethod
    def resolve(cls, account, refs, details=None, looked_up=None):
        """{external id: product id} for refs [(external id, sku)]: the
        mapping table first, then the product code (or barcode) equal to
        the SKU, which is then remembered. Unknown refs are missing.
        details: a dict filled with {external id: (sku, name)} of what had
        to be read from the till. looked_up: {external id: (sku, name)}
        of what was read from the till already (in this batch), updated:
        a ref in it is not asked again."""
        pool = Pool()
        Product = pool.get('product.product')
        refs = {r: s for r, s in refs if r}
        result = {}
        if not refs:
            return result
        for mapping in cls.search([
                    ('account', '=', account.id),
                    ('external_id', 'in', list(refs)),
                    ]):
            result[mapping.external_id] = mapping.product.id
        unknown = [r for r, s in refs.items() if r not in result and not s]
        if unknown and account.remote:
            # polled objects may carry ids only: ask the till for the SKUs
            if looked_up is None:
                found = account.client.lookup_products(unknown)
            else:
                ask = [r for r in unknown if r not in looked_up]
                if ask:
                    answer = account.client.lookup_products(ask)
                    looked_up.update({r: answer.get(r, ('', ''))
                            for r in ask})
                found = {r: looked_up[r] for r in unknown
                    if any(looked_up[r])}
            if details is not None:
                details.update(found)
            refs.update({r: sku for r, (sku, _) in found.items() if sku})
        missing = {r: s for r, s in refs.items() if r not in result and s}
        if missing:
            if account.match_by == 'barcode':
                Identifier = pool.get('product.identifier')
                found = {i.code: i.product for i in Identifier.search([
                            ('code', 'in', list(missing.values())),
                            ('type', 'in', ['ean', 'upc', 'isbn', 'gtin']),
                            ])}
            else:
                found = {p.code: p for p in Product.search([
                            ('code', 'in', list(missing.values())),
                            ])}
            already = {m.product.id for m in cls.search([
                        ('account', '=', account.id),
                        ('product', 'in', [p.id for p in found.values()]),
                        ])}
            to_create = []
            for ref, sku in missing.items():
                product = found.get(sku)
                if product and product.id not in already:
                    result[ref] = product.id
                    already.add(product.id)
                    to_create.append({'account': account.id,
                            'product': product.id, 'external_id': ref,
                            'sku': sku})
            if to_create:
                cls.create(to_create)
        return result

    @classmethod
    def external_ids(cls, account, product_ids):
        """{product id: external id} of product_ids; products not mapped yet
        are looked up in the till by SKU (or barcode)."""
        Product = Pool().get('product.product')
        result = {m.product.id: m.external_id for m in cls.search([
                    ('account', '=', account.id),
                    ('product', 'in', list(product_ids)),
                    ])}
        missing = [p for p in Product.browse(
                [i for i in product_ids if i not in result])]
        if missing and account.remote:
            keys = {}
            for product in missing:
                key = cls._match_key(account, product)
                if key:
                    keys[key] = product
            found = account.client.find_products(sorted(keys))
            taken = {m.external_id for m in cls.search([
                        ('account', '=', account.id),
                        ('external_id', 'in', list(found.values())),
                        ])}
            to_create = []
            for key, ref in found.items():
                if ref in taken:
                    continue
                taken.add(ref)
                result[keys[key].id] = ref
                to_create.append({'account': account.id,
                        'product': keys[key].id, 'external_id': ref,
                        'sku': key})
            if to_create:
                cls.create(to_create)
        return result

    @staticmethod
    def _match_key(account, product):
        if account.match_by == 'barcode':
            for identifier in product.identifiers:
                if identifier.type in {'ean', 'upc', 'isbn', 'gtin'}:
                    return identifier.code
            return None
        return product.code

    @classmethod
    def push_products(cls, account):
        "Push name and price of the products changed in Tryton"
        pool = Pool()
        Account = pool.get('urban.pos.account')
        from .connectors import ConnectorError
        if not account.remote or account.is_paused():
            return
        mappings = cls.search([
                ('account', '=', account.id),
                ('product_dirty', '=', True),
                ], limit=200)
        client = account.client
        for mapping in mappings:
            product = mapping.product
            values = {'name': product.rec_name,
                'price': product.list_price_used or 0,
                'currency': 'EUR'}
            try:
                client.push_product(mapping.external_id, values)
            except ConnectorError as exception:
                if exception.retry:
                    Account.record_failure(account.id, exception)
                    return
                cls.write([mapping], {'last_error': str(exception),
                        'product_dirty': False})
                continue
            cls.write([mapping], {'product_dirty': False,
                    'last_error': None})


class UnmappedItem(ModelSQL, ModelView):
    "POS Unmapped Item: an item of the till no product matches"
    __name__ = 'urban.pos.unmapped'

    account = fields.Many2One('urban.pos.account', "Account", required=True,
        ondelete='CASCADE')
    external_id = fields.Char("ID in the Till", required=True, readonly=True)
    sku = fields.Char("SKU", readonly=True)
    name = fields.Char("Name", readonly=True)
    occurrences = fields.Integer("Occurrences", readonly=True)
    last_seen = fields.DateTime("Last Seen", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('external_unique', Unique(t, t.account, t.external_id),
                'urban_pos_bridge.msg_unmapped_unique'),
            ]
        cls._order.insert(0, ('last_seen', 'DESC'))

    @classmethod
    def report(cls, account, items, looked_up=None):
        """Record [(external id, sku, name)] as unmapped; a SKU or name
        missing is read from the till (staff see what the item is), unless
        in looked_up ({external id: (sku, name)} read already)"""
        now = dt.datetime.now()
        items = [i for i in items if i[0]]
        if not items:
            return
        if looked_up:
            items = [(ref, sku or looked_up.get(ref, ('', ''))[0],
                    name or looked_up.get(ref, ('', ''))[1])
                for ref, sku, name in items]
        lacking = [ref for ref, sku, name in items if not (sku and name)
            and ref not in (looked_up or {})]
        if lacking and account.remote:
            from .connectors import ConnectorError
            try:
                found = account.client.lookup_products(lacking)
            except ConnectorError:
                found = {}
            items = [(ref, sku or found.get(ref, ('', ''))[0],
                    name or found.get(ref, ('', ''))[1])
                for ref, sku, name in items]
        existing = {u.external_id: u for u in cls.search([
                    ('account', '=', account.id),
                    ('external_id', 'in', [i[0] for i in items]),
                    ])}
        to_create, to_save = [], []
        for ref, sku, name in items:
            if ref in existing:
                record = existing[ref]
                if record is None:  # twice in items
                    continue
                record.occurrences = (record.occurrences or 0) + 1
                record.last_seen = now
                record.sku = record.sku or sku or None
                record.name = record.name or name or None
                to_save.append(record)
            else:
                to_create.append({'account': account.id, 'external_id': ref,
                        'sku': sku, 'name': name, 'occurrences': 1,
                        'last_seen': now})
                existing[ref] = None
        if to_save:
            cls.save(to_save)
        if to_create:
            cls.create(to_create)


class CustomerMap(ModelSQL, ModelView):
    "POS Customer Mapping"
    __name__ = 'urban.pos.customer'

    account = fields.Many2One('urban.pos.account', "Account", required=True,
        ondelete='CASCADE')
    external_id = fields.Char("Customer ID in the Till", required=True)
    party = fields.Many2One('party.party', "Party", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('external_unique', Unique(t, t.account, t.external_id),
                'urban_pos_bridge.msg_customer_external_unique'),
            ]

    @classmethod
    def party_of(cls, account, external_id):
        if not external_id:
            return None
        records = cls.search([('account', '=', account.id),
                ('external_id', '=', external_id)], limit=1)
        return records[0].party.id if records else None
