"""JSON-RPC errors without internal text.

Tryton answers a JSON-RPC call (sao, the desktop client, proteus) whose
method raised with `{"error": [str(exception), traceback]}`: a call with
malformed arguments (wrong types or arity, a string for an id, a number
beyond the database's integers, a hostile context) sends back the Python or
SQL text of whatever broke inside (a TypeError's signature, psycopg's
message with the query's values...).

Tryton's own errors meant for the user (UserError, UserWarning and their
kinds: AccessError, ValidationError...; ConcurrencyException,
LoginException, RateLimitException) are left as Tryton sends them, the
client shows their message. Any other exception of a JSON-RPC call becomes
one generic error in the JSON-RPC format the clients know (`[message, ""]`:
the message, no traceback), in the language of the call's context; the
exception itself goes to the server's log, as Tryton logs it."""
import logging

from trytond.exceptions import TrytonException
from trytond.protocols.jsonrpc import JSONRequest
from trytond.protocols.wrappers import Response
from trytond.wsgi import app

logger = logging.getLogger(__name__)

MESSAGES = {
    'en': "The server could not process this request. If it happens "
    "again, please tell your administrator.",
    'fr': "Le serveur n'a pas pu traiter cette demande. Si cela se "
    "reproduit, prévenez votre administrateur.",
    'nl': "De server kon dit verzoek niet verwerken. Als het opnieuw "
    "gebeurt, verwittig dan uw beheerder.",
    }


def _language(data, request):
    "The language of the call's context (its last parameter), else header"
    params = data.get('params')
    if isinstance(params, list) and params and isinstance(params[-1], dict):
        language = params[-1].get('language')
        if isinstance(language, str) and language[:2] in MESSAGES:
            return language[:2]
    for language, _ in request.accept_languages:
        if language[:2].lower() in MESSAGES:
            return language[:2].lower()
    return 'en'


def _call(request):
    "The parsed JSON-RPC call of request, or None"
    if not isinstance(request, JSONRequest):
        return None
    try:
        data = request.parsed_data
    except Exception:
        return None
    if isinstance(data, dict) and set(data) == {'id', 'method', 'params'}:
        return data
    return None


@app.error_handler
def generic_rpc_error(app, request, exception):
    if isinstance(exception, TrytonException):
        return None
    data = _call(request)
    if data is None:
        return None
    logger.error("JSON-RPC %s answered with a generic error",
        data.get('method'), exc_info=exception)
    from trytond.protocols.jsonrpc import JSONEncoder, json
    call_id = data.get('id')
    if not isinstance(call_id, (int, str)) or isinstance(call_id, bool):
        call_id = None
    body = json.dumps({'id': call_id,
            'error': [MESSAGES[_language(data, request)], '']},
        cls=JSONEncoder)
    return Response(body, content_type='application/json')
