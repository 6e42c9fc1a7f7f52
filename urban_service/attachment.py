# Photos a customer joins to a message (a damaged item): JPEG, PNG or WebP
# only, recognised by their content (the signature of the format, then
# Pillow decodes the header), never by their name or the type a client
# claims; at most 5 MB each and 3 per message.
import io

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError, ValidationError

MAX_SIZE = 5 * 1024 * 1024
MAX_PER_MESSAGE = 3
TYPES = {
    'jpeg': ('image/jpeg', 'jpg'),
    'png': ('image/png', 'png'),
    'webp': ('image/webp', 'webp'),
    }


def sniff(data):
    "The kind of image data holds ('jpeg', 'png', 'webp') or None"
    if not data:
        return None
    data = bytes(data)
    if data[:3] == b'\xff\xd8\xff':
        kind = 'jpeg'
    elif data[:8] == b'\x89PNG\r\n\x1a\n':
        kind = 'png'
    elif data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        kind = 'webp'
    else:
        return None
    try:
        from PIL import Image
        with Image.open(io.BytesIO(data)) as image:
            if (image.format or '').lower() != kind:
                return None
    except Exception:
        return None
    return kind


def check_image(data):
    """Raise ValidationError unless data is an accepted image; returns its
    (mimetype, extension)"""
    size = len(data or b'')
    if size > MAX_SIZE:
        raise ValidationError(gettext(
                'urban_service.msg_attachment_too_large',
                size=round(size / 1024 / 1024, 1),
                limit=MAX_SIZE // 1024 // 1024))
    kind = sniff(data)
    if not kind:
        raise ValidationError(gettext('urban_service.msg_attachment_type'))
    return TYPES[kind]


class Attachment(ModelSQL, ModelView):
    "Customer Service Attachment"
    __name__ = 'urban.service.attachment'
    __string__ = "Customer Service Photo"

    message = fields.Many2One('urban.service.message', "Message",
        required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    data = fields.Binary("Photo", required=True, filename='name')
    mimetype = fields.Char("Type", readonly=True)
    size = fields.Integer("Size", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('message')

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'data' in values:
            mimetype, extension = check_image(values['data'])
            values['mimetype'] = mimetype
            values['size'] = len(values['data'])
            # the name is ours: never a path nor an extension of the client
            name = values.get('name') or 'photo'
            stem = ''.join(c for c in name.rsplit('.', 1)[0]
                if c.isalnum() or c in '-_')[:60] or 'photo'
            values['name'] = '%s.%s' % (stem, extension)
        return values

    @classmethod
    def check_modification(cls, mode, attachments, values=None,
            external=False):
        super().check_modification(mode, attachments, values=values,
            external=external)
        # joined with their message only
        if external:
            raise AccessError(gettext('urban_service.msg_message_modify'))

    @classmethod
    def validate_fields(cls, attachments, field_names):
        super().validate_fields(attachments, field_names)
        if field_names & {'message'}:
            for message in {a.message for a in attachments}:
                if len(message.attachments) > MAX_PER_MESSAGE:
                    raise ValidationError(gettext(
                            'urban_service.msg_attachment_count',
                            limit=MAX_PER_MESSAGE))
