# Printable shop QR codes: each points to <site_url>/app?shop=<code>; the
# code is drawn by segno and laid out with Pillow at 300 dpi on the formats
# printed for the shops (bag insert, sticker, fridge magnet), as PNG or PDF
# (a PDF holds one page per shop; several PNG come in a ZIP).
import io
import urllib.parse
import zipfile

import segno
from PIL import Image, ImageDraw, ImageFont

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import ValidationError

from trytond.wizard import Button, StateView, StateTransition, Wizard

DPI = 300
# name: (width mm, height mm, QR side mm, caption lines)
FORMATS = {
    'bag_insert': (99, 210, 80, [
            "Scannez · Scan",
            "-10 % sur votre première commande",
            "-10 % op je eerste bestelling",
            "-10 % on your first order",
            ]),
    'sticker': (60, 60, 46, ["-10 % · App"]),
    'fridge_magnet': (70, 100, 50, [
            "-10 % · 1re commande",
            "1e bestelling · 1st order",
            ]),
    }
FORMAT_SELECTION = [
    ('bag_insert', "Bag Insert (99 × 210 mm)"),
    ('sticker', "Sticker (60 × 60 mm)"),
    ('fridge_magnet', "Fridge Magnet (70 × 100 mm)"),
    ]


def mm(value):
    return round(value / 25.4 * DPI)


def site_url():
    from urban_catalog import site
    return site.site_url()


def shop_url(shop):
    return '%s/app?%s' % (site_url(),
        urllib.parse.urlencode({'shop': shop.shop_code}))


def _font(size):
    for path in ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
            '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf']:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def render(shop, format_):
    "A Pillow image of the shop's QR code in format_"
    width, height, side, caption = FORMATS[format_]
    url = shop_url(shop)
    qr = segno.make(url, error='m')
    modules = qr.symbol_size(border=4)[0]
    scale = max(mm(side) // modules, 1)
    buffer = io.BytesIO()
    qr.save(buffer, kind='png', scale=scale, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert('L')
    page = Image.new('L', (mm(width), mm(height)), 255)
    draw = ImageDraw.Draw(page)
    small = width <= 60
    title = _font(mm(3.2) if small else mm(5))
    text = _font(mm(2.8) if small else mm(3.6))
    lines = [(line, text) for line in caption]
    if not small:
        lines.insert(0, (shop.name, title))
    fitted, boxes = [], []
    for line, font in lines:
        # shrink a line until it fits between the margins
        size = font.size
        box = draw.textbbox((0, 0), line, font=font)
        while box[2] - box[0] > page.width - 2 * mm(4) and size > 8:
            size -= 2
            font = _font(size)
            box = draw.textbbox((0, 0), line, font=font)
        fitted.append((line, font))
        boxes.append(box)
    lines = fitted
    gap = mm(2)
    block = code.height + sum(b[3] - b[1] + gap for b in boxes)
    # the code and its caption centred on the page
    y = max((page.height - block) // 2, 0)
    page.paste(code, ((page.width - code.width) // 2, y))
    y += code.height
    for (line, font), box in zip(lines, boxes):
        draw.text(((page.width - (box[2] - box[0])) // 2, y - box[1]),
            line, fill=0, font=font)
        y += (box[3] - box[1]) + gap
    return page


def shop_codes_file(shops, format_, kind):
    "(data, filename) of the shops' QR codes as kind ('pdf' or 'png')"
    pages = [render(s, format_) for s in shops]
    buffer = io.BytesIO()
    base = 'qr-%s' % format_.replace('_', '-')
    if kind == 'pdf':
        pages[0].save(buffer, 'PDF', resolution=DPI, save_all=True,
            append_images=pages[1:])
        name = '%s-%s.pdf' % (base, shops[0].shop_code
            if len(shops) == 1 else 'shops')
    elif len(pages) == 1:
        pages[0].save(buffer, 'PNG', dpi=(DPI, DPI))
        name = '%s-%s.png' % (base, shops[0].shop_code)
    else:
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
            for shop, page in zip(shops, pages):
                image = io.BytesIO()
                page.save(image, 'PNG', dpi=(DPI, DPI))
                archive.writestr('%s-%s.png' % (base, shop.shop_code),
                    image.getvalue())
        name = '%s-shops.zip' % base
    return buffer.getvalue(), name


class PrintQRStart(ModelView):
    "Print Shop QR Codes"
    __name__ = 'urban.loyalty.qr_print.start'

    format = fields.Selection(FORMAT_SELECTION, "Format", required=True)
    kind = fields.Selection([
            ('pdf', "PDF"),
            ('png', "PNG"),
            ], "File Type", required=True)

    @classmethod
    def default_format(cls):
        return 'bag_insert'

    @classmethod
    def default_kind(cls):
        return 'pdf'


class PrintQRResult(ModelView):
    "Print Shop QR Codes"
    __name__ = 'urban.loyalty.qr_print.result'

    file = fields.Binary("File", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class PrintQR(Wizard):
    "Print Shop QR Codes"
    __name__ = 'urban.loyalty.qr_print'

    start = StateView('urban.loyalty.qr_print.start',
        'urban_loyalty.qr_print_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'generate', 'tryton-print', default=True),
            ])
    generate = StateTransition()
    result = StateView('urban.loyalty.qr_print.result',
        'urban_loyalty.qr_print_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_generate(self):
        shops = [r for r in self.records
            if r.type == 'warehouse' and r.shop and r.shop_code]
        if not shops:
            raise ValidationError(gettext('urban_loyalty.msg_qr_no_shop'))
        self.result.file, self.result.filename = shop_codes_file(
            shops, self.start.format, self.start.kind)
        return 'result'

    def default_result(self, fields):
        return {
            'file': self.result.file,
            'filename': self.result.filename,
            }
