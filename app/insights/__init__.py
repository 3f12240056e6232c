"""Aggregated views of how clients and professionals answer."""

from flask import Blueprint

bp = Blueprint("insights", __name__)

from app.insights import presenters, routes  # noqa: E402, F401
