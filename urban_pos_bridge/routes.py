"""`POST /webhooks/pos/<connector>`: verify, store in the inbox, answer.

The answer comes as soon as the event is stored (the till gives 5-10 s);
a queued job applies it. Bad signature: 401, unreadable body: 400, unknown
connector or no account: 404; all as application/problem+json. An account
with the signature check off never has a body read: an unsigned delivery
only queues a poll of it (202), see Account.receive_webhook."""
import json
import logging

from trytond.config import config
from trytond.protocols.wrappers import Response, with_pool, with_transaction
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
    if connector not in connectors.CONNECTORS or connector == 'native':
        return problem(404, "Unknown connector", connector)
    body = request.get_data(cache=True)
    headers = request.headers
    accounts = Account.search([('connector', '=', connector)])
    if not accounts:
        return problem(404, "No account for this connector", connector)
    try:
        result = Account.receive_webhook(accounts, request.url,
            request.args, headers, body, remote_addr=request.remote_addr)
    except connectors.BadPayload as exception:
        return problem(400, "Unreadable payload", str(exception))
    if result is None:
        return problem(401, "Invalid signature")
    account, new, received = result
    if account is None:
        # unsigned: not read, the accounts are polled instead
        return Response(json.dumps({'stored': 0, 'received': 0,
                    'poll': True}),
            status=202, content_type='application/json')
    return Response(json.dumps({'stored': new, 'received': received}),
        status=200, content_type='application/json')
