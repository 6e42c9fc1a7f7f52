# Where a product is shown: the mobile app, the web shop, the pro portal and
# the shops' points of sale.
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval


class Channel(DeactivableMixin, ModelSQL, ModelView):
    "Sales channel on which products are published"
    __name__ = 'urban.channel'

    code = fields.Char("Code", required=True, readonly=True,
        help="Stable identifier used by the channels: app, web, pro, pos.")
    name = fields.Char("Name", required=True, translate=True)
    publish_by_default = fields.Boolean("Included in Publish",
        help="The Publish button of a product publishes it on this "
        "channel. New products are published nowhere until then.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code),
                'urban_catalog.msg_channel_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @classmethod
    def default_publish_by_default(cls):
        return True


class TemplateChannel(ModelSQL):
    "Product published on a channel"
    __name__ = 'product.template-urban.channel'

    template = fields.Many2One('product.template', "Product",
        required=True, ondelete='CASCADE')
    channel = fields.Many2One('urban.channel', "Channel",
        required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('template_channel_unique', Unique(t, t.template, t.channel),
                'urban_catalog.msg_template_channel_unique'),
            ]


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    channels = fields.Many2Many('product.template-urban.channel',
        'template', 'channel', "Published On",
        help="The channels on which customers can see this product. A new "
        "product is published nowhere: publish it when it is ready.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'publish': {
                    'invisible': Bool(Eval('channels', [])),
                    'depends': ['channels'],
                    },
                'unpublish': {
                    'invisible': ~Eval('channels', []),
                    'depends': ['channels'],
                    },
                })

    @classmethod
    def copy(cls, templates, default=None):
        "A copy is a new product: published nowhere until told"
        default = default.copy() if default is not None else {}
        default.setdefault('channels', None)
        return super().copy(templates, default=default)

    @classmethod
    @ModelView.button
    def publish(cls, templates):
        "Publish on the channels included in Publish"
        Channel = Pool().get('urban.channel')
        channels = Channel.search([('publish_by_default', '=', True)])
        cls.write(list(templates), {
                'channels': [('add', [c.id for c in channels])]})

    @classmethod
    @ModelView.button
    def unpublish(cls, templates):
        "Withdraw from every channel"
        cls.write(list(templates), {
                'channels': [('remove', [
                            c.id for t in templates for c in t.channels])]})

    @classmethod
    def published_in(cls, channel):
        """Domain of the active products published on channel (a code such as
        'web' or an urban.channel):
        Template.search(Template.published_in('app'))
        """
        code = channel if isinstance(channel, str) else channel.code
        return [
            ('active', '=', True),
            ('channels', 'where', [
                    ('code', '=', code),
                    ('active', '=', True),
                    ]),
            ]

    def is_published_in(self, channel):
        code = channel if isinstance(channel, str) else channel.code
        return self.active and any(
            c.code == code and c.active for c in self.channels)
