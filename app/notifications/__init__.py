"""The member's inbox of notifications, such as replies to their comments."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from app.notifications import routes  # noqa: E402, F401
