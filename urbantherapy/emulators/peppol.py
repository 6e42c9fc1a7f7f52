"""A Peppol access point with the API urban_b2b/peppol.py documents:
POST /documents (UBL XML) → 201 {"transmission_id"}; GET
/documents/<id> → {"transmission_id", "status", "error"}. The test sets
what the receiver's access point answered with deliver() or reject()."""
from .server import FakeServer


class FakeAccessPoint(FakeServer):

    def __init__(self, key=''):
        super().__init__()
        self.key = key
        self.documents = []     # the UBL bytes received, in order
        self.statuses = {}      # transmission id: (status, error)

    def transmission_ids(self):
        return ['T-%s' % (i + 1) for i in range(len(self.documents))]

    def deliver(self, transmission_id):
        "The receiver's access point accepted the document"
        self.statuses[transmission_id] = ('delivered', None)

    def reject(self, transmission_id, error):
        "The receiver's access point refused the document"
        self.statuses[transmission_id] = ('failed', error)

    def handle(self, method, path, query, body, headers):
        if headers.get('Authorization') != 'Bearer %s' % self.key:
            return 401, {'error': 'unauthorized'}
        if method == 'POST' and path == '/documents':
            if not isinstance(body, bytes) or b'<Invoice' not in body:
                return 400, {'error': 'not a UBL invoice'}
            self.documents.append(body)
            transmission_id = 'T-%s' % len(self.documents)
            self.statuses[transmission_id] = ('pending', None)
            return 201, {'transmission_id': transmission_id}
        if method == 'GET' and path.startswith('/documents/'):
            transmission_id = path[len('/documents/'):]
            if transmission_id not in self.statuses:
                return 404, {'error': 'unknown transmission'}
            status, error = self.statuses[transmission_id]
            return 200, {'transmission_id': transmission_id,
                'status': status, 'error': error}
        return 404, {'error': 'not found'}
