"""The OpenAPI document, assembled from one fragment per resource."""

from flask import jsonify

from app.api import bp
from app.api.spec import articles, comments, polls

FRAGMENTS = (articles, comments, polls)


def build_document() -> dict:
    paths, schemas = {}, {"Error": ERROR_SCHEMA}
    for fragment in FRAGMENTS:
        paths.update(fragment.PATHS)
        schemas.update(fragment.SCHEMAS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Boundaries API",
            "version": "1.0.0",
            "description": "Articles, polls, results and comments of Boundaries. "
            "Read-only except for voting.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
        }
    },
}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_document())
