# A product is sold with its VAT: it cannot be published on a channel
# without customer taxes (from its account category), else the channels
# would show and charge its price without tax.
from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError
from trytond.pool import PoolMeta


def has_customer_taxes(category):
    "Whether the account category (or the parent it takes taxes from) has any"
    seen = set()
    while category and category.taxes_parent and category.id not in seen:
        seen.add(category.id)
        category = category.parent
    return bool(category and category.customer_taxes)


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    @classmethod
    def validate_fields(cls, templates, field_names):
        super().validate_fields(templates, field_names)
        if field_names is None or (
                {'channels', 'account_category'} & set(field_names)):
            cls.check_publication_taxes(templates)

    @classmethod
    def check_publication_taxes(cls, templates):
        for template in templates:
            if template.channels and not has_customer_taxes(
                    template.account_category):
                raise ValidationError(gettext(
                        'urban_catalog.msg_publish_without_taxes',
                        product=template.rec_name))
