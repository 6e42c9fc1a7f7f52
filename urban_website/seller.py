"""Who sells: the company's legal identity as Tryton holds it (its party's
name, first address, VAT/enterprise number and e-mail), shown the same in
the footer, the legal pages and the structured data, as on the invoices
Tryton prints from the same party. Nothing of it is written in the site's
texts, so that one change in the back office changes it everywhere."""
from stdnum.be import vat as be_vat

from . import catalog


def enterprise_number(code):
    "'BE0487654335' as Belgians write it: 'BE 0487.654.335'"
    number = be_vat.compact(code)
    return 'BE %s.%s.%s' % (number[:4], number[4:7], number[7:])


def identity():
    """{'name', 'street', 'postal_code', 'city', 'country', 'vat', 'email',
    'line'} of the company (empty strings where the back office has
    nothing); line: all of it in one sentence"""
    company = catalog.company()
    party = company.party if company else None
    address = party.addresses[0] if party and party.addresses else None
    vat = ''
    for identifier in (party.identifiers if party else []):
        if identifier.type in {'eu_vat', 'be_vat'} and be_vat.is_valid(
                identifier.code):
            vat = enterprise_number(identifier.code)
            break
    result = {
        'name': party.name if party else '',
        'street': (address.street or '').replace('\n', ', ')
        if address else '',
        'postal_code': (address.postal_code or '') if address else '',
        'city': (address.city or '') if address else '',
        'country': (address.country.code if address and address.country
            else ''),
        'vat': vat,
        'email': (party.email or '') if party else '',
        }
    place = ' '.join(p for p in (result['postal_code'], result['city']) if p)
    result['line'] = ', '.join(p for p in (result['name'], result['street'],
            place, result['vat'], result['email']) if p)
    return result
