"""POST /api/v1/qr-scans: the app's onboarding reads (or the customer types)
a shop's QR code; the scan is recorded with its shop (channel 'app') and the
shop's first-order code is answered, for the app to apply to the cart."""
from trytond.exceptions import UserError
from trytond.transaction import Transaction

from . import api, schemas_qr


def shop_code(value):
    "The shop code of a scanned QR URL (/app?shop=CODE) or of a typed code"
    from urllib.parse import parse_qs, urlsplit
    value = (value or '').strip()
    if '://' in value or value.startswith('/'):
        codes = parse_qs(urlsplit(value).query).get('shop')
        return codes[0].strip() if codes else ''
    return value


@api.endpoint('POST', '/qr-scans', summary="Record a shop QR code scan",
    tags=['loyalty'], body=schemas_qr.ScanIn, auth='optional',
    response=schemas_qr.ScanOut, status=201, errors=(404,))
def record_scan(call):
    """Records the scan for the shop's attribution; answers the shop and its
    first-order code (null when the shop has none valid today). A device's
    scans of a shop count once a day: the logged-in customer's, else the
    client's address and app."""
    Scan = call.pool.get('urban.loyalty.qr_scan')
    request = call.request
    try:
        scan = Scan.record(shop_code(call.body.code), language=call.language,
            channel='app',
            device='user:%s' % call.user.id if call.user else None,
            client='%s|%s' % (request.remote_addr or '',
                (request.headers.get('User-Agent') or '')[:256]))
    except UserError:
        Transaction().rollback()
        raise api.Problem(404, 'unknown_shop_code', "Unknown shop code",
            "No shop has this QR code.")
    shop = scan.shop
    return schemas_qr.ScanOut(shop=shop.shop_code, shop_name=shop.name,
        first_order_code=shop.get_first_order_number())
