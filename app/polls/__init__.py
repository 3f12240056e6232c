"""Voting in polls and the results people may see."""

from flask import Blueprint

bp = Blueprint("polls", __name__)

from app.polls import routes  # noqa: E402, F401
