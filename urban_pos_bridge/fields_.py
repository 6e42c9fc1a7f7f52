"Field types Tryton lacks"
from trytond.model import fields


class BigInteger(fields.Integer):
    "64-bit integer (till versions exceed 2^31)"
    _sql_type = 'BIGINT'
