"""Fake Sendcloud: GET /api/v2/shipping_methods (prices per country) and
the service points API GET /api/v2/service-points, as documented, with
Basic auth."""
import base64

from .server import FakeServer

SHIPPING_METHODS = [
    {'id': 1001, 'name': 'bpost @home', 'carrier': 'bpost',
        'min_weight': '0.001', 'max_weight': '30.001',
        'service_point_input': 'none',
        'countries': [{'iso_2': 'BE', 'price': 5.95},
            {'iso_2': 'NL', 'price': 8.95}]},
    {'id': 1002, 'name': 'DHL Parcel', 'carrier': 'dhl',
        'min_weight': '0.001', 'max_weight': '31.5',
        'service_point_input': 'none',
        'countries': [{'iso_2': 'BE', 'price': 6.50}]},
    {'id': 1003, 'name': 'Mondial Relay Point Relais',
        'carrier': 'mondial_relay', 'min_weight': '0.001',
        'max_weight': '30.001', 'service_point_input': 'required',
        'countries': [{'iso_2': 'BE', 'price': 3.90}]},
    {'id': 1004, 'name': 'PostNL Standard', 'carrier': 'postnl',
        'min_weight': '0.001', 'max_weight': '23.001',
        'service_point_input': 'none',
        'countries': [{'iso_2': 'BE', 'price': 7.10}]},
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


class FakeSendcloud(FakeServer):

    def __init__(self, public='pub_fake', secret='sec_fake'):
        super().__init__()
        self.auth = 'Basic ' + base64.b64encode(
            ('%s:%s' % (public, secret)).encode()).decode()

    def handle(self, method, path, query, body, headers):
        if headers.get('Authorization') != self.auth:
            return 401, {'error': {'code': 401, 'message': 'Unauthorized'}}
        if method == 'GET' and path == '/api/v2/shipping_methods':
            country = query.get('to_country')
            return 200, {'shipping_methods': [m for m in SHIPPING_METHODS
                    if not country or any(c['iso_2'] == country
                        for c in m['countries'])]}
        if method == 'GET' and path == '/api/v2/service-points':
            return 200, [p for p in SERVICE_POINTS
                if p['country'] == query.get('country', 'BE')
                and p['postal_code'] == query.get('postal_code')
                and p['carrier'] == query.get('carrier')]
        return 404, {'error': {'code': 404, 'message': 'Not found'}}
