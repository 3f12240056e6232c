"""Threaded comments: writing, reading, helpful marks and notifications."""

from flask import Blueprint

bp = Blueprint("comments", __name__)

from app.comments import helpful, routes  # noqa: E402, F401
