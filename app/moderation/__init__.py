"""Moderation: the staff queue, member actions, verification, the audit log and failed mail.

Two blueprints: `moderation` for staff pages under /moderation, and `safety` for what
members do themselves (report a comment, appeal a removal, ask to be verified).
"""

from flask import Blueprint

bp = Blueprint("moderation", __name__)
safety_bp = Blueprint("safety", __name__)

from app.moderation import (  # noqa: E402, F401
    curation_routes,
    mail_routes,
    member_routes,
    presenters,
    routes,
    safety_routes,
)
