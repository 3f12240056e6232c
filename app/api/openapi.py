"""/api/v1/openapi.json, generated from the routes' declared operations and their schemas.

Each route states what it does next to its code (`@operation(...)`): its id, summary,
parameters, and which schema answers which status. Shapes come only from the pydantic models
the routes serialise with, so the document cannot drift from the JSON they serve.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask, current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from app.api import bp
from app.schemas.errors import Error

SERVER = "/api/v1"
REF = "#/components/schemas/{model}"
INFO = {
    "title": "Boundaries API",
    "version": "1.0.0",
    "description": "Articles, polls, results and comments of Boundaries. "
    "Read-only except for voting, which needs the session cookie and an "
    "X-CSRFToken header. Errors are JSON: "
    '`{"error": {"status": 404, "message": "…"}}`.',
}
# A body is a model, a tuple of models (exactly one of which applies), or a JSON Schema.
Body = type[BaseModel] | tuple[type[BaseModel], ...] | dict


@dataclass(frozen=True)
class Operation:
    operation_id: str
    summary: str
    tags: tuple[str, ...]
    # status -> (description, body), or a description alone for an Error body.
    responses: dict[int, tuple[str, Body] | str]
    description: str = ""
    parameters: tuple[dict, ...] = ()
    request_body: type[BaseModel] | None = None


def operation(operation_id: str, **details):
    """Describe a route in the document; goes just below its route decorator."""

    def describe(view):
        view.operation = Operation(operation_id, **details)
        return view

    return describe


def path_param(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def query_param(name: str, schema: dict, description: str = "") -> dict:
    param = {"name": name, "in": "query", "required": False}
    return param | ({"description": description} if description else {}) | {"schema": schema}


def api_operations(app: Flask) -> Iterable[tuple[str, str, Operation]]:
    """(path, method, operation) of every API route; a route without @operation is an error."""
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(f"{bp.name}."):
            continue
        described = getattr(app.view_functions[rule.endpoint], "operation", None)
        if described is None:
            raise LookupError(f"The API route {rule.rule} has no @operation.")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield documented_path(rule.rule), method.lower(), described


def documented_path(rule: str) -> str:
    """/api/v1/polls/<int:poll_id>/results -> /polls/{poll_id}/results"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(SERVER))


def build_document(operations: Iterable[tuple[str, str, Operation]]) -> dict:
    paths: dict = {}
    components: dict = {}
    for path, method, described in operations:
        paths.setdefault(path, {})[method] = _operation_json(described, components)
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": SERVER}],
        "paths": paths,
        "components": {"schemas": dict(sorted(components.items()))},
    }


def _operation_json(described: Operation, components: dict) -> dict:
    data = {"operationId": described.operation_id, "summary": described.summary}
    if described.description:
        data["description"] = described.description
    data["tags"] = list(described.tags)
    if described.parameters:
        data["parameters"] = list(described.parameters)
    if described.request_body:
        schema = _schema(described.request_body, components, mode="validation")
        data["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    data["responses"] = {
        str(status): _response(reply, components)
        for status, reply in sorted(described.responses.items())
    }
    return data


def _response(reply: tuple[str, Body] | str, components: dict) -> dict:
    description, body = (reply, Error) if isinstance(reply, str) else reply
    schema = _schema(body, components, mode="serialization")
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class _WithoutFieldTitles(GenerateJsonSchema):
    """Property names say it all; pydantic's titles ("Poll Id") would only repeat them."""

    def field_title_should_be_set(self, schema) -> bool:
        return False


def _schema(body: Body, components: dict, *, mode: str) -> dict:
    """A reference to `body`, whose definitions (and those it uses) join the components."""
    if isinstance(body, dict):
        return body
    if isinstance(body, tuple):
        return {"oneOf": [_schema(model, components, mode=mode) for model in body]}
    schema = body.model_json_schema(
        ref_template=REF, schema_generator=_WithoutFieldTitles, mode=mode
    )
    definitions = schema.pop("$defs", {})
    if "$ref" not in schema:  # a recursive model is itself among its definitions
        definitions[body.__name__] = schema
    for name, definition in definitions.items():
        if components.get(name, definition) != definition:
            raise ValueError(f"The schema {name!r} is defined differently by two models.")
        components[name] = definition
    return {"$ref": REF.format(model=body.__name__)}


@bp.get("/openapi.json")
@operation(
    "getOpenApiDocument",
    summary="This document",
    tags=("Meta",),
    responses={200: ("The OpenAPI 3.1 description of the API.", {"type": "object"})},
)
def openapi_document():
    return jsonify(build_document(api_operations(current_app)))
