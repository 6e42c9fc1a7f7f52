"""What our routes accept as a database id, and what Tryton's JSON-RPC
routes accept as a call (see check_json_rpc below).

`<id:name>` in a route path (website, pro portal, app API) matches 1 to
2**31 - 1 written in ASCII digits, nothing else: a longer number, 0, a sign,
a superscript or an Arabic-Indic digit (which `\\d`, `int()` or
`str.isdigit()` would let through) does not match the rule, so the request
ends on the channel's own 404. `parse_id()` applies the same rule to ids
read from query strings and forms.

Ids are PostgreSQL `integer` columns: a larger number reaching a query is a
database error (`integer out of range`), not a missing record."""
import re

from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter, ValidationError

from trytond.wsgi import app

MAX_ID = 2 ** 31 - 1
_DIGITS = re.compile(r'[0-9]{1,10}')


def parse_id(value):
    "The id written in value (str), or None when it is not a valid id"
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


class IdConverter(BaseConverter):
    regex = '[0-9]{1,10}'
    part_isolating = True

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value):
        return str(int(value))


app.url_map.converters['id'] = IdConverter


# -- Tryton's JSON-RPC routes -------------------------------------------------
# Tryton's dispatcher passes the `params` of a call as positional arguments
# (`f(request, db, *params)`): a call without a list, with too few or too
# many arguments or with arguments of other types raises inside Python and is
# answered 500, or 200 with the exception's text. The calls anyone may make
# without a session are checked here first and answered 400 when malformed.

def _text(value, optional=False):
    return (value is None and optional) or (
        isinstance(value, str) and '\x00' not in value)


def _login_params(params):
    # (login, parameters such as password or device cookie, language)
    return (2 <= len(params) <= 3 and _text(params[0])
        and isinstance(params[1], dict)
        and all(_text(k) and _text(v, optional=True)
            for k, v in params[1].items())
        and (len(params) < 3 or _text(params[2], optional=True)))


PUBLIC_CALLS = {
    'common.db.login': _login_params,
    'common.db.reset_password': lambda p: 1 <= len(p) <= 2 and _text(p[0])
    and (len(p) < 2 or _text(p[1], optional=True)),
    'common.db.logout': lambda p: not p,
    'common.db.list': lambda p: True,
    'common.server.version': lambda p: True,
    'common.authentication.services': lambda p: not p,
    }
# the calls of /rpc/ (no database)
ROOT_CALLS = {'common.server.version', 'common.db.list',
    'common.authentication.services'}


def well_formed_call(request, root=False, login=False):
    """Whether the JSON-RPC call of request is well formed: a method name
    and a list of params, which for a call open without session have the
    number and types that call takes"""
    data = request.parsed_data      # BadRequest when not JSON
    if not isinstance(data, dict):
        return False
    method, params = data.get('method'), data.get('params') or []
    if not isinstance(params, list):
        return False
    if login:                       # /<db>/session/login: only the params
        return _login_params(params)
    if not isinstance(method, str) or (root and method not in ROOT_CALLS):
        return False
    check = PUBLIC_CALLS.get(method)
    return check is None or check(params)


def _checked(endpoint, **kind):
    def checked(request, *args, **kwargs):
        if not well_formed_call(request, **kind):
            raise BadRequest("Malformed JSON-RPC call")
        return endpoint(request, *args, **kwargs)
    checked.__name__ = endpoint.__name__
    checked.__module__ = endpoint.__module__
    checked.urban_checked = True
    return checked


def check_json_rpc():
    "Put well_formed_call() in front of Tryton's JSON-RPC routes"
    from trytond.protocols import dispatcher
    kinds = {
        dispatcher.rpc: {},
        dispatcher.root: {'root': True},
        dispatcher.login_w_cookies: {'login': True},
        }
    for rule in app.url_map.iter_rules():
        if rule.endpoint in kinds:
            rule.endpoint = _checked(rule.endpoint, **kinds[rule.endpoint])
            # werkzeug looks rules up by endpoint (default redirects)
            app.url_map._rules_by_endpoint.setdefault(
                rule.endpoint, []).append(rule)


check_json_rpc()
