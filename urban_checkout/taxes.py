"""VAT of the orders: shelf, web and app prices are VAT included."""
from trytond.pool import PoolMeta
from trytond.transaction import Transaction

ROUNDING = 'line'


class ConfigurationTaxRounding(metaclass=PoolMeta):
    """VAT rounded per line keeps each line at the price the customer saw,
    so the lines add up to the total (rounded on the whole order, the VAT
    of several lines may miss their sum by a cent). Peppol's BR-CO-17
    tolerates line rounding."""
    __name__ = 'account.configuration.tax_rounding'

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        # a company's value stored before this module (the chart's
        # creation stores the default, 'document') follows the rule too
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.tax_rounding], [ROUNDING],
                where=table.tax_rounding != ROUNDING))

    @classmethod
    def default_tax_rounding(cls):
        return ROUNDING
