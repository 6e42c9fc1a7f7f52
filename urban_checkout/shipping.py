"""Home delivery through Sendcloud: shipping methods with their prices
(bpost, DHL, Mondial Relay) and the service point search, over Sendcloud's
documented HTTP API (plain requests, Basic auth with the integration's
public and secret keys).

Configuration: `[urban] sendcloud_api_url` (default
https://panel.sendcloud.sc/api/v2), `[urban] sendcloud_servicepoints_url`
(default https://servicepoints.sendcloud.sc/api/v2), keys from
`[urban] sendcloud_public_key` / `sendcloud_secret_key` or the environment
(SENDCLOUD_PUBLIC_KEY, SENDCLOUD_SECRET_KEY). Tests run a fake Sendcloud.

The delivery cost goes on the order as a sale line without product
(`api_delivery`), taxed like the goods it ships.
"""
import math
import os
from decimal import Decimal

import requests

from trytond.config import config
from trytond.pool import Pool

CARRIERS = ('bpost', 'dhl', 'mondial_relay')
# where we deliver (the terms of sale say so); what each costs there is
# Sendcloud's
COUNTRIES = ('BE', 'NL', 'FR', 'LU')
TIMEOUT = 10


class ShippingError(Exception):
    pass


def _url(option, default):
    return config.get('urban', option, default=default).rstrip('/')


def _auth():
    public = (config.get('urban', 'sendcloud_public_key', default=None)
        or os.environ.get('SENDCLOUD_PUBLIC_KEY'))
    secret = (config.get('urban', 'sendcloud_secret_key', default=None)
        or os.environ.get('SENDCLOUD_SECRET_KEY'))
    if not public or not secret:
        return None
    return (public, secret)


def configured():
    "Whether Sendcloud keys are set (else the app offers no delivery)"
    return _auth() is not None


def _get(url, params, missing=False):
    "Sendcloud's JSON answer; None for a 404 when missing is allowed"
    auth = _auth()
    if auth is None:
        raise ShippingError("Sendcloud is not configured")
    try:
        response = requests.get(url, params=params, auth=auth,
            timeout=TIMEOUT)
    except requests.RequestException as error:
        raise ShippingError(str(error)) from error
    if missing and response.status_code == 404:
        return None
    if response.status_code >= 400:
        raise ShippingError("Sendcloud answered %s" % response.status_code)
    return response.json()


def delivery_methods(country='BE'):
    """[{id, carrier, name, price (Decimal), service_point, delivery_days}]
    of our carriers to country; [] when Sendcloud is not configured or
    down (the app then offers click & collect only) and for a country we do
    not deliver to"""
    if _auth() is None or country not in COUNTRIES:
        return []
    try:
        data = _get(_url('sendcloud_api_url',
                'https://panel.sendcloud.sc/api/v2') + '/shipping_methods',
            {'to_country': country})
    except ShippingError:
        return []
    methods = []
    for method in data.get('shipping_methods', []):
        if method.get('carrier') not in CARRIERS:
            continue
        there = next((c for c in method.get('countries', [])
                if c.get('iso_2') == country), {})
        price = there.get('price')
        if price is None:
            continue
        methods.append({
                'id': method['id'],
                'carrier': method['carrier'],
                'name': method['name'],
                'price': Decimal(str(price)).quantize(Decimal('0.01')),
                'service_point': (
                    method.get('service_point_input') == 'required'),
                'delivery_days': delivery_days(there.get('lead_time_hours')),
                })
    return methods


def delivery_days(lead_time_hours):
    """Days a parcel takes, from the carrier's lead time in hours as
    Sendcloud gives it per country; None when the carrier gives none"""
    if not lead_time_hours:
        return None
    return max(1, math.ceil(lead_time_hours / 24))


def delivery_method(method_id, country='BE'):
    for method in delivery_methods(country):
        if str(method['id']) == str(method_id or ''):
            return method
    return None


def _point(data, carrier=None):
    return {
        'id': str(data['id']),
        'carrier': data.get('carrier', carrier),
        'name': data.get('name', ''),
        'address': {
            'street': ' '.join(filter(None, [data.get('street'),
                        data.get('house_number')])) or None,
            'postal_code': data.get('postal_code'),
            'city': data.get('city'),
            'country': data.get('country'),
            },
        'distance_m': data.get('distance'),
        }


def service_points(country, postal_code, carrier):
    if carrier not in CARRIERS:
        raise ShippingError("Unknown carrier %s" % carrier)
    data = _get(_url('sendcloud_servicepoints_url',
            'https://servicepoints.sendcloud.sc/api/v2') + '/service-points',
        {'country': country, 'postal_code': postal_code,
            'carrier': carrier})
    return [_point(p, carrier) for p in data]


def service_point(point_id):
    """The service point point_id as service_points() gives it, or None
    when Sendcloud does not know it"""
    if not str(point_id or '').isdigit():
        return None
    data = _get(_url('sendcloud_servicepoints_url',
            'https://servicepoints.sendcloud.sc/api/v2')
        + '/service-points/%s' % point_id, {}, missing=True)
    return _point(data) if data else None


def point_label(point):
    "One line for the customer and the shop: name, street, city"
    address = point['address']
    return ', '.join(filter(None, [point['name'], address.get('street'),
                ' '.join(filter(None, [address.get('postal_code'),
                            address.get('city')]))]))


def set_delivery_line(sale, method):
    """Replace the delivery line of sale by method's price. Sendcloud
    prices are VAT included; the line holds the untaxed price with the
    goods' taxes."""
    pool = Pool()
    Line = pool.get('sale.line')
    Sale = pool.get('sale.sale')
    Line.delete([l for l in sale.lines if l.api_delivery])
    sale = Sale(sale.id)
    goods = [l for l in sale.lines if l.type == 'line' and l.product
        and not l.api_delivery]
    taxes = list(goods[0].taxes) if goods else []
    line = Line(sale=sale, type='line', quantity=1, unit=None,
        # Sendcloud's names carry the carrier's brand ("bpost @home")
        description=method['name'], taxes=taxes, api_delivery=True)
    line.unit_price = _untaxed_price(line, method['price'])
    line.save()
    return line


def _untaxed_price(line, taxed):
    """The untaxed unit price (4 digits) at which line reads taxed VAT
    included. VAT is rounded per line (urban_checkout/taxes.py): the
    rounded amount plus its rounded VAT may miss taxed by a cent at the
    nearest price, so the prices around it are tried."""
    rate = sum((Decimal(str(t.rate or 0)) for t in line.taxes), Decimal(0))
    nearest = (taxed / (1 + rate)).quantize(Decimal('0.0001'))
    for step in sorted(range(-200, 201), key=abs):
        line.unit_price = nearest + Decimal('0.0001') * step
        line.amount = line.on_change_with_amount()
        if taxed_amount(line) == taxed:
            return line.unit_price
    return nearest


def taxed_amount(line):
    """Amount of a sale line with its taxes, rounded as the order rounds
    them: per line"""
    Tax = Pool().get('account.tax')
    sale = line.sale
    amount = line.amount or Decimal(0)
    for taxes, unit_price, quantity, tax_date in line.taxable_lines:
        # a sale line gives no date: the sale's, as Sale._get_taxes does
        tax_date = tax_date or sale.tax_date
        current = {}
        for tax in Tax.compute(taxes, unit_price, quantity, tax_date):
            taxline = sale._compute_tax_line(**tax)
            if taxline._key in current:
                current[taxline._key] += taxline
            else:
                current[taxline._key] = taxline
        sale._round_taxes(current)
        amount += sum((t.amount for t in current.values()), Decimal(0))
    return sale.currency.round(amount)
