"""What a customer sees of their orders, whatever the channel that took
them: the app and the site (orders of their web user) and the shops' click
& collect or a guest checkout with their e-mail address (orders of their
party), one of them by its number, and its timeline.

Timeline steps: placed, paid, preparing, then ready_for_pickup and
collected, or expired (not collected in time), for click & collect;
shipped and delivered for delivery; cancelled; returned; refunded (one per
refund the provider made). The app's API and the site show the same."""
from trytond.pool import Pool


def orders_domain(user):
    "The domain of the placed orders of web user (returns aside)"
    owners = [('api_user', '=', user.id)]
    if user.party:
        owners.append(('party', '=', user.party.id))
    return [
        ['OR'] + owners,
        ('state', '!=', 'draft'),
        ('return_state', '=', None),
        ]


def customer_orders(user, limit=None):
    "The orders of web user, newest first"
    Sale = Pool().get('sale.sale')
    return Sale.search(orders_domain(user), order=[('id', 'DESC')],
        limit=limit)


def customer_order(user, number):
    "The order of web user numbered number, or None (another's too)"
    Sale = Pool().get('sale.sale')
    if not number:
        return None
    sales = Sale.search(orders_domain(user) + [('number', '=', number)],
        limit=1)
    return sales[0] if sales else None


def shipment_tracking(shipment):
    "Tracking references or URLs of a shipment's packages, if any"
    refs = []
    for package in getattr(shipment, 'root_packages', None) or []:
        value = (getattr(package, 'shipping_tracking_url', None)
            or getattr(package, 'shipping_reference', None))
        if value:
            refs.append(value)
    return ', '.join(refs) or None


def timeline(sale):
    "[(status, datetime or None, detail or None)] of the order, in order"
    events = []

    def add(status, at, detail=None):
        events.append((status, at, detail))
    add('placed', sale.create_date)
    for payment in sale.api_payments:
        if payment.state in {'paid', 'refunded'}:
            add('paid', payment.paid_at)
    shipments = [s for s in sale.shipments if s.state != 'cancelled']
    # paid, even when refunded later (expired or returned)
    paid = any(p.state in {'paid', 'refunded'} for p in sale.api_payments)
    if sale.state in {'confirmed', 'processing', 'done'} and paid:
        add('preparing', None)
    if sale.click_collect:
        # only an order ready for pickup can expire
        if sale.collect_state in {'ready', 'collected', 'expired'}:
            add('ready_for_pickup', sale.collect_ready_at,
                sale.warehouse.name)
        if sale.collect_state == 'collected':
            add('collected', sale.collected_at)
        if sale.collect_state == 'expired':
            # not collected in time: the goods are back on sale and what
            # was paid is refunded (the refunded steps below)
            add('expired', sale.collect_expired_at, sale.warehouse.name)
    else:
        for shipment in shipments:
            if shipment.state in {'shipped', 'done'}:
                add('shipped', shipment.write_date,
                    shipment_tracking(shipment))
            if shipment.state == 'done':
                add('delivered', None)
    if sale.state == 'cancelled':
        add('cancelled', sale.write_date)
    for return_sale in sorted(
            (r for r in sale.returns if r.return_state == 'received'),
            key=lambda r: r.return_received_at):
        add('returned', return_sale.return_received_at,
            return_sale.warehouse.name if return_sale.warehouse else None)
    refunds = sorted((r for p in sale.api_payments for r in p.refunds
            if r.state == 'done'), key=lambda r: r.write_date
        or r.create_date)
    for refund in refunds:
        add('refunded', refund.write_date or refund.create_date,
            '%s %s' % (refund.amount, refund.currency))
    for payment in sale.api_payments:
        if payment.state == 'refunded' and not any(
                r.state == 'done' for r in payment.refunds):
            add('refunded', payment.write_date)
    return events
