"""Sales and returns rung up on a till, as records for analytics and as
done stock moves out of (or back into) the shop's storage."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from .fields_ import BigInteger
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.product import round_price
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction


class PosSale(ModelSQL, ModelView):
    "POS Sale"
    __name__ = 'urban.pos.sale'

    account = fields.Many2One('urban.pos.account', "Account", required=True,
        ondelete='RESTRICT', readonly=True)
    shop = fields.Many2One('stock.location', "Shop", required=True,
        ondelete='RESTRICT', readonly=True)
    external_id = fields.Char("Sale ID in the Till", required=True,
        readonly=True)
    version = BigInteger("Version", readonly=True)
    number = fields.Char("Number", readonly=True)
    date = fields.DateTime("Date", readonly=True)
    state = fields.Selection([
            ('booked', "Booked"),
            ('voided', "Voided"),
            ], "State", required=True, readonly=True)
    is_return = fields.Boolean("Return", readonly=True)
    return_for = fields.Many2One('urban.pos.sale', "Return For",
        readonly=True, ondelete='SET NULL')
    customer_ref = fields.Char("Customer ID in the Till", readonly=True)
    party = fields.Many2One('party.party', "Customer", readonly=True,
        ondelete='SET NULL')
    currency = fields.Many2One('currency.currency', "Currency",
        required=True, readonly=True)
    total_amount = fields.Numeric("Total (tax incl.)", digits=(16, 2),
        readonly=True)
    tax_amount = fields.Numeric("Tax", digits=(16, 2), readonly=True)
    lines = fields.One2Many('urban.pos.sale.line', 'sale', "Lines",
        readonly=True)
    event = fields.Many2One('urban.pos.event', "Event", readonly=True,
        ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('external_unique', Unique(t, t.account, t.external_id),
                'urban_pos_bridge.msg_sale_external_unique'),
            ]
        cls._order.insert(0, ('date', 'DESC'))

    def get_rec_name(self, name):
        return '%s @ %s' % (self.number or self.external_id,
            self.shop.rec_name)

    @classmethod
    def apply_sale(cls, account, sale, event=None, moves=None, pending=None):
        """Book a connectors.Sale once; returns (event state, message).

        Idempotent by (account, sale id) and ordered by the till's version:
        a replay or an older version changes nothing; a booked sale later
        voided in the till gets its moves reversed. moves: a list to collect
        the stock moves in, done later by the caller with `do_moves` (one
        batch per transaction); by default they are done at once.
        pending: a PendingSales to collect the new sales in, created
        together by `flush` (one create per batch instead of one per sale:
        most of the cost of a create is per call, not per record)."""
        collect = moves is not None
        moves = [] if moves is None else moves
        pool = Pool()
        ProductMap = pool.get('urban.pos.product')
        Unmapped = pool.get('urban.pos.unmapped')
        CustomerMap = pool.get('urban.pos.customer')
        outlet = account.outlet_for(sale.outlet_ref)
        if not outlet:
            return 'blocked', gettext('urban_pos_bridge.msg_unknown_outlet',
                outlet=sale.outlet_ref, account=account.rec_name)
        if pending and (account.id, sale.external_id) in pending:
            # a later version of a sale of this batch: book the first one
            cls.flush(pending, moves)
        existing = cls.search([('account', '=', account.id),
                ('external_id', '=', sale.external_id)], limit=1)
        existing = existing[0] if existing else None
        if existing and (existing.version or 0) >= sale.version:
            return 'ignored', gettext('urban_pos_bridge.msg_sale_stale',
                sale=sale.external_id, version=sale.version)
        if sale.status == 'open':
            return 'ignored', gettext('urban_pos_bridge.msg_sale_open',
                sale=sale.external_id)
        if existing:
            if sale.status == 'voided' and existing.state == 'booked':
                moves.extend(existing._move([(l.product, -l.quantity,
                                l.unit_price) for l in existing.lines
                            if l.product],
                        outlet, sale.stock_version or sale.version))
                if not collect:
                    cls.do_moves(moves)
                cls.write([existing], {'state': 'voided',
                        'version': sale.version})
                return 'done', gettext('urban_pos_bridge.msg_sale_voided',
                    sale=sale.external_id)
            cls.write([existing], {'version': sale.version})
            return 'ignored', gettext('urban_pos_bridge.msg_sale_stale',
                sale=sale.external_id, version=sale.version)

        # discounts, custom amounts, gift cards, service charges, tips:
        # amounts on the sale, no stock, never a product to map
        details = {}
        client = account.client if account.remote else None
        for line in sale.lines:
            if client and line.kind == 'product':
                line.kind = client.known_amount(line.product_ref) or 'product'
        products = ProductMap.resolve(account,
            [(l.product_ref, l.sku) for l in sale.lines
                if l.kind == 'product'], details=details)
        for line in sale.lines:
            if line.kind == 'product' and line.product_ref not in products:
                sku, name = details.get(line.product_ref, ('', ''))
                line.sku = line.sku or sku
                line.name = line.name or name
                kind = client.amount_kind(line.sku) if client else None
                if kind:
                    client.remember_amount(line.product_ref, kind)
                if kind or not line.product_ref:
                    line.kind = kind or 'custom_amount'
        unmapped = [l for l in sale.lines
            if l.kind == 'product' and l.product_ref not in products]
        if unmapped:
            Unmapped.report(account, [(l.product_ref, l.sku, l.name)
                    for l in unmapped])
            return 'blocked', gettext('urban_pos_bridge.msg_unmapped',
                items=', '.join(l.sku or l.product_ref for l in unmapped))
        stock_lines = [l for l in sale.lines if l.kind == 'product']
        till_levels = {}
        if not sale.stock_settled and sale.status == 'closed':
            till_levels = cls._read_till_levels(account, outlet,
                {l.product_ref: products[l.product_ref]
                    for l in stock_lines})
        original = None
        if pending and (account.id, sale.return_for) in pending:
            cls.flush(pending, moves)
        if sale.return_for:
            originals = cls.search([('account', '=', account.id),
                    ('external_id', '=', sale.return_for)], limit=1)
            original = originals[0].id if originals else None
        company = account.company
        values = {
                    'account': account.id,
                    'shop': outlet.shop.id,
                    'external_id': sale.external_id,
                    'version': sale.version,
                    'number': sale.number,
                    'date': sale.date or dt.datetime.now(),
                    'state': 'voided' if sale.status == 'voided' else 'booked',
                    'is_return': bool(sale.return_for) or all(
                        l.quantity < 0 for l in (stock_lines or sale.lines)),
                    'return_for': original,
                    'customer_ref': sale.customer_ref or None,
                    'party': CustomerMap.party_of(account, sale.customer_ref),
                    'currency': company.currency.id,
                    'total_amount': sale.total,
                    'tax_amount': sale.tax,
                    'event': event.id if event else None,
                    'lines': [('create', [{
                                    'kind': l.kind,
                                    'product': (products[l.product_ref]
                                        if l.kind == 'product' else None),
                                    'description': l.name or None,
                                    'quantity': float(l.quantity),
                                    'unit_price': round_price(l.unit_price),
                                    'tax_amount': l.tax.quantize(
                                        Decimal('0.01')),
                                    'total_amount': l.total,
                                    } for l in sale.lines])],
                    }
        if pending is not None:
            pending.add(account.id, sale.external_id, values, outlet,
                sale.stock_version or sale.version, till_levels)
            return 'done', None
        record, = cls.create([values])
        if record.state == 'booked':
            moves.extend(record._booking_moves(outlet,
                    sale.stock_version or sale.version, till_levels))
            if not collect:
                cls.do_moves(moves)
        return 'done', None

    @staticmethod
    def _read_till_levels(account, outlet, products):
        """{product id: connectors.Level} the till counts now of products
        ({product ref: product id}) in outlet: a sale whose version may
        be later than its stock's move cannot tell whether a count applied
        before already held it, the till's count now does (one truth)"""
        if not products or not account.remote:
            return {}
        levels = account.client.read_levels(outlet.external_id,
            sorted(products))
        return {products[l.product_ref]: l for l in levels
            if l.product_ref in products}

    @staticmethod
    def pending_sales():
        return PendingSales()

    @classmethod
    def flush(cls, pending, moves):
        "Create the sales collected in pending; their moves go to moves"
        if not pending:
            return
        items = pending.pop_all()
        records = cls.create([values for values, _, _, _ in items])
        for record, (_, outlet, version, till_levels) in zip(records, items):
            # one instance each: records sharing one cache of the whole
            # batch would read every field of every sibling for each move
            record = cls(record.id)
            if record.state == 'booked':
                moves.extend(record._booking_moves(outlet, version,
                        till_levels))

    def _booking_moves(self, outlet, version, till_levels=None):
        """Moves of the sale; till_levels: {product id: Level} read from
        the till after the sale, the levels it ends at"""
        Level = Pool().get('urban.pos.stock_level')
        lines = [l for l in self.lines if l.product]
        moves = self._move([(l.product, l.quantity, l.unit_price)
                for l in lines], outlet, version)
        products = {l.product.id: l.product for l in lines}
        for product_id, level in sorted((till_levels or {}).items()):
            moves.extend(Level.settle_to_till(outlet, products[product_id],
                    level, origin=self))
        return moves

    @classmethod
    def do_moves(cls, moves):
        Move = Pool().get('stock.move')
        if moves:
            Move.save(moves)
            Move.do(moves)
            del moves[:]

    def _move(self, lines, outlet, version):
        """Unsaved moves for [(product, quantity sold, unit price)]: out of
        the shop's storage to the customer (negative: back in); the believed
        till level follows at once."""
        pool = Pool()
        Move = pool.get('stock.move')
        Level = pool.get('urban.pos.stock_level')
        customer = _customer_location()
        storage = self.shop.storage_location
        date = (self.date or dt.datetime.now()).date()
        company = self.account.company
        moves, till = [], {}
        for product, quantity, unit_price in lines:
            if not quantity:
                continue
            till[product.id] = till.get(product.id, 0) - quantity
            moves.append(Move(
                    product=product, unit=product.default_uom,
                    quantity=abs(quantity),
                    from_location=storage if quantity > 0 else customer,
                    to_location=customer if quantity > 0 else storage,
                    effective_date=date, planned_date=date,
                    unit_price=unit_price, currency=company.currency,
                    company=company, origin=self))
        # the till already counted these units
        counted = Level.till_changed(outlet, till, version)
        # a count read after this sale booked its units as an adjustment
        # already: give that adjustment back, the sale is the reason
        by_id = {p.id: p for p, _, _ in lines}
        for product_id, delta in counted.items():
            moves.append(Level.adjustment_move(outlet, by_id[product_id],
                    -delta, origin=self))
        return moves


def _customer_location():
    Location = Pool().get('stock.location')
    cache = Transaction().context.get('_urban_pos_customer')
    if cache:
        return Location(cache)
    customer, = Location.search([('type', '=', 'customer')], limit=1,
        order=[('id', 'ASC')])
    return customer


class PendingSales:
    "New sales checked by PosSale.apply_sale, waiting for PosSale.flush"

    def __init__(self):
        self._items = {}

    def __bool__(self):
        return bool(self._items)

    def __contains__(self, key):
        return key in self._items

    def add(self, account_id, external_id, values, outlet, version,
            till_levels=None):
        self._items[(account_id, external_id)] = (values, outlet, version,
            till_levels or {})

    def pop_all(self):
        items = list(self._items.values())
        self._items.clear()
        return items


class PosSaleLine(ModelSQL, ModelView):
    "POS Sale Line"
    __name__ = 'urban.pos.sale.line'

    sale = fields.Many2One('urban.pos.sale', "Sale", required=True,
        ondelete='CASCADE', readonly=True)
    kind = fields.Selection([
            ('product', "Product"),
            ('discount', "Discount"),
            ('custom_amount', "Custom Amount"),
            ('gift_card', "Gift Card"),
            ('service_charge', "Service Charge"),
            ('tip', "Tip"),
            ], "Kind", required=True, readonly=True,
        help="Only product lines move stock; the others are amounts.")
    product = fields.Many2One('product.product', "Product",
        ondelete='RESTRICT', readonly=True,
        states={'required': Eval('kind') == 'product'})
    description = fields.Char("Description", readonly=True)
    quantity = fields.Float("Quantity", readonly=True)
    unit_price = fields.Numeric("Unit Price (tax excl.)", digits=(16, 4),
        readonly=True)
    tax_amount = fields.Numeric("Tax", digits=(16, 2), readonly=True)
    total_amount = fields.Numeric("Total (tax incl.)", digits=(16, 2),
        readonly=True)

    @classmethod
    def default_kind(cls):
        return 'product'


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['urban.pos.sale']
