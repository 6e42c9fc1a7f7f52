"""A Peppol access point reached over plain HTTP (configuration section
[urban_b2b]: peppol_url, peppol_key from the environment): the UBL
document Tryton renders (edocument_peppol, BIS Billing 3) is sent, the
access point answers a transmission id, and edocument_peppol's cron
("Update Peppol Status", hourly) polls its delivery status.

The access point's API (urbantherapy/emulators/peppol.py plays it):

- ``POST /documents`` with ``Authorization: Bearer <key>`` and the UBL
  XML as body (``Content-Type: application/xml``): ``201
  {"transmission_id": "..."}``; 4xx when the document is refused.
- ``GET /documents/<transmission_id>`` (same header): ``200
  {"transmission_id": "...", "status": "pending" | "delivered" |
  "failed", "error": "..."}``: ``delivered`` once the receiver's access
  point accepted the document, ``failed`` when it rejected it or it could
  not be delivered (``error`` says why); 404 for an unknown id.

Delivered documents succeed, failed ones fail with the access point's
reason as status (the back office may retry them); the state shows on
the invoice in the back office and in the pro portal."""
import logging

import requests

from trytond.config import config
from trytond.pool import PoolMeta

from trytond.modules.edocument_peppol.exceptions import PeppolServiceError

logger = logging.getLogger(__name__)


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
        """Poll the delivery status; an unreachable access point or an
        unreadable answer leaves the document as it is (the next run asks
        again) without stopping the other documents of the run"""
        if not document.transmission_id:
            return
        try:
            response = requests.get(
                _base() + '/documents/%s' % document.transmission_id,
                headers=_headers(), timeout=30)
            if response.status_code >= 400:
                logger.warning("Peppol status of %s: %s %s",
                    document.transmission_id, response.status_code,
                    response.text[:200])
                return
            answer = response.json()
        except (requests.RequestException, ValueError):
            logger.warning("Peppol status of %s not read",
                document.transmission_id, exc_info=True)
            return
        status = answer.get('status')
        if status == 'delivered':
            document.succeed(status=status)
        elif status == 'failed':
            document.fail(status=(answer.get('error') or status)[:500])
