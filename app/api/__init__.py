"""The JSON API under /api/v1, described by /api/v1/openapi.json."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import articles, comments, openapi, polls  # noqa: E402, F401
