"""/api/v1/openapi.json: the OpenAPI 3.1 document, generated from the
endpoints' pydantic models (api.ENDPOINTS), never written by hand."""
import re
from typing import Any

from pydantic import RootModel
from pydantic.json_schema import models_json_schema

from urbantherapy import routing

from . import api

TITLE = "Urban Therapy app API"
VERSION = '1.0.0'
REF = '#/components/schemas/{model}'
# what the converters of urbantherapy.routing accept
PATH_SCHEMAS = {
    'int': {'type': 'integer'},
    'id': {'type': 'integer', 'minimum': 1, 'maximum': routing.MAX_ID},
    }


def _parameters(spec):
    parameters = [{
            'name': name, 'in': 'path', 'required': True,
            'schema': PATH_SCHEMAS.get(kind, {'type': 'string'}),
            } for kind, name in re.findall(r'<(?:(\w+):)?(\w+)>', spec.path)]
    if spec.query is not None:
        schema = spec.query.model_json_schema(ref_template=REF)
        required = set(schema.get('required', []))
        for name, prop in schema.get('properties', {}).items():
            parameter = {
                'name': name, 'in': 'query', 'required': name in required,
                'schema': prop,
                }
            if prop.get('description'):
                parameter['description'] = prop['description']
            if prop.get('type') == 'array':
                parameter.update(style='form', explode=True)
            parameters.append(parameter)
    for name, description, required in spec.headers:
        parameters.append({
                'name': name, 'in': 'header', 'required': required,
                'description': description, 'schema': {'type': 'string'},
                })
    return parameters


def _path(spec):
    return re.sub(r'<(?:\w+:)?(\w+)>', r'{\1}', spec.path)


def document():
    models = {api.ProblemModel}
    for spec in api.ENDPOINTS:
        for model in (spec.body, spec.response):
            if model is not None:
                models.add(model)
    _, definitions = models_json_schema(
        [(m, 'validation') for m in sorted(models, key=lambda m: m.__name__)],
        ref_template=REF)
    schemas = definitions.get('$defs', {})
    problem = {'application/problem+json': {
            'schema': {'$ref': REF.format(model='ProblemModel')}}}

    paths = {}
    for spec in api.ENDPOINTS:
        operation = {
            'operationId': spec.operation_id,
            'summary': spec.summary,
            'tags': list(spec.tags),
            'responses': {},
            }
        if spec.description:
            operation['description'] = spec.description
        parameters = _parameters(spec)
        if parameters:
            operation['parameters'] = parameters
        if spec.body is not None:
            operation['requestBody'] = {
                'required': True,
                'content': {'application/json': {
                        'schema': {'$ref': REF.format(
                                model=spec.body.__name__)}}},
                }
        if spec.response is not None or spec.produces:
            if spec.produces:
                content = {spec.produces: {'schema': {
                            'type': 'string', 'format': 'binary'}}}
            else:
                content = {'application/json': {'schema': {
                            '$ref': REF.format(
                                model=spec.response.__name__)}}}
            response = {'description': 'OK', 'content': content}
            if spec.public_cache:
                response['headers'] = {
                    'ETag': {'schema': {'type': 'string'}},
                    'Cache-Control': {'schema': {'type': 'string'}},
                    }
                operation['responses']['304'] = {
                    'description': 'Not modified'}
            operation['responses'][str(spec.status)] = response
        else:
            # api.endpoint allows it only with 204
            operation['responses'][str(spec.status)] = {
                'description': 'Done'}
        statuses = set(spec.errors) | {500}
        if spec.body is not None or spec.query is not None:
            statuses |= {422}
        if spec.body is not None:
            statuses |= {415}
        if spec.auth == 'required':
            statuses |= {401}
        for status in sorted(statuses):
            operation['responses'][str(status)] = {
                'description': api.status_phrase(status),
                'content': problem,
                }
        if spec.auth != 'none':
            operation['security'] = [{'bearer': []}] + (
                [{}] if spec.auth == 'optional' else [])
        paths.setdefault(_path(spec), {})[spec.method.lower()] = operation

    return {
        'openapi': '3.1.0',
        'info': {
            'title': TITLE,
            'version': VERSION,
            'description': (
                "JSON API of the Urban Therapy B2C app. Money is a decimal "
                "string with its currency; errors are "
                "application/problem+json with a stable `code`; texts "
                "follow Accept-Language (fr, nl, en)."),
            },
        'servers': [{'url': '/'}],
        'paths': paths,
        'components': {
            'schemas': schemas,
            'securitySchemes': {
                'bearer': {'type': 'http', 'scheme': 'bearer',
                    'description': "Session token from /api/v1/auth/login"},
                },
            },
        }


class OpenApiDocument(RootModel[dict[str, Any]]):
    "An OpenAPI 3.1 document"


@api.endpoint('GET', '/openapi.json', summary="This OpenAPI document",
    tags=['meta'], readonly=True, response=OpenApiDocument)
def openapi_document(call):
    return api.json_response(document(), headers={
            'Cache-Control': 'public, max-age=300'})
