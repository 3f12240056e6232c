"""Routes."""

from app.editor import bp  # noqa: F401
