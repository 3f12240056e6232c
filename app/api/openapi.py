"""The OpenAPI document, assembled from one fragment per resource."""

from flask import jsonify

from app.api import bp
from app.api.spec import articles, comments, polls

FRAGMENTS = (articles, comments, polls)

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error under /api/v1 has this shape.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status code."},
                "message": {"type": "string", "description": "What went wrong, for people."},
            },
        }
    },
}

OWN_PATHS = {
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This document",
            "tags": ["Meta"],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 description of the API.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }
}


def build_document() -> dict:
    paths, schemas = dict(OWN_PATHS), {"Error": ERROR_SCHEMA}
    for fragment in FRAGMENTS:
        _merge(paths, fragment.PATHS, "path")
        _merge(schemas, fragment.SCHEMAS, "schema")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Boundaries API",
            "version": "1.0.0",
            "description": "Articles, polls, results and comments of Boundaries. "
            "Read-only except for voting, which needs the session cookie and an "
            "X-CSRFToken header. Errors are JSON: "
            '`{"error": {"status": 404, "message": "…"}}`.',
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _merge(target: dict, fragment: dict, kind: str) -> None:
    """Two fragments may share a definition only if they agree on it."""
    for name, definition in fragment.items():
        if name in target and target[name] != definition:
            raise ValueError(f"The {kind} {name!r} is defined differently by two fragments.")
        target[name] = definition


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_document())
