# Shop QR codes: a scan of the QR code printed in a shop lands on the website's
# /app page; the scan is recorded with its shop for attribution, and the page
# shows the shop's first-order code (a sale_promotion_coupon number, so the
# sale that redeems it carries the shop too). A device's scans of a shop
# count once a day: reloading the page or scanning again adds nothing.
import datetime as dt
import hashlib

from sql import Cast, Null
from sql.aggregate import Min
from sql.functions import Substring

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import SQLConstraintError, ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

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
    scan_date = fields.Date("Date", required=True, readonly=True)
    device = fields.Char("Device", readonly=True,
        help="SHA-256 of the device's identifier (cookie, customer).")
    client = fields.Char("Client", readonly=True,
        help="SHA-256 of the day and the client's address and browser.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('scanned_at', 'DESC'))
        table = cls.__table__()
        cls._sql_indexes.add(Index(table,
                (table.shop, Index.Equality()),
                (table.scan_date, Index.Range())))
        # one scan per shop, device and day, whatever the race between two
        # requests (scans without a device are not concerned: NULLs differ)
        cls._sql_constraints += [
            ('shop_device_day_unique',
                Unique(table, table.shop, table.device, table.scan_date),
                'urban_loyalty.msg_qr_scan_unique'),
            ]

    @classmethod
    def __register__(cls, module):
        table_h = cls.__table_handler__(module)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        migrate = (table_h.table_exist(cls._table)
            and not table_h.column_exist('scan_date'))
        if (table_h.table_exist(cls._table)
                and table_h.column_exist('scan_date')):
            # the scans counted twice before the unique constraint: keep
            # the first of each shop, device and day
            first = table.select(Min(table.id),
                where=table.device != Null,
                group_by=[table.shop, table.device, table.scan_date])
            cursor.execute(*table.delete(
                    where=(table.device != Null) & ~table.id.in_(first)))
        super().__register__(module)
        if migrate:
            # scans recorded before the day was kept: the day of scanned_at
            if backend.name == 'sqlite':
                day = Substring(table.scanned_at, 1, 10)
            else:
                day = Cast(table.scanned_at, 'DATE')
            cursor.execute(*table.update([table.scan_date], [day]))

    @classmethod
    def default_scanned_at(cls):
        return dt.datetime.now()

    @classmethod
    def default_scan_date(cls):
        return Pool().get('ir.date').today()

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
    def record(cls, code, language=None, channel='web', device=None,
            new_device=False, client=None):
        """Record a scan of the QR code of the shop code; return the scan.
        An unknown code raises a ValidationError and records nothing.

        A scan is counted once per shop, day and device: device is what the
        device sent back to identify itself (a cookie, the logged-in
        customer); new_device tells that it was just given to it (so it
        did not send it); client identifies the client otherwise (address
        and browser). The day's first scan of the device, or else of the
        client, is returned instead of a new one."""
        Date = Pool().get('ir.date')
        shop = cls.shop_by_code(code)
        today = Date.today()
        device = cls._digest(device) if device else None
        client = cls._digest('%s|%s' % (today, client)) if client else None
        if device and not new_device:
            same = [('device', '=', device)]
        elif client:
            same = [('client', '=', client)]
        else:
            same = None
        if same:
            scans = cls.search([
                    ('shop', '=', shop.id),
                    ('scan_date', '=', today),
                    ] + same, order=[('id', 'ASC')], limit=1)
            if scans:
                return scans[0]
        values = {
            'shop': shop.id,
            'scan_date': today,
            'device': device,
            'client': client,
            'language': (language or '')[:5] or None,
            'channel': (channel or 'web')[:CHANNEL_MAX],
            }
        # A concurrent request of the same device may insert its scan
        # between our lookup and our insert: the unique constraint refuses
        # ours, which is then already counted. A savepoint keeps the
        # transaction usable after the refused insert.
        cursor = Transaction().connection.cursor()
        cursor.execute('SAVEPOINT urban_qr_scan')
        try:
            scan, = cls.create([values])
        except (SQLConstraintError, backend.DatabaseIntegrityError):
            cursor.execute('ROLLBACK TO SAVEPOINT urban_qr_scan')
            return cls(**values)
        cursor.execute('RELEASE SAVEPOINT urban_qr_scan')
        return scan

    @staticmethod
    def _digest(value):
        return hashlib.sha256(str(value).encode('utf-8')).hexdigest()
