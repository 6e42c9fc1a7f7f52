# SEO slugs per language for products and universes.
import re
import unicodedata

from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

SLUG_MAX = 96
SLUG_FORMAT = re.compile(r'^[a-z0-9]+(?:-[a-z0-9]+)*$')
# Letters that NFKD does not decompose into a base letter plus accents
_LIGATURES = str.maketrans({
        'œ': 'oe', 'Œ': 'OE', 'æ': 'ae', 'Æ': 'AE', 'ß': 'ss', 'ø': 'o',
        'Ø': 'O', 'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D'})


def slugify(value):
    """ASCII, lowercase, hyphen separated:
    'Bol Céramique n°2' → 'bol-ceramique-n-2'"""
    value = unicodedata.normalize('NFKD', (value or '').translate(_LIGATURES))
    value = value.encode('ascii', 'ignore').decode('ascii').lower()
    value = re.sub(r'[^a-z0-9]+', '-', value).strip('-')
    return value[:SLUG_MAX].rstrip('-')


class SlugMixin:
    """A translated slug, unique per language among the records of the model,
    filled from the name of the record in each language when left empty."""
    __slots__ = ()
    slug = fields.Char("Slug", translate=True, size=SLUG_MAX,
        help="The part of the web address that names this record, "
        "per language; filled from the name when left empty.")

    @classmethod
    def _default_language(cls):
        return Pool().get('ir.configuration').get_language()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create':
            # A record created in any language keeps its name in the column:
            # its slug goes there too, so that every language has one.
            with Transaction().set_context(
                    language=cls._default_language()):
                cls.fill_slugs(
                    [r for r in cls.browse(records) if not r.slug])
        elif (mode == 'write' and 'name' in field_names
                and 'slug' not in field_names):
            cls.fill_slugs(cls._records_without_own_slug(records))

    @classmethod
    def _records_without_own_slug(cls, records):
        "Records that have no slug of their own in the context language"
        pool = Pool()
        Translation = pool.get('ir.translation')
        language = Transaction().language
        if language == cls._default_language():
            return [r for r in cls.browse(records) if not r.slug]
        translated = {t.res_id for t in Translation.search([
                    ('type', '=', 'model'),
                    ('name', '=', '%s,slug' % cls.__name__),
                    ('lang', '=', language),
                    ('res_id', 'in', [r.id for r in records]),
                    ('fuzzy', '=', False),
                    ('value', '!=', None),
                    ('value', '!=', ''),
                    ])}
        return [r for r in records if r.id not in translated]

    @classmethod
    def fill_slugs(cls, records):
        """Give each record a free slug made from its name in the context
        language"""
        taken, to_write = set(), []
        for record in records:
            base = slugify(record.name) or str(record.id)
            slug = cls.free_slug(base, exclude=[record.id], taken=taken)
            taken.add(slug)
            to_write.extend(([record], {'slug': slug}))
        if to_write:
            cls.write(*to_write)

    @classmethod
    def free_slug(cls, base, exclude=(), taken=()):
        "base, or base-2, base-3, ... the first one not used in this language"
        with Transaction().set_context(active_test=False):
            used = {r.slug for r in cls.search([
                        ('slug', 'like', base + '%'),
                        ('id', 'not in', list(exclude)),
                        ])}
        used |= set(taken)
        slug, n = base, 1
        while slug in used:
            n += 1
            suffix = '-%s' % n
            slug = base[:SLUG_MAX - len(suffix)].rstrip('-') + suffix
        return slug

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names is None or 'slug' in field_names:
            cls.check_slugs(records)

    @classmethod
    def check_slugs(cls, records):
        pool = Pool()
        Lang = pool.get('ir.lang')
        language = Transaction().language
        records = [r for r in records if r.slug]
        for record in records:
            if not SLUG_FORMAT.match(record.slug):
                raise ValidationError(gettext(
                        'urban_catalog.msg_slug_invalid',
                        slug=record.slug, record=record.rec_name))
        if not records:
            return
        with Transaction().set_context(active_test=False):
            owners = {}
            for other in cls.search(
                    [('slug', 'in', list({r.slug for r in records}))]):
                owners.setdefault(other.slug, set()).add(other.id)
        for record in records:
            others = owners.get(record.slug, set()) - {record.id}
            if others:
                other = cls(min(others))
                lang = Lang.get(language)
                raise ValidationError(gettext(
                        'urban_catalog.msg_slug_unique',
                        slug=record.slug, record=record.rec_name,
                        other=other.rec_name, language=lang.name))

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('slug', None)
        return super().copy(records, default=default)


class Template(SlugMixin, metaclass=PoolMeta):
    __name__ = 'product.template'


class Category(SlugMixin, metaclass=PoolMeta):
    __name__ = 'product.category'
