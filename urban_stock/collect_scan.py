"""Preparing a click & collect order by scanning its articles.

Staff open the order (or the list of orders to prepare), start "Prepare by
Scanning" and scan each article from the shelves: each line counts what
was scanned; a wrong article is refused (scan.py). Only when every article
is scanned may the order be marked prepared, or prepared and ready for
pickup at once (the pick-list buttons of collect.py)."""
from collections import OrderedDict

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import scan
from .collect import OPEN_STATES


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'prepare_by_scanning': {
                    'invisible': (~Eval('click_collect')
                        | ~Eval('state').in_(list(OPEN_STATES))
                        | Bool(Eval('collect_state'))),
                    'depends': ['click_collect', 'collect_state', 'state'],
                    },
                })

    @classmethod
    @ModelView.button_action('urban_stock.wizard_collect_prepare')
    def prepare_by_scanning(cls, sales):
        pass


class PrepareStart(ModelView):
    "Prepare by Scanning"
    __name__ = 'urban.stock.collect.prepare.start'

    order = fields.Char("Order", readonly=True)
    lines = fields.One2Many('urban.stock.collect.prepare.line', None,
        "Articles", readonly=True)
    complete = fields.Boolean("All Scanned", readonly=True)

    @fields.depends('order', 'lines', 'complete')
    def on_scan_code(self, code):
        lines = list(self.lines or [])
        scan.count_scanned(lines, code, 'scanned', 'quantity', self.order)
        self.lines = lines
        self.complete = all(l.scanned >= l.quantity for l in lines)


class PrepareLine(ModelView):
    "Article to Prepare"
    __name__ = 'urban.stock.collect.prepare.line'

    product = fields.Many2One('product.product', "Article", readonly=True)
    codes = fields.Char("EAN / SKU", readonly=True)
    quantity = fields.Float("To Pick", readonly=True)
    scanned = fields.Float("Scanned", readonly=True)


class Prepare(Wizard):
    "Prepare by Scanning"
    __name__ = 'urban.stock.collect.prepare'
    start = StateView('urban.stock.collect.prepare.start',
        'urban_stock.collect_prepare_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Prepared", 'prepared', 'tryton-ok',
                states={'readonly': ~Eval('complete', False)}),
            Button("Ready for Pickup", 'ready', 'tryton-ok', default=True,
                states={'readonly': ~Eval('complete', False)}),
            ])
    prepared = StateTransition()
    ready = StateTransition()

    def _preparable(self):
        sale = self.record
        if (not sale or not sale.click_collect or sale.collect_state
                or sale.state not in OPEN_STATES):
            raise AccessError(gettext(
                    'urban_stock.msg_collect_not_preparable',
                    sale=sale.rec_name if sale else ''))
        return sale

    @staticmethod
    def _to_pick(sale):
        "{product: quantity} of the goods of sale"
        quantities = OrderedDict()
        for line in sale.lines:
            if (line.type == 'line' and line.product
                    and line.product.type in {'goods', 'assets'}):
                quantities[line.product] = (quantities.get(line.product, 0)
                    + line.quantity)
        return quantities

    def default_start(self, fields):
        sale = self._preparable()
        return {
            'order': sale.rec_name,
            'lines': [{
                    'product': product.id,
                    'codes': ' / '.join(sorted(scan.codes_of(product))),
                    'quantity': quantity,
                    'scanned': 0,
                    } for product, quantity in self._to_pick(sale).items()],
            'complete': False,
            }

    def _check_scanned(self):
        "Every article of the order scanned, as many times as ordered"
        sale = self._preparable()
        scanned = {}
        for line in self.start.lines:
            scanned[line.product] = (scanned.get(line.product, 0)
                + (line.scanned or 0))
        for product, quantity in self._to_pick(sale).items():
            if scanned.get(product, 0) < quantity:
                raise scan.ScanError(gettext(
                        'urban_stock.msg_scan_missing',
                        product=product.rec_name, order=sale.rec_name))
        return sale

    def transition_prepared(self):
        Sale = Pool().get('sale.sale')
        Sale.mark_prepared([self._check_scanned()])
        return 'end'

    def transition_ready(self):
        Sale = Pool().get('sale.sale')
        sale = self._check_scanned()
        Sale.mark_prepared([sale])
        Sale.mark_ready_for_pickup([sale])
        return 'end'
