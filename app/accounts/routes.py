"""Routes."""

from app.accounts import bp  # noqa: F401
