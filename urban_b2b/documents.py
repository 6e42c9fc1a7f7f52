"""PDF documents of the pro channel, drawn with fpdf2 (pure Python; the
server has no LibreOffice to convert Tryton's ODT reports): the invoice of
a pro order and the line sheet (articles with picture, SKU, EAN, case pack,
minimum, pro price and recommended retail price). The UBL invoice is
Tryton's own (edocument_ubl, Peppol BIS Billing 3)."""
import io
from decimal import Decimal

from fpdf import FPDF
from PIL import Image as PILImage

from trytond.pool import Pool

LABELS = {
    'invoice': {'fr': "Facture", 'nl': "Factuur", 'en': "Invoice"},
    'date': {'fr': "Date", 'nl': "Datum", 'en': "Date"},
    'due': {'fr': "Échéance", 'nl': "Vervaldag", 'en': "Due date"},
    'customer': {'fr': "Client", 'nl': "Klant", 'en': "Customer"},
    'vat': {'fr': "TVA", 'nl': "Btw", 'en': "VAT"},
    'article': {'fr': "Article", 'nl': "Artikel", 'en': "Article"},
    'quantity': {'fr': "Qté", 'nl': "Aantal", 'en': "Qty"},
    'unit_price': {'fr': "Prix unit. HTVA", 'nl': "Eenheidsprijs excl.",
        'en': "Unit price excl."},
    'amount': {'fr': "Montant HTVA", 'nl': "Bedrag excl.",
        'en': "Amount excl."},
    'untaxed': {'fr': "Total HTVA", 'nl': "Totaal excl. btw",
        'en': "Total excl. VAT"},
    'tax': {'fr': "TVA", 'nl': "Btw", 'en': "VAT"},
    'total': {'fr': "Total TVAC", 'nl': "Totaal incl. btw",
        'en': "Total incl. VAT"},
    'line_sheet': {'fr': "Line sheet pro", 'nl': "Pro line sheet",
        'en': "Pro line sheet"},
    'pack': {'fr': "Colis", 'nl': "Verpakking", 'en': "Case"},
    'minimum': {'fr': "Minimum", 'nl': "Minimum", 'en': "Minimum"},
    'pro_price': {'fr': "Prix pro HTVA", 'nl': "Proprijs excl. btw",
        'en': "Pro price excl. VAT"},
    'rrp': {'fr': "PVC TVAC", 'nl': "Adviesprijs incl.",
        'en': "RRP incl. VAT"},
    'from': {'fr': "dès", 'nl': "vanaf", 'en': "from"},
    }


def _t(key, lang):
    return LABELS[key].get(lang, LABELS[key]['en'])


def _text(value):
    "Text the core PDF fonts can draw (Latin-1)"
    value = str(value if value is not None else '')
    value = value.replace('€', 'EUR').replace('—', '-').replace('’', "'")
    return value.encode('latin-1', 'replace').decode('latin-1')


def _money(amount, currency='EUR'):
    return '%s %s' % (Decimal(amount or 0).quantize(Decimal('0.01')),
        currency)


class _PDF(FPDF):

    def __init__(self, title):
        super().__init__(orientation='P', unit='mm', format='A4')
        self.doc_title = title
        self.set_auto_page_break(True, margin=15)
        self.set_title(_text(title))
        self.set_creator("Urban Therapy")

    def header(self):
        self.set_font('Helvetica', 'B', 14)
        self.cell(0, 8, 'Urban Therapy', new_x='LMARGIN', new_y='NEXT')
        self.set_font('Helvetica', '', 9)
        self.cell(0, 5, _text(self.doc_title), new_x='LMARGIN',
            new_y='NEXT')
        self.ln(3)

    def footer(self):
        self.set_y(-12)
        self.set_font('Helvetica', '', 8)
        self.cell(0, 5, '%s' % self.page_no(), align='C')


def invoice_pdf(invoice, lang='fr'):
    "The PDF of the customer invoice (bytes)"
    currency = invoice.currency.code
    pdf = _PDF('%s %s' % (_t('invoice', lang), invoice.number or ''))
    pdf.add_page()
    pdf.set_font('Helvetica', '', 10)
    company = invoice.company.party
    vat = company.tax_identifier.code if company.tax_identifier else ''
    pdf.multi_cell(90, 5, _text('%s\n%s %s' % (company.name,
                _t('vat', lang), vat)), new_x='RIGHT', new_y='TOP')
    party = invoice.party
    address = invoice.invoice_address
    lines = [party.name]
    if address:
        lines += [address.street or '', '%s %s' % (
                address.postal_code or '', address.city or '')]
    if invoice.party_tax_identifier:
        lines.append('%s %s' % (_t('vat', lang),
                invoice.party_tax_identifier.code))
    pdf.multi_cell(0, 5, _text('\n'.join(lines)), new_x='LMARGIN',
        new_y='NEXT')
    pdf.ln(4)
    pdf.set_font('Helvetica', 'B', 12)
    pdf.cell(0, 7, _text('%s %s' % (_t('invoice', lang),
                invoice.number or '')), new_x='LMARGIN', new_y='NEXT')
    pdf.set_font('Helvetica', '', 10)
    pdf.cell(0, 5, _text('%s: %s' % (_t('date', lang),
                invoice.invoice_date or '')), new_x='LMARGIN', new_y='NEXT')
    dues = [l.maturity_date for l in (invoice.lines_to_pay or [])
        if l.maturity_date]
    if dues:
        pdf.cell(0, 5, _text('%s: %s' % (_t('due', lang), max(dues))),
            new_x='LMARGIN', new_y='NEXT')
    pdf.ln(4)
    widths = (90, 20, 40, 40)
    pdf.set_font('Helvetica', 'B', 9)
    for width, key in zip(widths,
            ('article', 'quantity', 'unit_price', 'amount')):
        pdf.cell(width, 6, _text(_t(key, lang)), border='B')
    pdf.ln()
    pdf.set_font('Helvetica', '', 9)
    for line in invoice.lines:
        if line.type != 'line':
            continue
        name = line.product.rec_name if line.product else (
            line.description or '')
        pdf.cell(widths[0], 6, _text(name[:55]))
        pdf.cell(widths[1], 6, '%g' % line.quantity, align='R')
        pdf.cell(widths[2], 6, _money(line.unit_price, currency), align='R')
        pdf.cell(widths[3], 6, _money(line.amount, currency), align='R')
        pdf.ln()
    pdf.ln(3)
    for key, amount in (('untaxed', invoice.untaxed_amount),
            ('tax', invoice.tax_amount), ('total', invoice.total_amount)):
        pdf.set_font('Helvetica', 'B' if key == 'total' else '', 10)
        pdf.cell(sum(widths[:3]), 6, _text(_t(key, lang)), align='R')
        pdf.cell(widths[3], 6, _money(amount, currency), align='R')
        pdf.ln()
    return bytes(pdf.output())


def invoice_ubl(invoice):
    "The UBL 2 invoice (Peppol BIS Billing 3) as bytes"
    UBL = Pool().get('edocument.ubl.invoice')
    data = UBL(invoice).render('2', specification='peppol-bis-3')
    return data if isinstance(data, bytes) else data.encode('utf-8')


def _picture(template):
    "JPEG bytes of the template's first picture (small), or None"
    for image in template.images or []:
        data = None
        try:
            data = image.get_rendition('thumbnail')
        except Exception:
            data = image.image
        if not data:
            continue
        with PILImage.open(io.BytesIO(data)) as picture:
            picture = picture.convert('RGB')
            picture.thumbnail((240, 240))
            out = io.BytesIO()
            picture.save(out, format='JPEG', quality=80)
            return out.getvalue()
    return None


def line_sheet_pdf(rows, lang='fr', title=None):
    """The line sheet of rows: dicts with template, product, pro_price,
    tiers [(quantity, price)], rrp, currency (bytes)"""
    pdf = _PDF(title or _t('line_sheet', lang))
    pdf.add_page()
    pictures = {}
    for row in rows:
        template, product = row['template'], row['product']
        if pdf.get_y() > 255:
            pdf.add_page()
        top = pdf.get_y()
        if template.id not in pictures:
            pictures[template.id] = _picture(template)
        if pictures[template.id]:
            pdf.image(io.BytesIO(pictures[template.id]), x=10, y=top, w=24,
                h=24)
        pdf.set_xy(38, top)
        pdf.set_font('Helvetica', 'B', 10)
        pdf.cell(0, 5, _text(product.rec_name[:80]), new_x='LMARGIN',
            new_y='NEXT')
        pdf.set_x(38)
        pdf.set_font('Helvetica', '', 9)
        ean = next((i.code for i in product.identifiers if i.type == 'ean'),
            '')
        pdf.cell(0, 5, _text('SKU %s   EAN %s   %s %s   %s %s' % (
                    product.code or '', ean, _t('pack', lang),
                    template.case_pack, _t('minimum', lang),
                    template.minimum_quantity)), new_x='LMARGIN',
            new_y='NEXT')
        pdf.set_x(38)
        tiers = '   '.join('%s %s: %s' % (_t('from', lang), quantity,
                _money(price, row['currency']))
            for quantity, price in row['tiers'])
        pdf.cell(0, 5, _text('%s: %s' % (_t('pro_price', lang), tiers)),
            new_x='LMARGIN', new_y='NEXT')
        pdf.set_x(38)
        if row.get('rrp') is not None:
            pdf.cell(0, 5, _text('%s: %s' % (_t('rrp', lang),
                        _money(row['rrp'], row['currency']))),
                new_x='LMARGIN', new_y='NEXT')
        pdf.set_y(top + 27)
    return bytes(pdf.output())
