"""Who reads what in the back office, on the demo business and its demo
users (urbantherapy/demo): secrets never leave their owner, shop staff see
their own shop only, everywhere, and may ask another shop for goods but
never reserve or take them.

Calls go through sao's JSON-RPC (test_demo_backoffice.BackOffice) or run in
a transaction with the access checks an RPC call runs with."""
import contextlib
import datetime as dt
import re
import unittest
import uuid
from decimal import Decimal

from trytond.model import ModelStorage, ModelView
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.demo import data
from urbantherapy.testing import activate_demo

from . import test_demo_backoffice

# A field whose name says it holds a secret...
SECRET_NAME = re.compile(
    r'(^|_)(token|secret|hash|key|password|passwd)s?(_|$)')
# ...and those which hold none, each with the reason
NOT_SECRETS = {
    # a Function field whose getter returns a fixed mask; a user sets their
    # own through the preferences, else only an administrator can write a
    # back-office user (res.user write access)
    ('res.user', 'password'),
    }
# Back-office users who must not read any secret: shop staff, the B2B
# manager and the manager (root and the administrator keep them)
NOT_OWNERS = ['staff.gnt', 'b2b', 'manager']
ADMIN_PASSWORD = 'urban-admin'
# A valid IBAN that is not the company's (Belfius)
OTHER_IBAN = 'BE71 0961 2345 6769'
# Tryton's access error, in the user's language (ir/message.xml)
ACCESS_DENIED = re.compile(
    'not allowed to access|pas autorisé à accéder|hebt geen toegang tot')


def login_id(login):
    User = Pool().get('res.user')
    user, = User.search([('login', '=', login)])
    return user.id


@contextlib.contextmanager
def as_user(login, **context):
    """A transaction of login with the access checks of an RPC call (its
    preferences as context, rules, model and field access)"""
    with Transaction().start(DB_NAME, 0):
        user_id = login_id(login)
    with Transaction().start(DB_NAME, user_id) as transaction:
        User = Pool().get('res.user')
        preferences = User.get_preferences(context_only=True)
        with transaction.set_context(preferences,
                **{'_check_access': True, **context}):
            yield transaction


def secret_fields():
    """(model, field) of every registered model and every field known to
    ir.model.field whose name says it holds a secret"""
    pool = Pool()
    IrField = pool.get('ir.model.field')
    found = set()
    for name, Model in pool.iterobject():
        if issubclass(Model, ModelStorage):
            found.update((name, f) for f in Model._fields
                if SECRET_NAME.search(f))
    for field in IrField.search([]):
        if SECRET_NAME.search(field.name):
            found.add((field.model, field.name))
    return sorted(found - NOT_SECRETS)


class SecurityTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        activate_demo()
        cls.secrets = {}
        with Transaction().start(DB_NAME, 0) as transaction:
            cls._create_business()
            transaction.commit()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    @classmethod
    def _create_business(cls):
        """In Bruxelles and Gent: a processed and invoiced sale, its points,
        a QR code scan, a review nudge, a till sale, an inventory; a web
        user in the middle of a password reset; a till account with its
        credentials"""
        pool = Pool()
        Company = pool.get('company.company')
        Location = pool.get('stock.location')
        Party = pool.get('party.party')
        Product = pool.get('product.product')
        Sale = pool.get('sale.sale')
        Points = pool.get('urban.loyalty.points')
        Scan = pool.get('urban.loyalty.qr_scan')
        Nudge = pool.get('urban.loyalty.review_nudge')
        PosAccount = pool.get('urban.pos.account')
        PosSale = pool.get('urban.pos.sale')
        Inventory = pool.get('stock.inventory')
        WebUser = pool.get('web.user')
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        Reservation = pool.get('urban.stock.reservation')
        Referral = pool.get('urban.loyalty.referral')
        Reminder = pool.get('urban.loyalty.cart_reminder')
        Campaign = pool.get('urban.loyalty.campaign')
        Recipient = pool.get('urban.loyalty.campaign.recipient')

        admin, = User.search([('login', '=', 'admin')])
        admin.password = ADMIN_PASSWORD
        admin.save()

        company, = Company.search([])
        cls.company = company.id
        transaction = Transaction()
        cls.shops = {}
        with transaction.set_context(company=company.id):
            today = Date.today()
            party, = Party.search([('addresses', '!=', None),
                    ('b2b_state', '=', None)], limit=1)
            referred = [r.friend.id for r in Referral.search([])]
            friends = Party.search([
                    ('id', 'not in', referred + [party.id])], limit=2)
            account, = PosAccount.create([{'name': "Tills",
                        'company': company.id, 'connector': 'native',
                        'access_token': 'till-token-%s' % uuid.uuid4().hex,
                        'webhook_secret': 'whsec-%s' % uuid.uuid4().hex,
                        'match_by': 'sku'}])
            for code in ['BXL', 'GNT']:
                shop, = Location.search([('shop_code', '=', code)])
                cls.shops[code] = shop.id
                with transaction.set_context(locations=[shop.id],
                        with_childs=True):
                    product, = Product.search([('salable', '=', True),
                            ('type', '=', 'goods'), ('quantity', '>', 5)],
                        limit=1, order=[('id', 'ASC')])
                sale, = Sale.create([{'company': company.id,
                            'currency': company.currency.id,
                            'party': party.id, 'warehouse': shop.id,
                            'invoice_address': party.addresses[0].id,
                            'shipment_address': party.addresses[0].id,
                            'invoice_method': 'order',
                            'lines': [('create', [{'product': product.id,
                                            'quantity': 2,
                                            'unit_price': Decimal('12.5'),
                                            'unit': product.default_uom.id,
                                            }])]}])
                Sale.quote([sale])
                Sale.confirm([sale])
                Sale.process([sale])
                Points.create([{'party': party.id, 'kind': 'earn',
                            'points': 25, 'origin': str(sale),
                            'amount': Decimal('25')}])
                Scan.create([{'shop': shop.id, 'channel': 'app'}])
                Nudge.create([{'party': party.id, 'shop': shop.id,
                            'purchase_date': today, 'origin': str(sale),
                            'channel': 'email',
                            'sent_at': dt.datetime.now()}])
                PosSale.create([{'account': account.id, 'shop': shop.id,
                            'external_id': 'till-%s' % code,
                            'state': 'booked', 'currency': company.currency.id,
                            'date': dt.datetime.now(), 'party': party.id,
                            'total_amount': Decimal('10'),
                            'lines': [('create', [{
                                            'product': product.id,
                                            'quantity': 1,
                                            'unit_price': Decimal('8.26'),
                                            'total_amount': Decimal('10'),
                                            }])]}])
                Inventory.create([{'location': shop.storage_location.id,
                            'company': company.id}])
                Reservation.create([{'product': product.id,
                            'warehouse': shop.id, 'quantity': 1,
                            'kind': 'manual'}])
                Referral.create([{'referrer': party.id,
                            'friend': friends.pop().id, 'sale': sale.id,
                            'state': 'rewarded', 'points': 10}])
                Reminder.create([{'sale': sale.id, 'party': party.id,
                            'sent_at': dt.datetime.now(),
                            'channel': 'push'}])
                campaign, = Campaign.create([{'name': "News %s" % code,
                            'title': "New in %s" % code, 'body': "Come",
                            'favourite_shop': shop.id,
                            'scheduled_at': dt.datetime.now()}])
                Recipient.create([{'campaign': campaign.id,
                            'party': party.id, 'state': 'sent',
                            'sent_at': dt.datetime.now()}])
            # a campaign to every customer: the manager's, not a shop's
            everyone, = Campaign.create([{'name': "News", 'title': "New",
                        'body': "Come", 'scheduled_at': dt.datetime.now()}])
            Recipient.create([{'campaign': everyone.id, 'party': party.id,
                        'state': 'sent', 'sent_at': dt.datetime.now()}])
            cls.party = party.id
            user, = WebUser.search([('party.b2b_state', '=', 'approved')],
                limit=1)
            user.set_reset_password_token()
            user.save()
            cls.secrets['reset_password_token'] = user.reset_password_token
            cls.secrets['web_user'] = user.id
            cls.secrets['email'] = user.email

    # -- secrets -----------------------------------------------------------
    def test_web_user_secrets_over_rpc(self):
        """The probe of issue 16: no back-office user but the administrator
        reads a buyer's reset token or password hash, nor guesses it with a
        search"""
        token = self.secrets['reset_password_token']
        secrets = ['reset_password_token', 'password_hash', 'email_token']
        for login in ['staff.gnt', 'b2b', 'manager']:
            office = test_demo_backoffice.BackOffice(
                login, data.DEMO_PASSWORD)
            with self.subTest(login=login):
                for domain in [
                        [('email', '=', self.secrets['email'])],
                        [('reset_password_token', '=', token)]]:
                    with self.assertRaises(AssertionError) as cm:
                        office.search_read('web.user', domain, secrets)
                    self.assertRegex(str(cm.exception), ACCESS_DENIED)
                # nor through a party or a sale: a dotted path or a 'where'
                # (One2Many and Many2One)
                for model, domain in [
                        ('party.party', [('b2b_buyers.reset_password_token',
                                    '=', token)]),
                        ('party.party', [('b2b_buyers', 'where',
                                    [('reset_password_token', '=', token)])]),
                        ('sale.sale', [('api_user', 'where',
                                    [('reset_password_token', '=', token)])]),
                        ('sale.sale', [('api_user', 'where', [('party',
                                    'where', [('b2b_buyers', 'where',
                                            [('email_token', '=',
                                                    token)])])])]),
                        ]:
                    with self.assertRaises(AssertionError,
                            msg=str(domain)) as cm:
                        office.search_read(model, domain, ['id'])
                    self.assertRegex(str(cm.exception), ACCESS_DENIED)
                # the web user itself stays readable without its secrets
                users = office.search_read('web.user',
                    [('email', '=', self.secrets['email'])], ['email'])
                self.assertEqual([u['email'] for u in users],
                    [self.secrets['email']])
        admin = test_demo_backoffice.BackOffice('admin', ADMIN_PASSWORD)
        users = admin.search_read('web.user',
            [('reset_password_token', '=', token)], secrets)
        self.assertEqual([u['id'] for u in users], [self.secrets['web_user']])
        self.assertEqual(users[0]['reset_password_token'], token)

    def test_no_secret_leaves_its_owner(self):
        """Every field of every model whose name says it holds a secret is
        neither read, searched nor sorted on by shop staff, the B2B manager
        or the manager; the administrator may"""
        with Transaction().start(DB_NAME, 0):
            secrets = secret_fields()
            some = {}
            for model, _ in secrets:
                Model = Pool().get(model)
                some[model] = [r.id for r in Model.search([], limit=1)]
        self.assertIn(('web.user', 'reset_password_token'), secrets)
        self.assertGreater(len(secrets), 20)
        for login in NOT_OWNERS:
            with as_user(login):
                pool = Pool()
                for model, field in secrets:
                    Model = pool.get(model)
                    with self.subTest(login=login, model=model, field=field):
                        with self.assertRaises(AccessError):
                            Model.read(some[model], [field])
                        with self.assertRaises(AccessError):
                            Model.search([(field, '!=', None)])
                        with self.assertRaises(AccessError):
                            Model.search([], order=[(field, 'ASC')])
        with as_user('admin'):
            FieldAccess = Pool().get('ir.model.field.access')
            for model, field in secrets:
                with self.subTest(login='admin', model=model, field=field):
                    self.assertTrue(FieldAccess.check(
                            model, [field], raise_exception=False))

    def test_api_read_models_not_in_back_office(self):
        """The API's read models (stored product documents, the catalogue
        listing) are written by the catalogue's edits only: no back-office
        user reads or writes them"""
        for login in NOT_OWNERS + ['admin']:
            with as_user(login):
                ModelAccess = Pool().get('ir.model.access')
                for model in ['urban.api.product.document',
                        'urban.api.product.listing']:
                    for mode in ['read', 'write', 'create', 'delete']:
                        with self.subTest(login=login, model=model,
                                mode=mode):
                            self.assertFalse(ModelAccess.check(model, mode,
                                    raise_exception=False))

    def test_views_open_without_secrets(self):
        """The forms and lists of the models holding secrets still open for
        whoever may read those models, without the secret fields, and a
        whole record reads without them (they load lazily)"""
        with Transaction().start(DB_NAME, 0):
            secrets = secret_fields()
            models = sorted({m for m, _ in secrets
                    if issubclass(Pool().get(m), ModelView)})
            some = {m: [r.id for r in Pool().get(m).search([], limit=1)]
                for m in models}
        for login in NOT_OWNERS:
            with as_user(login):
                pool = Pool()
                ModelAccess = pool.get('ir.model.access')
                for model in models:
                    if not ModelAccess.check(model, 'read',
                            raise_exception=False):
                        continue
                    Model = pool.get(model)
                    for view_type in ['form', 'tree']:
                        with self.subTest(
                                login=login, model=model, view=view_type):
                            view = Model.fields_view_get(view_type=view_type)
                            self.assertFalse({f for m, f in secrets
                                    if m == model} & view['fields'].keys())
                            Model.read(some[model], list(view['fields']))
                    with self.subTest(login=login, model=model, view='all'):
                        # a whole record, as proteus reads it
                        Model.read(some[model], [n for n, f in
                                Model._fields.items() if f.loading == 'eager'])

    # -- shop staff --------------------------------------------------------
    def _shop_of(self, model):
        "record -> shop id, for the models staff see per shop"
        def shop_of_sale(sale):
            return sale.warehouse.id if sale else None
        return {
            'sale.sale': lambda r: r.warehouse.id,
            'sale.line': lambda r: r.sale.warehouse.id,
            'account.invoice': lambda r: shop_of_sale(r.sales[0]),
            'account.invoice.line': lambda r: shop_of_sale(
                r.invoice.sales[0]),
            # a purchase's points are its shop's; rewards and referrals
            # (no purchase) are no shop's: staff must not see them
            'urban.loyalty.points': lambda r: (
                r.origin.warehouse.id if r.origin
                and r.origin.__name__ == 'sale.sale'
                else r.origin.shop.id if r.origin
                and r.origin.__name__ == 'urban.pos.sale' else None),
            'urban.loyalty.qr_scan': lambda r: r.shop.id,
            'urban.loyalty.review_nudge': lambda r: r.shop.id,
            'urban.pos.sale': lambda r: r.shop.id,
            'urban.pos.sale.line': lambda r: r.sale.shop.id,
            'stock.inventory': lambda r: r.location.warehouse.id,
            'urban.analytics.order': lambda r: r.shop.id,
            'urban.analytics.sales': lambda r: r.shop.id,
            'urban.analytics.top_product': lambda r: r.shop.id,
            'urban.analytics.stock_rotation': lambda r: r.shop.id,
            'urban.analytics.app_activation': lambda r: r.shop.id,
            'urban.analytics.problem': lambda r: r.shop and r.shop.id,
            'urban.service.conversation': lambda r: r.shop.id,
            'urban.service.message': lambda r: r.conversation.shop.id,
            'urban.stock.reservation': lambda r: r.warehouse.id,
            'urban.loyalty.referral': lambda r: shop_of_sale(r.sale),
            'urban.loyalty.cart_reminder': lambda r: shop_of_sale(r.sale),
            'urban.loyalty.campaign': lambda r: (r.favourite_shop
                and r.favourite_shop.id),
            'urban.loyalty.campaign.recipient': lambda r: (
                r.campaign.favourite_shop
                and r.campaign.favourite_shop.id),
            }[model]

    def test_staff_see_their_shop_only(self):
        """Gent's staff see Gent's sales, invoices, points, scans, nudges,
        till sales, inventories, figures and customer conversations, none
        of Bruxelles' (which the administrator sees)"""
        context = {'from_date': dt.date.today() - dt.timedelta(days=31),
            'to_date': dt.date.today(), 'company': self.company}
        models = ['sale.sale', 'sale.line', 'account.invoice',
            'account.invoice.line', 'urban.loyalty.points',
            'urban.loyalty.qr_scan', 'urban.loyalty.review_nudge',
            'urban.pos.sale', 'urban.pos.sale.line', 'stock.inventory',
            'urban.analytics.order', 'urban.analytics.sales',
            'urban.analytics.top_product', 'urban.analytics.stock_rotation',
            'urban.analytics.app_activation', 'urban.analytics.problem',
            'urban.service.conversation', 'urban.service.message']
        self.assertShopOnly(models, context)

    def _shops_seen(self, Model, shop_of, until=None):
        """The shops of the records the user searches: all of them, or
        page by page until the shop until is among them (the
        administrator sees a year of every shop: minutes to read all)"""
        shops, offset = set(), 0
        while until not in shops:
            records = Model.search([], offset=offset,
                limit=None if until is None else 1000)
            with Transaction().set_user(0), \
                    Transaction().set_context(_check_access=False):
                shops.update(shop_of(r) for r in Model.browse(records))
            if until is None or not records:
                break
            offset += len(records)
        return shops

    def assertShopOnly(self, models, context=None):
        """Gent's staff read Gent's records of models only, and some of
        them; the administrator reads Bruxelles' too"""
        seen = {}
        for login in ['staff.gnt', 'admin']:
            with as_user(login, **(context or {})):
                pool = Pool()
                for model in models:
                    with self.subTest(login=login, model=model):
                        seen[login, model] = self._shops_seen(
                            pool.get(model), self._shop_of(model),
                            until=self.shops['BXL']
                            if login == 'admin' else None)
        for model in models:
            with self.subTest(model=model):
                self.assertLessEqual(seen['staff.gnt', model],
                    {self.shops['GNT']})
                if model != 'urban.analytics.problem':
                    self.assertIn(self.shops['GNT'], seen['staff.gnt', model])
                    self.assertIn(self.shops['BXL'], seen['admin', model])

    def test_staff_engagement_their_shop_only(self):
        """Gent's staff see Gent's stock reservations, referrals, cart
        reminders and push campaigns (with their recipients), none of
        Bruxelles' nor the campaigns to every customer; they may prepare a
        campaign for their own shop's customers only"""
        self.assertShopOnly(['urban.stock.reservation',
                'urban.loyalty.referral', 'urban.loyalty.cart_reminder',
                'urban.loyalty.campaign',
                'urban.loyalty.campaign.recipient'])
        values = {'name': "Staff news", 'title': "New", 'body': "Come",
            'scheduled_at': dt.datetime.now()}
        with as_user('staff.gnt'):
            Campaign = Pool().get('urban.loyalty.campaign')
            Campaign.create([dict(values, favourite_shop=self.shops['GNT'])])
            for shop in [self.shops['BXL'], None]:
                with self.subTest(shop=shop):
                    with self.assertRaises(AccessError):
                        Campaign.create([dict(values, favourite_shop=shop)])

    def test_staff_customer_360_their_shop_only(self):
        """The Customer 360 figures of a party read by Gent's staff count
        Gent's orders only; the administrator's count every shop"""
        names = ['order_count', 'lifetime_value', 'top_shop',
            'first_order_date', 'coupons_used']
        figures = {}
        for login in ['staff.gnt', 'admin']:
            with as_user(login, company=self.company):
                Party = Pool().get('party.party')
                figures[login], = Party.read([self.party], names)
        self.assertGreater(figures['admin']['order_count'],
            figures['staff.gnt']['order_count'])
        self.assertGreater(figures['staff.gnt']['order_count'], 0)
        self.assertEqual(figures['staff.gnt']['top_shop'], self.shops['GNT'])
        self.assertLess(figures['staff.gnt']['lifetime_value'],
            figures['admin']['lifetime_value'])

    def test_staff_no_company_figures(self):
        "The board, cohorts and RFM cover every shop: not for shop staff"
        with as_user('staff.gnt', company=self.company):
            pool = Pool()
            for model in ['urban.analytics.kpi', 'urban.analytics.cohort',
                    'urban.analytics.cohort.month', 'urban.analytics.rfm',
                    'urban.analytics.order.fact',
                    'urban.analytics.line.fact']:
                with self.subTest(model=model):
                    with self.assertRaises(AccessError):
                        pool.get(model).search([])
        with Transaction().start(DB_NAME, 0):
            get_id = Pool().get('ir.model.data').get_id
            menu = {name: get_id('urban_analytics', name) for name in [
                    'menu_analytics', 'menu_top_product', 'menu_kpi',
                    'menu_rfm']}
        office = test_demo_backoffice.BackOffice(
            'staff.gnt', data.DEMO_PASSWORD)
        menus = {m['id'] for m in office.search_read('ir.ui.menu',
                [('parent', '=', menu['menu_analytics'])], ['name'])}
        self.assertIn(menu['menu_top_product'], menus)
        self.assertNotIn(menu['menu_kpi'], menus)
        self.assertNotIn(menu['menu_rfm'], menus)

    def test_company_bank_account_not_for_shop_staff(self):
        """The company's bank account (on every invoice and in its UBL) and
        the rule that puts it there are read by shop staff, never changed:
        no accounting rights, no bank administration"""
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            company = pool.get('company.company')(self.company)
            account, = pool.get('bank.account').search([
                    ('owners', '=', company.party.id)])
            account_id = account.id
            number_id = account.numbers[0].id
            bank_id = account.bank.id
            rule, = pool.get('account.invoice.payment.mean.rule').search([
                    ('company', '=', self.company)])
            rule_id = rule.id
        for login in ['staff.gnt', 'staff.bxl']:
            with as_user(login, company=self.company):
                pool = Pool()
                Account = pool.get('bank.account')
                Number = pool.get('bank.account.number')
                Bank = pool.get('bank')
                Rule = pool.get('account.invoice.payment.mean.rule')
                # invoices print it: reading is allowed
                self.assertTrue(Account(account_id).numbers)
                for Model, id_, values in [
                        (Account, account_id, {'active': False}),
                        (Number, number_id, {
                                'number': OTHER_IBAN}),
                        (Bank, bank_id, {'bic': 'KREDBEBB'}),
                        (Rule, rule_id, {'sequence': 99}),
                        ]:
                    with self.subTest(login=login, model=Model.__name__):
                        with self.assertRaises(AccessError):
                            Model.write([Model(id_)], values)
                owner = Account(account_id).owners[0].id
                with self.subTest(login=login, model='create'):
                    with self.assertRaises(AccessError):
                        Account.create([{
                                    'owners': [('add', [owner])],
                                    'numbers': [('create', [{
                                                'type': 'iban',
                                                'number': OTHER_IBAN}])],
                                    }])

    def test_staff_ask_other_shop_but_never_take(self):
        """Gent's staff ask Bruxelles for goods (a transfer they create and
        confirm) but neither reserve nor send them; Bruxelles' staff do.
        Bruxelles' inventories are not Gent's to see, create or confirm."""
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Product = pool.get('product.product')
            Location = pool.get('stock.location')
            bxl, gnt = Location.browse([self.shops['BXL'], self.shops['GNT']])
            with Transaction().set_context(
                    locations=[bxl.storage_location.id]):
                product, = Product.search([('quantity', '>', 2)], limit=1)
            product, unit = product.id, product.default_uom.id
            storage = (bxl.storage_location.id, gnt.storage_location.id)
        with as_user('staff.gnt') as transaction:
            Shipment = Pool().get('stock.shipment.internal')
            shipment, = Shipment.create([{
                        'from_location': storage[0],
                        'to_location': storage[1],
                        'moves': [('create', [{'product': product,
                                        'quantity': 1, 'unit': unit,
                                        'from_location': storage[0],
                                        'to_location': storage[1]}])]}])
            Shipment.wait([shipment])
            shipment_id = shipment.id
            transaction.commit()
        with as_user('staff.gnt'):
            Shipment = Pool().get('stock.shipment.internal')
            with self.assertRaises(AccessError):
                Shipment.assign_try([Shipment(shipment_id)])
        # nor through the assign wizard, which runs without access checks
        with as_user('staff.gnt', _check_access=False):
            Shipment = Pool().get('stock.shipment.internal')
            with self.assertRaises(AccessError):
                Shipment.assign_try([Shipment(shipment_id)])
        with as_user('staff.bxl') as transaction:
            Shipment = Pool().get('stock.shipment.internal')
            shipment = Shipment(shipment_id)
            Shipment.assign_try([shipment])
            self.assertEqual(shipment.state, 'assigned')
            transaction.rollback()

        with as_user('staff.gnt'):
            Inventory = Pool().get('stock.inventory')
            inventories = Inventory.search([])
            self.assertTrue(inventories)
            with Transaction().set_user(0), \
                    Transaction().set_context(_check_access=False):
                self.assertEqual({i.location.warehouse.id
                        for i in Inventory.browse(inventories)},
                    {self.shops['GNT']})
            with self.assertRaises(AccessError):
                Inventory.create([{'location': storage[0],
                            'company': self.company}])
        with Transaction().start(DB_NAME, 0):
            Inventory = Pool().get('stock.inventory')
            brussels, = Inventory.search(
                [('location', '=', storage[0])], limit=1)
            brussels_id = brussels.id
        with as_user('staff.gnt'):
            Inventory = Pool().get('stock.inventory')
            with self.assertRaises(AccessError):
                Inventory.confirm([Inventory(brussels_id)])
