"""API routes for articles."""

from app.api import bp  # noqa: F401
