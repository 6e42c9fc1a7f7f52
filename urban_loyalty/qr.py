# Shop QR codes: a scan of the QR code printed in a shop lands on the website's
import datetime as dt
# /app page; the scan is recorded with its shop for attribution, and the page
# shows the shop's first-order code (a sale_promotion_coupon number, so the
# sale that redeems it carries the shop too).
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

CHANNEL_MAX = 16


class Location(metaclass=PoolMeta):
    __name__ = 'stock.location'

    first_order_code = fields.Many2One(
        'sale.promotion.coupon.number', "First-Order Code",
        ondelete='SET NULL',
        states={'invisible': ~Eval('shop', False)},
        help="The coupon number offered on a first order to customers who "
        "scan this shop's QR code.")
    google_review_url = fields.Char("Google Review Link",
        states={'invisible': ~Eval('shop', False)},
        help="The shop's Google review page, sent in review nudges.")
    qr_scans = fields.One2Many('urban.loyalty.qr_scan', 'shop', "QR Scans",
        readonly=True, states={'invisible': ~Eval('shop', False)})

    def get_first_order_number(self, date=None):
        "The first-order code of the shop when it is valid at date, else None"
        number = self.first_order_code
        if not number:
            return None
        if date is None:
            date = Pool().get('ir.date').today()
        if ((number.start_date and number.start_date > date)
                or (number.end_date and number.end_date < date)):
            return None
        return number.number


class QRScan(ModelSQL, ModelView):
    "Scan of a shop's QR code"
    __name__ = 'urban.loyalty.qr_scan'

    shop = fields.Many2One('stock.location', "Shop", required=True,
        readonly=True, ondelete='CASCADE',
        domain=[('type', '=', 'warehouse'), ('shop', '=', True)])
    scanned_at = fields.Timestamp("Scanned At", required=True, readonly=True)
    language = fields.Char("Language", size=5, readonly=True)
    channel = fields.Char("Channel", size=CHANNEL_MAX, readonly=True,
        help="Where the scan landed: web (the /app page) or app.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('scanned_at', 'DESC'))

    @classmethod
    def default_scanned_at(cls):
        return dt.datetime.now()

    @classmethod
    def shop_by_code(cls, code):
        "The active shop with the QR code's shop code (case-insensitive)"
        Location = Pool().get('stock.location')
        code = (code or '').strip()
        shops = Location.search([
                ('type', '=', 'warehouse'),
                ('shop', '=', True),
                ('shop_code', 'ilike', code),
                ], limit=1) if code and len(code) <= 16 else []
        if not shops:
            raise ValidationError(gettext(
                    'urban_loyalty.msg_unknown_shop_code', code=code[:16]))
        return shops[0]

    @classmethod
    def record(cls, code, language=None, channel='web'):
        """Record a scan of the QR code of the shop code; return the scan.
        An unknown code raises a ValidationError and records nothing."""
        shop = cls.shop_by_code(code)
        scan, = cls.create([{
                    'shop': shop.id,
                    'language': (language or '')[:5] or None,
                    'channel': (channel or 'web')[:CHANNEL_MAX],
                    }])
        return scan
