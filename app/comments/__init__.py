"""Threaded comments: writing, reading, helpful marks, following and notifications."""

from flask import Blueprint

bp = Blueprint("comments", __name__)

from app.comments import following, helpful, routes  # noqa: E402, F401
