"""Product documents: the catalogue part of the API's product detail (texts,
brand, universe, prices with VAT, variants, pictures, slugs), stored as
JSON per template, language and company and read in one query by every
worker.

A worker keeps the details it served in its own cache (catalog.DETAILS);
on a first request for a product it reads the stored document instead of
rebuilding it through the ORM (about 40 queries). Documents are written
outside the requests, which are read-only: edits of the catalogue delete
the documents they touch in their own transaction (catalog_cache.py) and
queue their rebuild when queue workers run (trytond-worker, production);
`fill()` (daily cron, and after data loaded behind
the ORM) builds the missing and outdated ones. A missing document only
costs the slower path: the request builds the detail itself.

What depends on the day is kept out of the stored JSON (the new-arrival
flag is computed on reading) or dates it: a document built before the
latest start or end of a tax is outdated."""
import datetime as dt
import json

from trytond import config
from trytond.cache import Cache
from trytond.model import ModelSQL, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from urban_catalog.variants import variant_label

from . import catalog
from .api import LANGUAGES
from . import schemas_catalog as schemas
from .schemas import Money

BATCH = 200
ALL = None

# the latest tax start or end on or before a day, per company
_TAX_CHANGE = Cache('urban_mobile_api.tax_change', context=False,
    duration=dt.timedelta(hours=1))


def render(templates):
    """{template id: JSON text or None} of the product details of templates
    (records read in the transaction's language and company), without
    availability; None for a template without a priced variant"""
    ids = [t.id for t in templates]
    variants = catalog.variants(ids)
    images = catalog.images(ids)
    slugs = catalog.slugs(ids)
    result = {}
    for template in templates:
        offers = variants[template.id]
        if not offers:
            result[template.id] = None
            continue
        creator, universe = template.creator, template.universe
        lowest = min(offers, key=lambda v: v['price'][1])['price']
        detail = schemas.ProductDetail(
            id=template.id,
            slug=template.slug,
            name=template.name,
            description=template.description_long or None,
            brand=schemas.BrandDetail(code=creator.code, name=creator.name,
                kind=creator.kind, bio=creator.bio or None,
                city=creator.city or None,
                website=creator.website or None) if creator else None,
            universe=schemas.UniverseRef(id=universe.id,
                slug=universe.slug, name=universe.name)
            if universe else None,
            new=False,
            price=Money.of(lowest[1], lowest[2]),
            images=[schemas.Image(alt=alt or None, **{
                        kind: schemas.Rendition.of(value)
                        for kind, value in kinds.items()})
                for alt, kinds in images[template.id]],
            variants=[schemas.Variant(
                    id=v['product'].id,
                    code=v['product'].code or None,
                    label=variant_label(v['attributes'])
                    or template.name,
                    attributes=[schemas.Attribute(**a)
                        for a in v['attributes']],
                    price=Money.of(v['price'][1], v['price'][2]),
                    online_quantity=0, in_stock=False, shops=[],
                    ) for v in offers],
            slugs=slugs[template.id],
            )
        new_arrival = template.new_arrival_date
        result[template.id] = json.dumps({
                'detail': detail.model_dump(mode='json', by_alias=True),
                'new_arrival_date': new_arrival.isoformat()
                if new_arrival else None,
                })
    return result


class ProductDocument(ModelSQL):
    "API Product Document"
    __name__ = 'urban.api.product.document'

    template = fields.Many2One('product.template', "Template",
        required=True, ondelete='CASCADE')
    language = fields.Char("Language", required=True)
    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='CASCADE')
    built_on = fields.Date("Built On", required=True)
    body = fields.Text("Body", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('template_language_company_unique',
                Unique(t, t.template, t.language, t.company),
                'urban_mobile_api.msg_product_document_unique'),
            ]

    @classmethod
    def fetch(cls, template_id, language, company_id):
        """The stored document of the template (JSON text), or None when
        there is none or it is outdated"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.body, table.built_on,
                where=(table.template == template_id)
                & (table.language == language)
                & (table.company == company_id)))
        row = cursor.fetchone()
        if not row or _date(row[1]) < cls.valid_since(company_id):
            return None
        return row[0]

    @classmethod
    def fetch_many(cls, template_ids, language, company_id):
        """{template id: stored document (JSON text)} of those of
        template_ids (a page's) that have a current one, in one query"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        since = cls.valid_since(company_id)
        cursor.execute(*table.select(table.template, table.body,
                where=reduce_ids(table.template, list(template_ids))
                & (table.language == language)
                & (table.company == company_id)
                & (table.built_on >= since)))
        return dict(cursor)

    @classmethod
    def valid_since(cls, company_id):
        """The first day whose documents are current: the latest start or
        end of one of the company's taxes, up to today"""
        today = catalog.today()
        key = (company_id, str(today))
        since = _TAX_CHANGE.get(key)
        if since is None:
            Tax = Pool().get('account.tax')
            tax = Tax.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*tax.select(tax.start_date, tax.end_date,
                    where=(tax.company == company_id)
                    & ((tax.start_date <= today) | (tax.end_date < today))))
            # a tax ending on day D applies no more from D + 1
            days = [dt.date.min]
            for start, end in cursor:
                start, end = _date(start), _date(end)
                if start and start <= today:
                    days.append(start)
                if end and end < today:
                    days.append(end + dt.timedelta(days=1))
            since = max(days)
            _TAX_CHANGE.set(key, since)
        return since

    @classmethod
    def invalidate(cls, template_ids=ALL):
        """Delete the documents of template_ids (every document for ALL) and
        queue the rebuild of the published ones"""
        Template = Pool().get('product.template')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        if template_ids is ALL:
            cursor.execute(*table.delete())
        else:
            template_ids = sorted({int(i) for i in template_ids})
            for sub_ids in grouped_slice(template_ids):
                cursor.execute(*table.delete(
                        where=reduce_ids(table.template, sub_ids)))
        # Rebuilt by the queue's workers; without them (demo, one-process
        # set-ups) the request itself would run the rebuild after its
        # commit: the daily fill does it instead, the API builds details
        # itself meanwhile.
        if not config.getboolean('queue', 'worker', default=False):
            return
        if template_ids is ALL:
            templates = Template.search(catalog.published_domain(),
                order=[('id', 'ASC')])
        else:
            templates = Template.browse(template_ids)
        if templates:
            with Transaction().set_context(queue_batch=BATCH):
                Template.__queue__.build_api_documents(templates)

    @classmethod
    def refresh(cls, template_ids):
        "Rebuild the documents of the published templates among template_ids"
        Template = Pool().get('product.template')
        companies = cls._companies()
        for company_id in companies:
            with Transaction().set_context(company=company_id):
                published = Template.search(catalog.published_domain()
                    + [('id', 'in', list(template_ids))], order=[])
                cls._build([t.id for t in published], company_id)

    @classmethod
    def fill(cls):
        """Build the missing and outdated documents of every published
        template (cron; after data loaded behind the ORM)"""
        Template = Pool().get('product.template')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for company_id in cls._companies():
            since = cls.valid_since(company_id)
            cursor.execute(*table.delete(
                    where=(table.company == company_id)
                    & (table.built_on < since)))
            cursor.execute(*table.select(table.template, table.language,
                    where=table.company == company_id))
            present = set(cursor)
            with Transaction().set_context(company=company_id):
                ids = [t.id for t in Template.search(
                        catalog.published_domain(), order=[('id', 'ASC')])]
            missing = [i for i in ids
                if any((i, l) not in present for l in LANGUAGES)]
            cls._build(missing, company_id)

    @classmethod
    def _companies(cls):
        Company = Pool().get('company.company')
        return [c.id for c in Company.search([])]

    @classmethod
    def _build(cls, template_ids, company_id):
        "Write the documents of template_ids in every language, by batches"
        Template = Pool().get('product.template')
        table = cls.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        today = catalog.today()
        now = dt.datetime.now()
        for sub_ids in grouped_slice(template_ids, BATCH):
            sub_ids = list(sub_ids)
            for sub in grouped_slice(sub_ids):
                cursor.execute(*table.delete(
                        where=(table.company == company_id)
                        & reduce_ids(table.template, list(sub))))
            rows = []
            for language in LANGUAGES:
                with transaction.set_context(language=language,
                        company=company_id):
                    bodies = render(Template.browse(sub_ids))
                rows.extend([template_id, language, company_id, today,
                        body, transaction.user, now]
                    for template_id, body in bodies.items() if body)
            if not rows:
                continue
            columns = [table.template, table.language, table.company,
                table.built_on, table.body, table.create_uid,
                table.create_date]
            query, params = tuple(table.insert(columns, rows))
            if transaction.database.flavor.paramstyle == 'format':
                # PostgreSQL: two rebuilds of a template may run at once
                # (python-sql quotes EXCLUDED, which PostgreSQL refuses)
                query += (' ON CONFLICT (template, language, company) '
                    'DO UPDATE SET built_on = excluded.built_on, '
                    'body = excluded.body')
            cursor.execute(query, params)


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    @classmethod
    def build_api_documents(cls, templates):
        "Queued by ProductDocument.invalidate"
        Pool().get('urban.api.product.document').refresh(
            [t.id for t in templates])


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('urban.api.product.document|fill',
                "Build the App's Product Documents"))


def _date(value):
    "SQLite answers dates as text"
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
