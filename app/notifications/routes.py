"""Routes for the inbox."""

from app.notifications import bp  # noqa: F401
