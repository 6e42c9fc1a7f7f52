"""A Peppol access point reached over plain HTTP (configuration section
[urban_b2b]: peppol_url, peppol_key from the environment): the UBL
document Tryton renders (edocument_peppol, BIS Billing 3) is POSTed, the
access point answers a transmission id, and its status is polled by
edocument_peppol's cron. Tests run it against a local fake."""
import requests

from trytond.config import config
from trytond.pool import PoolMeta

from trytond.modules.edocument_peppol.exceptions import PeppolServiceError


def _base():
    return config.get('urban_b2b', 'peppol_url',
        default='http://127.0.0.1:8089').rstrip('/')


def _headers():
    return {'Authorization': 'Bearer %s' % config.get(
            'urban_b2b', 'peppol_key', default=''),
        'Content-Type': 'application/xml'}


class PeppolService(metaclass=PoolMeta):
    __name__ = 'edocument.peppol.service'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.service.selection.append(('urban_ap', "Access Point (HTTP)"))

    def _post_urban_ap(self, document):
        data = document.data
        if isinstance(data, str):
            data = data.encode()
        try:
            response = requests.post(_base() + '/documents', data=data,
                headers=_headers(), timeout=30)
        except requests.RequestException as exception:
            raise PeppolServiceError(str(exception)) from exception
        if response.status_code >= 400:
            raise PeppolServiceError('%s: %s' % (
                    response.status_code, response.text[:500]))
        return response.json()['transmission_id']

    def _update_status_urban_ap(self, document):
        if not document.transmission_id:
            return
        response = requests.get(
            _base() + '/documents/%s' % document.transmission_id,
            headers=_headers(), timeout=30)
        if response.status_code >= 400:
            return
        status = response.json().get('status')
        if status == 'delivered':
            document.succeed(status=status)
        elif status == 'failed':
            document.fail(status=response.json().get('error') or status)
