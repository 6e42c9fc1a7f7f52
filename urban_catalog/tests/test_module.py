import io

import PIL.Image

from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


def picture(width, height, colour='#c8734f'):
    data = io.BytesIO()
    PIL.Image.new('RGB', (width, height), colour).save(data, format='PNG')
    return data.getvalue()


class UrbanCatalogTestCase(ModuleTestCase):
    "Test Urban Catalog module"
    module = 'urban_catalog'

    def setup_languages(self):
        Lang = Pool().get('ir.lang')
        Lang.write(Lang.search([('code', 'in', ['fr', 'nl'])]),
            {'translatable': True})

    def create_template(self, names, description=None, creator=None,
            **values):
        "names: (en, fr, nl); description: (en, fr, nl) or None"
        Template = Pool().get('product.template')
        Uom = Pool().get('product.uom')
        unit, = Uom.search([('symbol', '=', 'u')])
        values.update({'name': names[0], 'default_uom': unit.id,
                'creator': creator.id if creator else None})
        if description:
            values['description_long'] = description[0]
        template, = Template.create([values])
        for lang, i in (('fr', 1), ('nl', 2)):
            with Transaction().set_context(language=lang):
                changes = {'name': names[i]}
                if description and description[i]:
                    changes['description_long'] = description[i]
                Template.write([Template(template.id)], changes)
        return template

    def vat_category(self):
        "An account category with a 20 % VAT (and its company and chart)"
        pool = Pool()
        Tax = pool.get('account.tax')
        Category = pool.get('product.category')
        company = create_company()
        with set_company(company):
            create_chart(company, tax=True)
            tax, = Tax.search([])
            category, = Category.create([{'name': "VAT 20%",
                        'accounting': True,
                        'customer_taxes': [('add', [tax.id])]}])
        return category

    def published_catalog(self):
        "create_catalog's products with their VAT, published"
        Template = Pool().get('product.template')
        templates = self.create_catalog()
        Template.write(list(templates),
            {'account_category': self.vat_category().id})
        Template.publish(templates)
        return templates

    def create_catalog(self):
        Creator = Pool().get('urban.creator')
        self.setup_languages()
        noe, ut = Creator.create([
                {'name': "Atelier Noé", 'code': 'NOE'},
                {'name': "Urban Therapy", 'code': 'UT', 'kind': 'own_brand'},
                ])
        vase = self.create_template(
            ("Ceramic vase", "Vase en céramique", "Keramische vaas"),
            ("Stoneware vase on a linen doily.",
                "Vase en grès posé sur un napperon en lin.",
                "Vaas in steengoed op een linnen kleedje."), creator=noe)
        cushion = self.create_template(
            ("Linen cushion", "Coussin en lin lavé", "Linnen kussen"),
            ("Washed linen.", "Lin lavé.", None), creator=ut)
        bowl = self.create_template(
            ("Ceramic bowl", "Bol céramique", "Keramische kom"),
            creator=noe)
        plate = self.create_template(
            ("Plate", "Assiette", "Bord"),
            ("A plate with a ceramic glaze.", "Une assiette à l'émail "
                "céramique.", "Een bord met keramisch glazuur."),
            creator=ut)
        return vase, cushion, bowl, plate

    @with_transaction()
    def test_creator_code_unique(self):
        "Two creators cannot share a code"
        Creator = Pool().get('urban.creator')
        Creator.create([{'name': "Urban Therapy", 'code': 'UT',
                    'kind': 'own_brand'}])
        with self.assertRaises(UserError):
            Creator.create([{'name': "Other", 'code': 'UT'}])

    @with_transaction()
    def test_template_universe_must_be_universe(self):
        "A product's universe must be a category flagged as universe"
        pool = Pool()
        Category = pool.get('product.category')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        unit, = Uom.search([('symbol', '=', 'u')])
        plain, universe = Category.create([
                {'name': "Plain"},
                {'name': "Ceramics", 'universe': True},
                ])
        template, = Template.create([{
                    'name': "Mug", 'default_uom': unit.id,
                    'universe': universe.id}])
        self.assertEqual(template.universe, universe)
        with self.assertRaises(UserError):
            Template.write([template], {'universe': plain.id})

    # -- search --------------------------------------------------------------
    @with_transaction()
    def test_search_accent_insensitive_per_language(self):
        "'ceramique' finds 'céramique' in French; each language its words"
        Template = Pool().get('product.template')
        vase, cushion, bowl, plate = self.create_catalog()
        ids = Template.search_catalog('ceramique', language='fr')
        self.assertEqual(set(ids), {vase.id, bowl.id, plate.id})
        self.assertEqual(Template.search_catalog('CÉRAMIQUE', 'fr'), ids)
        # same stem: the plate's "keramisch glazuur" (description) last
        ids = Template.search_catalog('keramische', language='nl')
        self.assertEqual(set(ids[:2]), {vase.id, bowl.id})
        self.assertEqual(ids[2:], [plate.id])
        self.assertEqual(Template.search_catalog('vaas', language='nl'),
            [vase.id])
        self.assertEqual(Template.search_catalog('vase', language='en'),
            [vase.id])
        # French words are not in the Dutch texts
        self.assertEqual(Template.search_catalog('coussin', language='nl'),
            [])
        # the context language is the default
        with Transaction().set_context(language='fr'):
            self.assertEqual(Template.search_catalog('coussin'),
                [cushion.id])

    @with_transaction()
    def test_search_brand_description_all_words(self):
        "Brand and description match; every word must be found"
        Template = Pool().get('product.template')
        vase, cushion, bowl, plate = self.create_catalog()
        self.assertEqual(set(Template.search_catalog('noe', 'fr')),
            {vase.id, bowl.id})
        self.assertEqual(Template.search_catalog('noe vase', 'fr'),
            [vase.id])
        self.assertEqual(Template.search_catalog('napperon', 'fr'),
            [vase.id])
        # no Dutch description for the cushion: the English one is used
        self.assertEqual(Template.search_catalog('washed', 'nl'),
            [cushion.id])
        self.assertEqual(Template.search_catalog('lin zzzz', 'fr'), [])
        self.assertEqual(Template.search_catalog('  ', 'fr'), [])

    @with_transaction()
    def test_search_ranking(self):
        "Name before brand before description"
        Template = Pool().get('product.template')
        vase, cushion, bowl, plate = self.create_catalog()
        # name match first, description-only match (the vase's doily) last
        self.assertEqual(Template.search_catalog('lin', 'fr'),
            [cushion.id, vase.id])
        # the names first, description-only last
        ids = Template.search_catalog('ceramique', 'fr')
        self.assertEqual(set(ids[:2]), {bowl.id, vase.id})
        self.assertEqual(ids[2:], [plate.id])
        self.assertEqual(Template.search_catalog('ceramique', 'fr',
                limit=1, offset=1), ids[1:2])

    @with_transaction()
    def test_search_inactive_and_channel(self):
        "Archived products are not found; channel limits to its products"
        pool = Pool()
        Template = pool.get('product.template')
        Channel = pool.get('urban.channel')
        vase, cushion, bowl, plate = self.published_catalog()
        web, = Channel.search([('code', '=', 'web')])
        Template.write([bowl], {'channels': [('remove', [web.id])]})
        self.assertEqual(
            Template.search_catalog('ceramique', 'fr', channel='web'),
            [vase.id, plate.id])
        self.assertEqual(
            len(Template.search_catalog('ceramique', 'fr', channel='app')), 3)
        Template.write([vase], {'active': False})
        self.assertEqual(Template.search_catalog('ceramique', 'fr'),
            [bowl.id, plate.id])

    @with_transaction()
    def test_search_bad_input(self):
        "Bad paging, language, channel or text raise a UserError"
        Template = Pool().get('product.template')
        for kwargs in [
                {'limit': 0}, {'limit': 1000}, {'offset': -1},
                {'limit': '10'}, {'language': 'xx'}, {'channel': 'fax'},
                ]:
            with self.subTest(**kwargs):
                with self.assertRaises(UserError):
                    Template.search_catalog('vase', **kwargs)
        with self.assertRaises(UserError):
            Template.search_catalog('x' * 201)

    @with_transaction()
    def test_search_fuzzy_postgresql(self):
        "On PostgreSQL a misspelt word finds close names"
        from trytond import backend
        Template = Pool().get('product.template')
        if backend.name != 'postgresql':
            self.skipTest("trigram similarity needs PostgreSQL")
        vase, cushion, bowl, plate = self.create_catalog()
        self.assertIn(vase.id, Template.search_catalog('ceramiqe', 'fr'))

    @with_transaction()
    def test_search_indexes_postgresql(self):
        "unaccent, pg_trgm and the GIN trigram indexes exist"
        from trytond import backend
        if backend.name != 'postgresql':
            self.skipTest("PostgreSQL only")
        cursor = Transaction().connection.cursor()
        cursor.execute("SELECT extname FROM pg_extension")
        self.assertTrue({'unaccent', 'pg_trgm'} <= {r[0] for r in cursor})
        cursor.execute("SELECT indexname FROM pg_indexes "
            "WHERE indexname LIKE 'urban_search_%%_trgm'")
        self.assertEqual(len(list(cursor)), 4)
        cursor.execute("SELECT urban_search_norm('Céramique Œ')")
        self.assertEqual(cursor.fetchone()[0], 'ceramique oe')

    # -- slugs ---------------------------------------------------------------
    @with_transaction()
    def test_slug_per_language(self):
        "A slug is made from the name in each language, unique per language"
        Template = Pool().get('product.template')
        vase, cushion, bowl, plate = self.create_catalog()
        slugs = {}
        for lang in ['en', 'fr', 'nl']:
            with Transaction().set_context(language=lang):
                slugs[lang] = Template(vase.id).slug
        self.assertEqual(slugs, {'en': 'ceramic-vase',
                'fr': 'vase-en-ceramique', 'nl': 'keramische-vaas'})
        other = self.create_template(
            ("Ceramic vase", "Vase en céramique", "Keramische vaas"))
        with Transaction().set_context(language='fr'):
            self.assertEqual(Template(other.id).slug, 'vase-en-ceramique-2')
            # renaming keeps the slug of the page already indexed
            Template.write([Template(vase.id)], {'name': "Grand vase"})
            self.assertEqual(Template(vase.id).slug, 'vase-en-ceramique')
        # a copy gets its own slugs
        copy, = Template.copy([vase])
        self.assertEqual(copy.slug, 'ceramic-vase-3')
        with Transaction().set_context(language='nl'):
            self.assertEqual(Template(copy.id).slug, 'keramische-vaas-3')
        # found by slug in its language
        with Transaction().set_context(language='nl'):
            self.assertEqual(Template.search(
                    [('slug', '=', 'keramische-vaas')]), [vase])

    @with_transaction()
    def test_slug_errors(self):
        "A taken or malformed slug is refused and nothing is written"
        Template = Pool().get('product.template')
        vase, cushion, bowl, plate = self.create_catalog()
        with self.assertRaises(UserError) as cm:
            Template.write([cushion], {'slug': 'ceramic-vase'})
        self.assertIn('ceramic-vase', cm.exception.message)
        with Transaction().set_context(language='fr'):
            with self.assertRaises(UserError):
                Template.write([Template(cushion.id)],
                    {'slug': 'vase-en-ceramique'})
            # the same slug in another language is fine
            Template.write([Template(cushion.id)], {'slug': 'ceramic-vase'})
        for slug in ['Vase', 'vase céramique', 'vase--x', '-vase', 'a_b']:
            with self.subTest(slug=slug):
                with self.assertRaises(UserError):
                    Template.write([bowl], {'slug': slug})
        with self.assertRaises(UserError):
            Template.create([{'name': "Bad", 'slug': 'ceramic-vase',
                        'default_uom': vase.default_uom.id}])

    @with_transaction()
    def test_category_slug(self):
        "Universes get slugs too"
        Category = Pool().get('product.category')
        self.setup_languages()
        universe, = Category.create([{'name': "Home & Living",
                    'universe': True}])
        self.assertEqual(universe.slug, 'home-living')
        with Transaction().set_context(language='fr'):
            Category.write([Category(universe.id)], {'name': "Maison & Déco"})
            self.assertEqual(Category(universe.id).slug, 'maison-deco')

    # -- publication ----------------------------------------------------------
    @with_transaction()
    def test_publication(self):
        """New products are published nowhere; Publish publishes them on
        the channels included in it; published_in filters"""
        pool = Pool()
        Template = pool.get('product.template')
        Channel = pool.get('urban.channel')
        channels = Channel.search([])
        self.assertEqual({c.code for c in channels},
            {'app', 'web', 'pro', 'pos'})
        vase, cushion, bowl, plate = self.create_catalog()
        self.assertEqual(vase.channels, ())
        self.assertEqual(Template.search(Template.published_in('app')), [])
        Template.write([vase, cushion, bowl, plate],
            {'account_category': self.vat_category().id})
        Template.publish([vase, cushion, bowl, plate])
        self.assertEqual(set(Template(vase.id).channels), set(channels))
        Template.unpublish([plate])
        self.assertEqual(Template(plate.id).channels, ())
        copy, = Template.copy([vase])
        self.assertEqual(copy.channels, ())
        pos, = Channel.search([('code', '=', 'pos')])
        Channel.write([pos], {'publish_by_default': False})
        Template.publish([plate])
        self.assertEqual({c.code for c in Template(plate.id).channels},
            {'app', 'web', 'pro'})
        Template.write([plate], {'channels': [('add', [pos.id])]})
        pro, = Channel.search([('code', '=', 'pro')])
        Template.write([vase, bowl], {'channels': [('remove', [pro.id])]})
        self.assertEqual(set(Template.search(Template.published_in('pro'))),
            {cushion, plate})
        self.assertEqual(set(Template.search(Template.published_in(pro))),
            {cushion, plate})
        self.assertFalse(Template(vase.id).is_published_in('pro'))
        self.assertTrue(Template(vase.id).is_published_in('web'))
        Channel.write([pro], {'active': False})
        self.assertEqual(Template.search(Template.published_in('pro')), [])
        with self.assertRaises(UserError):
            Channel.create([{'code': 'web', 'name': "Web again"}])

    @with_transaction()
    def test_publish_needs_customer_taxes(self):
        """A product without customer taxes cannot be published (each
        refusal on its own product: a refused write is rolled back by the
        request, not within this test's transaction)"""
        pool = Pool()
        Template = pool.get('product.template')
        Category = pool.get('product.category')
        Channel = pool.get('urban.channel')
        web, = Channel.search([('code', '=', 'web')])
        vase, cushion, bowl, plate = self.create_catalog()
        with self.assertRaises(ValidationError) as context:
            Template.publish([vase])
        self.assertIn('Ceramic vase', context.exception.message)
        with self.assertRaises(ValidationError):
            Template.write([cushion], {'channels': [('add', [web.id])]})
        untaxed, = Category.create([{'name': "No VAT", 'accounting': True}])
        with self.assertRaises(ValidationError):
            Template.write([bowl], {'account_category': untaxed.id,
                    'channels': [('add', [web.id])]})
        with self.assertRaises(ValidationError):
            Template.create([{'name': "Tray",
                        'default_uom': vase.default_uom.id,
                        'channels': [('add', [web.id])]}])

        vat = self.vat_category()
        child, = Category.create([{'name': "Ceramics", 'accounting': True,
                    'parent': vat.id, 'taxes_parent': True}])
        Template.write([plate], {'account_category': child.id})
        Template.publish([plate])
        self.assertTrue(Template(plate.id).is_published_in('web'))
        # nor lose its taxes while published
        with self.assertRaises(ValidationError):
            Template.write([plate], {'account_category': None})

    # -- images --------------------------------------------------------------
    @with_transaction()
    def test_renditions(self):
        "A queued job makes thumbnail, card and zoom WebP renditions"
        pool = Pool()
        Image = pool.get('product.image')
        Queue = pool.get('ir.queue')
        vase, *_ = self.create_catalog()
        image, = Image.create([{'template': vase.id,
                    'image': picture(2000, 1000)}])
        tasks = [q for q in Queue.search([])
            if q.data.get('method') == 'make_renditions'
            and q.data.get('model') == 'product.image']
        self.assertEqual(len(tasks), 1)
        self.assertFalse(image.renditions)

        Image.make_renditions([image])
        image = Image(image.id)
        sizes = {r.kind: (r.width, r.height) for r in image.renditions}
        self.assertEqual(sizes, {'thumbnail': (160, 80), 'card': (480, 240),
                'zoom': (1200, 600)})
        for rendition in image.renditions:
            self.assertEqual(rendition.format, 'webp')
            img = PIL.Image.open(io.BytesIO(rendition.data))
            self.assertEqual(img.format, 'WEBP')
            self.assertEqual(img.size, (rendition.width, rendition.height))
        ids = {r.id for r in image.renditions}
        Image.make_renditions([image])  # up to date: nothing remade
        self.assertEqual({r.id for r in Image(image.id).renditions}, ids)

        # a new picture queues the job again and the renditions are remade
        Image.write([image], {'image': picture(300, 600, '#9caf88')})
        Image.make_renditions([image])
        image = Image(image.id)
        sizes = {r.kind: (r.width, r.height) for r in image.renditions}
        # never enlarged
        self.assertEqual(sizes, {'thumbnail': (80, 160), 'card': (240, 480),
                'zoom': (300, 600)})
        self.assertEqual(
            PIL.Image.open(io.BytesIO(image.get_rendition('card'))).size,
            (240, 480))
        with self.assertRaises(ValueError):
            image.get_rendition('poster')
        # the job skips images deleted in the meantime
        Image.delete([image])
        Image.make_renditions([image])

    @with_transaction()
    def test_universe_image(self):
        "A universe shows the first of its category images"
        pool = Pool()
        Category = pool.get('product.category')
        CategoryImage = pool.get('product.category.image')
        universe, = Category.create([{'name': "Textiles", 'universe': True}])
        self.assertIsNone(universe.universe_image)
        first, second = CategoryImage.create([
                {'category': universe.id, 'image': picture(64, 64),
                    'sequence': 1},
                {'category': universe.id, 'image': picture(32, 32),
                    'sequence': 2}])
        self.assertEqual(Category(universe.id).universe_image, first)


del ModuleTestCase
