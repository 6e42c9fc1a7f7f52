"API-wide routes: unknown paths under /api/v1 answer a problem, not HTML."
from trytond.protocols.wrappers import Response  # noqa: F401
from trytond.wsgi import app

from . import api


@app.route(api.PREFIX + '/<path:rest>',
    methods={'GET', 'POST', 'PUT', 'PATCH', 'DELETE'})
def urban_api_not_found(request, rest):
    return api.Problem(404, 'not_found', "No such API resource",
        "See /api/v1/openapi.json for the paths.").response(request.path)
