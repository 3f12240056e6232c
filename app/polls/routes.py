"""Routes for polls."""

from app.polls import bp  # noqa: F401
