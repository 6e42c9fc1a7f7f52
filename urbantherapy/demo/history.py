"""A year of business for the demo, ending today.

The shops' tills (urban.pos.sale, known and anonymous customers, a few
returns), app and web-shop orders (click & collect in every shop, home
deliveries; some expired, cancelled, returned, the last days' still open),
pro orders (urban_b2b), loyalty points, reward coupons and referrals, the
shops' QR scans with the first-order codes they led to, and push campaigns
with their sent and opened figures. December peaks, summer dips, a few best
sellers sell most; customers arrive month after month (cohorts), some stay,
some fade (RFM segments).

Everything is drawn from a seeded random generator, then written in bulk
(bulk.py: a few INSERTs per table instead of the ORM's workflow per order):
rows in the states the workflow would leave them in (amounts cached, stock
moves done and dated, the shops restocked at the start of each month with
what the month sells so that no stock ever goes negative and today's stock
stays what load_stock set), and the analytics facts rebuilt once at the
end (their hooks do not see SQL inserts)."""
import datetime as dt
import hashlib
import string
import sys
import time
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from . import data
from .bulk import Bulk


def company_today(database, user_id, company_id):
    "Today in the company's timezone"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, user_id, readonly=True,
            context={'company': company_id}):
        return Pool().get('ir.date').today()


CENT = Decimal('0.01')
PRICE = Decimal('0.0001')
DAYS = 365

# seasonality: December peak (the weeks before Christmas), summer dip
MONTH_FACTOR = {1: 0.80, 2: 0.72, 3: 0.88, 4: 0.95, 5: 1.0, 6: 0.85,
    7: 0.62, 8: 0.58, 9: 0.92, 10: 1.0, 11: 1.25, 12: 1.85}
WEEKDAY_FACTOR = {0: 0.55, 1: 0.85, 2: 0.9, 3: 0.95, 4: 1.15, 5: 1.65,
    6: 0.8}
SHOP_WEIGHT = {'BXL': 1.45, 'ANT': 1.25, 'GNT': 1.1, 'LEU': 0.8,
    'LGG': 0.7, 'NAM': 0.6}
# orders per day at a weight of 1 (before seasonality)
TILL_PER_DAY = 4.2
APP_PER_DAY = 4.5
WEB_PER_DAY = 2.6
PRO_EVERY_DAYS = 16  # per pro customer, on average
CUSTOMERS = 1500
ANONYMOUS_TILL = 0.45
UNIVERSE_SEASON = {
    # universe code: {month: factor}
    'home': {11: 1.8, 12: 2.4, 1: 1.2},
    'textiles': {10: 1.4, 11: 1.8, 12: 2.0, 1: 1.5, 2: 1.3, 7: 0.5,
        8: 0.5},
    'plants': {4: 1.6, 5: 1.8, 6: 1.5, 7: 1.3, 12: 0.6},
    'jewellery': {2: 1.5, 5: 1.3, 12: 1.9},
    'stationery': {9: 1.6, 12: 1.7},
    }
CAMPAIGNS = [
    # days before today, topic, universe code, (fr, nl, en) title
    (350, 'new_arrivals', 'home', ("Nouveautés maison", "Nieuw: wonen",
            "New for the home")),
    (318, 'promotions', 'textiles', ("Soldes d'hiver textile",
            "Winterkorting textiel", "Winter textile sale")),
    (290, 'new_arrivals', 'jewellery', ("Bijoux de printemps",
            "Lentejuwelen", "Spring jewellery")),
    (258, 'new_arrivals', 'plants', ("Le retour des plantes",
            "De planten zijn terug", "Plants are back")),
    (226, 'new_arrivals', 'ceramics', ("Céramiques d'été",
            "Zomerkeramiek", "Summer ceramics")),
    (190, 'promotions', 'beauty', ("Soins d'été -15 %", "Zomerverzorging "
            "-15 %", "Summer care -15%")),
    (150, 'new_arrivals', 'stationery', ("La rentrée papeterie",
            "Terug naar school", "Back to school stationery")),
    (118, 'new_arrivals', 'textiles', ("Plaids d'automne",
            "Herfstplaids", "Autumn throws")),
    (86, 'new_arrivals', 'ceramics', ("Nouvelles tasses", "Nieuwe mokken",
            "New mugs")),
    (55, 'promotions', 'home', ("Idées cadeaux", "Cadeau-ideeën",
            "Gift ideas")),
    (24, 'new_arrivals', 'home', ("Bougies de Noël", "Kerstkaarsen",
            "Christmas candles")),
    (6, 'promotions', 'jewellery', ("Bijoux de fêtes", "Feestjuwelen",
            "Party jewellery")),
    ]
FIRST_NAMES = {
    'fr': ["Louise", "Alice", "Juliette", "Manon", "Léa", "Zoé", "Lucie",
        "Nora", "Inès", "Anna", "Hugo", "Louis", "Arthur", "Victor",
        "Nathan", "Gabriel", "Théo", "Maxime", "Adrien", "Élise", "Margot",
        "Clara", "Sacha", "Romain"],
    'nl': ["Lotte", "Marie", "Elise", "Fien", "Noor", "Lore", "Hanne",
        "Ine", "Ellen", "Jana", "Lars", "Wout", "Tibo", "Arne", "Seppe",
        "Jonas", "Ruben", "Bram", "Kobe", "Lien", "Sofie", "Eva", "Anouk",
        "Stijn"],
    'en': ["Emily", "Grace", "Hannah", "Oliver", "James", "Sophie",
        "Charlotte", "Daniel"],
    }
LAST_NAMES = {
    'fr': ["Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent",
        "Lefebvre", "Leclercq", "Renard", "Fontaine", "Mathieu", "Denis",
        "Gilles", "Hubert", "Jacobs", "Leroy", "Collard", "Marchal",
        "Delvaux", "Bertrand"],
    'nl': ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems",
        "Claes", "Goossens", "Wouters", "De Smet", "Vermeulen", "Pauwels",
        "Dumont", "Hermans", "Aerts", "Michiels", "Verhoeven", "Van Damme",
        "De Backer", "Desmet"],
    'en': ["Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker"],
    }
SHOP_LANGS = {'BXL': ('fr', 'fr', 'nl', 'en'), 'GNT': ('nl',),
    'ANT': ('nl', 'nl', 'en'), 'LGG': ('fr',), 'NAM': ('fr',),
    'LEU': ('nl', 'nl', 'en')}
PROFILES = [
    # name, share, weight of being picked for a repeat order
    ('loyal', 0.07, 7.0),
    ('regular', 0.2, 2.6),
    ('occasional', 0.4, 1.0),
    ('once', 0.33, 0.0),
    ]


def money(value):
    return Decimal(value).quantize(CENT)


class Customer:
    __slots__ = ('id', 'name', 'email', 'lang', 'shop', 'address',
        'acquired', 'churn', 'profile', 'weight', 'app', 'user', 'first',
        'referrer', 'welcome')

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


class History:
    "The year of business of the demo (see the module's docstring)"

    def __init__(self, database, user_id, company_id, rng, today=None,
            progress=False):
        self.database = database
        self.user_id = user_id
        self.company_id = company_id
        self.rng = rng
        # the business's day is the company's (Europe/Brussels), as every
        # screen and the API read "today": near midnight it is not UTC's
        self.today = today or company_today(database, user_id, company_id)
        self.now = dt.datetime.now()
        if today and today != dt.date.today():
            self.now = dt.datetime.combine(self.today, dt.time(18))
        self.start = self.today - dt.timedelta(days=DAYS - 1)
        self.monday = self.today - dt.timedelta(days=self.today.weekday())
        self.progress = progress
        self.timings = {}

    # -- entry point -----------------------------------------------------
    def run(self):
        from trytond.transaction import TransactionError
        # tables to lock are only known by trying (posting invoices):
        # start again with them locked, from the same random state
        state = self.rng.getstate()
        self.retries = []
        extras = {'_lock_tables': ['account_fiscalyear', 'account_period',
                'account_journal_period', 'ir_sequence_strict',
                'ir_sequence']}
        while True:
            self.rng.setstate(state)
            started = time.monotonic()
            try:
                return self._run(extras)
            except TransactionError as error:
                error.fix(extras)
                self.retries.append((time.monotonic() - started,
                        repr(extras)))
                sys.stderr.write("History: again with %s\n" % extras)

    def _run(self, extras):
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        with Transaction().start(self.database, self.user_id,
                context={'company': self.company_id, 'language': 'en'},
                **extras) as transaction:
            self.pool = Pool()
            self.timings = {}
            self.__dict__.pop('_active', None)
            self.__dict__.pop('_products_by_id', None)
            self.__dict__.pop('_customers_by_id', None)
            self.bulk = Bulk(transaction)
            if self.retries:
                self.timings['retries'] = self.retries
            for step in [self.read_setup, self.create_records, self.plan,
                    self.write]:
                start = time.monotonic()
                step()
                self.timings[step.__name__] = time.monotonic() - start
            transaction.commit()
        return self.bulk.counts

    # -- what exists -------------------------------------------------------
    def read_setup(self):
        pool = self.pool
        Location = pool.get('stock.location')
        Company = pool.get('company.company')
        Product = pool.get('product.product')
        Party = pool.get('party.party')
        WebShop = pool.get('web.shop')
        Category = pool.get('product.category')
        Configuration = pool.get('urban.loyalty.configuration')
        SaleConfiguration = pool.get('sale.configuration')
        WebUser = pool.get('web.user')

        company = Company(self.company_id)
        self.currency_id = company.currency.id
        self.customer_location, = Location.search(
            [('type', '=', 'customer')], limit=1, order=[('id', 'ASC')])
        self.supplier_location, = Location.search(
            [('type', '=', 'supplier')], limit=1, order=[('id', 'ASC')])
        shops = Location.search([('shop', '=', True),
                ('type', '=', 'warehouse')], order=[('id', 'ASC')])
        self.shops = {s.shop_code: s for s in shops}
        self.shop_codes = [c for c, *_ in data.SHOPS if c in self.shops]
        self.central, = Location.search([('code', '=', 'CEN')])
        self.storage = {s.id: s.storage_location.id
            for s in shops + [self.central]}
        self.opening = {s.shop_code: {int(h.weekday) for h in
                s.opening_hours} for s in shops}
        self.web_shop, = WebShop.search([], limit=1, order=[('id', 'ASC')])

        universes = {}
        names = {u[1][2]: u[0] for u in data.UNIVERSES}
        for category in Category.search([('universe', '=', True)]):
            universes[category.id] = names.get(category.name)
        self.products = []
        for product in Product.search([('salable', '=', True)],
                order=[('id', 'ASC')]):
            template = product.template
            taxes = list(template.customer_taxes_used)
            rate = sum((t.rate or 0 for t in taxes), Decimal(0))
            self.products.append({
                    'id': product.id,
                    'unit': product.sale_uom.id,
                    'price': template.list_price,
                    'cost': product.cost_price or Decimal(0),
                    'taxes': [t.id for t in taxes],
                    'rate': rate,
                    'universe': universes.get(
                        template.universe.id if template.universe else None),
                    'b2b': bool(template.b2b_published),
                    'case_pack': template.b2b_case_pack or 1,
                    'minimum': template.b2b_minimum_quantity or 1,
                    })
        config = Configuration(1)
        self.points_per_euro = config.points_per_euro or Decimal(1)
        self.reward_points = config.reward_points
        self.reward_coupon = config.reward_coupon
        self.referral_coupon = config.referral_coupon
        self.referral_points = config.referral_points
        self.sale_sequence = SaleConfiguration(1).sale_sequence

        self.welcome = {code: shop.first_order_code
            for code, shop in self.shops.items() if shop.first_order_code}
        # the demo's own customers and pro accounts
        self.demo_customers = Party.search([('name', 'in',
                    [c[0] for c in data.B2C_CUSTOMERS])],
            order=[('id', 'ASC')])
        self.pros = Party.search([('b2b_state', '=', 'approved')],
            order=[('id', 'ASC')])
        self.pro_buyers = {}
        for user in WebUser.search([('party', 'in',
                        [p.id for p in self.pros])]):
            self.pro_buyers.setdefault(user.party.id, user.id)

    # -- records made through the ORM ---------------------------------------
    def create_records(self):
        """The tills' account, the history's customers with their app
        accounts, and one sale and till sale whose rows model the bulk"""
        pool = self.pool
        Account = pool.get('urban.pos.account')
        Party = pool.get('party.party')
        Country = pool.get('country.country')
        Lang = pool.get('ir.lang')
        WebUser = pool.get('web.user')
        Device = pool.get('urban.api.push.device')
        Sale = pool.get('sale.sale')
        PosSale = pool.get('urban.pos.sale')
        rng = self.rng

        self.pos_account, = Account.create([{
                    'name': "Shop tills", 'company': self.company_id,
                    'connector': 'native', 'match_by': 'sku',
                    'outlets': [('create', [{'shop': s.id}
                                for s in self.shops.values()])],
                    }])

        belgium, = Country.search([('code', '=', 'BE')])
        langs = {l.code: l.id for l in Lang.search([
                    ('code', 'in', ['fr', 'nl', 'en'])])}
        cities = {code: (city, postal) for code, _, _, postal, city, *_
            in data.SHOPS}
        shop_weights = [SHOP_WEIGHT[c] for c in self.shop_codes]
        # customers arrive through the year: more in the autumn and the
        # December rush, a base of early customers at the start
        days = [self.start + dt.timedelta(days=i) for i in range(DAYS)]
        arrival = [MONTH_FACTOR[d.month] * (3 if i < 20 else 1)
            for i, d in enumerate(days)]
        customers = []
        used = set()
        for n in range(CUSTOMERS):
            shop = rng.choices(self.shop_codes, shop_weights)[0]
            lang = rng.choice(SHOP_LANGS[shop])
            # namesakes only once the names run out
            for _ in range(12):
                first = rng.choice(FIRST_NAMES[lang])
                last = rng.choice(LAST_NAMES[rng.choice([lang, lang,
                                'fr', 'nl'])])
                if (first, last) not in used:
                    break
            used.add((first, last))
            r = rng.random()
            for profile, share, weight in PROFILES:
                r -= share
                if r < 0:
                    break
            acquired = rng.choices(days, arrival)[0]
            churn = None
            if profile in {'regular', 'occasional'} and rng.random() < 0.3:
                churn = acquired + dt.timedelta(
                    days=rng.randint(40, DAYS))
            customers.append(Customer(
                    name='%s %s' % (first, last),
                    email='%s.%s.%d@example.be' % (
                        _ascii(first), _ascii(last), n),
                    lang=lang, shop=shop, acquired=acquired, churn=churn,
                    profile=profile, weight=weight,
                    app=rng.random() < 0.55))
        streets = ["Rue de la Station", "Kerkstraat", "Rue Haute",
            "Stationsstraat", "Avenue Louise", "Molenstraat",
            "Rue du Marché", "Dorpstraat"]
        for c in customers:
            c.address = "%s %d" % (rng.choice(streets), rng.randint(1, 180))
        # the first one through the ORM: its rows model the others'
        customers[0].app = True
        first = customers[0]
        party, = Party.create([{
                    'name': first.name, 'lang': langs[first.lang],
                    'addresses': [('create', [{
                                    'street': first.address,
                                    'city': cities[first.shop][0],
                                    'postal_code': cities[first.shop][1],
                                    'country': belgium.id}])],
                    'contact_mechanisms': [('create', [
                                {'type': 'email', 'value': first.email}])],
                    }])
        self.bulk_parties(party, customers, langs, cities)
        # the demo's named customers: loyal, from the first day
        for n, party in enumerate(self.demo_customers):
            shop = {'Bruxelles': 'BXL', 'Brussel': 'BXL', 'Gent': 'GNT',
                'Antwerpen': 'ANT', 'Liège': 'LGG', 'Leuven': 'LEU',
                'Namur': 'NAM'}.get(party.addresses[0].city, 'BXL')
            customers.append(Customer(id=party.id, name=party.name,
                    address=party.addresses[0].id, shop=shop,
                    lang=party.lang.code if party.lang else 'fr',
                    acquired=self.start + dt.timedelta(days=3 + n * 11),
                    profile='loyal' if n % 2 == 0 else 'regular',
                    weight=7.0 if n % 2 == 0 else 2.6, app=False))
        self.customers = customers

        # app accounts (the demo's password) and their phones
        demo_hash = WebUser.hash_password(data.DEMO_PASSWORD)
        app = [c for c in customers if c.app]
        users = _create(WebUser, [{
                    'email': c.email, 'password_hash': demo_hash,
                    'email_valid': True, 'party': c.id} for c in app[:1]])
        devices = _create(Device, [{
                    'user': users[0].id,
                    'token': 'ExponentPushToken[demo-%s]' % hashlib.sha256(
                        ('%s' % c.id).encode()).hexdigest()[:22],
                    'platform': 'ios', 'language': c.lang,
                    'topics': ['new_arrivals', 'orders', 'promotions'],
                    } for c in app[:1]])
        self.bulk_app_users(users[0], devices[0], app)

        # the model rows of the bulk
        product = self.products[0]
        shop = self.shops[self.shop_codes[0]]
        sale, = Sale.create([{
                    'company': self.company_id, 'currency': self.currency_id,
                    'party': party.id,
                    'invoice_address': party.addresses[0].id,
                    'shipment_address': party.addresses[0].id,
                    'warehouse': shop.id, 'sale_date': self.today,
                    'lines': [('create', [{
                                    'type': 'line', 'product': product['id'],
                                    'unit': product['unit'], 'quantity': 1,
                                    'unit_price': product['price'],
                                    }])],
                    }])
        pos, = PosSale.create([{
                    'account': self.pos_account.id, 'shop': shop.id,
                    'external_id': 'MODEL', 'date': self.now,
                    'state': 'booked', 'currency': self.currency_id,
                    'total_amount': Decimal(1), 'tax_amount': Decimal(0),
                    'lines': [('create', [{
                                    'product': product['id'], 'quantity': 1,
                                    'unit_price': Decimal(1),
                                    'total_amount': Decimal(1),
                                    'tax_amount': Decimal(0)}])],
                    }])
        bulk = self.bulk
        self.model_sale = bulk.row('sale_sale', sale.id)
        self.model_line = bulk.row('sale_line', sale.lines[0].id)
        self.model_pos = bulk.row('urban_pos_sale', pos.id)
        self.model_pos_line = bulk.row('urban_pos_sale_line',
            pos.lines[0].id)
        # a done stock move of load_stock
        Move = pool.get('stock.move')
        move, = Move.search([('state', '=', 'done')], limit=1,
            order=[('id', 'ASC')])
        self.model_move = bulk.row('stock_move', move.id)
        self._models = [('sale_line', sale.lines[0].id),
            ('sale_sale', sale.id),
            ('urban_pos_sale_line', pos.lines[0].id),
            ('urban_pos_sale', pos.id)]
        for name in ['id', 'create_date', 'write_date', 'write_uid',
                'number', 'web_id', 'reference', 'description', 'comment',
                'origin', 'quotation_date', 'shipping_date']:
            self.model_sale.pop(name, None)
        for model in [self.model_line, self.model_pos, self.model_pos_line,
                self.model_move]:
            for name in ['id', 'create_date', 'write_date', 'write_uid']:
                model.pop(name, None)

    def bulk_parties(self, party, customers, langs, cities):
        """The customers after the first (party, made by the ORM) with
        their address, e-mail and language, in bulk"""
        from sql import Table
        pool = self.pool
        Configuration = pool.get('party.configuration')
        bulk = self.bulk
        rest = customers[1:]
        customers[0].id = party.id
        customers[0].address = party.addresses[0].id
        lang_table = Table('party_party_lang')
        bulk.cursor.execute(*lang_table.select(lang_table.id,
                where=lang_table.party == party.id))
        lang_row = bulk.cursor.fetchone()
        models = {
            'party_party': bulk.row('party_party', party.id),
            'party_address': bulk.row('party_address',
                party.addresses[0].id),
            'party_contact_mechanism': bulk.row('party_contact_mechanism',
                party.contact_mechanisms[0].id),
            'party_party_lang': (bulk.row('party_party_lang', lang_row[0])
                if lang_row else None),
            }
        for model in models.values():
            if model:
                model.pop('id')
        ids = {name: bulk.ids(name, len(rest)) for name in models}
        sequence = Configuration(1).party_sequence
        codes = list(sequence.get_many(len(rest))) if sequence else [
            None] * len(rest)
        parties, addresses, mechanisms, languages = [], [], [], []
        for i, (c, code) in enumerate(zip(rest, codes)):
            c.id = ids['party_party'][i]
            street = c.address
            c.address = ids['party_address'][i]
            parties.append({'id': c.id, 'name': c.name, 'code': code,
                    'code_alnum': code, 'code_digit': (int(code)
                        if code and code.isdigit() else None)})
            addresses.append({'id': c.address, 'party': c.id,
                    'street_unstructured': street,
                    'city': cities[c.shop][0],
                    'postal_code': cities[c.shop][1]})
            mechanisms.append({'id': ids['party_contact_mechanism'][i],
                    'party': c.id, 'value': c.email,
                    'value_compact': c.email})
            languages.append({'id': ids['party_party_lang'][i],
                    'party': c.id, 'lang': langs[c.lang]})
        bulk.insert('party_party', parties, models['party_party'])
        bulk.insert('party_address', addresses, models['party_address'])
        bulk.insert('party_contact_mechanism', mechanisms,
            models['party_contact_mechanism'])
        if models['party_party_lang']:
            bulk.insert('party_party_lang', languages,
                models['party_party_lang'])

    def bulk_app_users(self, user, device, customers):
        "The app accounts and phones of customers after the first, in bulk"
        rng = self.rng
        bulk = self.bulk
        customers[0].user = user.id
        rest = customers[1:]
        user_model = bulk.row('web_user', user.id)
        device_model = bulk.row('urban_api_push_device', device.id)
        for model in [user_model, device_model]:
            model.pop('id')
        user_ids = bulk.ids('web_user', len(rest))
        device_ids = bulk.ids('urban_api_push_device', len(rest))
        users, devices = [], []
        Device = self.pool.get('urban.api.push.device')
        topics = Device.topics
        for c, user_id, device_id in zip(rest, user_ids, device_ids):
            c.user = user_id
            users.append({'id': user_id, 'email': c.email, 'party': c.id})
            chosen = (sorted(set(rng.sample(['orders', 'promotions',
                                'new_arrivals'], rng.randint(1, 3))
                        + ['orders'])) if rng.random() < 0.9
                else ['orders'])
            devices.append({'id': device_id, 'user': user_id,
                    'token': 'ExponentPushToken[demo-%s]' % (
                        hashlib.sha256(str(c.id).encode()).hexdigest()[:22]),
                    'platform': rng.choice(['ios', 'ios', 'android']),
                    'language': c.lang,
                    'topics': topics.sql_format(chosen)})
        bulk.insert('web_user', users, user_model)
        bulk.insert('urban_api_push_device', devices, device_model)

    # -- the plan ----------------------------------------------------------
    def plan(self):
        self.sales, self.lines, self.line_taxes = [], [], []
        self.moves, self.ignored = [], []
        self.pos_sales, self.pos_lines = [], []
        self.sale_coupons, self.numbers = [], []
        self.points, self.referrals, self.scans = [], [], []
        self.recipients = []
        self._outflow = defaultdict(lambda: defaultdict(float))
        self._inflow = defaultdict(lambda: defaultdict(float))
        self._purchases = defaultdict(list)  # party: [(date, points, origin)]
        self._till_history = defaultdict(list)  # shop: [till sale]
        self.product_weights()
        self.plan_first_orders()
        self.plan_days()
        self.plan_this_week()
        self.plan_pro()
        self.plan_returns()
        self.plan_loyalty()
        self.plan_scans()
        self.plan_campaigns()
        self.plan_receipts()

    def product_weights(self):
        "Cumulative product weights per month: a few best sellers, seasons"
        rng = self.rng
        base = [rng.choice([0.6, 0.8, 1.0, 1.0, 1.3, 1.6, 2.0])
            for _ in self.products]
        # the best sellers: one article (all its variants) per universe of
        # the shops' favourites
        best = rng.sample(range(len(self.products)), 9)
        for i in best:
            base[i] *= 9
        self.best_sellers = [self.products[i]['id'] for i in best]
        self.weights = {}
        for month in range(1, 13):
            self.weights[month] = [
                w * UNIVERSE_SEASON.get(p['universe'], {}).get(month, 1.0)
                for w, p in zip(base, self.products)]
        pro = [(p, w) for p, w in zip(self.products, base) if p['b2b']]
        self.pro_products = [p for p, _ in pro]
        self.pro_weights = [w for _, w in pro]

    def day_factor(self, day):
        factor = MONTH_FACTOR[day.month]
        if day.month == 12:
            # the run-up to Christmas, quiet between the holidays
            factor *= 1.35 if 8 <= day.day <= 23 else (
                0.55 if day.day >= 25 else 1.0)
        if (day.month, day.day) in {(12, 25), (1, 1)}:
            factor = 0
        return factor

    def pick_products(self, day, count):
        return self.rng.choices(self.products, self.weights[day.month],
            k=count)

    def quantity(self):
        return self.rng.choices([1, 2, 3], [85, 12, 3])[0]

    def moment(self, day, opens=9, closes=17):
        "A time of day (UTC) of day, never after now"
        rng = self.rng
        moment = dt.datetime.combine(day, dt.time(
                rng.randint(opens, closes - 1), rng.randint(0, 59),
                rng.randint(0, 59)))
        # drawn whatever the hour: the same draws follow at any time of day
        fraction = rng.random()
        if moment > self.now:
            start = dt.datetime.combine(day, dt.time(0, 5))
            seconds = max(int((self.now - start).total_seconds()), 1)
            moment = start + dt.timedelta(seconds=int(seconds * fraction))
        return moment

    def active_customers(self, day, shop=None, app=None):
        people, weights = [], []
        for c in self.customers:
            if (c.first is None or c.first >= day or c.weight == 0
                    or (c.churn and day >= c.churn)
                    or (app and not c.app)):
                continue
            weight = c.weight
            if shop:
                weight *= 4 if c.shop == shop else 0.25
            people.append(c)
            weights.append(weight)
        return people, weights

    # -- first orders: the cohorts ---------------------------------------
    def plan_first_orders(self):
        """Each customer's first order, on the day they arrived: at the
        till, or in the app (a third of them after scanning their shop's
        QR code, with its first-order code; a few with a friend's referral
        code), or on the web shop"""
        rng = self.rng
        referrers = []
        for c in sorted(self.customers, key=lambda c: (c.acquired, c.id)):
            day = c.acquired
            c.first = day
            r = rng.random()
            if c.app and r < 0.75:
                if referrers and rng.random() < 0.2 and day > (
                        self.start + dt.timedelta(days=30)):
                    c.referrer = rng.choice(referrers)
                elif rng.random() < 0.45 and c.shop in self.welcome:
                    c.welcome = c.shop
                self.plan_sale(day, 'app', c.shop, customer=c)
                referrers.append(c)
            elif r < 0.85:
                self.plan_sale(day, 'web', c.shop, customer=c)
            else:
                self.plan_till(day, c.shop, customer=c)

    # -- day after day -----------------------------------------------------
    def plan_days(self):
        rng = self.rng
        for offset in range(DAYS):
            day = self.start + dt.timedelta(days=offset)
            factor = self.day_factor(day) * WEEKDAY_FACTOR[day.weekday()]
            if not factor:
                continue
            for code in self.shop_codes:
                weight = SHOP_WEIGHT[code]
                if day.weekday() in self.opening[code]:
                    for _ in range(_poisson(rng,
                                TILL_PER_DAY * weight * factor)):
                        customer = None
                        if rng.random() > ANONYMOUS_TILL:
                            customer = self.pick_customer(day, code)
                        self.plan_till(day, code, customer=customer)
            online = self.day_factor(day) * (
                1.1 if day.weekday() in {6, 0} else 1.0)
            for channel, per_day in [('app', APP_PER_DAY),
                    ('web', WEB_PER_DAY)]:
                for _ in range(_poisson(rng, per_day * online)):
                    code = rng.choices(self.shop_codes,
                        [SHOP_WEIGHT[c] for c in self.shop_codes])[0]
                    customer = self.pick_customer(day, code,
                        app=channel == 'app')
                    if customer is None:
                        continue
                    self.plan_sale(day, channel, customer.shop
                        if rng.random() < 0.8 else code, customer=customer)

    def pick_customer(self, day, shop, app=None):
        key = (shop, bool(app))
        cache = self.__dict__.setdefault('_active', {})
        if cache.get('day') != day:
            cache.clear()
            cache['day'] = day
        if key not in cache:
            people, weights = self.active_customers(day, shop, app=app)
            cumulated, total = [], 0
            for weight in weights:
                total += weight
                cumulated.append(total)
            cache[key] = (people, cumulated)
        people, cumulated = cache[key]
        if not people:
            return None
        return self.rng.choices(people, cum_weights=cumulated)[0]

    def plan_this_week(self):
        """Every shop has had this week's orders of every channel: the
        dashboard's This Week is never empty, even on a Monday morning
        (the town shops, closed on Mondays, then show Sunday's... no: a
        till sale of today's opening)"""
        week = {(s['warehouse'], _channel(s)) for s in self.sales
            if s['sale_date'] >= self.monday
            and s['state'] in {'confirmed', 'processing', 'done'}}
        week |= {(p['shop'], 'till') for p in self.pos_sales
            if p['date'].date() >= self.monday}
        days = (self.today - self.monday).days + 1
        for code in self.shop_codes:
            shop = self.shops[code]
            for channel in ['app', 'web', 'till']:
                if (shop.id, channel) in week:
                    continue
                open_days = [self.monday + dt.timedelta(days=i)
                    for i in range(days) if (self.monday + dt.timedelta(
                                days=i)).weekday() in self.opening[code]]
                day = self.rng.choice(open_days or [self.today])
                customer = self.pick_customer(day, code,
                    app=channel == 'app')
                if channel == 'till':
                    self.plan_till(day, code, customer=customer)
                elif customer:
                    self.plan_sale(day, channel, code, customer=customer,
                        state='processing' if (self.today - day).days < 3
                        else 'done', click_collect=True)

    # -- sales (app, web, pro) -------------------------------------------
    def plan_sale(self, day, channel, shop_code, customer, state=None,
            click_collect=None):
        rng = self.rng
        if click_collect is None:
            click_collect = rng.random() < (0.6 if channel == 'app'
                else 0.35)
        if click_collect:
            warehouse = self.shops[shop_code]
        elif rng.random() < 0.6:
            warehouse = self.central
        else:
            warehouse = self.shops[shop_code]
        count = rng.choices([1, 2, 3, 4], [40, 32, 18, 10])[0]
        products = self.pick_products(day, count)
        lines = {}
        for product in products:
            lines[product['id']] = (product,
                lines.get(product['id'], (None, 0))[1] + self.quantity())
        discount = None
        if customer.welcome and customer.first == day:
            discount = ('welcome', self.welcome[customer.welcome])
        elif customer.referrer and customer.first == day:
            discount = ('referral', customer.referrer)
        self._sale(day, channel, warehouse, customer,
            [(p, q, p['price']) for p, q in lines.values()],
            click_collect=click_collect, state=state, discount=discount)

    def _sale(self, day, channel, warehouse, customer, lines,
            click_collect=False, state=None, discount=None, pro=None):
        rng = self.rng
        age = (self.today - day).days
        created = self.moment(day, 7, 22)
        if state is None:
            if age >= 3:
                r = rng.random()
                state = ('cancelled' if r < 0.03 else
                    'expired' if click_collect and r < 0.07 else 'done')
            elif age >= 1:
                state = rng.choice(['processing', 'processing', 'done'])
            else:
                state = rng.choices(['quotation', 'confirmed',
                        'processing'], [1, 2, 4])[0]
        values = {
            'id': None, 'party': customer.id,
            'invoice_party': None, 'shipment_party': None,
            'invoice_address': customer.address,
            'shipment_address': customer.address,
            'warehouse': warehouse.id, 'sale_date': day,
            'create_date': created, 'write_date': created,
            'quotation_date': day,
            'state': 'done' if state == 'expired' else state,
            'web_shop': None if channel == 'pro' else self.web_shop.id,
            'api_mode': None, 'api_user': None, 'click_collect': False,
            'collect_state': None, 'collect_prepared_at': None,
            'collect_ready_at': None, 'collected_at': None,
            'collect_expired_at': None,
            'invoice_method': 'manual', 'shipment_method': 'order',
            'invoice_state': 'none', 'to_invoice': False,
            'shipment_state': 'none', 'to_ship': False,
            # employees (the demo has none)
            'confirmed_by': None, 'quoted_by': None,
            'attribution_shop': None, 'referrer': None,
            'b2b_buyer': None, 'b2b_payment': None, 'price_list': None,
            'origin': None, 'return_state': None, 'reference': None,
            }
        if channel == 'app':
            values['api_mode'] = ('click_collect' if click_collect
                else 'delivery')
            values['api_user'] = customer.user
        if channel in {'app', 'web'}:
            values['web_id'] = None
        if pro:
            values.update(pro)
        if click_collect:
            values['click_collect'] = True
            values.update(self._collect(state, created))
        if state in {'processing', 'done', 'expired'}:
            values['shipment_state'] = ('sent' if state != 'processing'
                else 'waiting')
            values['to_ship'] = state == 'processing'
            if values['invoice_method'] == 'order':
                values['invoice_state'] = ('paid' if state == 'done'
                    else 'pending')
        if discount:
            kind, target = discount
            if kind == 'welcome':
                values['attribution_shop'] = self.shops[
                    customer.welcome].id
                self.sale_coupons.append((len(self.sales), target.id))
                factor = Decimal('0.9')
                promotion = target.coupon.promotion.id
            else:
                values['referrer'] = target.id
                self.sale_coupons.append((len(self.sales),
                    ('referral', target)))
                factor = Decimal('0.9')
                promotion = self.referral_coupon.promotion.id
        sale_index = len(self.sales)
        self.sales.append(values)
        untaxed, tax_total = Decimal(0), Decimal(0)
        for sequence, (product, quantity, price) in enumerate(lines, 1):
            unit_price = price
            line = {
                'sale': sale_index, 'sequence': sequence, 'type': 'line',
                'product': product['id'], 'unit': product['unit'],
                'quantity': float(quantity),
                'description': None, 'note': None,
                'original_unit_price': None, 'promotion': None,
                'returned_line': None, 'api_delivery': False,
                'create_date': created,
                }
            if discount:
                unit_price = (price * factor).quantize(PRICE)
                line['original_unit_price'] = price
                line['promotion'] = promotion
            line['unit_price'] = unit_price
            delivered = state in {'done'}
            line['actual_quantity'] = float(quantity) if delivered else None
            line['quantity_to_ship'] = (float(quantity)
                if state == 'processing' else 0)
            line['quantity_to_invoice'] = 0
            amount = money(unit_price * quantity)
            untaxed += amount
            # VAT on the unrounded base, rounded per line (the company's
            # rounding: urban_checkout/taxes.py)
            tax_total += money(unit_price * quantity * product['rate'])
            line_index = len(self.lines)
            self.lines.append(line)
            for tax in product['taxes']:
                self.line_taxes.append((line_index, tax))
            if state in {'processing', 'done', 'expired'}:
                self._line_move(line_index, day, warehouse, product,
                    quantity, unit_price, created,
                    {'done': 'done', 'processing': 'draft',
                        'expired': 'cancelled'}[state])
        if values['state'] in {'confirmed', 'processing', 'done',
                'cancelled'}:
            # the states whose amounts sale.sale caches
            values['untaxed_amount_cache'] = untaxed
            values['tax_amount_cache'] = tax_total
            values['total_amount_cache'] = untaxed + tax_total
        else:
            values.update(untaxed_amount_cache=None, tax_amount_cache=None,
                total_amount_cache=None)
        if customer and state in {'processing', 'done', 'expired'}:
            total = untaxed + tax_total
            if channel != 'pro':
                self._purchases[customer.id].append(
                    (day, total, ('sale', sale_index), state == 'expired'))
        return sale_index

    def _collect(self, state, created):
        rng = self.rng
        prepared = created + dt.timedelta(hours=rng.randint(2, 20))
        ready = prepared + dt.timedelta(minutes=rng.randint(5, 90))
        if state == 'done':
            # collected: all of it happened by now
            ready = min(ready, self.now - dt.timedelta(minutes=30))
            prepared = min(prepared, ready - dt.timedelta(minutes=5))
        values = {}
        if state in {'done', 'expired'}:
            values.update(collect_prepared_at=prepared,
                collect_ready_at=ready)
        if state == 'done':
            values.update(collect_state='collected',
                collected_at=min(ready + dt.timedelta(
                        hours=rng.randint(3, 90)), self.now))
        elif state == 'expired':
            values.update(collect_state='expired',
                collect_expired_at=ready + dt.timedelta(days=7, hours=1))
        elif state == 'processing':
            ready_drawn, prepared_drawn = rng.random(), rng.random()
            if ready < self.now and ready_drawn < 0.85:
                values.update(collect_state='ready',
                    collect_prepared_at=prepared, collect_ready_at=ready)
            elif prepared < self.now and prepared_drawn < 0.5:
                values.update(collect_state='prepared',
                    collect_prepared_at=prepared)
        return values

    def _line_move(self, line_index, day, warehouse, product, quantity,
            unit_price, created, state, origin_model='sale.line',
            incoming=False):
        storage = self.storage[warehouse.id]
        move = {
            'product': product['id'], 'unit': product['unit'],
            'quantity': float(quantity),
            'internal_quantity': float(quantity),
            'from_location': (self.customer_location.id if incoming
                else storage),
            'to_location': (storage if incoming
                else self.customer_location.id),
            'planned_date': day,
            'effective_date': day if state == 'done' else None,
            'state': state, 'unit_price': unit_price,
            'cost_price': product['cost'] if state == 'done' else None,
            'product_cost_price': None,
            'currency': self.currency_id, 'company': self.company_id,
            'shipment': None, 'origin': (origin_model, line_index),
            'create_date': created, 'write_date': created,
            'origin_planned_date': day,
            }
        move_index = len(self.moves)
        self.moves.append(move)
        if state == 'done':
            flow = self._inflow if incoming else self._outflow
            flow[(storage, product['id'])][(day.year, day.month)] += quantity
        if state == 'cancelled' and origin_model == 'sale.line':
            self.ignored.append((line_index, move_index))
        return move_index

    # -- tills ---------------------------------------------------------
    def plan_till(self, day, code, customer=None, returned=None):
        rng = self.rng
        shop = self.shops[code]
        moment = self.moment(day)
        if returned:
            lines = returned
        else:
            count = rng.choices([1, 2, 3, 4], [52, 30, 13, 5])[0]
            lines = [(p, self.quantity())
                for p in self.pick_products(day, count)]
        index = len(self.pos_sales)
        number = '%s-%06d' % (code, index + 1)
        total = tax = Decimal(0)
        for product, quantity in lines:
            net = money(product['price'] * quantity)
            gross = money(net * (1 + product['rate']))
            self.pos_lines.append({
                    'sale': index, 'product': product['id'],
                    'quantity': float(quantity),
                    'unit_price': product['price'].quantize(PRICE),
                    'total_amount': gross, 'tax_amount': gross - net,
                    'create_date': moment,
                    })
            total += gross
            tax += gross - net
            self._line_move(index, day, shop, product, abs(quantity),
                product['price'], moment, 'done',
                origin_model='urban.pos.sale', incoming=quantity < 0)
        sale = {
            'account': self.pos_account.id, 'shop': shop.id,
            'external_id': 'DEMO-%s' % number, 'number': number,
            'version': 1, 'date': moment, 'state': 'booked',
            'is_return': bool(returned), 'return_for': None,
            'customer_ref': ('C%05d' % customer.id) if customer else None,
            'party': customer.id if customer else None,
            'currency': self.currency_id, 'total_amount': total,
            'tax_amount': tax, 'event': None, 'create_date': moment,
            }
        self.pos_sales.append(sale)
        if customer and not returned:
            self._purchases[customer.id].append(
                (day, total, ('pos', index), False))
        if not returned:
            self._till_history[code].append(index)
        return index

    # -- pro orders ------------------------------------------------------
    def plan_pro(self):
        """Pro orders: each pro company every ten days or so, case packs at
        its price list's share, from the central stock room or picked up
        in a shop; and in every shop this week"""
        pool = self.pool
        Category = pool.get('urban.b2b.category')
        rng = self.rng
        shares = {}
        for category in Category.search([]):
            share = dict((k, v[1]) for k, v in data.PRO_CATEGORIES.items()
                ).get(category.code, '0.6')
            shares[category.id] = Decimal(share)
        self.pro_customers = []
        for party in self.pros:
            shop = rng.choice(self.shop_codes)
            customer = Customer(id=party.id, name=party.name,
                address=party.addresses[0].id, shop=shop,
                user=self.pro_buyers.get(party.id))
            share = shares.get(party.b2b_category.id
                if party.b2b_category else None, Decimal('0.6'))
            price_list = (party.b2b_category.price_list.id
                if party.b2b_category and party.b2b_category.price_list
                else None)
            self.pro_customers.append((customer, share, price_list))
        for customer, share, price_list in self.pro_customers:
            day = self.start + dt.timedelta(days=rng.randint(0, 10))
            while day <= self.today:
                if day.weekday() < 5:
                    code = (customer.shop if rng.random() < 0.4
                        else rng.choice(self.shop_codes))
                    self.plan_pro_sale(day, customer, share, price_list,
                        self.shops[code] if rng.random() < 0.5
                        else self.central)
                gap = PRO_EVERY_DAYS / max(MONTH_FACTOR[day.month], 0.5)
                day += dt.timedelta(days=max(2, int(rng.expovariate(
                                1 / gap))))
        week = {s['warehouse'] for s in self.sales
            if s['sale_date'] >= self.monday and s['web_shop'] is None
            and s['return_state'] is None
            and s['state'] in {'confirmed', 'processing', 'done'}}
        days = (self.today - self.monday).days + 1
        for code in self.shop_codes:
            if self.shops[code].id in week:
                continue
            customer, share, price_list = rng.choice(self.pro_customers)
            day = self.monday + dt.timedelta(days=rng.randrange(days))
            self.plan_pro_sale(day, customer, share, price_list,
                self.shops[code], state='processing')

    def plan_pro_sale(self, day, customer, share, price_list, warehouse,
            state=None):
        rng = self.rng
        lines, total = {}, Decimal(0)
        while total < 150 or len(lines) < 3:
            product = rng.choices(self.pro_products, self.pro_weights)[0]
            quantity = product['case_pack'] * rng.randint(1, 4)
            quantity = max(quantity, product['minimum'])
            if product['minimum'] % product['case_pack']:
                quantity += (product['case_pack']
                    - quantity % product['case_pack'])
            price = (product['price'] * share).quantize(PRICE)
            previous = lines.get(product['id'])
            if previous:
                quantity += previous[1]
            lines[product['id']] = (product, quantity, price)
            total = sum((money(p * q) for _, q, p in lines.values()),
                Decimal(0))
        self._sale(day, 'pro', warehouse, customer, list(lines.values()),
            state=state, pro={
                'b2b_buyer': customer.user,
                'b2b_payment': 'invoice' if customer.user else None,
                'price_list': price_list,
                'web_shop': None,
                'invoice_method': 'order',
                })

    # -- returns -----------------------------------------------------------
    def plan_returns(self):
        """A few purchases come back: till returns (refunded at the till)
        and app or web orders returned by post or in a shop"""
        rng = self.rng
        # till returns: 2 % of the known customers' till sales
        for code, indexes in self._till_history.items():
            for index in list(indexes):
                sale = self.pos_sales[index]
                if not sale['party'] or rng.random() > 0.025:
                    continue
                day = sale['date'].date() + dt.timedelta(
                    days=rng.randint(1, 20))
                if day > self.today or (day.weekday()
                        not in self.opening[code]):
                    continue
                line = rng.choice([l for l in self.pos_lines
                        if l['sale'] == index][:4])
                product = self._product(line['product'])
                customer = self._customer(sale['party'])
                ret = self.plan_till(day, code, customer=customer,
                    returned=[(product, -1)])
                self.pos_sales[ret]['return_for'] = ('pos', index)
        # returned orders: 2 % of the delivered ones
        for index, sale in enumerate(list(self.sales)):
            # (app orders: a return keeps the order's channel)
            if (sale['state'] != 'done' or not sale['api_mode']
                    or sale['click_collect'] or rng.random() > 0.04):
                continue
            day = sale['sale_date'] + dt.timedelta(days=rng.randint(4, 25))
            if day >= self.today:
                continue
            lines = [(i, l) for i, l in enumerate(self.lines)
                if l['sale'] == index]
            line_index, line = rng.choice(lines)
            self.plan_return_sale(day, index, line_index, line)

    def plan_return_sale(self, day, sale_index, line_index, line):
        rng = self.rng
        original = self.sales[sale_index]
        created = self.moment(day)
        product = self._product(line['product'])
        quantity = line['quantity']
        values = dict(original, **{
                'sale_date': day, 'create_date': created,
                'write_date': created, 'quotation_date': day,
                'state': 'done', 'web_shop': None, 'web_id': None,
                'click_collect': False, 'shipment_method': 'order',
                'origin': ('sale', sale_index), 'reference': sale_index,
                'return_state': 'received',
                'return_channel': rng.choice(['post', 'shop']),
                'return_reason': rng.choice([
                        "Does not match the picture",
                        "Arrived damaged", "A gift, already had one",
                        "Too small", None]),
                'return_received_at': created,
                'return_received_by': self.user_id,
                'attribution_shop': None, 'referrer': None,
                'shipment_state': 'sent', 'to_ship': False,
                })
        if values['return_channel'] == 'shop':
            values['warehouse'] = self.shops[rng.choice(self.shop_codes)].id
        base = line['unit_price'] * Decimal(str(quantity))
        amount = money(base)
        tax = money(base * product['rate'])
        values.update(untaxed_amount_cache=-amount, tax_amount_cache=-tax,
            total_amount_cache=-(amount + tax))
        index = len(self.sales)
        self.sales.append(values)
        new_line = dict(line, sale=index, quantity=-quantity,
            actual_quantity=-quantity, quantity_to_ship=0,
            returned_line=('line', line_index), create_date=created)
        line_new = len(self.lines)
        self.lines.append(new_line)
        for tax_id in product['taxes']:
            self.line_taxes.append((line_new, tax_id))
        warehouse = Location_stub(values['warehouse'])
        self._line_move(line_new, day, warehouse, product, quantity,
            line['unit_price'], created, 'done', incoming=True)

    # -- loyalty -----------------------------------------------------------
    def plan_loyalty(self):
        """Points for every purchase of a known customer (taken back when
        a click & collect order expired), reward coupons once they have
        enough, and the referrals of the friends' first orders"""
        rng = self.rng
        letters = string.ascii_uppercase.replace('I', '').replace('O', '')
        letters += '23456789'

        def code(prefix, length):
            return prefix + ''.join(rng.choice(letters)
                for _ in range(length))
        customers = {c.id: c for c in self.customers}
        for party, purchases in sorted(self._purchases.items()):
            balance = 0
            for day, total, origin, voided in sorted(purchases,
                    key=lambda p: (p[0], p[2])):
                points = int((total * self.points_per_euro).quantize(
                        Decimal(1), rounding=ROUND_DOWN))
                if points <= 0:
                    continue
                kind, index = origin
                description = (self.pos_sales[index]['number']
                    if kind == 'pos' else None)
                self.points.append({'party': party, 'date': day,
                        'kind': 'earn', 'points': points,
                        'origin': origin, 'amount': total,
                        'coupon_number': None, 'description': description})
                balance += points
                if voided:
                    back = min(points, balance)
                    self.points.append({'party': party, 'date': day
                            + dt.timedelta(days=8), 'kind': 'reverse',
                            'points': -back, 'origin': origin,
                            'amount': total, 'coupon_number': None,
                            'description': description})
                    balance -= back
                # rewards are claimed in the app, by some of its users
                if (self.reward_coupon and balance >= self.reward_points
                        and customers[party].app and rng.random() < 0.12
                        and day + dt.timedelta(days=2) <= self.today):
                    number = code('PTS-', 8)
                    self.numbers.append({'coupon': self.reward_coupon.id,
                            'company': self.company_id, 'number': number,
                            'party': party, 'referrer': None,
                            'create_date': dt.datetime.combine(
                                day + dt.timedelta(days=2), dt.time(19))})
                    self.points.append({'party': party,
                            'date': day + dt.timedelta(days=2),
                            'kind': 'redeem',
                            'points': -self.reward_points, 'origin': None,
                            'amount': None,
                            'coupon_number': len(self.numbers) - 1,
                            'description': number})
                    balance -= self.reward_points
        # referral codes and rewards
        codes = {}
        for sale_index, target in list(self.sale_coupons):
            if not isinstance(target, tuple):
                continue
            referrer = target[1]
            if referrer.id not in codes:
                prefix = ''.join(ch for ch in _ascii(
                        referrer.name).upper() if ch.isalpha())[:6]
                self.numbers.append({'coupon': self.referral_coupon.id,
                        'company': self.company_id,
                        'number': code((prefix or 'FRIEND') + '-', 5),
                        'party': None, 'referrer': referrer.id,
                        'create_date': dt.datetime.combine(
                            referrer.first, dt.time(20))})
                codes[referrer.id] = len(self.numbers) - 1
            sale = self.sales[sale_index]
            friend = customers[sale['party']]
            if sale['state'] not in {'processing', 'done'}:
                continue
            refused = rng.random() < 0.08
            self.referrals.append({'referrer': referrer.id,
                    'friend': friend.id, 'sale': sale_index,
                    'date': sale['create_date'],
                    'state': 'refused' if refused else 'rewarded',
                    'refusal': 'device' if refused else None,
                    'points': 0 if refused else self.referral_points})
            if not refused and sale['state'] in {'processing', 'done'}:
                self.points.append({'party': referrer.id,
                        'date': sale['sale_date'], 'kind': 'referral',
                        'points': self.referral_points,
                        'origin': ('referral', len(self.referrals) - 1),
                        'amount': None, 'coupon_number': None,
                        'description': friend.name})
        self.sale_coupons = [(s, ('number', codes[t[1].id])
                if isinstance(t, tuple) else t)
            for s, t in self.sale_coupons]

    # -- QR scans ------------------------------------------------------------
    def plan_scans(self):
        """The shops' QR codes: every first order with a shop's code follows
        a scan that opened the app; most scans lead to no order yet"""
        rng = self.rng
        for sale_index, target in self.sale_coupons:
            sale = self.sales[sale_index]
            if sale['attribution_shop'] is None:
                continue
            day = sale['sale_date'] - dt.timedelta(
                days=rng.choice([0, 0, 0, 1, 2, 5]))
            self._scan(max(day, self.start), sale['attribution_shop'],
                'app', self._customer(sale['party']).lang)
        for offset in range(DAYS):
            day = self.start + dt.timedelta(days=offset)
            for code in self.shop_codes:
                if day.weekday() not in self.opening[code]:
                    continue
                for _ in range(_poisson(rng, 0.3 * SHOP_WEIGHT[code]
                            * self.day_factor(day))):
                    self._scan(day, self.shops[code].id,
                        'app' if rng.random() < 0.7 else 'web',
                        rng.choice(SHOP_LANGS[code]))
        # this week's scans in every shop
        for code in self.shop_codes:
            self._scan(self.today, self.shops[code].id, 'app',
                SHOP_LANGS[code][0])

    def _scan(self, day, shop_id, channel, lang):
        moment = self.moment(day)
        self.scans.append({'shop': shop_id, 'channel': channel,
                'scan_date': day, 'scanned_at': moment,
                'language': lang, 'create_date': moment,
                'device': hashlib.sha256(('%s-%s' % (len(self.scans),
                            self.rng.random())).encode()).hexdigest(),
                'client': None})

    # -- push campaigns ---------------------------------------------------
    def plan_campaigns(self):
        rng = self.rng
        self.campaigns = []
        app = [c for c in self.customers if c.app]
        for days_ago, topic, universe, titles in CAMPAIGNS:
            day = self.today - dt.timedelta(days=days_ago)
            if day < self.start:
                continue
            sent_at = dt.datetime.combine(day, dt.time(9, 30))
            index = len(self.campaigns)
            self.campaigns.append((sent_at, topic, universe, titles))
            open_rate = rng.uniform(0.22, 0.48)
            for c in app:
                if c.acquired > day:
                    continue
                state = 'throttled' if rng.random() < 0.08 else 'sent'
                opened = None
                if state == 'sent' and rng.random() < open_rate:
                    opened = min(sent_at + dt.timedelta(
                            minutes=int(rng.expovariate(1 / 300))),
                        self.now)
                self.recipients.append({'campaign': index, 'party': c.id,
                        'state': state, 'sent_at': sent_at,
                        'opened_at': opened, 'create_date': sent_at})

    # -- restocking --------------------------------------------------------
    def plan_receipts(self):
        """The shops are restocked at the start of each month with what
        the month will sell, less what is left (returns): stock never goes
        negative on any day and ends where load_stock put it"""
        months = []
        month = self.start.replace(day=1)
        while month <= self.today:
            months.append((month.year, month.month))
            month = (month + dt.timedelta(days=32)).replace(day=1)
        self.receipts = []
        for key in sorted(set(self._outflow) | set(self._inflow)):
            storage, product = key
            out, back = self._outflow[key], self._inflow[key]
            balance = 0
            for year, month in months:
                need = out.get((year, month), 0)
                quantity = max(0, need - balance)
                if quantity:
                    day = max(dt.date(year, month, 1), self.start)
                    self.receipts.append((storage, product, quantity, day))
                balance += quantity - need + back.get((year, month), 0)

    # -- helpers -------------------------------------------------------------
    def _product(self, product_id):
        if not hasattr(self, '_products_by_id'):
            self._products_by_id = {p['id']: p for p in self.products}
        return self._products_by_id[product_id]

    def _customer(self, party_id):
        if not hasattr(self, '_customers_by_id'):
            self._customers_by_id = {c.id: c for c in self.customers}
        return self._customers_by_id[party_id]

    # -- writing -------------------------------------------------------------
    def write(self):
        self._write_started = time.monotonic()
        pool = self.pool
        bulk = self.bulk
        Campaign = pool.get('urban.loyalty.campaign')
        Category = pool.get('product.category')

        sale_ids = bulk.ids('sale_sale', len(self.sales))
        line_ids = bulk.ids('sale_line', len(self.lines))
        move_ids = bulk.ids('stock_move', len(self.moves))
        pos_ids = bulk.ids('urban_pos_sale', len(self.pos_sales))
        pos_line_ids = bulk.ids('urban_pos_sale_line', len(self.pos_lines))
        number_ids = bulk.ids('sale_promotion_coupon_number',
            len(self.numbers))
        referral_ids = bulk.ids('urban_loyalty_referral',
            len(self.referrals))
        numbers = iter(self.sale_sequence.get_many(len(self.sales))
            if self.sales else [])

        def ref(kind, index):
            return {
                'sale': 'sale.sale,%s', 'pos': 'urban.pos.sale,%s',
                'referral': 'urban.loyalty.referral,%s',
                }[kind] % {'sale': sale_ids, 'pos': pos_ids,
                'referral': referral_ids}[kind][index]

        # sales, in date order for their numbers
        order = sorted(range(len(self.sales)), key=lambda i: (
                self.sales[i]['create_date'], i))
        for i in order:
            self.sales[i]['number'] = next(numbers)
        rows = []
        for i, sale in enumerate(self.sales):
            row = dict(sale, id=sale_ids[i], create_uid=self.user_id)
            if isinstance(row.get('origin'), tuple):
                row['origin'] = ref(*row['origin'])
                row['reference'] = self.sales[sale['reference']]['number']
            rows.append(row)
        bulk.insert('sale_sale', rows, self.model_sale)
        rows = []
        for i, line in enumerate(self.lines):
            row = dict(line, id=line_ids[i], sale=sale_ids[line['sale']],
                create_uid=self.user_id, write_date=None)
            if isinstance(row.get('returned_line'), tuple):
                row['returned_line'] = line_ids[row['returned_line'][1]]
            rows.append(row)
        bulk.insert('sale_line', rows, self.model_line)
        bulk.insert('sale_line-account_tax', [{
                    'line': line_ids[l], 'tax': t,
                    'create_uid': self.user_id,
                    'create_date': self.lines[l]['create_date']}
                for l, t in self.line_taxes])

        rows = []
        for i, sale in enumerate(self.pos_sales):
            row = dict(sale, id=pos_ids[i], create_uid=self.user_id)
            if isinstance(row.get('return_for'), tuple):
                row['return_for'] = pos_ids[row['return_for'][1]]
            rows.append(row)
        bulk.insert('urban_pos_sale', rows, self.model_pos)
        bulk.insert('urban_pos_sale_line', [dict(line, id=pos_line_ids[i],
                        sale=pos_ids[line['sale']], create_uid=self.user_id)
                for i, line in enumerate(self.pos_lines)],
            self.model_pos_line)

        rows = []
        for i, move in enumerate(self.moves):
            model, index = move['origin']
            origin = ('sale.line,%s' % line_ids[index]
                if model == 'sale.line'
                else 'urban.pos.sale,%s' % pos_ids[index])
            rows.append(dict(move, id=move_ids[i], origin=origin,
                    create_uid=self.user_id))
        receipt_ids = bulk.ids('stock_move', len(self.receipts))
        products = {p['id']: p for p in self.products}
        for id_, (storage, product, quantity, day) in zip(
                receipt_ids, self.receipts):
            product = products[product]
            moment = dt.datetime.combine(day, dt.time(7))
            rows.append({'id': id_, 'product': product['id'],
                    'unit': product['unit'], 'quantity': float(quantity),
                    'internal_quantity': float(quantity),
                    'from_location': self.supplier_location.id,
                    'to_location': storage, 'planned_date': day,
                    'effective_date': day, 'state': 'done',
                    'unit_price': product['cost'],
                    'cost_price': product['cost'],
                    'product_cost_price': None,
                    'currency': self.currency_id,
                    'company': self.company_id, 'shipment': None,
                    'origin': None, 'origin_planned_date': day,
                    'create_date': moment, 'write_date': moment,
                    'create_uid': self.user_id})
        bulk.insert('stock_move', rows, self.model_move)
        bulk.insert('sale_line-ignored-stock_move', [{
                    'sale_line': line_ids[l], 'move': move_ids[m],
                    'create_uid': self.user_id,
                    'create_date': self.moves[m]['create_date']}
                for l, m in self.ignored])

        bulk.insert('sale_promotion_coupon_number', [dict(n,
                    id=number_ids[i], create_uid=self.user_id,
                    start_date=None, end_date=None)
                for i, n in enumerate(self.numbers)])
        rows = []
        for sale_index, target in self.sale_coupons:
            if isinstance(target, tuple):
                target = number_ids[target[1]]
            rows.append({'sale': sale_ids[sale_index], 'number': target,
                    'create_uid': self.user_id,
                    'create_date': self.sales[sale_index]['create_date']})
        bulk.insert('sale_sale-sale_promotion_coupon_number', rows)
        bulk.insert('urban_loyalty_referral', [dict(r,
                    id=referral_ids[i], sale=sale_ids[r['sale']],
                    create_uid=self.user_id, create_date=r['date'])
                for i, r in enumerate(self.referrals)])
        rows = []
        for point in self.points:
            row = dict(point, create_uid=self.user_id,
                create_date=dt.datetime.combine(point['date'],
                    dt.time(20)))
            if point['origin']:
                row['origin'] = ref(*point['origin'])
                kind, index = point['origin']
                if kind == 'sale':
                    row['description'] = self.sales[index]['number']
            if point['coupon_number'] is not None:
                row['coupon_number'] = number_ids[point['coupon_number']]
            rows.append(row)
        bulk.insert('urban_loyalty_points', rows)
        bulk.insert('urban_loyalty_qr_scan', [dict(s,
                    create_uid=self.user_id) for s in self.scans])

        universes = {}
        names = {u[1][2]: u[0] for u in data.UNIVERSES}
        for category in Category.search([('universe', '=', True)]):
            universes[names.get(category.name)] = category.id
        campaigns = Campaign.create([{
                    'name': titles[2], 'title': titles[2],
                    'body': titles[2] + ": see what is new in the app.",
                    'topic': topic, 'universe': universes.get(universe),
                    'scheduled_at': sent_at, 'state': 'done',
                    } for sent_at, topic, universe, titles
                in self.campaigns])
        self._translate_campaigns(campaigns)
        bulk.insert('urban_loyalty_campaign_recipient', [dict(r,
                    campaign=campaigns[r['campaign']].id,
                    create_uid=self.user_id) for r in self.recipients])

        for table, id_ in self._models:
            bulk.delete(table, [id_])
        self.timings['inserts'] = time.monotonic() - self._write_started
        started = time.monotonic()
        self.invoice_pro_orders(sale_ids)
        self.timings['invoices'] = time.monotonic() - started
        started = time.monotonic()
        if self.bulk.postgresql:
            # the planner's statistics of the tables that grew
            for table in sorted(bulk.counts):
                if not table.startswith('account_invoice'):
                    bulk.cursor.execute('ANALYZE "%s"' % table)
        pool.get('urban.analytics.order.fact').rebuild()
        # what the year's buyers bought together (the daily cron's job)
        pool.get('urban.analytics.recommendation').rebuild()
        self.timings['facts'] = time.monotonic() - started

    def invoice_pro_orders(self, sale_ids):
        """The pro orders' invoices, posted on the day of the order (in the
        previous fiscal year too); those of orders a month old are paid
        and their orders done, the others wait for payment"""
        from trytond.transaction import Transaction
        pool = self.pool
        Sale = pool.get('sale.sale')
        Invoice = pool.get('account.invoice')
        MoveLine = pool.get('account.move.line')
        self.fiscal_years()
        method = self.payment_method()
        indexes = [i for i, s in enumerate(self.sales)
            if s['invoice_method'] == 'order'
            and s['state'] in {'processing', 'done'}]
        indexes.sort(key=lambda i: (self.sales[i]['sale_date'], i))
        sales = Sale.browse([sale_ids[i] for i in indexes])
        invoices = []
        for sale in sales:
            invoice = sale.create_invoice()
            invoice.invoice_date = sale.sale_date
            invoices.append(invoice)
        Invoice.save(invoices)
        # numbered in the order of their dates; not sent through Peppol
        # (the demo has no access point): its warning is skipped
        started = time.monotonic()
        with Transaction().set_context(_skip_warnings=True):
            Invoice.post(invoices)
        self.timings['post invoices'] = time.monotonic() - started
        started = time.monotonic()
        paid, waiting = [], []
        for sale, invoice in zip(sales, Invoice.browse(invoices)):
            due = sale.sale_date + dt.timedelta(days=self.rng.randint(
                    12, 34))
            if due <= self.today - dt.timedelta(days=2):
                lines = invoice.pay_invoice(invoice.total_amount, method,
                    due)
                MoveLine.reconcile(list(invoice.lines_to_pay) + lines)
                paid.append(sale)
            else:
                waiting.append(sale)
        Invoice.process(invoices)
        self.timings['pay invoices'] = time.monotonic() - started
        # the sales' states as processing them would leave them (in SQL:
        # the facts are rebuilt after)
        table = Sale.__table__()
        cursor = self.bulk.cursor
        for sales, state, invoice_state in [(paid, 'done', 'paid'),
                (waiting, 'processing', 'pending')]:
            for chunk in range(0, len(sales), 500):
                cursor.execute(*table.update(
                        [table.state, table.invoice_state, table.to_invoice],
                        [state, invoice_state, False],
                        where=table.id.in_(
                            [s.id for s in sales[chunk:chunk + 500]])))
        self.bulk.counts['account_invoice'] = len(invoices)
        self.bulk.counts['account_invoice paid'] = len(paid)

    def fiscal_years(self):
        "The fiscal year before the demo's, when the history starts in it"
        pool = self.pool
        FiscalYear = pool.get('account.fiscalyear')
        Strict = pool.get('ir.sequence.strict')
        years = FiscalYear.search([('company', '=', self.company_id)],
            order=[('start_date', 'ASC')])
        first = years[0]
        if first.start_date <= self.start:
            return
        start = first.start_date.replace(year=first.start_date.year - 1)
        end = first.start_date - dt.timedelta(days=1)
        label = str(start.year)
        post, = Strict.copy([first.move_sequence], default={
                'name': "%s %s" % (first.move_sequence.name, label),
                'number_next_internal': 1})
        copies = {}
        invoice_sequences = []
        for sequences in first.invoice_sequences:
            values = {'company': self.company_id}
            for name in ['out_invoice_sequence', 'out_credit_note_sequence',
                    'in_invoice_sequence', 'in_credit_note_sequence']:
                sequence = getattr(sequences, name)
                if sequence.id not in copies:
                    copies[sequence.id], = Strict.copy([sequence], default={
                            'name': "%s %s" % (sequence.name, label),
                            'prefix': '%s/' % label,
                            'number_next_internal': 1})
                values[name] = copies[sequence.id].id
            invoice_sequences.append(values)
        year, = FiscalYear.create([{
                    'name': label, 'company': self.company_id,
                    'start_date': start, 'end_date': end,
                    'move_sequence': post.id,
                    'invoice_sequences': [('create', invoice_sequences)],
                    }])
        FiscalYear.create_period([year])

    def payment_method(self):
        "How the pros pay their invoices: a transfer to the bank"
        pool = self.pool
        Method = pool.get('account.invoice.payment.method')
        Journal = pool.get('account.journal')
        Account = pool.get('account.account')
        journal, = Journal.search([('type', '=', 'cash')], limit=1)
        # a bank account of the Belgian chart (55...)
        bank, = Account.search([('code', 'like', '55%'),
                ('closed', '!=', True), ('type', '!=', None),
                ('company', '=', self.company_id)],
            order=[('code', 'ASC')], limit=1)
        method, = Method.create([{'name': "Bank transfer",
                    'company': self.company_id, 'journal': journal.id,
                    'debit_account': bank.id, 'credit_account': bank.id}])
        return method

    def _translate_campaigns(self, campaigns):
        from trytond.transaction import Transaction
        Campaign = self.pool.get('urban.loyalty.campaign')
        for lang, index in (('fr', 0), ('nl', 1)):
            with Transaction().set_context(language=lang):
                for record, (_, _, _, titles) in zip(
                        Campaign.browse(campaigns), self.campaigns):
                    Campaign.write([record], {'title': titles[index],
                            'body': titles[index] + (
                                " : à découvrir dans l'app." if lang == 'fr'
                                else ": ontdek het in de app.")})


class Location_stub:
    "Just the id of a warehouse"
    __slots__ = ('id',)

    def __init__(self, id_):
        self.id = id_


def _channel(sale):
    if sale['api_mode']:
        return 'app'
    if sale['web_shop']:
        return 'web'
    return 'pro'


def _create(Model, vlist, size=50):
    """Model.create in batches: the validation of unique constraints
    nests one OR per record in its query"""
    records = []
    for start in range(0, len(vlist), size):
        records.extend(Model.create(vlist[start:start + size]))
    return records


def _poisson(rng, mean):
    "A Poisson draw (Knuth's method; means here stay small)"
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, int(rng.gauss(mean, mean ** 0.5) + 0.5))
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _ascii(text):
    import unicodedata
    return ''.join(ch for ch in unicodedata.normalize('NFKD', text)
        if ord(ch) < 128).replace(' ', '').lower()
