"""Routes for comments."""

from app.comments import bp  # noqa: F401
