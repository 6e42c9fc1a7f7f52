"""Barcode scanning at the counter.

A USB or Bluetooth scanner types the code and Enter. The back office's
forms that declare `scan_code="loop"` open Tryton's scanner dialog (it
keeps the focus, beeps on success and sounds the alarm on an error) and
send each code to the model's `on_scan_code`: the line of that product
counts one more; a code of no line, or of a line already complete, is
refused with a message."""
from trytond.i18n import gettext
from trytond.model.exceptions import ValidationError


class ScanError(ValidationError):
    pass


def codes_of(product):
    "The codes a scanner reads for product: its identifiers (EAN) and code"
    codes = {(i.code or '').strip().upper()
        for i in (getattr(product, 'identifiers', None) or [])}
    codes.add((product.code or '').strip().upper())
    return codes - {''}


def count_scanned(lines, code, counted, expected, order):
    """Count one more in the field counted of the first line of lines
    whose product has code and whose count has not reached its field
    expected; returns that line or raises ScanError"""
    code = (code or '').strip().upper()
    matching = [l for l in lines
        if getattr(l, 'product', None) and code in codes_of(l.product)]
    if not matching:
        raise ScanError(gettext('urban_stock.msg_scan_unknown',
                code=code, order=order))
    for line in matching:
        if (getattr(line, counted) or 0) < (getattr(line, expected) or 0):
            setattr(line, counted, (getattr(line, counted) or 0) + 1)
            return line
    raise ScanError(gettext('urban_stock.msg_scan_complete',
            product=matching[0].product.rec_name, order=order))
