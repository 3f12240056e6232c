"""Editors write, schedule and publish articles with their polls."""

from flask import Blueprint

bp = Blueprint("editor", __name__)

from app.editor import routes  # noqa: E402, F401
