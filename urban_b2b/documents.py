"""PDF documents of the pro channel, drawn with fpdf2 (pure Python; the
server has no LibreOffice to convert Tryton's ODT reports): the invoice of
a pro order and the line sheet (articles with picture, SKU, EAN, case pack,
minimum, pro price and recommended retail price). The UBL invoice is
Tryton's own (edocument_ubl, Peppol BIS Billing 3)."""
import io
import os
from decimal import Decimal

from fpdf import FPDF
from PIL import Image as PILImage
from stdnum import iban
from stdnum.be import vat as be_vat

from trytond.pool import Pool
from trytond.transaction import Transaction

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
    'seller_id': {'fr': "N° d'entreprise / TVA",
        'nl': "Ondernemingsnr. / btw", 'en': "Enterprise / VAT no."},
    'number': {'fr': "Numéro", 'nl': "Nummer", 'en': "Number"},
    'vat_rate': {'fr': "Taux TVA", 'nl': "Btw-tarief", 'en': "VAT rate"},
    'vat_base': {'fr': "Base HTVA", 'nl': "Maatstaf excl. btw",
        'en': "Taxable amount"},
    'vat_amount': {'fr': "Montant TVA", 'nl': "Btw-bedrag",
        'en': "VAT amount"},
    'payment': {'fr': "Paiement", 'nl': "Betaling", 'en': "Payment"},
    'pay_by': {'fr': "Virement sur le compte",
        'nl': "Overschrijving op rekening", 'en': "Bank transfer to"},
    'iban': {'fr': "IBAN", 'nl': "IBAN", 'en': "IBAN"},
    'bic': {'fr': "BIC", 'nl': "BIC", 'en': "BIC"},
    'reference': {'fr': "Communication structurée",
        'nl': "Gestructureerde mededeling", 'en': "Payment reference"},
    'reference_free': {'fr': "Communication", 'nl': "Mededeling",
        'en': "Payment reference"},
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


# A Unicode font where the system has one (the Docker image installs
# fonts-dejavu-core): € and narrow spaces as they are; else the core
# Helvetica and Latin-1 text (€ written EUR)
DEJAVU = {
    '': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    'B': '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    }


class _PDF(FPDF):

    def __init__(self, title):
        super().__init__(orientation='P', unit='mm', format='A4')
        self.unicode = all(os.path.exists(p) for p in DEJAVU.values())
        if self.unicode:
            for style, path in DEJAVU.items():
                self.add_font('DejaVu', style, path)
        self.doc_title = title
        self.set_auto_page_break(True, margin=15)
        self.set_title(self.text_of(title))
        self.set_creator("Urban Therapy")

    def text_of(self, value):
        if self.unicode:
            return str(value if value is not None else '')
        return _text(value)

    def font(self, style='', size=10):
        self.set_font('DejaVu' if self.unicode else 'Helvetica', style, size)

    def header(self):
        self.font('B', 14)
        self.cell(0, 8, 'Urban Therapy', new_x='LMARGIN', new_y='NEXT')
        self.font('', 9)
        self.cell(0, 5, self.text_of(self.doc_title), new_x='LMARGIN',
            new_y='NEXT')
        self.ln(3)

    def footer(self):
        self.set_y(-12)
        self.font('', 8)
        self.cell(0, 5, '%s' % self.page_no(), align='C')


def _vat_text(identifier):
    """A Belgian enterprise (= VAT) number as Belgians write it,
    'BE 0487.654.335'; another tax identifier as it is held"""
    if not identifier:
        return ''
    if identifier.type in {'eu_vat', 'be_vat'} and be_vat.is_valid(
            identifier.code):
        number = be_vat.compact(identifier.code)
        return 'BE %s.%s.%s' % (number[:4], number[4:7], number[7:])
    return identifier.code or ''


def _enterprise_number(party):
    "The party's enterprise/VAT number (as urban_website.seller reads it)"
    for identifier in party.identifiers:
        if text := _vat_text(identifier):
            if text.startswith('BE '):
                return text
    return _vat_text(party.tax_identifier)


def _address_lines(name, address, company_country):
    """The name then the address as Tryton formats it for its country (the
    country left out when it is the company's)"""
    lines = [name]
    if address:
        with Transaction().set_context(address_from_country=company_country):
            full = address.__class__(address.id).full_address or ''
        lines += [l for l in full.splitlines() if l.strip() and l != name]
    return lines


def _rate_text(rate, lang):
    "0.21 → '21%', 0.055 → '5,5%' (the language's decimal point)"
    percent = (Decimal(rate) * 100).normalize()
    text = '{:f}'.format(percent).replace('.', lang.decimal_point)
    return '%s%%' % text


def _quantity_text(line, lang):
    "10 → '10', 2.5 → '2,5' in French"
    quantity = line.quantity or 0
    digits = 0 if quantity == int(quantity) else (
        line.unit.digits if line.unit else 2)
    return lang.format('%.' + str(digits) + 'f', quantity, grouping=True)


def _payment_means(invoice):
    """The invoice's payment means: those set when it was posted, else
    those the company's rules would set (a draft)"""
    if invoice.payment_means:
        return [m.instrument for m in invoice.payment_means]
    Rule = Pool().get('account.invoice.payment.mean.rule')
    pattern = Rule.pattern_from_invoice(invoice)
    return [r.instrument for r in Rule.search([]) if r.match(pattern)][:1]


def invoice_sheet(invoice, lang='fr'):
    """What the invoice shows, in lang, as texts and values (the PDF draws
    it): seller and customer lines, number, dates, lines, one VAT row per
    rate, totals and how to pay. Amounts and dates are formatted by
    Tryton's language (ir.lang)."""
    pool = Pool()
    Lang = pool.get('ir.lang')
    Invoice = pool.get('account.invoice')
    language = Lang.get(lang)
    with Transaction().set_context(language=language.code):
        invoice = Invoice(invoice.id)
        currency = invoice.currency
        company = invoice.company.party
        company_address = company.address_get(type='invoice')
        company_country = (company_address.country
            if company_address else None)

        def money(amount):
            return language.currency(amount or 0, currency, grouping=True)

        def date(value):
            return language.strftime(value) if value else ''
        seller = _address_lines(company.name, company_address, company_country)
        enterprise = _enterprise_number(company)
        if enterprise:
            seller.append('%s %s' % (_t('seller_id', lang), enterprise))
        customer = _address_lines(invoice.party.full_name,
            invoice.invoice_address, company_country)
        if invoice.party_tax_identifier:
            customer.append('%s %s' % (_t('vat', lang),
                    _vat_text(invoice.party_tax_identifier)))
        lines = []
        for line in invoice.lines:
            if line.type != 'line':
                continue
            lines.append({
                    'description': (line.product.rec_name if line.product
                        else line.description or ''),
                    'quantity': _quantity_text(line, language),
                    'unit_price': money(line.unit_price),
                    'amount': money(line.amount),
                    'vat': ', '.join(_rate_text(t.rate, language)
                        for t in line.taxes if t.type == 'percentage'),
                    })
        taxes = []
        for tax in invoice.taxes:
            rate = (tax.tax.rate if tax.tax and tax.tax.type == 'percentage'
                else None)
            taxes.append({
                    'rate': rate,
                    'rate_text': (_rate_text(rate, language)
                        if rate is not None else ''),
                    'description': tax.description or '',
                    'base': tax.base,
                    'amount': tax.amount,
                    'base_text': money(tax.base),
                    'amount_text': money(tax.amount),
                    })
        taxes.sort(key=lambda t: -(t['rate'] or 0))
        dues = sorted(l.maturity_date for l in (invoice.lines_to_pay or [])
            if l.maturity_date)
        due = date(dues[-1]) if dues else ''
        payment = {'iban': '', 'bic': '', 'bank': '', 'reference': '',
            'structured': False, 'due': due}
        for instrument in _payment_means(invoice):
            if instrument.__name__ == 'bank.account' and instrument.iban:
                payment['iban'] = iban.format(instrument.iban_compact)
                if instrument.bank:
                    payment['bic'] = instrument.bank.bic or ''
                    payment['bank'] = instrument.bank.rec_name
                break
        if invoice.number:
            reference = invoice.customer_payment_reference or ''
            payment['reference'] = reference
            payment['structured'] = reference.startswith('+++')
        return {
            'labels': {k: _t(k, lang) for k in LABELS},
            'seller': seller,
            'customer': customer,
            'number': invoice.number or '',
            'date': date(invoice.invoice_date),
            'due': due,
            'lines': lines,
            'taxes': taxes,
            'untaxed': money(invoice.untaxed_amount),
            'tax': money(invoice.tax_amount),
            'total': money(invoice.total_amount),
            'payment': payment,
            }


def invoice_pdf(invoice, lang='fr'):
    "The PDF of the customer invoice (bytes), drawn from its sheet"
    sheet = invoice_sheet(invoice, lang)
    label = sheet['labels']
    pdf = _PDF('%s %s' % (label['invoice'], sheet['number']))
    text = pdf.text_of
    pdf.add_page()
    top = pdf.get_y()
    pdf.font('', 9)
    pdf.multi_cell(90, 4.5, text('\n'.join(sheet['seller'])),
        new_x='LMARGIN', new_y='NEXT')
    bottom = pdf.get_y()
    pdf.set_xy(115, top)
    pdf.font('B', 9)
    pdf.cell(0, 4.5, text(label['customer']), new_x='LEFT', new_y='NEXT')
    pdf.font('', 10)
    pdf.multi_cell(0, 5, text('\n'.join(sheet['customer'])),
        new_x='LMARGIN', new_y='NEXT')
    pdf.set_y(max(bottom, pdf.get_y()) + 4)
    pdf.font('B', 12)
    pdf.cell(0, 7, text('%s %s' % (label['invoice'], sheet['number'])),
        new_x='LMARGIN', new_y='NEXT')
    pdf.font('', 10)
    pdf.cell(0, 5, text('%s: %s' % (label['date'], sheet['date'])),
        new_x='LMARGIN', new_y='NEXT')
    if sheet['due']:
        pdf.cell(0, 5, text('%s: %s' % (label['due'], sheet['due'])),
            new_x='LMARGIN', new_y='NEXT')
    pdf.ln(4)
    widths = (80, 18, 16, 38, 38)
    pdf.font('B', 9)
    for width, key in zip(widths,
            ('article', 'quantity', 'vat', 'unit_price', 'amount')):
        pdf.cell(width, 6, text(label[key]), border='B',
            align='L' if key == 'article' else 'R')
    pdf.ln()
    pdf.font('', 9)
    for line in sheet['lines']:
        pdf.cell(widths[0], 6, text(line['description'][:50]))
        pdf.cell(widths[1], 6, text(line['quantity']), align='R')
        pdf.cell(widths[2], 6, text(line['vat']), align='R')
        pdf.cell(widths[3], 6, text(line['unit_price']), align='R')
        pdf.cell(widths[4], 6, text(line['amount']), align='R')
        pdf.ln()
    pdf.ln(4)
    # the VAT per rate, then the totals
    tax_widths = (30, 80, 40, 40)
    pdf.font('B', 9)
    for width, key in zip(tax_widths,
            ('vat_rate', 'vat', 'vat_base', 'vat_amount')):
        pdf.cell(width, 6, text(label[key]), border='B',
            align='R' if key in {'vat_base', 'vat_amount'} else 'L')
    pdf.ln()
    pdf.font('', 9)
    for row in sheet['taxes']:
        pdf.cell(tax_widths[0], 6, text(row['rate_text']))
        pdf.cell(tax_widths[1], 6, text(row['description'][:45]))
        pdf.cell(tax_widths[2], 6, text(row['base_text']), align='R')
        pdf.cell(tax_widths[3], 6, text(row['amount_text']), align='R')
        pdf.ln()
    pdf.ln(2)
    for key in ('untaxed', 'tax', 'total'):
        pdf.font('B' if key == 'total' else '', 10)
        pdf.cell(sum(tax_widths[:3]), 6, text(label[key]), align='R')
        pdf.cell(tax_widths[3], 6, text(sheet[key]), align='R')
        pdf.ln()
    payment = sheet['payment']
    if payment['iban'] or payment['reference']:
        pdf.ln(6)
        pdf.font('B', 10)
        pdf.cell(0, 6, text(label['payment']), border='B', new_x='LMARGIN',
            new_y='NEXT')
        pdf.font('', 10)
        rows = []
        if payment['iban']:
            rows.append((label['pay_by'], payment['bank']))
            rows.append((label['iban'], payment['iban']))
            if payment['bic']:
                rows.append((label['bic'], payment['bic']))
        if payment['reference']:
            rows.append((label['reference' if payment['structured']
                        else 'reference_free'], payment['reference']))
        if payment['due']:
            rows.append((label['due'], payment['due']))
        for key, value in rows:
            pdf.cell(60, 5.5, text(key))
            pdf.font('B' if key != label['pay_by'] else '', 10)
            pdf.cell(0, 5.5, text(value), new_x='LMARGIN', new_y='NEXT')
            pdf.font('', 10)
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
