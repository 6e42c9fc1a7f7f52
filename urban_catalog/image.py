# WebP renditions of product pictures, made by Pillow in a queued job.
import hashlib
import io

import PIL.Image
import PIL.ImageOps

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta

# kind: longest side in pixels (never enlarged)
RENDITIONS = {
    'thumbnail': 160,
    'card': 480,
    'zoom': 1200,
    }
WEBP_QUALITY = 82


def digest(data):
    return hashlib.sha256(data).hexdigest()


def make_webp(data, size):
    "(webp bytes, width, height) of data fitted in a size × size box"
    img = PIL.Image.open(io.BytesIO(data))
    img = PIL.ImageOps.exif_transpose(img)
    if img.mode not in {'RGB', 'RGBA'}:
        img = img.convert('RGBA' if 'A' in img.getbands() else 'RGB')
    img.thumbnail((size, size), PIL.Image.Resampling.LANCZOS)
    output = io.BytesIO()
    img.save(output, format='WEBP', quality=WEBP_QUALITY, method=4)
    return output.getvalue(), img.width, img.height


class Rendition(ModelSQL, ModelView):
    "Product image rendition"
    __name__ = 'urban.product.image.rendition'

    image = fields.Many2One('product.image', "Image", required=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('thumbnail', "Thumbnail"),
            ('card', "Card"),
            ('zoom', "Zoom"),
            ], "Kind", required=True, sort=False)
    width = fields.Integer("Width", required=True)
    height = fields.Integer("Height", required=True)
    format = fields.Char("Format", required=True)
    data = fields.Binary("Data", required=True)
    source_digest = fields.Char("Source Digest", required=True,
        help="SHA-256 of the picture the rendition was made from.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('image')
        cls._sql_constraints += [
            ('image_kind_unique', Unique(t, t.image, t.kind),
                'urban_catalog.msg_rendition_unique'),
            ]

    @classmethod
    def default_format(cls):
        return 'webp'


class Image(metaclass=PoolMeta):
    __name__ = 'product.image'

    renditions = fields.One2Many('urban.product.image.rendition', 'image',
        "Renditions", readonly=True)

    @classmethod
    def on_modification(cls, mode, images, field_names=None):
        super().on_modification(mode, images, field_names=field_names)
        if mode == 'create' or (mode == 'write' and 'image' in field_names):
            cls.__queue__.make_renditions(images)

    @classmethod
    def copy(cls, images, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('renditions', None)
        return super().copy(images, default=default)

    @classmethod
    def make_renditions(cls, images):
        """Make (or remake) the thumbnail, card and zoom WebP renditions of
        the images whose renditions are missing or stale."""
        pool = Pool()
        Rendition = pool.get('urban.product.image.rendition')
        # Queued: some images may have been deleted since
        images = cls.search([('id', 'in', [i.id for i in images])])
        to_delete, to_create = [], []
        for image in images:
            source = digest(image.image)
            current = {r.kind: r for r in image.renditions
                if r.source_digest == source and r.format == 'webp'}
            if current.keys() >= RENDITIONS.keys():
                continue
            to_delete.extend(image.renditions)
            for kind, size in RENDITIONS.items():
                try:
                    data, width, height = make_webp(image.image, size)
                except (OSError, ValueError) as exception:
                    raise ValidationError(gettext(
                            'urban_catalog.msg_rendition_failed',
                            image=image.rec_name,
                            error=str(exception))) from exception
                to_create.append({
                        'image': image.id, 'kind': kind, 'format': 'webp',
                        'width': width, 'height': height, 'data': data,
                        'source_digest': source,
                        })
        Rendition.delete(to_delete)
        Rendition.create(to_create)

    def get_rendition(self, kind):
        """The WebP bytes of the rendition kind ('thumbnail', 'card' or
        'zoom'), made on the fly when the queued job has not run yet."""
        if kind not in RENDITIONS:
            raise ValueError("Unknown rendition %r" % kind)
        source = digest(self.image)
        for rendition in self.renditions:
            if rendition.kind == kind and rendition.source_digest == source:
                return rendition.data
        return make_webp(self.image, RENDITIONS[kind])[0]
