"""Who is asking and voting: the logged-in member, or an anonymous reader with a signed cookie."""

import secrets
from datetime import timedelta

from flask import current_app, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from app.services.viewer import Viewer

VOTER_COOKIE = "voter"
VOTER_COOKIE_AGE = timedelta(days=365)
TOKEN_BYTES = 24


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="voter-cookie")


def member():
    """The logged-in member, or None for an anonymous reader."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def current_viewer() -> Viewer:
    """Who is asking: the logged-in member, or this browser's anonymous voter token."""
    reader = member()
    return Viewer(member=reader, voter_token=None if reader else cookie_token())


def cookie_token() -> str | None:
    """The token of this browser's voter cookie, if it carries a valid signature."""
    value = request.cookies.get(VOTER_COOKIE)
    if not value:
        return None
    try:
        token = _serializer().loads(value)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def token_for_vote() -> tuple[str, bool]:
    """This browser's voter token, and whether it is new and must be set as a cookie."""
    token = cookie_token()
    if token:
        return token, False
    return new_voter_token(), True


def new_voter_token() -> str:
    """A token for a new anonymous voter."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def remember_voter(response, token: str):
    response.set_cookie(
        VOTER_COOKIE,
        _serializer().dumps(token),
        max_age=int(VOTER_COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response
