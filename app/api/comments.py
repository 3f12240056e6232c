"""API routes for comments."""

from app.api import bp  # noqa: F401
