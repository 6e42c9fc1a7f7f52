"""Fake Sendcloud, as documented, with Basic auth:

- GET /api/v2/shipping_methods (prices and lead times per country),
- the service points API GET /api/v2/service-points and
  GET /api/v2/service-points/<id> (404 for an unknown point),
- GET /api/v2/user/addresses/sender (the sender addresses: one per shop),
- POST /api/v2/parcels {"parcels": [...]} creating parcels; with
  "request_label": true each gets a tracking number, a tracking URL and
  its label URLs; a parcel without name, address, city, postal code or
  country is refused with 400 and Sendcloud's error object,
- GET /api/v2/parcels/<id>,
- with `anywhere` (the demo): three points of each carrier near any
  Belgian postal code, deterministic (the same code gives the same points),
- GET /api/v2/labels/label_printer/<id> and
  /api/v2/labels/normal_printer/<id>?start_from=<0-3>: the PDF label.
"""
import base64
import itertools
import re

from .server import FakeServer

SHIPPING_METHODS = [
    {'id': 1001, 'name': 'bpost @home', 'carrier': 'bpost',
        'min_weight': '0.001', 'max_weight': '30.001',
        'service_point_input': 'none',
        'countries': [{'iso_2': 'BE', 'price': 5.95, 'lead_time_hours': 24},
            {'iso_2': 'NL', 'price': 8.95, 'lead_time_hours': 48},
            {'iso_2': 'LU', 'price': 9.95, 'lead_time_hours': 48},
            {'iso_2': 'FR', 'price': 12.95, 'lead_time_hours': 72}]},
    {'id': 1002, 'name': 'DHL Parcel', 'carrier': 'dhl',
        'min_weight': '0.001', 'max_weight': '31.5',
        'service_point_input': 'none',
        'countries': [{'iso_2': 'BE', 'price': 6.50,
            'lead_time_hours': 24}]},
    {'id': 1003, 'name': 'Mondial Relay Point Relais',
        'carrier': 'mondial_relay', 'min_weight': '0.001',
        'max_weight': '30.001', 'service_point_input': 'required',
        'countries': [{'iso_2': 'BE', 'price': 3.90,
            'lead_time_hours': 72}]},
    {'id': 1004, 'name': 'PostNL Standard', 'carrier': 'postnl',
        'min_weight': '0.001', 'max_weight': '23.001',
        'service_point_input': 'none',
        'countries': [{'iso_2': 'BE', 'price': 7.10,
            'lead_time_hours': 48}]},
    ]

SERVICE_POINTS = [
    {'id': 501, 'code': 'MR-9000-1', 'carrier': 'mondial_relay',
        'name': 'Librairie du Centre', 'street': 'Veldstraat',
        'house_number': '12', 'postal_code': '9000', 'city': 'Gent',
        'country': 'BE', 'distance': 350},
    {'id': 502, 'code': 'BP-9000-7', 'carrier': 'bpost',
        'name': 'bpost Gent Zuid', 'street': 'Woodrow Wilsonplein',
        'house_number': '1', 'postal_code': '9000', 'city': 'Gent',
        'country': 'BE', 'distance': 900},
    {'id': 503, 'code': 'MR-1000-3', 'carrier': 'mondial_relay',
        'name': 'Night shop Sainte-Catherine', 'street': 'Rue de Flandre',
        'house_number': '40', 'postal_code': '1000', 'city': 'Bruxelles',
        'country': 'BE', 'distance': 120},
    ]


SENDER_ADDRESSES = [
    {'id': 71, 'company_name': 'Urban Therapy Gent', 'contact_name': '',
        'street': 'Veldstraat', 'house_number': '20', 'postal_code': '9000',
        'city': 'Gent', 'country': 'BE', 'email': 'gent@urbantherapy.be',
        'telephone': '+3292000000'},
    {'id': 72, 'company_name': 'Urban Therapy Namur', 'contact_name': '',
        'street': 'Rue de Fer', 'house_number': '5', 'postal_code': '5000',
        'city': 'Namur', 'country': 'BE', 'email': 'namur@urbantherapy.be',
        'telephone': '+3281000000'},
    ]

PARCEL_REQUIRED = ('name', 'address', 'city', 'postal_code', 'country')


def label_pdf(parcel):
    "A one-page PDF with the parcel's tracking number"
    text = 'Sendcloud %s' % parcel['tracking_number']
    stream = 'BT /F1 18 Tf 20 150 Td (%s) Tj ET' % text
    objects = [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] '
        '/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        '<< /Length %d >>\nstream\n%s\nendstream' % (len(stream), stream),
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        ]
    pdf, offsets = '%PDF-1.4\n', []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += '%d 0 obj\n%s\nendobj\n' % (i, obj)
    xref = len(pdf)
    pdf += 'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    pdf += ''.join('%010d 00000 n \n' % o for o in offsets)
    pdf += 'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (
        len(objects) + 1, xref)
    return pdf.encode()


# the demo's points near any Belgian postal code: (name, street) per carrier
NEARBY = {
    'mondial_relay': [("Librairie Le Point", "Rue de la Station"),
        ("Fleuriste Bloem", "Grand-Place"), ("Tabac-Presse Central",
            "Rue du Marché")],
    'bpost': [("Point Poste Carrefour Express", "Chaussée de Louvain"),
        ("bpost Bureau", "Place Communale"), ("Point Poste Delhaize",
            "Avenue de la Gare")],
    'dhl': [("DHL ServicePoint Spar", "Rue Haute"),
        ("DHL ServicePoint Shell", "Route Nationale"),
        ("DHL ServicePoint Press Shop", "Stationsplein")],
    }
NEARBY_BASE = 700000
# the main town of each Belgian postal code range (first two digits)
TOWNS = [(10, "Bruxelles"), (13, "Wavre"), (15, "Halle"), (20, "Antwerpen"),
    (23, "Turnhout"), (25, "Mechelen"), (30, "Leuven"), (35, "Hasselt"),
    (40, "Liège"), (48, "Verviers"), (50, "Namur"), (60, "Charleroi"),
    (66, "Arlon"), (70, "Mons"), (75, "Tournai"), (80, "Brugge"),
    (85, "Kortrijk"), (90, "Gent"), (93, "Aalst")]


def town(postal_code):
    prefix = int(postal_code[:2])
    return [name for start, name in TOWNS if start <= prefix][-1]


def nearby_points(postal_code, carrier):
    "Three made-up points of carrier around a 4-digit Belgian postal code"
    if (carrier not in NEARBY or len(postal_code) != 4
            or not postal_code.isdigit()):
        return []
    carrier_index = sorted(NEARBY).index(carrier)
    points = []
    for i, (name, street) in enumerate(NEARBY[carrier]):
        points.append({
                'id': (NEARBY_BASE + int(postal_code) * 100
                    + carrier_index * 10 + i),
                'code': '%s-%s-%d' % (carrier[:2].upper(), postal_code, i),
                'carrier': carrier, 'name': name, 'street': street,
                'house_number': str(3 + 17 * i), 'postal_code': postal_code,
                'city': town(postal_code), 'country': 'BE',
                'distance': 250 + 600 * i})
    return points


def nearby_point(point_id):
    "The made-up point of id, or None"
    code, rest = divmod(point_id - NEARBY_BASE, 100)
    carrier_index, i = divmod(rest, 10)
    if not 1000 <= code <= 9999 or carrier_index >= len(NEARBY) or i > 2:
        return None
    carrier = sorted(NEARBY)[carrier_index]
    return nearby_points(str(code), carrier)[i]


class FakeSendcloud(FakeServer):

    def __init__(self, public='pub_fake', secret='sec_fake', port=0,
            anywhere=False):
        super().__init__(port=port)
        self.anywhere = anywhere
        self.auth = 'Basic ' + base64.b64encode(
            ('%s:%s' % (public, secret)).encode()).decode()
        self.parcels = {}
        self._ids = itertools.count(90001)

    def handle(self, method, path, query, body, headers):
        if headers.get('Authorization') != self.auth:
            return 401, {'error': {'code': 401, 'message': 'Unauthorized'}}
        if method == 'GET' and path == '/api/v2/user/addresses/sender':
            return 200, {'sender_addresses': SENDER_ADDRESSES}
        if method == 'POST' and path == '/api/v2/parcels':
            return self.create_parcels(body or {})
        match = re.fullmatch(r'/api/v2/parcels/(\d+)', path)
        if method == 'GET' and match:
            parcel = self.parcels.get(int(match.group(1)))
            if parcel:
                return 200, {'parcel': parcel}
        match = re.fullmatch(
            r'/api/v2/labels/(label_printer|normal_printer)/(\d+)', path)
        if method == 'GET' and match:
            parcel = self.parcels.get(int(match.group(2)))
            if parcel and parcel['label']:
                return 200, label_pdf(parcel), 'application/pdf'
        if method == 'GET' and path == '/api/v2/shipping_methods':
            country = query.get('to_country')
            return 200, {'shipping_methods': [m for m in SHIPPING_METHODS
                    if not country or any(c['iso_2'] == country
                        for c in m['countries'])]}
        match = re.fullmatch(r'/api/v2/service-points/(\d+)', path)
        if method == 'GET' and match:
            point = next((p for p in SERVICE_POINTS
                    if p['id'] == int(match.group(1))), None)
            if point is None and self.anywhere:
                point = nearby_point(int(match.group(1)))
            if point:
                return 200, point
        if method == 'GET' and path == '/api/v2/service-points':
            points = [p for p in SERVICE_POINTS
                if p['country'] == query.get('country', 'BE')
                and p['postal_code'] == query.get('postal_code')
                and p['carrier'] == query.get('carrier')]
            if (not points and self.anywhere
                    and query.get('country', 'BE') == 'BE'):
                points = nearby_points(query.get('postal_code') or '',
                    query.get('carrier'))
            return 200, points
        return 404, {'error': {'code': 404, 'message': 'Not found'}}

    def url_for(self, path):
        return self.url + path

    def create_parcels(self, body):
        parcels = body.get('parcels')
        if not isinstance(parcels, list) or not parcels:
            return 400, {'error': {'code': 400, 'request': 'api/v2/parcels',
                    'message': 'parcels: This field is required.'}}
        for data in parcels:
            missing = [k for k in PARCEL_REQUIRED if not data.get(k)]
            if missing:
                return 400, {'error': {'code': 400,
                        'request': 'api/v2/parcels',
                        'message': '%s: This field is required.'
                        % missing[0]}}
            method = (data.get('shipment') or {}).get('id')
            if method is not None and method not in {
                    m['id'] for m in SHIPPING_METHODS}:
                return 400, {'error': {'code': 400,
                        'request': 'api/v2/parcels',
                        'message': 'shipment: Invalid shipping method.'}}
        created = []
        for data in parcels:
            id_ = next(self._ids)
            method = next((m for m in SHIPPING_METHODS
                    if m['id'] == (data.get('shipment') or {}).get('id')),
                SHIPPING_METHODS[0])
            labelled = bool(data.get('request_label'))
            tracking = '3SURB%08d' % id_ if labelled else ''
            parcel = {
                'id': id_,
                'name': data['name'],
                'company_name': data.get('company_name') or '',
                'address': data['address'],
                'house_number': data.get('house_number') or '',
                'city': data['city'],
                'postal_code': data['postal_code'],
                'country': {'iso_2': data['country']},
                'email': data.get('email') or '',
                'telephone': data.get('telephone') or '',
                'weight': str(data.get('weight') or '1.000'),
                'order_number': data.get('order_number') or '',
                'external_reference': data.get('external_reference'),
                'sender_address': data.get('sender_address'),
                'shipment': {'id': method['id'], 'name': method['name']},
                'carrier': {'code': method['carrier']},
                'status': ({'id': 1000, 'message': 'Ready to send'}
                    if labelled else {'id': 999, 'message': 'No label'}),
                'tracking_number': tracking,
                'tracking_url': ('https://tracking.sendcloud.sc/forward?'
                    'carrier=%s&code=%s' % (method['carrier'], tracking)
                    if labelled else ''),
                'label': ({
                        'label_printer': self.url_for(
                            '/api/v2/labels/label_printer/%s' % id_),
                        'normal_printer': [self.url_for(
                                '/api/v2/labels/normal_printer/%s'
                                '?start_from=%s' % (id_, i))
                            for i in range(4)],
                        } if labelled else {}),
                }
            self.parcels[id_] = parcel
            created.append(parcel)
        return 200, {'parcels': created, 'failed_parcels': []}
