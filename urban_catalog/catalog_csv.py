# CSV export and import of the catalogue: one row per variant, the product's
# (template's) columns repeated on each of its variants' rows.
import csv
import datetime as dt
import io
import re
from decimal import Decimal

from stdnum import ean as stdnum_ean

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.exceptions import UserError
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .taxes import has_customer_taxes

LANGUAGES = ['fr', 'nl', 'en']
COLUMNS = [
    'template_code', 'code', 'ean',
    'name_fr', 'name_nl', 'name_en',
    'description_fr', 'description_nl', 'description_en',
    'creator', 'universe', 'list_price', 'cost_price', 'channels',
    'new_arrival_date', 'active',
    ]
# Columns that belong to the product (template): equal on all its rows
TEMPLATE_COLUMNS = [
    'name_fr', 'name_nl', 'name_en',
    'description_fr', 'description_nl', 'description_en',
    'creator', 'universe', 'list_price', 'channels', 'new_arrival_date',
    ]
REQUIRED = ['template_code', 'code', 'name_fr', 'name_nl', 'name_en']
CHANNEL_SEPARATOR = '|'
# Files with fewer rows are applied at once, larger ones by queued batches
DIRECT_LIMIT = 200
BATCH_SIZE = 100
DECIMAL = re.compile(r'^\d+(?:[.,]\d+)?$')
DELIMITERS = [
    (';', "Semicolon (;) and decimal comma"),
    (',', "Comma (,) and decimal point"),
    ]


def format_decimal(value, delimiter):
    if value is None:
        return ''
    text = str(value)
    return text.replace('.', ',') if delimiter == ';' else text


def export_csv(products, delimiter=';'):
    """UTF-8 CSV with BOM (for Excel) of the product.product records, in the
    order given: one row per variant."""
    pool = Pool()
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator='\r\n')
    writer.writerow(COLUMNS)
    products = Product.browse([int(p) for p in products])
    texts = {}
    template_ids = list({p.template.id for p in products})
    for lang in LANGUAGES:
        with Transaction().set_context(language=lang):
            for template in Template.browse(template_ids):
                texts[template.id, lang] = (
                    template.name, template.description_long)
    for product in products:
        template = product.template
        row = {
            'template_code': template.code or '',
            'code': product.code or '',
            'ean': next((i.code for i in product.identifiers
                    if i.type == 'ean'), ''),
            'creator': template.creator.code if template.creator else '',
            'universe': template.universe.code if template.universe else '',
            'list_price': format_decimal(template.list_price, delimiter),
            'cost_price': format_decimal(product.cost_price, delimiter),
            'channels': CHANNEL_SEPARATOR.join(
                sorted(c.code for c in template.channels)),
            'new_arrival_date': (template.new_arrival_date.isoformat()
                if template.new_arrival_date else ''),
            'active': '1' if template.active and product.active else '0',
            }
        for lang in LANGUAGES:
            name, description = texts[template.id, lang]
            row['name_%s' % lang] = name or ''
            row['description_%s' % lang] = description or ''
        writer.writerow([row[c] for c in COLUMNS])
    return ('\ufeff' + output.getvalue()).encode('utf-8')


def read_csv(data, delimiter=';'):
    """(rows, errors): rows are (row number, {column: text}) with the header
    as row 1; errors are (row, column, message) of the whole file."""
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError:
        return [], [(1, '', gettext('urban_catalog.msg_csv_encoding'))]
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [(1, '', gettext('urban_catalog.msg_csv_empty'))]
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [(1, c, gettext('urban_catalog.msg_csv_missing_column'))
            for c in missing]
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((number, {
                    c: (values[i].strip() if i < len(values) else '')
                    for i, c in enumerate(header) if c in COLUMNS}))
    return rows, []


def parse_decimal(text):
    if not DECIMAL.match(text):
        raise ValueError(text)
    return Decimal(text.replace(',', '.'))


def validate_rows(rows):
    """(parsed rows, errors): each parsed row is (row number, values) with
    Python values; errors are (row, column, message) for every bad cell."""
    pool = Pool()
    Creator = pool.get('urban.creator')
    Category = pool.get('product.category')
    Channel = pool.get('urban.channel')
    Product = pool.get('product.product')

    with Transaction().set_context(active_test=False):
        creators = {c.code: c.id for c in Creator.search([])}
        universes = {c.code: c.id for c in Category.search(
                [('universe', '=', True), ('code', '!=', None)])}
        channels = {c.code: c.id for c in Channel.search([])}
        existing = {p.code: p.template.code for p in Product.search(
                [('code', 'in', [r['code'] for _, r in rows if r['code']])])}
        # products published from the file must have their VAT (taxes.py)
        Template = pool.get('product.template')
        taxed = None
        if 'account_category' in Template._fields:
            taxed = {t.code for t in Template.search([('code', 'in', list(
                                {r['template_code'] for _, r in rows
                                    if r['template_code']}))])
                if has_customer_taxes(t.account_category)}

    errors, parsed, seen_codes, templates = [], [], {}, {}

    def error(number, column, message_id, **kwargs):
        errors.append((number, column, gettext(
                    'urban_catalog.%s' % message_id, **kwargs)))

    for number, raw in rows:
        values = dict(raw)
        for column in REQUIRED:
            if not raw[column]:
                error(number, column, 'msg_csv_required')
        code = raw['code']
        if code:
            if code in seen_codes:
                error(number, 'code', 'msg_csv_duplicate_code',
                    code=code, row=seen_codes[code])
            else:
                seen_codes[code] = number
            if raw['template_code'] and not code.startswith(
                    raw['template_code']):
                error(number, 'code', 'msg_csv_code_prefix',
                    code=code, template_code=raw['template_code'])
            elif (code in existing
                    and existing[code] != raw['template_code']):
                error(number, 'code', 'msg_csv_code_other_template',
                    code=code, template_code=existing[code] or '')
        if raw['ean'] and not stdnum_ean.is_valid(raw['ean']):
            error(number, 'ean', 'msg_csv_ean', ean=raw['ean'])
        if raw['creator'] and raw['creator'] not in creators:
            error(number, 'creator', 'msg_csv_creator', creator=raw['creator'])
        values['creator'] = creators.get(raw['creator'])
        if raw['universe'] and raw['universe'] not in universes:
            error(number, 'universe', 'msg_csv_universe',
                universe=raw['universe'])
        values['universe'] = universes.get(raw['universe'])
        for column in ['list_price', 'cost_price']:
            values[column] = None
            if raw[column] and not Transaction().context.get('company'):
                error(number, column, 'msg_csv_company')
            elif raw[column]:
                try:
                    values[column] = parse_decimal(raw[column])
                except (ValueError, ArithmeticError):
                    error(number, column, 'msg_csv_decimal',
                        value=raw[column])
        codes = [c.strip() for c in raw['channels'].split(CHANNEL_SEPARATOR)
            if c.strip()]
        for channel in codes:
            if channel not in channels:
                error(number, 'channels', 'msg_csv_channel', channel=channel)
        values['channels'] = sorted(channels[c] for c in codes
            if c in channels)
        if (codes and taxed is not None
                and raw['template_code'] not in taxed
                and raw['template_code'] not in templates):
            error(number, 'channels', 'msg_csv_channel_taxes',
                template_code=raw['template_code'])
        values['new_arrival_date'] = None
        if raw['new_arrival_date']:
            try:
                values['new_arrival_date'] = dt.date.fromisoformat(
                    raw['new_arrival_date'])
            except ValueError:
                error(number, 'new_arrival_date', 'msg_csv_date',
                    value=raw['new_arrival_date'])
        if raw['active'] not in {'0', '1', ''}:
            error(number, 'active', 'msg_csv_active', value=raw['active'])
        values['active'] = raw['active'] != '0'
        # The product's columns must agree on all the rows of its variants
        if raw['template_code']:
            first = templates.setdefault(raw['template_code'], (number, raw))
            for column in TEMPLATE_COLUMNS:
                if first[0] != number and raw[column] != first[1][column]:
                    error(number, column, 'msg_csv_template_differs',
                        row=first[0], template_code=raw['template_code'])
        parsed.append((number, values))
    return parsed, errors


def batches(parsed, size=None):
    "Lists of about size rows, never splitting the rows of a product"
    size = size or BATCH_SIZE
    groups = {}
    for number, values in parsed:
        groups.setdefault(values['template_code'], []).append(
            (number, values))
    batch = []
    for group in groups.values():
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _changed(record, values):
    "The values that differ from the record's"
    changes = {}
    for name, value in values.items():
        current = getattr(record, name)
        if isinstance(current, ModelSQL):
            current = current.id
        elif isinstance(current, tuple):
            current = sorted(r.id for r in current)
        if current != value:
            changes[name] = value
    return changes


def apply_rows(parsed):
    """Create or update the products and variants of validated rows, matched
    by code; only what differs is written.

    One create and one write call per model for all the rows (write takes
    (records, values) pairs): the creation and modification hooks (slugs,
    pushes to the tills, ...) then run once per batch, not once per row."""
    pool = Pool()
    Template = pool.get('product.template')
    Product = pool.get('product.product')
    Configuration = pool.get('ir.configuration')
    base = Configuration.get_language()

    groups = {}
    for number, values in parsed:
        groups.setdefault(values['template_code'], []).append(values)
    with Transaction().set_context(active_test=False, language=base):
        templates = {t.code: t for t in Template.search(
                [('code', 'in', list(groups))])}
        products = {p.code: p for p in Product.search(
                [('code', 'in', [v['code'] for _, v in parsed])])}
        _apply_templates(groups, templates, base)
        for lang in LANGUAGES:
            if lang != base:
                with Transaction().set_context(language=lang):
                    _apply_translations(groups, templates, lang)
        _apply_products(groups, templates, products)
        _apply_eans([v for _, v in parsed], products)


def _apply_templates(groups, templates, base):
    "Create the new templates and write the changed ones; fills templates"
    pool = Pool()
    Template = pool.get('product.template')
    ModelData = pool.get('ir.model.data')
    unit = ModelData.get_id('product', 'uom_unit')
    to_create, to_write = [], []
    for template_code, rows in groups.items():
        first = rows[0]
        values = {
            'name': first['name_' + base],
            'description_long': first['description_' + base] or None,
            'creator': first['creator'],
            'universe': first['universe'],
            'list_price': first['list_price'],
            'channels': first['channels'],
            'new_arrival_date': first['new_arrival_date'],
            'active': any(r['active'] for r in rows),
            }
        template = templates.get(template_code)
        if template is None:
            values['channels'] = [('add', values['channels'])]
            to_create.append({
                    'code': template_code,
                    'default_uom': unit,
                    'type': 'goods',
                    'products': [],
                    **values})
            continue
        changes = _changed(template, values)
        if 'channels' in changes:
            current = {c.id for c in template.channels}
            wanted = set(changes['channels'])
            changes['channels'] = [
                ('add', sorted(wanted - current)),
                ('remove', sorted(current - wanted))]
        if changes:
            to_write.extend(([template], changes))
    if to_create:
        for template in Template.create(to_create):
            templates[template.code] = template
    if to_write:
        Template.write(*to_write)


def _apply_translations(groups, templates, lang):
    "Write the names and descriptions of lang that changed"
    Template = Pool().get('product.template')
    translated = Template.browse([templates[c].id for c in groups])
    to_write = []
    for template, rows in zip(translated, groups.values()):
        first = rows[0]
        changes = _changed(template, {
                'name': first['name_' + lang],
                'description_long': first['description_' + lang] or None,
                })
        if changes.get('description_long', '') is None:
            # empty: keep the fallback on the base language
            del changes['description_long']
        if changes:
            to_write.extend(([template], changes))
    if to_write:
        Template.write(*to_write)


def _apply_products(groups, templates, products):
    "Create the new variants and write the changed ones; fills products"
    Product = Pool().get('product.product')
    to_create, to_write = [], []
    for template_code, rows in groups.items():
        for row in rows:
            values = {
                'suffix_code': row['code'][len(template_code):] or None,
                'active': row['active'],
                }
            if row['cost_price'] is not None:
                # empty: the cost price is kept (it is required)
                values['cost_price'] = row['cost_price']
            product = products.get(row['code'])
            if product is None:
                to_create.append({
                        'template': templates[template_code].id, **values})
                continue
            changes = _changed(product, values)
            if changes:
                to_write.extend(([product], changes))
    if to_create:
        for product in Product.create(to_create):
            products[product.code] = product
    if to_write:
        Product.write(*to_write)


def _apply_eans(rows, products):
    "Add, change or remove the EAN identifier of each variant"
    Identifier = Pool().get('product.identifier')
    to_create, to_write, to_delete = [], [], []
    for row in rows:
        product = products[row['code']]
        eans = [i for i in product.identifiers if i.type == 'ean']
        if row['ean'] and not eans:
            to_create.append({
                    'product': product.id, 'type': 'ean',
                    'code': row['ean']})
        elif row['ean'] and eans[0].code != row['ean']:
            to_write.extend(([eans[0]], {'code': row['ean']}))
        elif not row['ean'] and eans:
            to_delete.extend(eans)
    if to_delete:
        Identifier.delete(to_delete)
    if to_write:
        Identifier.write(*to_write)
    if to_create:
        Identifier.create(to_create)


class CatalogImport(ModelSQL, ModelView):
    "Catalogue CSV import"
    __name__ = 'urban.catalog.import'

    filename = fields.Char("File Name", readonly=True)
    data = fields.Binary("File", filename='filename', readonly=True)
    delimiter = fields.Selection(DELIMITERS, "Delimiter", readonly=True)
    state = fields.Selection([
            ('invalid', "Invalid"),
            ('queued', "Queued"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)
    total = fields.Integer("Rows", readonly=True)
    done = fields.Integer("Rows Done", readonly=True)
    progress = fields.Function(fields.Float("Progress", digits=(1, 2)),
        'get_progress')
    errors = fields.One2Many('urban.catalog.import.error', 'import_',
        "Errors", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('create_date', 'DESC'))

    @classmethod
    def default_done(cls):
        return 0

    def get_progress(self, name):
        return (self.done or 0) / self.total if self.total else 1.0

    def get_rec_name(self, name):
        return '%s (%s)' % (self.filename or '', self.create_date or '')

    @classmethod
    def check_and_start(cls, filename, data, delimiter):
        """Validate every row of the file and apply it (or queue it when
        large) when all are valid; the import record keeps the errors."""
        rows, errors = read_csv(data, delimiter)
        parsed = []
        if not errors:
            parsed, errors = validate_rows(rows)
        record, = cls.create([{
                    'filename': filename, 'data': data,
                    'delimiter': delimiter, 'total': len(parsed),
                    'state': 'invalid' if errors else 'queued',
                    'errors': [('create', [
                                {'row': r, 'column': c, 'message': m}
                                for r, c, m in errors])],
                    }])
        if errors:
            return record
        if len(parsed) < DIRECT_LIMIT:
            apply_rows(parsed)
            cls.write([record], {'done': len(parsed), 'state': 'done'})
        else:
            for batch in batches(parsed):
                cls.__queue__.process_batch(
                    [record], [n for n, _ in batch])
        return record

    @classmethod
    def process_batch(cls, records, row_numbers):
        "Queued: apply the rows row_numbers of the import"
        record, = cls.search([('id', 'in', [r.id for r in records])])
        rows, errors = read_csv(record.data, record.delimiter)
        wanted = set(row_numbers)
        parsed, errors = validate_rows(
            [(n, r) for n, r in rows if n in wanted])
        if errors:
            raise UserError(gettext('urban_catalog.msg_csv_batch_invalid',
                    row=errors[0][0], message=errors[0][2]))
        apply_rows(parsed)
        cls.lock([record])
        record = cls(record.id)
        done = (record.done or 0) + len(parsed)
        cls.write([record], {
                'done': done,
                'state': 'done' if done >= record.total else 'queued',
                })


class CatalogImportError(ModelSQL, ModelView):
    "Catalogue CSV import error"
    __name__ = 'urban.catalog.import.error'

    import_ = fields.Many2One('urban.catalog.import', "Import",
        required=True, ondelete='CASCADE')
    row = fields.Integer("Row", readonly=True)
    column = fields.Char("Column", readonly=True)
    message = fields.Char("Message", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('import_')
        cls._order = [('row', 'ASC'), ('id', 'ASC')]


class ExportStart(ModelView):
    "Export catalogue CSV"
    __name__ = 'urban.catalog.export.start'

    delimiter = fields.Selection(DELIMITERS, "Delimiter", required=True)
    selection = fields.Boolean("Selected Products Only",
        states={'invisible': ~Eval('has_selection', False)})
    has_selection = fields.Boolean("Has Selection", readonly=True)
    filename = fields.Char("File Name", readonly=True)
    file = fields.Binary("File", filename='filename', readonly=True)


class Export(Wizard):
    "Export catalogue CSV"
    __name__ = 'urban.catalog.export'

    start = StateView('urban.catalog.export.start',
        'urban_catalog.catalog_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView('urban.catalog.export.start',
        'urban_catalog.catalog_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        selected = (self.model and self.model.__name__ == 'product.template'
            and bool(self.records))
        return {'delimiter': ';', 'has_selection': selected,
            'selection': selected}

    def transition_export(self):
        pool = Pool()
        Product = pool.get('product.product')
        domain = []
        if self.start.selection and self.records:
            domain = [('template', 'in', [r.id for r in self.records])]
        with Transaction().set_context(active_test=False):
            products = Product.search(domain,
                order=[('template.code', 'ASC'), ('code', 'ASC'),
                    ('id', 'ASC')])
        self.result.file = export_csv(products, self.start.delimiter)
        self.result.filename = 'catalogue.csv'
        self.result.delimiter = self.start.delimiter
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'filename': self.result.filename,
            'delimiter': self.result.delimiter}


class ImportStart(ModelView):
    "Import catalogue CSV"
    __name__ = 'urban.catalog.import.start'

    file = fields.Binary("File", filename='filename', required=True)
    filename = fields.Char("File Name")
    delimiter = fields.Selection(DELIMITERS, "Delimiter", required=True)


class ImportResult(ModelView):
    "Import catalogue CSV result"
    __name__ = 'urban.catalog.import.result'

    import_ = fields.Many2One('urban.catalog.import', "Import",
        readonly=True)
    state = fields.Selection([
            ('invalid', "Invalid"),
            ('queued', "Queued"),
            ('done', "Done"),
            ], "State", readonly=True)
    report = fields.Text("Report", readonly=True)


class Import(Wizard):
    "Import catalogue CSV"
    __name__ = 'urban.catalog.import.wizard'

    start = StateView('urban.catalog.import.start',
        'urban_catalog.catalog_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('urban.catalog.import.result',
        'urban_catalog.catalog_import_result_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        return {'delimiter': ';'}

    def transition_import_(self):
        pool = Pool()
        CatalogImport = pool.get('urban.catalog.import')
        record = CatalogImport.check_and_start(
            self.start.filename or 'catalogue.csv', self.start.file,
            self.start.delimiter)
        self.result.import_ = record
        return 'result'

    def default_result(self, fields):
        record = self.result.import_
        if record.state == 'invalid':
            report = '\n'.join(gettext('urban_catalog.msg_csv_error_line',
                    row=e.row, column=e.column or '-', message=e.message)
                for e in record.errors)
        else:
            report = gettext('urban_catalog.msg_csv_applied',
                done=record.done, total=record.total)
        return {'import_': record.id, 'state': record.state,
            'report': report}
