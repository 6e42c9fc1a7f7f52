import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import PoolMeta
from trytond.pyson import Eval

WEEKDAYS = [
    ('0', "Monday"),
    ('1', "Tuesday"),
    ('2', "Wednesday"),
    ('3', "Thursday"),
    ('4', "Friday"),
    ('5', "Saturday"),
    ('6', "Sunday"),
    ]
_shop_states = {'invisible': ~Eval('shop', False)}


class Location(metaclass=PoolMeta):
    "A warehouse that is one of our shops (or the central stock room)"
    __name__ = 'stock.location'

    shop = fields.Boolean("Shop",
        states={'invisible': Eval('type') != 'warehouse'},
        help="This warehouse is a shop open to customers.")
    shop_code = fields.Char("Shop Code",
        states={
            'invisible': Eval('type') != 'warehouse',
            'required': Eval('shop', False),
            },
        help="Short code printed on QR codes and used in URLs.")
    latitude = fields.Numeric("Latitude", digits=(3, 6), states=_shop_states)
    longitude = fields.Numeric("Longitude", digits=(3, 6), states=_shop_states)
    phone = fields.Char("Phone", states=_shop_states)
    pickup_enabled = fields.Boolean("Click & Collect",
        states=_shop_states,
        help="Customers may collect online orders here.")
    fulfils_online = fields.Boolean("Fulfils Online Orders",
        states={'invisible': Eval('type') != 'warehouse'},
        help="Stock here counts for online availability and may ship orders.")
    safety_buffer = fields.Float("Safety Buffer",
        states={'invisible': Eval('type') != 'warehouse'},
        help="Units per product kept back from online availability to absorb "
        "shop sales not yet synchronised.")
    low_stock_threshold = fields.Float("Low Stock Threshold",
        states={'invisible': Eval('type') != 'warehouse'},
        help="A product is low in stock here when its available-to-promise "
        "is at or below this quantity.")
    opening_hours = fields.One2Many(
        'urban.shop.opening_hours', 'shop', "Opening Hours",
        states=_shop_states)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.shop_code.search_unaccented = False

    @classmethod
    def default_shop(cls):
        return False

    @classmethod
    def default_pickup_enabled(cls):
        return False

    @classmethod
    def default_fulfils_online(cls):
        return False

    @classmethod
    def default_safety_buffer(cls):
        return 0

    @classmethod
    def default_low_stock_threshold(cls):
        return 2

    @classmethod
    def validate_fields(cls, locations, field_names):
        super().validate_fields(locations, field_names)
        if field_names & {'shop_code', 'type', 'shop'}:
            codes = {}
            for location in cls.search([('shop_code', '!=', None)]):
                codes.setdefault(location.shop_code.upper(), []).append(
                    location)
            for location in locations:
                if not location.shop_code:
                    continue
                if len(codes.get(location.shop_code.upper(), [])) > 1:
                    raise ValidationError(gettext(
                            'urban_stock.msg_shop_code_unique',
                            code=location.shop_code))
        if field_names & {'safety_buffer'}:
            for location in locations:
                if (location.safety_buffer or 0) < 0:
                    raise ValidationError(gettext(
                            'urban_stock.msg_safety_buffer_positive',
                            location=location.rec_name))

    def is_open(self, at):
        "Whether the shop is open at the local datetime at"
        weekday = str(at.weekday())
        time = at.time()
        return any(
            h.weekday == weekday and h.opens <= time < h.closes
            for h in self.opening_hours)


class OpeningHours(ModelSQL, ModelView):
    "Opening hours of a shop for one day of the week"
    __name__ = 'urban.shop.opening_hours'

    shop = fields.Many2One('stock.location', "Shop", required=True,
        ondelete='CASCADE', domain=[('type', '=', 'warehouse')])
    weekday = fields.Selection(WEEKDAYS, "Day", required=True, sort=False)
    weekday_string = weekday.translated('weekday')
    opens = fields.Time("Opens", required=True)
    closes = fields.Time("Closes", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('weekday', 'ASC'))
        cls._order.insert(1, ('opens', 'ASC'))

    @classmethod
    def validate_fields(cls, hours, field_names):
        super().validate_fields(hours, field_names)
        if field_names & {'opens', 'closes'}:
            for record in hours:
                if record.opens >= record.closes:
                    raise ValidationError(gettext(
                            'urban_stock.msg_opening_hours_order',
                            shop=record.shop.rec_name))

    def get_rec_name(self, name):
        return '%s %s–%s' % (self.weekday_string,
            self.opens.strftime('%H:%M'), self.closes.strftime('%H:%M'))

    @property
    def opening_specification(self):
        "schema.org openingHours item, e.g. Mo 10:00-18:00"
        day = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'][int(self.weekday)]
        return '%s %s-%s' % (
            day, self.opens.strftime('%H:%M'), self.closes.strftime('%H:%M'))


def parse_hours(text):
    "Parse '10:00-18:00' into a (time, time) pair"
    opens, closes = text.split('-')
    return (dt.time.fromisoformat(opens.strip()),
        dt.time.fromisoformat(closes.strip()))
