"""Registration, logging in and out, and the member's own settings."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from app.accounts import routes  # noqa: E402, F401
