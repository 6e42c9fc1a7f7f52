"""`POST /webhooks/ankorstore`: Ankorstore's order.* events.

The `signature` header must be the HMAC-SHA256 (hex) of the raw body with
the webhook secret of an active account, else 401 (problem+json) and
nothing changes. A verified event is stored once (by meta.event.id) and
makes its account poll (the cursor stays the truth): a replay answers 200
and changes nothing."""
import json

from trytond.config import config
from trytond.protocols.wrappers import Response, with_pool, with_transaction
from trytond.wsgi import app

DB = config.get('urban', 'database', default='urban')


def problem(status, title, detail=None):
    body = {'type': 'about:blank', 'title': title, 'status': status}
    if detail:
        body['detail'] = detail
    return Response(json.dumps(body), status=status,
        content_type='application/problem+json')


@app.route('/webhooks/ankorstore', methods={'POST'},
    defaults={'database_name': DB})
@with_pool
@with_transaction()
def ankorstore_webhook(request, pool):
    Account = pool.get('urban.ankorstore.account')
    Event = pool.get('urban.ankorstore.event')
    body = request.get_data(cache=True)
    accounts = Account.search([])
    if not accounts:
        return problem(404, "No Ankorstore account")
    try:
        result = Event.receive(accounts, request.headers, body)
    except ValueError as exception:
        return problem(400, "Unreadable payload", str(exception))
    if result is None:
        return problem(401, "Invalid signature")
    _, new = result
    return Response(json.dumps({'stored': int(new)}), status=200,
        content_type='application/json')
