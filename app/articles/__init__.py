"""Reading articles: home page, lists, authors, tags, search and feeds."""

from flask import Blueprint

bp = Blueprint("articles", __name__)

from app.articles import routes  # noqa: E402, F401
