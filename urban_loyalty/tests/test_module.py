import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


def create_shop(name, code):
    Location = Pool().get('stock.location')
    storage, = Location.create(
        [{'name': name + " shelves", 'type': 'storage'}])
    input_, output = Location.create([
            {'name': name + " in", 'type': 'storage'},
            {'name': name + " out", 'type': 'storage'}])
    shop, = Location.create([{
                'name': name, 'type': 'warehouse', 'shop': True,
                'shop_code': code, 'storage_location': storage.id,
                'input_location': input_.id, 'output_location': output.id}])
    return shop


class UrbanLoyaltyTestCase(ModuleTestCase):
    "Test urban_loyalty module"
    module = 'urban_loyalty'

    @with_transaction()
    def test_record_scan(self):
        "A scan is recorded with its shop; an unknown code records nothing"
        Scan = Pool().get('urban.loyalty.qr_scan')
        ghent = create_shop("Gent", 'GNT')
        scan = Scan.record('gnt', language='nl')
        self.assertEqual(scan.shop, ghent)
        self.assertEqual(scan.language, 'nl')
        self.assertEqual(scan.channel, 'web')
        self.assertTrue(scan.scanned_at)
        for code in ['XXX', '', None, 'G' * 40]:
            with self.assertRaises(UserError):
                Scan.record(code)
        self.assertEqual(Scan.search([], count=True), 1)

    @with_transaction()
    def test_first_order_code(self):
        "A shop offers its coupon number while the number is valid"
        pool = Pool()
        Promotion = pool.get('sale.promotion')
        Coupon = pool.get('sale.promotion.coupon')
        company = create_company()
        with set_company(company):
            shop = create_shop("Namur", 'NAM')
            self.assertIsNone(shop.get_first_order_number())
            promotion, = Promotion.create([{
                        'name': "First order", 'company': company.id,
                        'formula': 'unit_price * 0.9'}])
            coupon, = Coupon.create([{
                        'promotion': promotion.id, 'company': company.id,
                        'number_of_use': 1, 'per_party': True,
                        'numbers': [('create', [{
                                        'number': 'WELCOME-NAM',
                                        'company': company.id,
                                        'end_date': dt.date(2030, 1, 1)}])],
                        }])
            number, = coupon.numbers
            shop.first_order_code = number
            shop.save()
            self.assertEqual(shop.get_first_order_number(
                    dt.date(2029, 6, 1)), 'WELCOME-NAM')
            self.assertIsNone(shop.get_first_order_number(
                    dt.date(2030, 6, 1)))

    @with_transaction()
    def test_newsletter_consent(self):
        "Explicit consent is stored on the party owning the address"
        pool = Pool()
        Consent = pool.get('urban.loyalty.newsletter_consent')
        Party = pool.get('party.party')
        anna, = Party.create([{'name': "Anna", 'contact_mechanisms': [
                        ('create', [{'type': 'email',
                                    'value': 'anna@example.com'}])]}])
        consent = Consent.subscribe(' Anna@Example.com ', True,
            "I agree to receive the newsletter.", language='fr')
        self.assertEqual(consent.party, anna)
        self.assertEqual(consent.email, 'anna@example.com')
        self.assertEqual(consent.channel, 'web')
        self.assertTrue(Party(anna.id).newsletter_subscribed)
        self.assertEqual(Consent.subscribe('anna@example.com', True, "x"),
            consent)

        new = Consent.subscribe('new@example.be', True, "Yes", language='nl')
        self.assertEqual(new.party.lang.code, 'nl')
        self.assertEqual(new.party.contact_mechanisms[0].value,
            'new@example.be')

        Consent.withdraw([consent])
        self.assertFalse(Party(anna.id).newsletter_subscribed)
        self.assertTrue(Consent(consent.id).withdrawn_at)

        count = Consent.search([], count=True)
        for email, agreed in [('not-an-email', True), ('', True),
                ('b@example.com', False), ('c@example.com', None)]:
            with self.assertRaises(UserError):
                Consent.subscribe(email, agreed, "Yes")
        self.assertEqual(Consent.search([], count=True), count)

    @with_transaction()
    def test_qr_print_formats(self):
        "Each format at 300 dpi as PNG, several shops in one PDF or a ZIP"
        import io
        import zipfile

        from PIL import Image

        from urban_loyalty.qr_print import FORMATS, shop_codes_file, shop_url
        ghent = create_shop("Gent", 'GNT')
        namur = create_shop("Namur", 'NAM')
        self.assertTrue(shop_url(ghent).endswith('/app?shop=GNT'))
        for format_, (width, height, _, _) in FORMATS.items():
            data, name = shop_codes_file([ghent], format_, 'png')
            self.assertEqual(name, 'qr-%s-GNT.png'
                % format_.replace('_', '-'))
            image = Image.open(io.BytesIO(data))
            self.assertEqual(image.size, (round(width / 25.4 * 300),
                    round(height / 25.4 * 300)))
            # black QR modules on white paper
            colours = dict((c, n) for n, c in image.getcolors())
            self.assertGreater(colours[0], 10000)
            self.assertGreater(colours[255], colours[0])
        data, name = shop_codes_file([ghent, namur], 'sticker', 'pdf')
        self.assertTrue(data.startswith(b'%PDF'))
        self.assertEqual(data.count(b'/Type /Page\n'), 2)
        self.assertEqual(name, 'qr-sticker-shops.pdf')
        data, name = shop_codes_file([ghent, namur], 'fridge_magnet', 'png')
        self.assertEqual(sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()),
            ['qr-fridge-magnet-GNT.png', 'qr-fridge-magnet-NAM.png'])

    @with_transaction()
    def test_points_earn_once(self):
        "Points round down, once per purchase"
        pool = Pool()
        Points = pool.get('urban.loyalty.points')
        Party = pool.get('party.party')
        Config = pool.get('urban.loyalty.configuration')
        config = Config(1)
        config.points_per_euro = Decimal('1.5')
        config.save()
        anna, = Party.create([{'name': "Anna"}])
        origin, = Party.create([{'name': "stands for a purchase"}])
        self.assertEqual(Points.points_for(Decimal('19.99')), 29)
        line = Points.earn(anna, Decimal('19.99'), 'sale.sale,1')
        self.assertEqual(line.points, 29)
        self.assertIsNone(Points.earn(anna, Decimal('19.99'), 'sale.sale,1'))
        self.assertEqual(Party(anna.id).loyalty_points, 29)
        with self.assertRaises(UserError):
            Points.redeem(anna)     # no reward coupon configured

    @with_transaction()
    def test_referral_abuse(self):
        "Same mailbox (tags, gmail dots), own code; distinct people pass"
        pool = Pool()
        Referral = pool.get('urban.loyalty.referral')
        Party = pool.get('party.party')
        from urban_loyalty.referral import normalise_email
        self.assertEqual(normalise_email(' J.Doe+promo@GoogleMail.com'),
            'jdoe@gmail.com')
        self.assertEqual(normalise_email('a.b+x@example.be'),
            'a.b@example.be')

        def party(name, email):
            return Party.create([{'name': name, 'contact_mechanisms': [
                            ('create', [{'type': 'email',
                                        'value': email}])]}])[0]
        anna = party("Anna", 'anna.d@gmail.com')
        alias = party("A", 'annad+2@gmail.com')
        bob = party("Bob", 'bob@example.com')
        self.assertEqual(Referral.abuse(anna, anna), 'self')
        self.assertEqual(Referral.abuse(anna, alias), 'email')
        self.assertIsNone(Referral.abuse(anna, bob))


del ModuleTestCase
