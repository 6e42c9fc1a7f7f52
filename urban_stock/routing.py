"""Order routing: which shop serves an order.

`route(lines, mode, shop=None, customer_coordinates=None, date=None)`
returns a plan (a dict, JSON friendly):

- click & collect in `shop`: ``{'action': 'pickup', 'shop': id, ...}`` when
  the shop has everything; otherwise ``'action': 'unavailable'`` with
  ``options``: a ``transfer`` (everything in `shop`, later pickup date)
  and/or a ``split`` (what the shop has now, the rest later or elsewhere).
- delivery: the rules (`urban.stock.routing.rule`, back office) are tried by
  sequence: a rule naming a warehouse ships from it when it has everything;
  a rule without warehouse picks, among the warehouses that fulfil online
  and have everything, the one with most stock, nearest to the customer on
  a tie; otherwise the lines are split across warehouses.
"""
import datetime as dt
import math

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval

from . import availability
from .reservation import ReservationError, wanted_quantities

DEFAULT_TRANSFER_DAYS = 2


class RoutingRule(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "Stock Routing Rule"
    __name__ = 'urban.stock.routing.rule'

    mode = fields.Selection([
            ('delivery', "Delivery"),
            ('click_collect', "Click & Collect"),
            ], "Mode", required=True)
    warehouse = fields.Many2One('stock.location', "Warehouse",
        domain=[('type', '=', 'warehouse')],
        help="Leave empty to choose among the warehouses that fulfil online "
        "(delivery) or to allow any shop as transfer source "
        "(click & collect).")
    transfer_days = fields.Integer("Transfer Days",
        states={'invisible': Eval('mode') != 'click_collect'},
        help="Days a transfer from this warehouse to the pickup shop takes.")

    @classmethod
    def default_mode(cls):
        return 'delivery'

    @classmethod
    def default_transfer_days(cls):
        return DEFAULT_TRANSFER_DAYS

    def get_rec_name(self, name):
        mode = dict(self.fields_get(['mode'])['mode']['selection'])[self.mode]
        return '%s: %s' % (mode,
            self.warehouse.rec_name if self.warehouse else '*')


def distance_km(a, b):
    "Haversine distance between two (latitude, longitude) pairs"
    if not a or not b or None in a or None in b:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (*a, *b)))
    h = (math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371 * 2 * math.asin(math.sqrt(h))


def _covers(available, warehouse_id, wanted):
    return all(available[(p, warehouse_id)] >= q for p, q in wanted.items())


def _stock(available, warehouse_id, wanted):
    return sum(min(available[(p, warehouse_id)], q) for p, q in wanted.items())


def route(lines, mode, shop=None, customer_coordinates=None, date=None):
    "Plan an order; see the module docstring"
    pool = Pool()
    Location = pool.get('stock.location')
    Rule = pool.get('urban.stock.routing.rule')
    Date = pool.get('ir.date')
    date = date or Date.today()
    wanted = wanted_quantities(lines)
    warehouses = Location.search([('type', '=', 'warehouse')])
    by_id = {w.id: w for w in warehouses}
    available = availability.for_products(list(wanted), list(by_id))
    rules = Rule.search([('mode', '=', mode)])

    if mode == 'click_collect':
        shop_id = int(getattr(shop, 'id', shop) or 0)
        if shop_id not in by_id or not by_id[shop_id].pickup_enabled:
            raise ReservationError(gettext(
                    'urban_stock.msg_routing_pickup_shop', shop=shop_id))
        here = {p: min(available[(p, shop_id)], q) for p, q in wanted.items()}
        if _covers(available, shop_id, wanted):
            return {'action': 'pickup', 'shop': shop_id, 'date': date,
                'lines': [(p, q, shop_id) for p, q in wanted.items()]}
        missing = {p: q - here[p] for p, q in wanted.items() if q > here[p]}
        sources = []
        for rule in rules or [None]:
            days = rule.transfer_days if rule else DEFAULT_TRANSFER_DAYS
            candidates = ([rule.warehouse] if rule and rule.warehouse
                else [w for w in warehouses if w.fulfils_online])
            for warehouse in candidates:
                if warehouse.id == shop_id or warehouse.id in (
                        s[0].id for s in sources):
                    continue
                if _covers(available, warehouse.id, missing):
                    sources.append((warehouse, days))
        sources.sort(key=lambda s: (s[1], -_stock(
                    available, s[0].id, missing), distance_km(
                    (s[0].latitude, s[0].longitude),
                    (by_id[shop_id].latitude, by_id[shop_id].longitude))))
        options = []
        if sources:
            source, days = sources[0]
            later = date + dt.timedelta(days=days or 0)
            options.append({
                    'action': 'transfer', 'shop': shop_id, 'date': later,
                    'transfers': [{'from': source.id, 'to': shop_id,
                            'product': p, 'quantity': q, 'date': later}
                        for p, q in missing.items()],
                    })
            pickup_now = [(p, q, shop_id) for p, q in here.items() if q > 0]
            if pickup_now:
                split_shop = source if source.pickup_enabled else None
                options.append({
                        'action': 'split', 'shop': shop_id, 'date': date,
                        'lines': pickup_now + [
                            (p, q, split_shop.id if split_shop else shop_id)
                            for p, q in missing.items()],
                        'later_date': date if split_shop else later,
                        'transfers': [] if split_shop else [{
                                'from': source.id, 'to': shop_id,
                                'product': p, 'quantity': q, 'date': later}
                            for p, q in missing.items()],
                        })
        return {'action': 'unavailable', 'shop': shop_id, 'date': date,
            'missing': missing, 'options': options}

    # delivery
    tried = []
    for rule in rules or [None]:
        if rule and rule.warehouse:
            candidates = [rule.warehouse]
        else:
            candidates = [w for w in warehouses if w.fulfils_online]
        candidates = [w for w in candidates if w.id not in tried
            and _covers(available, w.id, wanted)]
        tried.extend(w.id for w in candidates)
        if candidates:
            best = min(candidates, key=lambda w: (
                    -_stock(available, w.id, wanted),
                    distance_km((w.latitude, w.longitude),
                        customer_coordinates)))
            return {'action': 'ship', 'shop': best.id, 'date': date,
                'lines': [(p, q, best.id) for p, q in wanted.items()]}
    # nobody has everything: split, nearest warehouses first
    online = sorted((w for w in warehouses if w.fulfils_online),
        key=lambda w: distance_km((w.latitude, w.longitude),
            customer_coordinates))
    plan_lines, missing = [], {}
    for product, quantity in wanted.items():
        for warehouse in sorted(online,
                key=lambda w: -available[(product, w.id)]):
            take = min(quantity, available[(product, warehouse.id)])
            if take > 0:
                plan_lines.append((product, take, warehouse.id))
                quantity -= take
            if quantity <= 0:
                break
        if quantity > 0:
            missing[product] = quantity
    return {'action': 'split' if not missing else 'unavailable',
        'shop': None, 'date': date, 'lines': plan_lines, 'missing': missing}
