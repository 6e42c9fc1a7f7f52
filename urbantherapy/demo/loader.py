"""Load the demo business into an activated database.

Accounting set-up goes through proteus and Tryton's own test tools (the
wizards the back office uses); the bulk (products, stock) goes straight
through the ORM in one transaction per step; the year of business
(history.py) is written in bulk SQL.
"""
import datetime as dt
import json
import os
import random
import time
from decimal import Decimal

from tqdm import tqdm

from . import data
from .images import draw_product

SEED = 20261124
CENT = Decimal('0.01')


class DemoLoader:

    def __init__(self, database, config_file=None, progress=True):
        self.database = database
        self.config_file = config_file
        self.progress = progress
        self.rng = random.Random(SEED)

    # -- orchestration -----------------------------------------------------
    def steps(self):
        return [
            ("Languages, currency and countries", self.load_basics),
            ("Company, Belgian chart and fiscal year", self.load_company),
            ("Users and roles", self.load_users),
            ("Shops and central stock room", self.load_shops),
            ("Universes, creators and attributes", self.load_catalog_base),
            ("Products, variants and pictures", self.load_products),
            ("Stock per shop", self.load_stock),
            ("Customers and pro accounts", self.load_customers),
            ("Pro channel: articles, minimums, payment term",
                self.load_pro_channel),
            ("Web shop", self.load_web_shop),
            ("First-order codes of the shops' QR codes", self.load_loyalty),
            ("A year of business", self.load_history),
            ("Customer service conversations", self.load_service),
            ("Catalogue search index", self.load_search_index),
            ("Work the steps queued", self.run_pending_tasks),
            ]

    def run(self):
        from proteus import config as pconfig
        self.pconfig = pconfig.set_trytond(
            self.database, config_file=self.config_file)
        if self.already_loaded():
            return False
        steps = self.steps()
        self.step_timings = {}
        with tqdm(total=len(steps), desc="Demo data", unit="step",
                disable=not self.progress) as bar:
            for label, step in steps:
                bar.set_postfix_str(label)
                start = time.monotonic()
                step()
                self.step_timings[label] = time.monotonic() - start
                bar.update(1)
        if os.environ.get('URBAN_DEMO_TIMINGS'):
            # where to write the steps' durations (measuring the loader)
            with open(os.environ['URBAN_DEMO_TIMINGS'], 'a') as file:
                json.dump({'database': self.database,
                        'steps': self.step_timings,
                        'history': getattr(self, 'history_timings', None),
                        'rows': getattr(self, 'history_counts', None)},
                    file)
                file.write('\n')
        return True

    def transaction(self, **context):
        from trytond.transaction import Transaction
        if getattr(self, 'company_id', None):
            context.setdefault('company', self.company_id)
        context.setdefault('language', 'en')
        # the search terms of a template are rebuilt at each of its writes
        # (each text in each language): built once, at the end
        context.setdefault('_urban_search_defer', True)
        return Transaction().start(self.database, self.admin_id,
            context=context)

    @property
    def admin_id(self):
        return self.pconfig.user

    def already_loaded(self):
        from trytond.pool import Pool
        with self.transaction():
            Company = Pool().get('company.company')
            companies = Company.search([])
            if companies:
                self.company_id = companies[0].id
            return bool(companies)

    def translate(self, Model, records, field, triples):
        "Write the fr and nl translations of field (en is the source)"
        from trytond.transaction import Transaction
        for lang, index in (('fr', 0), ('nl', 1)):
            with Transaction().set_context(language=lang):
                for record, triple in zip(records, triples):
                    Model.write([Model(record.id)], {field: triple[index]})

    def run_queued_tasks(self, transaction, label):
        """Run the tasks a step queued (e.g. WebP renditions of pictures) as
        trytond does after a request when no worker runs them."""
        from trytond.worker import run_task
        tasks = list(transaction.tasks)
        transaction.tasks.clear()
        for task_id in tqdm(tasks, desc=label, unit="task", leave=False,
                disable=not self.progress):
            run_task(self.database, task_id)

    # -- steps -------------------------------------------------------------
    def load_basics(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            Lang = pool.get('ir.lang')
            Currency = pool.get('currency.currency')
            Country = pool.get('country.country')
            langs = Lang.search([('code', 'in', ['fr', 'nl', 'en'])])
            Lang.write(langs, {'translatable': True, 'active': True})
            if not Currency.search([('code', '=', 'EUR')]):
                Currency.create([{
                            'name': "Euro", 'code': 'EUR', 'symbol': '€',
                            'numeric_code': '978', 'rounding': CENT,
                            'digits': 2}])
            existing = {c.code for c in Country.search([])}
            Country.create([{
                        'code': code, 'code3': code3, 'code_numeric': num,
                        'name': name}
                    for code, code3, num, name in data.COUNTRIES
                    if code not in existing])
            transaction.commit()

    def load_company(self):
        from proteus import Model
        from trytond.modules.account.tests.tools import (
            create_chart, create_fiscalyear)
        from trytond.modules.account_invoice.tests.tools import (
            set_fiscalyear_invoice_sequences)
        from trytond.modules.company.tests.tools import create_company

        config = self.pconfig
        Party = Model.get('party.party')
        Currency = Model.get('currency.currency')
        Country = Model.get('country.country')
        eur, = Currency.find([('code', '=', 'EUR')])
        belgium, = Country.find([('code', '=', 'BE')])
        party = Party(name=data.COMPANY['name'])
        address, = party.addresses
        address.street = data.COMPANY['street']
        address.postal_code = data.COMPANY['postal_code']
        address.city = data.COMPANY['city']
        address.country = belgium
        party.contact_mechanisms.new(type='email', value=data.COMPANY['email'])
        party.contact_mechanisms.new(type='phone', value=data.COMPANY['phone'])
        party.identifiers.new(type='eu_vat',
            code=data.belgian_vat(data.COMPANY['vat_base']))
        party.save()
        create_company(party, eur, config=config)
        Company = Model.get('company.company')
        company, = Company.find([])
        company.timezone = 'Europe/Brussels'
        company.save()
        self.company_id = company.id
        create_chart(company, chart='account_be.root_fr', config=config)
        # the company's bank account: a credit transfer to it (UNECE 30)
        # is the payment mean of every posted invoice in EUR, printed on
        # the PDF and written in the UBL (account_invoice's rule)
        Bank = Model.get('bank')
        BankAccount = Model.get('bank.account')
        PaymentMeanRule = Model.get('account.invoice.payment.mean.rule')
        bank_party = Party(name=data.BANK['name'])
        bank_party.save()
        bank = Bank(party=bank_party, bic=data.BANK['bic'])
        bank.save()
        account = BankAccount(bank=bank, currency=eur)
        account.owners.append(Party(party.id))
        account.numbers.new(type='iban', number=data.BANK['iban'])
        account.save()
        rule = PaymentMeanRule(company=company, currency=eur)
        rule.instrument = account
        rule.save()
        today = dt.date.today()
        fiscalyear = set_fiscalyear_invoice_sequences(
            create_fiscalyear(company, today=today, config=config),
            config=config)
        fiscalyear.click('create_period')

    def load_users(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            User = pool.get('res.user')
            Lang = pool.get('ir.lang')
            ModelData = pool.get('ir.model.data')
            langs = {l.code: l.id for l in Lang.search([])}

            def group(module, name):
                return ModelData.get_id(module, name)
            common = [group('product', 'group_product_admin'),
                group('stock', 'group_stock'), group('sale', 'group_sale')]
            roles = {
                'manager': common + [group('urban_stock', 'group_manager'),
                    group('stock', 'group_stock_admin'),
                    group('sale', 'group_sale_admin'),
                    group('account', 'group_account'),
                    group('party', 'group_party_admin'),
                    # the products' account categories: their taxes
                    group('account_product', 'group_account_product_admin'),
                    group('urban_analytics', 'group_analytics')],
                'b2b': common + [group('urban_b2b', 'group_b2b_manager'),
                    group('party', 'group_party_admin'),
                    group('account', 'group_account')],
                'staff': [group('urban_stock', 'group_shop_staff'),
                    group('stock', 'group_stock'),
                    group('sale', 'group_sale')],
                }
            self.staff_shops = {}
            values = []
            for login, name, role, shop, language in data.USERS:
                values.append({
                        'login': login, 'name': name,
                        'language': langs[language],
                        'password': data.DEMO_PASSWORD,
                        'email': '%s@urbantherapy.be' % login,
                        'groups': [('add', roles[role])],
                        'companies': [('add', [self.company_id])],
                        'company': self.company_id,
                        })
                self.staff_shops[login] = shop
            users = User.create(values)
            # the manager's home board opens at login, the shop's home for
            # the shops' staff
            User.write([u for u in users if u.login == 'manager'], {
                    'actions': [('add', [
                                ModelData.get_id('urban_analytics',
                                    'act_home')])],
                    })
            User.write([u for u in users if self.staff_shops[u.login]], {
                    'actions': [('add', [
                                ModelData.get_id('urban_stock',
                                    'act_shop_home')])],
                    })
            admin = User(self.admin_id)
            User.write([admin], {
                    'companies': [('add', [self.company_id])],
                    'company': self.company_id,
                    })
            transaction.commit()

    def load_shops(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            Location = pool.get('stock.location')
            Address = pool.get('party.address')
            Company = pool.get('company.company')
            Country = pool.get('country.country')
            User = pool.get('res.user')
            Hours = pool.get('urban.shop.opening_hours')
            company = Company(self.company_id)
            belgium, = Country.search([('code', '=', 'BE')])

            def address(street, postal_code, city, name):
                address, = Address.create([{
                            'party': company.party.id, 'party_name': name,
                            'street': street, 'postal_code': postal_code,
                            'city': city, 'country': belgium.id}])
                return address

            # Tryton's default warehouse becomes the central stock room.
            central, = Location.search([('code', '=', 'WH')])
            code, name, street, postal, city, lat, lon = data.CENTRAL
            Location.write([central], {
                    'name': name, 'code': code, 'fulfils_online': True,
                    'address': address(street, postal, city, name).id,
                    'latitude': Decimal(lat), 'longitude': Decimal(lon),
                    })
            self.warehouses = {code: central.id}
            for (code, name, street, postal, city, lat, lon, phone,
                    spec) in data.SHOPS:
                input_, output, storage = Location.create([
                        {'name': "%s input" % city, 'type': 'storage',
                            'code': '%s-IN' % code},
                        {'name': "%s output" % city, 'type': 'storage',
                            'code': '%s-OUT' % code},
                        {'name': "%s shelves" % city, 'type': 'storage',
                            'code': '%s-STO' % code},
                        ])
                shop, = Location.create([{
                            'name': name, 'code': code, 'type': 'warehouse',
                            'shop': True, 'shop_code': code,
                            'input_location': input_.id,
                            'output_location': output.id,
                            'storage_location': storage.id,
                            'address': address(
                                street, postal, city, name).id,
                            'latitude': Decimal(lat),
                            'longitude': Decimal(lon), 'phone': phone,
                            'pickup_enabled': True, 'fulfils_online': True,
                            'safety_buffer': 1,
                            }])
                Location.write([input_, output, storage], {'parent': shop.id})
                Hours.create([{
                            'shop': shop.id, 'weekday': weekday,
                            'opens': opens, 'closes': closes}
                        for weekday, opens, closes in data.hours(spec)])
                self.warehouses[code] = shop.id
            for login, shop_code in self.staff_shops.items():
                if shop_code:
                    user, = User.search([('login', '=', login)])
                    shop = self.warehouses[shop_code]
                    User.write([user], {
                            'shops': [('add', [shop])], 'warehouse': shop})
            transaction.commit()

    def load_catalog_base(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            Category = pool.get('product.category')
            Creator = pool.get('urban.creator')
            Attribute = pool.get('product.attribute')
            AttributeSet = pool.get('product.attribute.set')
            universes = Category.create([{
                        'name': names[2], 'code': code, 'universe': True,
                        'universe_sequence': i * 10,
                        'universe_description': descriptions[2]}
                    for i, (code, names, descriptions)
                    in enumerate(data.UNIVERSES)])
            self.translate(Category, universes, 'name',
                [u[1] for u in data.UNIVERSES])
            self.translate(Category, universes, 'universe_description',
                [u[2] for u in data.UNIVERSES])
            self.universes = {u.code: u.id for u in universes}
            creators = Creator.create([{
                        'code': code, 'name': name, 'kind': kind,
                        'city': city, 'bio': bio[2]}
                    for code, name, kind, city, bio in data.CREATORS])
            self.translate(Creator, creators, 'bio',
                [c[4] for c in data.CREATORS])
            self.creators = {c.code: c.id for c in creators}

            def selection(axis, index):
                return '\n'.join('%s:%s' % (
                        v, data.VARIANT_VALUE_LABELS[v][index])
                    for _, v in data.VARIANT_AXES[axis])
            axes = ['colour', 'size']
            attributes = Attribute.create([{
                        'name': axis,
                        'string': data.VARIANT_AXIS_NAMES[axis][2],
                        'type_': 'selection',
                        'selection': selection(axis, 2),
                        } for axis in axes])
            colour, size = attributes
            # the app and the website show them in the customer's language
            self.translate(Attribute, attributes, 'string',
                [data.VARIANT_AXIS_NAMES[axis] for axis in axes])
            self.translate(Attribute, attributes, 'selection',
                [tuple(selection(axis, i) for i in range(3))
                    for axis in axes])
            self.attribute_sets = {}
            for axis, attribute in (('colour', colour), ('size', size)):
                attribute_set, = AttributeSet.create([{
                            'name': attribute.string,
                            'attributes': [('add', [attribute.id])]}])
                self.attribute_sets[axis] = attribute_set.id
            transaction.commit()

    def _account_categories(self, pool):
        Category = pool.get('product.category')
        Tax = pool.get('account.tax')
        Account = pool.get('account.account')
        ModelData = pool.get('ir.model.data')

        def tax(xml_id):
            template = ModelData.get_id('account_be', xml_id)
            tax, = Tax.search([('template', '=', template)])
            return tax
        revenue, = Account.search([('type.revenue', '=', True),
                ('closed', '!=', True)], limit=1)
        expense, = Account.search([('type.expense', '=', True),
                ('closed', '!=', True)], limit=1)
        categories = {}
        for rate in (21, 6):
            category, = Category.create([{
                        'name': "Goods %s%% VAT" % rate, 'accounting': True,
                        'account_revenue': revenue.id,
                        'account_expense': expense.id,
                        'customer_taxes': [('add', [
                                    tax('tva_vente_biens_%s_fr' % rate).id])],
                        'supplier_taxes': [('add', [
                                    tax('tva_achat_marchandises_%s_fr'
                                        % rate).id])],
                        }])
            categories[rate] = category
        return categories

    def load_products(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            Template = pool.get('product.template')
            Product = pool.get('product.product')
            Image = pool.get('product.image')
            Creator = pool.get('urban.creator')
            Uom = pool.get('product.uom')
            Channel = pool.get('urban.channel')
            unit, = Uom.search([('symbol', '=', 'u')])
            account_categories = self._account_categories(pool)
            # the demo's products are ready: published on every channel
            channels = [c.id for c in Channel.search([])]
            rng = self.rng
            today = dt.date.today()

            plan = []  # (universe, article, finish, collection)
            articles = [(u, a) for u in data.ARTICLES
                for a in data.ARTICLES[u]]
            i = 0
            while len(plan) < data.TARGET_PRODUCTS:
                universe, article = articles[i % len(articles)]
                finish = data.FINISHES[(i * 7) % len(data.FINISHES)]
                collection = data.COLLECTIONS[
                    (i // len(articles)) % len(data.COLLECTIONS)]
                plan.append((universe, article, finish, collection))
                i += 1

            names, descriptions, alts = [], [], []
            bar = tqdm(plan, desc="Products", unit="product", leave=False,
                disable=not self.progress)
            for n, (universe, article, finish, collection) in enumerate(bar):
                (key, label, kind, creators, (low, high), vat,
                    axis) = article
                (finish_label, colour) = finish
                triple = tuple('%s %s %s' % (label[i], collection[i],
                        finish_label[i].lower() if i < 2 else finish_label[i])
                    for i in range(3))
                gross = Decimal(rng.randrange(low, high + 1)) - Decimal('0.10')
                net = (gross / (1 + Decimal(vat) / 100)).quantize(
                    Decimal('0.0001'))
                creator = Creator(self.creators[creators[n % len(creators)]])
                code = '%s-%s-%03d' % (
                    universe[:3].upper(), key[:3].upper(), n)
                variants = []
                if axis:
                    options = data.VARIANT_AXES[axis]
                    count = rng.randint(2, len(options))
                    for suffix, value in options[:count]:
                        variants.append({
                                'suffix_code': '-' + suffix,
                                'attributes': {axis: value},
                                'identifiers': [('create', [{
                                                'type': 'ean',
                                                'code': data.ean13(
                                                    '540%09d' % (
                                                        n * 10 + len(variants)
                                                        + 100000))}])],
                                })
                else:
                    variants.append({'identifiers': [('create', [{
                                            'type': 'ean',
                                            'code': data.ean13(
                                                '540%09d' % (n * 10 + 100000))
                                            }])]})
                new_arrival = (today - dt.timedelta(days=rng.randrange(0, 21))
                    if n % 9 == 0 else
                    today - dt.timedelta(days=rng.randrange(60, 400)))
                template, = Template.create([{
                            'name': triple[2], 'code': code, 'type': 'goods',
                            'default_uom': unit.id, 'salable': True,
                            'sale_uom': unit.id,
                            'list_price': net,
                            'account_category': account_categories[vat].id,
                            'categories': [('add', [
                                        self.universes[universe]])],
                            'universe': self.universes[universe],
                            'creator': creator.id,
                            'attribute_set': (
                                self.attribute_sets[axis]
                                if axis else None),
                            'new_arrival_date': new_arrival,
                            'channels': [('add', channels)],
                            'description_long': (
                                "%s by %s. Designed in Belgium, made in small "
                                "batches." % (triple[2], creator.name)),
                            'products': [('create', [dict(v, **{
                                                'cost_price': (net * Decimal(
                                                        '0.42')).quantize(
                                                    Decimal('0.0001'))})
                                        for v in variants])],
                            }])
                image, = Image.create([{
                            'template': template.id,
                            'image': draw_product(
                                SEED + n, kind, colour),
                            'description': triple[2],
                            }])
                names.append((template, triple))
                alts.append((image, triple))
                if axis == 'colour':
                    alts.extend(self._colour_pictures(
                            Image, template, SEED + n, kind, triple))
                descriptions.append((template, (
                    "%s de %s. Dessiné en Belgique, fabriqué en petites "
                    "séries." % (triple[0], creator.name),
                    "%s van %s. Ontworpen in België, in kleine reeksen "
                    "gemaakt." % (triple[1], creator.name),
                    None)))
            self.translate(Template, [t for t, _ in names], 'name',
                [n for _, n in names])
            self.translate(Template, [t for t, _ in descriptions],
                'description_long', [d for _, d in descriptions])
            # the pictures' alternative texts: the product's name
            self.translate(Image, [i for i, _ in alts], 'description',
                [n for _, n in alts])
            self.product_ids = [p.id for p in Product.search([])]
            transaction.commit()
        self.run_queued_tasks(transaction, "Picture renditions")

    @staticmethod
    def _colour_pictures(Image, template, seed, kind, triple):
        """One picture per colour variant (product_image's variant
        pictures): the same object drawn in the variant's colour, so that
        choosing a colour shows it. [(image, alt triple)]"""
        variants = [p for p in template.products
            if (p.attributes or {}).get('colour')]
        images = Image.create([{
                    'template': template.id, 'product': p.id,
                    'image': draw_product(seed, kind, p.attributes['colour']),
                    'description': '%s, %s' % (triple[2],
                        data.VARIANT_VALUE_LABELS[
                            p.attributes['colour']][2].lower()),
                    } for p in variants])
        return [(image, tuple('%s, %s' % (triple[i],
                        data.VARIANT_VALUE_LABELS[
                            p.attributes['colour']][i].lower())
                    for i in range(3)))
            for image, p in zip(images, variants)]

    def load_stock(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            Move = pool.get('stock.move')
            Location = pool.get('stock.location')
            Product = pool.get('product.product')
            Company = pool.get('company.company')
            supplier, = Location.search([('type', '=', 'supplier')], limit=1)
            company = Company(self.company_id)
            rng = random.Random(SEED + 1)
            warehouses = {code: Location(id_)
                for code, id_ in self.warehouses.items()}
            moves = []
            for product in Product.browse(self.product_ids):
                for code, warehouse in sorted(warehouses.items()):
                    if code == 'CEN':
                        quantity = rng.choice([0, 6, 12, 18, 24, 36, 48, 60])
                    else:
                        # a few out-of-stock and low-stock cases per shop
                        quantity = rng.choice(
                            [0, 0, 1, 2, 2, 3, 4, 5, 6, 8, 10, 12])
                    if not quantity:
                        continue
                    moves.append({
                            'product': product.id,
                            'unit': product.default_uom.id,
                            'quantity': quantity,
                            'from_location': supplier.id,
                            'to_location': warehouse.storage_location.id,
                            'effective_date': dt.date.today(),
                            'company': company.id,
                            'unit_price': product.cost_price,
                            'currency': company.currency.id,
                            })
            for start in tqdm(range(0, len(moves), 500), desc="Stock moves",
                    unit="batch", leave=False, disable=not self.progress):
                Move.do(Move.create(moves[start:start + 500]))
            transaction.commit()

    def load_customers(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            Party = pool.get('party.party')
            Category = pool.get('party.category')
            Country = pool.get('country.country')
            Lang = pool.get('ir.lang')
            PriceList = pool.get('product.price_list')
            B2bCategory = pool.get('urban.b2b.category')
            WebUser = pool.get('web.user')
            b2b_categories = {}
            belgium, = Country.search([('code', '=', 'BE')])
            langs = {l.code: l.id for l in Lang.search([])}
            Party.create([{
                        'name': name, 'lang': langs[lang],
                        'addresses': [('create', [{
                                        'street': street, 'city': city,
                                        'postal_code': postal,
                                        'country': belgium.id}])],
                        'contact_mechanisms': [('create', [
                                    {'type': 'email', 'value': email},
                                    {'type': 'mobile', 'value': phone}])],
                        }
                    for name, email, lang, city, postal, street, phone
                    in data.B2C_CUSTOMERS])
            categories, price_lists = {}, {}
            for key, (labels, share) in data.PRO_CATEGORIES.items():
                category, = Category.create([{'name': labels[2]}])
                self.translate(Category, [category], 'name', [labels])
                categories[key] = category
                # quantity tiers: the first matching line wins, so the
                # largest minimum quantity comes first
                tiers = [(48, Decimal(share) - Decimal('0.06')),
                    (24, Decimal(share) - Decimal('0.03')),
                    (None, Decimal(share))]
                price_list, = PriceList.create([{
                            'name': labels[2], 'price': 'list_price',
                            'lines': [('create', [{
                                            'sequence': i,
                                            'quantity': quantity,
                                            'formula': (
                                                'unit_price * Decimal("%s")'
                                                % rate)}
                                        for i, (quantity, rate)
                                        in enumerate(tiers)])],
                            }])
                price_lists[key] = price_list
                b2b_category, = B2bCategory.create([{
                            'name': labels[2], 'code': key,
                            'price_list': price_list.id}])
                self.translate(B2bCategory, [b2b_category], 'name', [labels])
                b2b_categories[key] = b2b_category
            pros = Party.create([{
                        'name': name,
                        'categories': [('add', [categories[category].id])],
                        'b2b_state': 'approved',
                        'b2b_category': b2b_categories[category].id,
                        'lang': langs['fr' if city in {'Mons', 'Tournai'}
                            else 'nl'],
                        'identifiers': [('create', [{
                                        'type': 'eu_vat',
                                        'code': data.belgian_vat(vat)}])],
                        'addresses': [('create', [{
                                        'street': street, 'city': city,
                                        'postal_code': postal,
                                        'country': belgium.id}])],
                        'contact_mechanisms': [('create', [
                                    {'type': 'email', 'value': email}])],
                        }
                    for name, category, vat, email, city, postal, street
                    in data.PRO_CUSTOMERS])
            # one buyer per pro company (the password of the demo users,
            # stored as its hash: the demo's published password would not
            # pass the web users' password policy)
            demo_hash = WebUser.hash_password(data.DEMO_PASSWORD)
            WebUser.create([{
                        'email': row[3], 'password_hash': demo_hash,
                        'email_valid': True, 'party': party.id}
                    for party, row in zip(pros, data.PRO_CUSTOMERS)])
            transaction.commit()

    def load_pro_channel(self):
        "Articles sold to pros (case packs, minimums, collections)"
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        # the configuration is a singleton: created under a table lock
        with Transaction().start(self.database, self.admin_id,
                context={'company': self.company_id, 'language': 'en'},
                _lock_tables=['urban_b2b_configuration']) as transaction:
            pool = Pool()
            Template = pool.get('product.template')
            Configuration = pool.get('urban.b2b.configuration')
            PaymentTerm = pool.get('account.invoice.payment_term')
            term, = PaymentTerm.create([{
                        'name': "30 days",
                        'lines': [('create', [{
                                        'type': 'remainder',
                                        'relativedeltas': [('create', [{
                                                        'days': 30}])],
                                        }])],
                        }])
            Configuration.create([{
                        'minimum_order_amount': Decimal('150.00'),
                        'invoice_payment_term': term.id,
                        'session_hours': 8}])
            templates = Template.search([('salable', '=', True)],
                order=[('id', 'ASC')])
            for n, template in enumerate(templates):
                template.b2b_published = n % 5 != 4
                template.b2b_case_pack = (1, 2, 4, 6)[n % 4]
                template.b2b_minimum_quantity = (
                    template.b2b_case_pack * (2 if n % 3 == 0 else 1))
            Template.save(templates)
            # the demo collection of each article (as load_products chose)
            articles = sum(len(a) for a in data.ARTICLES.values())
            triples = [data.COLLECTIONS[(n // articles)
                    % len(data.COLLECTIONS)] for n in range(len(templates))]
            for lang, index in (('en', 2), ('fr', 0), ('nl', 1)):
                with Transaction().set_context(language=lang):
                    records = Template.browse(templates)
                    for template, triple in zip(records, triples):
                        template.b2b_collection = triple[index]
                    Template.save(records)
            transaction.commit()

    def load_web_shop(self):
        from trytond.pool import Pool
        with self.transaction() as transaction:
            pool = Pool()
            Shop = pool.get('web.shop')
            Party = pool.get('party.party')
            Product = pool.get('product.product')
            Location = pool.get('stock.location')
            Company = pool.get('company.company')
            Country = pool.get('country.country')
            Lang = pool.get('ir.lang')
            company = Company(self.company_id)
            guest, = Party.create([{'name': "Web shop guest"}])
            warehouses = Location.search([('fulfils_online', '=', True)])
            Shop.create([{
                        'name': "Urban Therapy app & web shop",
                        'company': company.id,
                        'currency': company.currency.id,
                        'language': Lang.search([('code', '=', 'fr')])[0].id,
                        'warehouses': [('add', [w.id for w in warehouses])],
                        'guest_party': guest.id,
                        'countries': [('add', [
                                    c.id for c in Country.search([])])],
                        'products': [('add', [p.id for p in Product.search(
                                            [('salable', '=', True)])])],
                        'categories': [('add', [
                                    *self.universes.values()])],
                        }])
            transaction.commit()

    def load_loyalty(self):
        """A first-order promotion with one coupon number per shop, review
        links, the loyalty reward and referral coupons"""
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        # coupon numbers validate under a table lock, taken at start
        with Transaction().start(self.database, self.admin_id,
                context={'company': self.company_id, 'language': 'en'},
                _lock_tables=['sale_promotion_coupon_number',
                    'urban_loyalty_configuration']
                ) as transaction:
            pool = Pool()
            Promotion = pool.get('sale.promotion')
            Coupon = pool.get('sale.promotion.coupon')
            Location = pool.get('stock.location')
            promotion, = Promotion.create([{
                        'name': "Welcome: -10 % on the first order",
                        'company': self.company_id,
                        'formula': 'unit_price * Decimal("0.9")',
                        }])
            shops = Location.search([('shop', '=', True)])
            coupon, = Coupon.create([{
                        'promotion': promotion.id,
                        'company': self.company_id,
                        'number_of_use': 1, 'per_party': True,
                        'first_order': True,
                        'numbers': [('create', [{
                                        'number': 'WELCOME-%s' % s.shop_code,
                                        'company': self.company_id}
                                    for s in shops])],
                        }])
            numbers = {n.number: n for n in coupon.numbers}
            for shop in shops:
                shop.first_order_code = numbers['WELCOME-%s' % shop.shop_code]
                shop.google_review_url = (
                    'https://search.google.com/local/writereview?placeid='
                    'urban-therapy-%s' % shop.shop_code.lower())
            Location.save(shops)
            # loyalty: 1 point per euro, 150 points buy a -15 % coupon; a
            # personal referral code gives a friend -10 % on a first order
            # and the referrer 100 points
            reward, referral = Promotion.create([{
                        'name': "Loyalty reward: -15 %",
                        'company': self.company_id,
                        'formula': 'unit_price * Decimal("0.85")',
                        }, {
                        'name': "Referral: -10 % on the first order",
                        'company': self.company_id,
                        'formula': 'unit_price * Decimal("0.9")',
                        }])
            reward_coupon, referral_coupon = Coupon.create([{
                        'promotion': reward.id, 'company': self.company_id,
                        'number_of_use': 1,
                        }, {
                        'promotion': referral.id,
                        'company': self.company_id,
                        'number_of_use': 1, 'per_party': True,
                        'first_order': True,
                        }])
            Configuration = pool.get('urban.loyalty.configuration')
            configuration = Configuration(1)
            configuration.reward_points = 150
            configuration.reward_coupon = reward_coupon
            configuration.referral_coupon = referral_coupon
            configuration.referral_points = 100
            configuration.save()
            transaction.commit()

    def load_history(self):
        """A year of orders of every channel, till sales, loyalty, QR scans
        and push campaigns, ending today (history.py)"""
        from .history import History
        start = time.monotonic()
        history = History(self.database, self.admin_id, self.company_id,
            random.Random(SEED + 2))
        self.history_counts = history.run()
        self.history_timings = history.timings
        self.history_seconds = time.monotonic() - start
        if self.progress:
            tqdm.write("A year of business: %.1f s (%s), %s" % (
                    self.history_seconds, ', '.join('%s %.1f s' % item
                        for item in self.history_timings.items()
                        if isinstance(item[1], float)),
                    ', '.join('%s=%s' % item
                        for item in sorted(self.history_counts.items()))))

    def load_search_index(self):
        "The search terms of every product, once (see transaction)"
        from trytond.pool import Pool
        with self.transaction(_urban_search_defer=False) as transaction:
            Pool().get('urban.search.term').rebuild()
            transaction.commit()

    def run_pending_tasks(self):
        """The tasks the steps queued for the worker (documents, pushes,
        Ankorstore, ...), run now: otherwise the demo's first request (or
        each test's, on a copy of the demo) runs a hundred of them, for a
        minute. Again for the tasks those tasks queued (paid invoices
        queue their sales' processing). Tasks scheduled for later stay
        queued."""
        import datetime as dt

        from trytond.pool import Pool
        from trytond.worker import run_task
        done = set()
        while True:
            with self.transaction():
                Queue = Pool().get('ir.queue')
                task_ids = [t.id for t in Queue.search([
                            ('dequeued_at', '=', None),
                            ('id', 'not in', list(done)),
                            ['OR', ('scheduled_at', '=', None),
                                ('scheduled_at', '<=', dt.datetime.now())],
                            ], order=[('id', 'ASC')])]
            if not task_ids:
                return
            for task_id in tqdm(task_ids, desc="Queued work", unit="task",
                    leave=False, disable=not self.progress):
                run_task(self.database, task_id)
            # a task that failed stays queued: run once only
            done.update(task_ids)

    def load_service(self):
        """Conversations of customers with the shops about their orders
        (urban_service): in each shop, one the shop answered and, in
        Bruxelles, one that waits for its answer. Written as history (no
        e-mail nor push leaves)."""
        import datetime as dt
        from trytond.pool import Pool
        questions = [
            ('order', "Est-ce que je peux venir la chercher samedi ?",
                "Bien sûr, nous sommes ouverts de 10 h à 18 h."),
            ('return', "Le vase est arrivé fêlé, que faire ?",
                "Désolés ! Rapportez-le au magasin, nous l'échangeons."),
            ]
        with self.transaction() as transaction:
            pool = Pool()
            Conversation = pool.get('urban.service.conversation')
            Message = pool.get('urban.service.message')
            Sale = pool.get('sale.sale')
            Location = pool.get('stock.location')
            User = pool.get('res.user')
            staff = {s.shop_code: u for u in User.search(
                    [('login', 'like', 'staff.%')]) for s in u.shops}
            for code in ['GNT', 'BXL']:
                shop, = Location.search([('shop_code', '=', code)])
                sales = Sale.search([('warehouse', '=', shop.id),
                        ('state', 'in', ['processing', 'done']),
                        ('party', '!=', None)],
                    order=[('id', 'DESC')], limit=2)
                for sale, (subject, question, answer) in zip(sales,
                        questions):
                    conversation = Conversation.start(sale.party, subject,
                        question, sale=sale)
                    if code == 'BXL' and subject == 'return':
                        continue
                    now = dt.datetime.now()
                    Message.post(conversation, 'staff', answer, date=now,
                        user=staff[code].id if code in staff else None)
                    Conversation.write([conversation], {
                            'state': 'answered', 'waiting_since': None,
                            'last_message_at': now,
                            'first_response_at': now,
                            'first_response_seconds': 0,
                            })
            transaction.commit()
