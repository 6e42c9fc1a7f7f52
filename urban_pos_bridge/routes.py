"""`POST /webhooks/pos/<connector>`: verify, store in the inbox, answer.

The answer comes as soon as the event is stored (the till gives 5-10 s);
a queued job applies it. Bad signature: 401, unreadable body: 400, unknown
connector or no account: 404; all as application/problem+json."""
import json
import logging

from trytond.config import config
from trytond.protocols.wrappers import Response, with_pool, with_transaction
from trytond.transaction import Transaction
from trytond.wsgi import app

from . import connectors

logger = logging.getLogger(__name__)
DB = config.get('urban', 'database', default='urban')


def problem(status, title, detail=None):
    body = {'type': 'about:blank', 'title': title, 'status': status}
    if detail:
        body['detail'] = detail
    return Response(json.dumps(body), status=status,
        content_type='application/problem+json')


@app.route('/webhooks/pos/<connector>', methods={'POST'},
    defaults={'database_name': DB})
@with_pool
@with_transaction()
def pos_webhook(request, pool, connector):
    Account = pool.get('urban.pos.account')
    Event = pool.get('urban.pos.event')
    if connector not in connectors.CONNECTORS or connector == 'native':
        return problem(404, "Unknown connector", connector)
    body = request.get_data(cache=True)
    headers = request.headers
    accounts = Account.search([('connector', '=', connector)])
    account = next((a for a in accounts if a.client.verify(
                request.url, headers, body)), None)
    if not accounts:
        return problem(404, "No account for this connector", connector)
    if account is None:
        return problem(401, "Invalid signature")
    try:
        items = account.client.parse_webhook(request.args, headers, body)
    except connectors.BadPayload as exception:
        return problem(400, "Unreadable payload", str(exception))
    with Transaction().set_context(company=account.company.id):
        new = Event.store(account, items, source='webhook')
        if new:
            Event.enqueue([account.id])
    return Response(json.dumps({'stored': new, 'received': len(items)}),
        status=200, content_type='application/json')
