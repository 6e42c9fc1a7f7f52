"""Click & collect lifecycle of a sale.

A channel flags a sale `click_collect` (its warehouse is the pickup shop).
Once it is confirmed the order is "to prepare" (no pickup state yet):

- `mark_prepared`: staff took the goods from the shelves with the pick
  list (report `urban_stock.collect.pick_list`); the shipment is assigned
  and picked,
- `mark_ready_for_pickup`: the goods are set aside at the counter,
  channels hook it with PoolMeta to notify the customer,
- `mark_collected`: the customer took them, the shipments are done,
- `mark_collect_expired` (button and cron `expire_pickups`): not collected
  within the pickup window (sale configuration, default 7 days after it
  was ready); the shipments are cancelled and the reservations released
  so the goods are available again. Nothing was sold: a draft invoice is
  cancelled, a posted one credited (credit note), and the sale ends done.
  Channels hook `Sale.collect_expired(sales)` with PoolMeta to react
  (refund the customer's payment, tell the customer); the domain does not
  know them.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.report import Report

PICKUP_DAYS = 7
OPEN_STATES = {'confirmed', 'processing'}


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    click_collect = fields.Boolean("Click & Collect", readonly=True,
        help="The customer picks the order up in the sale's warehouse.")
    collect_state = fields.Selection([
            (None, ""),
            ('prepared', "Prepared"),
            ('ready', "Ready for Pickup"),
            ('collected', "Collected"),
            ('expired', "Expired"),
            ], "Pickup State", readonly=True,
        states={'invisible': ~Eval('click_collect')},
        help="Empty while the order is to prepare.")
    collect_prepared_at = fields.DateTime("Prepared At", readonly=True,
        states={'invisible': ~Eval('click_collect')})
    collect_ready_at = fields.DateTime("Ready At", readonly=True,
        states={'invisible': ~Eval('click_collect')})
    collected_at = fields.DateTime("Collected At", readonly=True,
        states={'invisible': ~Eval('click_collect')})
    collect_expired_at = fields.DateTime("Expired At", readonly=True,
        states={'invisible': ~Eval('click_collect')})
    collect_deadline = fields.Function(fields.DateTime("Pickup Deadline",
            states={'invisible': ~Eval('click_collect')},
            help="Not collected by then, the order expires."),
        'get_collect_deadline')
    collect_overdue = fields.Function(fields.Boolean("Pickup Overdue",
            states={'invisible': ~Eval('click_collect')}),
        'get_collect_overdue', searcher='search_collect_overdue')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        open_ = Eval('state').in_(list(OPEN_STATES))
        cls._buttons.update({
                'mark_prepared': {
                    'invisible': (~Eval('click_collect') | ~open_
                        | Bool(Eval('collect_state'))),
                    'depends': ['click_collect', 'collect_state', 'state'],
                    },
                'mark_ready_for_pickup': {
                    'invisible': (~Eval('click_collect') | ~open_
                        | (Bool(Eval('collect_state'))
                            & (Eval('collect_state') != 'prepared'))),
                    'depends': ['click_collect', 'collect_state', 'state'],
                    },
                'mark_collected': {
                    'invisible': (~Eval('click_collect')
                        | (Eval('collect_state') != 'ready')),
                    'depends': ['click_collect', 'collect_state'],
                    },
                'mark_collect_expired': {
                    'invisible': (~Eval('click_collect') | ~open_
                        | (Eval('collect_state') != 'ready')),
                    'depends': ['click_collect', 'collect_state', 'state'],
                    },
                })

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        for name in ['collect_state', 'collect_prepared_at',
                'collect_ready_at', 'collected_at', 'collect_expired_at']:
            default.setdefault(name)
        return super().copy(sales, default=default)

    @classmethod
    def collect_pickup_window(cls):
        "How long a ready order waits for its customer"
        Configuration = Pool().get('sale.configuration')
        days = Configuration(1).collect_pickup_days
        return dt.timedelta(days=PICKUP_DAYS if days is None else days)

    def get_collect_deadline(self, name):
        if self.click_collect and self.collect_ready_at:
            return self.collect_ready_at + self.collect_pickup_window()

    def get_collect_overdue(self, name):
        return bool(self.collect_state == 'ready'
            and self.state in OPEN_STATES
            and self.collect_deadline
            and self.collect_deadline < dt.datetime.now())

    @classmethod
    def search_collect_overdue(cls, name, clause):
        _, operator, value = clause
        overdue = [
            ('click_collect', '=', True),
            ('state', 'in', sorted(OPEN_STATES)),
            ('collect_state', '=', 'ready'),
            ('collect_ready_at', '<',
                dt.datetime.now() - cls.collect_pickup_window()),
            ]
        if (operator == '=') == bool(value):
            return overdue
        return ['OR',
            ('click_collect', '!=', True),
            ('state', 'not in', sorted(OPEN_STATES)),
            ('collect_state', '!=', 'ready'),
            ('collect_state', '=', None),
            ('collect_ready_at', '=', None),
            ('collect_ready_at', '>=',
                dt.datetime.now() - cls.collect_pickup_window()),
            ]

    @classmethod
    @ModelView.button
    def mark_prepared(cls, sales):
        "The goods are picked from the shelves with the pick list"
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        for sale in sales:
            if (not sale.click_collect or sale.collect_state
                    or sale.state not in OPEN_STATES):
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_preparable',
                        sale=sale.rec_name))
        shipments = [s for sale in sales for s in sale.shipments
            if s.state not in {'done', 'cancelled'}]
        cls._pick_shipments(Shipment, shipments)
        cls.write(sales, {
                'collect_state': 'prepared',
                'collect_prepared_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    def mark_ready_for_pickup(cls, sales):
        for sale in sales:
            if (not sale.click_collect
                    or sale.collect_state not in {None, 'prepared'}
                    or sale.state not in OPEN_STATES):
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_ready',
                        sale=sale.rec_name))
        cls.write(sales, {
                'collect_state': 'ready',
                'collect_ready_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    def mark_collected(cls, sales):
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        for sale in sales:
            if sale.collect_state != 'ready':
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_collectable',
                        sale=sale.rec_name))
        shipments = [s for sale in sales for s in sale.shipments
            if s.state not in {'done', 'cancelled'}]
        cls._complete_shipments(Shipment, shipments)
        cls.write(sales, {
                'collect_state': 'collected',
                'collected_at': dt.datetime.now(),
                })

    @classmethod
    @ModelView.button
    def mark_collect_expired(cls, sales):
        """Not collected in time: cancel the shipments and release the
        reservations so that the goods are available again"""
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        Line = pool.get('sale.line')
        for sale in sales:
            if (not sale.click_collect or sale.collect_state != 'ready'
                    or sale.state not in OPEN_STATES):
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_expirable',
                        sale=sale.rec_name))
        shipments = [s for sale in sales for s in sale.shipments
            if s.state not in {'done', 'cancelled'}]
        if shipments:
            Shipment.cancel(shipments)
        cls.release_stock(sales)
        cls.write(sales, {
                'collect_state': 'expired',
                'collect_expired_at': dt.datetime.now(),
                })
        # the goods will not leave: the cancelled moves are ignored so the
        # sale does not wait for them (no shipment exception)
        for sale in cls.browse(sales):
            for line in sale.lines:
                moves = [m.id for m in line.moves if m.state == 'cancelled'
                    and m not in line.moves_ignored]
                if moves:
                    Line.write([line], {'moves_ignored': [('add', moves)]})
        cls._settle_expired_invoices(cls.browse(sales))
        cls.process(cls.browse(sales))
        cls.collect_expired(cls.browse(sales))

    @classmethod
    def _settle_expired_invoices(cls, sales):
        """Nothing was sold: draft invoices are cancelled and ignored by
        the sale, posted ones are credited (a credit note that cancels
        them when nothing was paid on them yet)"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        invoices = [i for s in sales for i in s.invoices
            if i not in s.invoices_ignored]
        drafts = [i for i in invoices if i.state in {'draft', 'validated'}]
        if drafts:
            Invoice.cancel(drafts)
        posted = [i for i in invoices if i.state == 'posted']
        unpaid = [i for i in posted if not i.payment_lines]
        if unpaid:
            Invoice.credit(unpaid, refund=True)
        paid = [i for i in posted if i.payment_lines]
        if paid:
            # the accountant matches the credit note with the payment
            Invoice.credit(paid)
        for sale in cls.browse(sales):
            cancelled = [i.id for i in sale.invoices
                if i.state == 'cancelled' and not i.cancel_move
                and i not in sale.invoices_ignored]
            if cancelled:
                cls.write([sale], {'invoices_ignored': [('add', cancelled)]})

    @classmethod
    def collect_expired(cls, sales):
        """Hook: click & collect sales expired uncollected, their goods
        back on sale and their invoices settled (channels extend it)"""
        pass

    @classmethod
    def expire_pickups(cls):
        "Cron: expire the orders ready for pickup beyond the window"
        sales = cls.search([('collect_overdue', '=', True)], order=[])
        if sales:
            cls.mark_collect_expired(sales)
        return sales

    @classmethod
    def _pick_shipments(cls, Shipment, shipments):
        "Take the goods from the shelves: the shipments are picked"
        waiting = [s for s in shipments if s.state in {'draft', 'waiting'}]
        draft = [s for s in waiting if s.state == 'draft']
        if draft:
            Shipment.wait(draft)
        if waiting:
            Shipment.assign_try(waiting)
        for shipment in shipments:
            if shipment.state == 'waiting':
                raise AccessError(gettext(
                        'urban_stock.msg_collect_not_assigned',
                        shipment=shipment.rec_name))
        assigned = [s for s in shipments if s.state == 'assigned']
        if assigned:
            Shipment.pick(assigned)

    @classmethod
    def _complete_shipments(cls, Shipment, shipments):
        "Hand the goods over: the shipments go to done"
        cls._pick_shipments(Shipment, shipments)
        picked = [s for s in shipments if s.state == 'picked']
        if picked:
            Shipment.pack(picked)
        packed = [s for s in shipments if s.state == 'packed']
        if packed:
            Shipment.do(packed)


class Configuration(metaclass=PoolMeta):
    __name__ = 'sale.configuration'

    collect_pickup_days = fields.Integer("Click & Collect Pickup Days",
        domain=['OR',
            ('collect_pickup_days', '=', None),
            ('collect_pickup_days', '>=', 1),
            ],
        help="Days an order ready for pickup waits for its customer "
        "before it expires and its goods go back on sale.")

    @classmethod
    def default_collect_pickup_days(cls):
        return PICKUP_DAYS


class PickList(Report):
    "What to take from the shelves for click & collect orders"
    __name__ = 'urban_stock.collect.pick_list'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['pick_lines'] = cls.pick_lines
        context['pickup_date'] = cls.pickup_date
        return context

    @classmethod
    def pickup_date(cls, sale):
        "When the customer may come: the planned date of the shipments"
        dates = [s.planned_date for s in sale.shipments
            if s.state != 'cancelled' and s.planned_date]
        return min(dates) if dates else sale.sale_date

    @classmethod
    def pick_lines(cls, sale):
        """[{product, variant, code, ean, quantity, unit, location}] of the
        goods of sale, from its shipments' inventory moves (where Tryton
        assigned them) or else its lines (the shop's shelves)"""
        lines = []
        moves = [m for s in sale.shipments if s.state != 'cancelled'
            for m in (s.inventory_moves or s.outgoing_moves)
            if m.state != 'cancelled']
        if moves:
            items = [(m.product, m.quantity, m.unit, m.from_location)
                for m in moves]
        else:
            storage = (sale.warehouse.storage_location
                if sale.warehouse else None)
            items = [(l.product, l.quantity, l.unit, storage)
                for l in sale.lines
                if l.type == 'line' and l.product
                and l.product.type in {'goods', 'assets'}]
        for product, quantity, unit, location in items:
            eans = [i.code for i in getattr(product, 'identifiers', [])
                if i.type in {'ean', 'gtin', 'upc'}]
            lines.append({
                    'product': product.template.name,
                    'variant': (product.rec_name
                        if product.template.products
                        and len(product.template.products) > 1 else ''),
                    'code': product.code or '',
                    'ean': ', '.join(eans),
                    'quantity': quantity,
                    'unit': unit.symbol if unit else '',
                    'digits': unit.digits if unit else 0,
                    'location': location.rec_name if location else '',
                    })
        return sorted(lines, key=lambda l: (l['location'], l['product']))
