"""The app's catalogue listing: a row per template the app sells (active,
salable, published in the app's channel, with an active variant that has a
price), company and language, holding what the catalogue pages filter and
sort on: universe, brand, new-arrival date, account category, lowest price
without taxes and name in the language.

A page reads this narrow table instead of grouping the prices of every
variant of a universe at each request (25 ms a page on 20,000 products, 2
with the listing). The rows of a template are rewritten in the transaction
that edits it, its variants, its prices, its channels or its name's
translations (catalog_cache.py);
`fill()` rewrites them all: when the module is updated, and after data
loaded behind the ORM."""
from sql import Literal, Null
from sql.aggregate import Min
from sql.conditionals import Coalesce
from sql.functions import CurrentTimestamp

from trytond.model import Index, ModelSQL, Unique, fields
from trytond.modules.product import price_digits
from trytond.pool import Pool
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .api import LANGUAGES
from .catalog import CHANNEL

ALL = None


class ProductListing(ModelSQL):
    "API Product Listing"
    __name__ = 'urban.api.product.listing'

    template = fields.Many2One('product.template', "Template",
        required=True, ondelete='CASCADE')
    company = fields.Many2One('company.company', "Company", required=True,
        ondelete='CASCADE')
    language = fields.Char("Language", required=True)
    name = fields.Char("Name", help="In the language.")
    # plain ids: a copy of the template's, rewritten with it
    universe = fields.Integer("Universe")
    creator = fields.Integer("Creator")
    account_category = fields.Integer("Account Category")
    new_arrival_date = fields.Date("New Arrival Date")
    price = fields.Numeric("Price", digits=price_digits, required=True,
        help="The lowest list price of the active variants, without taxes.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('template_company_language_unique',
                Unique(t, t.template, t.company, t.language),
                'urban_mobile_api.msg_product_listing_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.company, Index.Equality()),
                (t.language, Index.Equality()),
                (t.universe, Index.Equality())))

    @classmethod
    def __register__(cls, module):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        super().__register__(module)
        # an updated database: the products it already sells
        cursor.execute(*table.select(table.id, limit=1))
        if not cursor.fetchone():
            cls.fill()

    @classmethod
    def fill(cls):
        "Rewrite the rows of every template"
        cls.refresh(ALL)

    @classmethod
    def refresh(cls, template_ids):
        """Rewrite the rows of template_ids (ALL: every template) from the
        templates, their variants, prices and channels"""
        Company = Pool().get('company.company')
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        if template_ids is ALL:
            cursor.execute(*table.delete())
            slices = [None]
        else:
            template_ids = sorted({int(i) for i in template_ids})
            slices = [list(s) for s in grouped_slice(template_ids)]
        company = Company.__table__()
        cursor.execute(*company.select(company.id))
        companies = [c for c, in cursor]
        for sub_ids in slices:
            if sub_ids is not None:
                cursor.execute(*table.delete(
                        where=reduce_ids(table.template, sub_ids)))
            for company_id in companies:
                for language in LANGUAGES:
                    cursor.execute(*table.insert([table.template,
                                table.company, table.language, table.name,
                                table.universe, table.creator,
                                table.account_category,
                                table.new_arrival_date, table.price,
                                table.create_uid, table.create_date],
                            cls._rows(sub_ids, company_id, language)))

    @classmethod
    def _rows(cls, template_ids, company_id, language):
        "Query of the rows of template_ids (None: all) in language"
        pool = Pool()
        Template = pool.get('product.template')
        Product = pool.get('product.product')
        ListPrice = pool.get('product.list_price')
        Channel = pool.get('urban.channel')
        TemplateChannel = pool.get('product.template-urban.channel')
        Translation = pool.get('ir.translation')
        Configuration = pool.get('ir.configuration')
        t = Template.__table__()
        product = Product.__table__()
        lp_product = ListPrice.__table__()
        lp_template = ListPrice.__table__()
        relation = TemplateChannel.__table__()
        channel = Channel.__table__()
        price = Min(Coalesce(lp_product.list_price, lp_template.list_price))
        where = ((t.active == Literal(True)) & (t.salable == Literal(True))
            & t.id.in_(relation.join(channel,
                    condition=relation.channel == channel.id).select(
                    relation.template,
                    where=(channel.code == CHANNEL)
                    & (channel.active == Literal(True)))))
        if template_ids is not None:
            where &= reduce_ids(t.id, template_ids)
        from_ = (t
            .join(product, condition=(product.template == t.id)
                & (product.active == Literal(True)))
            .join(lp_product, 'LEFT',
                condition=(lp_product.product == product.id)
                & (lp_product.company == company_id))
            .join(lp_template, 'LEFT',
                condition=(lp_template.template == t.id)
                & (lp_template.product == Null)
                & (lp_template.company == company_id)))
        name = t.name
        group_by = [t.id, t.name, t.universe, t.creator, t.account_category,
            t.new_arrival_date]
        if language != Configuration.get_language():
            tr = Translation.__table__()
            from_ = from_.join(tr, 'LEFT', condition=(tr.res_id == t.id)
                & (tr.name == 'product.template,name')
                & (tr.type == 'model') & (tr.lang == language)
                & (tr.fuzzy == Literal(False)) & (tr.value != ''))
            name = Coalesce(tr.value, t.name)
            group_by.append(tr.value)
        return from_.select(t.id, Literal(company_id), Literal(language),
            name, t.universe, t.creator, t.account_category,
            t.new_arrival_date, price,
            Literal(Transaction().user), CurrentTimestamp(),
            where=where, group_by=group_by, having=price != Null)
