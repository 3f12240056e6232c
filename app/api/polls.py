"""API routes for polls."""

from app.api import bp  # noqa: F401
