"""/orders: the customer's orders with a status timeline, cancellation
before preparation (refunded through the payment provider) and return
requests for delivered orders. Another customer's order is a 404.

The timeline's steps are urban_checkout's (history.py): the site's account
pages show the same."""
import logging
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool

from urban_checkout.payment import PaymentError

from . import api, catalog, schemas_orders
from .schemas import Id, Money
from .schemas_catalog import Rendition

PAGE = 20
logger = logging.getLogger(__name__)


def _timeline(sale):
    "The order's steps (urban_checkout's history, the site's too)"
    from urban_checkout import history
    return [schemas_orders.TimelineEvent(status=status, at=api.utc(at),
            detail=detail) for status, at, detail in history.timeline(sale)]


def _delivery(sale):
    if sale.api_mode != 'delivery':
        return None
    from urban_checkout import shipping
    from .schemas import Address
    line = next((l for l in sale.lines if l.api_delivery), None)
    address = sale.shipment_address
    return schemas_orders.OrderDelivery(
        method=line.description if line else (sale.api_shipping_method
            or ''),
        price=Money.of(shipping.taxed_amount(line) if line else Decimal(0),
            sale.currency.code),
        address=Address(
            street=address.street if address else None,
            postal_code=address.postal_code if address else None,
            city=address.city if address else None,
            country=(address.country.code
                if address and address.country else None)),
        service_point=sale.api_service_point_name
        or sale.api_service_point)


def _line(line, products, currency):
    product = products.get(line.product.id) if line.product else None
    if product is None:
        return schemas_orders.OrderLine(
            product_id=line.product.id if line.product else None,
            name=(line.product.template.name if line.product
                else line.description or ''),
            quantity=line.quantity,
            amount=Money.of(line.amount, currency))
    return schemas_orders.OrderLine(
        product_id=line.product.id,
        template_id=product['template'],
        slug=product['slug'],
        name=product['name'],
        variant_label=product['variant_label'],
        thumbnail=Rendition.of(product['thumbnail']),
        quantity=line.quantity,
        amount=Money.of(line.amount, currency))


def order_schema(sale):
    currency = sale.currency.code
    timeline = _timeline(sale)
    lines = [l for l in sale.lines if l.type == 'line']
    # the delivery cost line is a service: no product page to lead to
    products = catalog.line_products([l.product.id for l in lines
            if l.product and not getattr(l, 'api_delivery', False)])
    return schemas_orders.Order(
        id=sale.id,
        number=sale.number,
        state=sale.state,
        status=timeline[-1].status,
        mode=sale.api_mode,
        shop=sale.warehouse.shop_code if sale.warehouse else None,
        created_at=api.utc(sale.create_date),
        ready_by=sale.shipping_date if sale.click_collect else None,
        lines=[_line(l, products, currency) for l in lines],
        untaxed_amount=Money.of(sale.untaxed_amount, currency),
        tax_amount=Money.of(sale.tax_amount, currency),
        total_amount=Money.of(sale.total_amount, currency),
        timeline=timeline,
        tracking=[e.detail for e in timeline
            if e.status == 'shipped' and e.detail],
        delivery=_delivery(sale))


def own_order(call, order_id):
    Sale = Pool().get('sale.sale')
    sales = Sale.search([
            ('id', '=', order_id),
            ('api_user', '=', call.user.id),
            ('state', '!=', 'draft'),
            ('return_state', '=', None),
            ], limit=1)
    if not sales:
        raise api.Problem(404, 'order_not_found', "No such order")
    return sales[0]


class OrderQuery(schemas_orders.Model):
    cursor: Id | None = None


@api.endpoint('GET', '/orders', summary="My orders", tags=['orders'],
    auth='required', query=OrderQuery, response=schemas_orders.OrderList,
    errors=(401,))
def list_orders(call):
    "Newest first, 20 per page; pass next_cursor as cursor for more"
    Sale = Pool().get('sale.sale')
    domain = [('api_user', '=', call.user.id), ('state', '!=', 'draft'),
        ('return_state', '=', None)]
    if call.query.cursor:
        domain.append(('id', '<', call.query.cursor))
    sales = Sale.search(domain, order=[('id', 'DESC')], limit=PAGE + 1)
    return schemas_orders.OrderList(
        items=[order_schema(s) for s in sales[:PAGE]],
        next_cursor=str(sales[PAGE - 1].id) if len(sales) > PAGE else None)


@api.endpoint('GET', '/orders/<id:order_id>', summary="One of my orders",
    tags=['orders'], auth='required', response=schemas_orders.Order,
    errors=(401, 404))
def get_order(call, order_id):
    return order_schema(own_order(call, order_id))


def preparing(sale):
    "Staff started on the order: it can no longer be cancelled"
    if sale.collect_state:
        return True
    return any(s.state in {'picked', 'packed', 'shipped', 'done'}
        for s in sale.shipments)


@api.endpoint('POST', '/orders/<id:order_id>/cancel',
    summary="Cancel an order before it is prepared", tags=['orders'],
    auth='required', response=schemas_orders.CancelOut,
    errors=(401, 404, 409, 502))
def cancel_order(call, order_id):
    """Refunds the payment through its provider and releases the
    reservation. 409 once the shop prepares it. 502 when the payment
    provider cannot refund now: the order is not cancelled, try again
    later."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Shipment = pool.get('stock.shipment.out')
    sale = own_order(call, order_id)
    if sale.state not in {'quotation', 'confirmed', 'processing'} or (
            preparing(sale)):
        raise api.Problem(409, 'order_not_cancellable',
            "This order can no longer be cancelled")
    # database work first (it may be retried on a lock), the provider's
    # refund last; the refund carries an idempotency key anyway
    payments = list(sale.api_payments)
    if sale.state == 'processing':
        shipments = [s for s in sale.shipments
            if s.state not in {'done', 'cancelled'}]
        Shipment.cancel(shipments)
        Sale.api_cancel_processed([sale])
    else:
        if sale.state == 'confirmed':
            Sale.draft([sale])
        Sale.cancel([sale])
    refunded = Decimal(0)
    try:
        for payment in payments:
            if payment.state == 'paid':
                payment.refund()
                refunded += payment.amount
            elif payment.state == 'pending':
                payment.cancel_at_provider()
    except PaymentError as error:
        # the provider's text is for the log, not for the customer; the
        # order stays as it was (the transaction is rolled back)
        logger.warning("Refund of the cancelled order %s failed: %s",
            sale.id, error)
        raise api.Problem(502, 'refund_failed',
            gettext('urban_mobile_api.msg_api_cancel_refund_failed'),
            gettext('urban_mobile_api.msg_api_cancel_refund_failed_detail'))
    sale = Sale(sale.id)
    return schemas_orders.CancelOut(order=order_schema(sale),
        refunded=Money.of(refunded, sale.currency.code) if refunded
        else None)


@api.endpoint('POST', '/orders/<id:order_id>/returns',
    summary="Ask to return delivered goods", tags=['orders'],
    auth='required', body=schemas_orders.ReturnIn,
    response=schemas_orders.ReturnOut, status=201,
    errors=(401, 404, 409, 422))
def return_order(call, order_id):
    """Creates a return (a draft sale with negative quantities that staff
    process in the back office) for delivered or collected goods."""
    # The request is listed for staff under "Returns to Receive"; receiving
    # it (urban_stock's wizard) puts the goods back in the receiving shop's
    # stock and refunds them to the payment (returns.py).
    from urban_stock.returns import ReturnRefused
    sale = own_order(call, order_id)
    try:
        return_sale = sale.request_return([(item.product_id, item.quantity)
                for item in call.body.lines], call.body.reason)
    except ReturnRefused as refused:
        if refused.code == 'order_not_delivered':
            raise api.Problem(409, 'order_not_delivered',
                "Only delivered or collected orders can be returned")
        if refused.code == 'return_already_requested':
            raise api.Problem(409, 'return_already_requested',
                "A return of this order is already waiting to be received")
        raise api.Problem(422, 'invalid_return_line',
            "This product or quantity was not in the order",
            errors=[{'loc': ['body', 'lines', str(refused.product_id)],
                    'msg': "not in the order", 'type': 'value_error'}])
    return schemas_orders.ReturnOut(id=return_sale.id, order_id=sale.id,
        state='requested')
