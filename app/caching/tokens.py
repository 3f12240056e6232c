"""CSRF tokens for pages that many readers share.

A page kept for every anonymous reader cannot hold one reader's token, and putting a token
in each page would start a session, a cookie, for everyone who only reads. So pages for
anonymous readers carry a token only when their session already has one. Otherwise
static/js/site.js fetches one from /csrf-token (never cached; this is where the session
starts) the first time the reader focuses, presses or submits a form, and puts it in the
form and in `<meta name="csrf-token">` for the scripts. Without JavaScript the form arrives
without a token, and the reader gets a page that shows what they sent, with a fresh token
and a button that sends it again. Members' pages carry their token as before, and so do the
pages of the accounts area (logging in, joining), which start a session anyway.
"""

from collections.abc import Callable

from flask import Blueprint, current_app, jsonify, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app import hardening
from app.caching import pages

bp = Blueprint("tokens", __name__)

# What a form sent, in words, by the endpoint it was sent to (see `describes`).
_descriptions: dict[str, Callable[[dict, object], list[tuple[str, str]]]] = {}
HIDDEN_FIELDS = ("password",)


@bp.get("/csrf-token")
def issue():
    """This reader's token, for the form they started to use; the session starts here."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


def page_token() -> str:
    """`csrf_token()` in templates: the reader's token, or "" where site.js fetches it."""
    audience = pages.kept_for()
    if audience is not None:
        return "" if audience.is_anyone else pages.token_placeholder()
    if current_user.is_authenticated or hardening.is_private_page():
        return generate_csrf()
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return generate_csrf() if field in session else ""


def describes(endpoint: str):
    """Register how the confirmation page puts a form sent to `endpoint` into words.

    The function takes the view's arguments and the form, and returns (label, value) pairs.
    """

    def register(describe):
        _descriptions[endpoint] = describe
        return describe

    return register


def confirmation_page():
    """For an anonymous reader's form that came without a valid token: send it again?

    None for members (their pages always carry the token, so a missing one is refused as
    before) and for anything but a form.
    """
    if current_user.is_authenticated or not request.form:
        return None
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != field]
    describe = _descriptions.get(request.endpoint, _as_sent)
    page = render_template(
        "errors/confirm.html",
        action=request.full_path if request.query_string else request.path,
        fields=fields,
        shown=describe(request.view_args or {}, request.form),
        token=generate_csrf(),
    )
    response = current_app.make_response((page, 400))
    response.headers["Cache-Control"] = "no-store"
    return response


def _as_sent(view_args: dict, form) -> list[tuple[str, str]]:
    """Each field as it was sent; passwords as dots."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    shown = []
    for name, value in form.items(multi=True):
        if name == field:
            continue
        hidden = any(word in name for word in HIDDEN_FIELDS)
        shown.append((name.replace("_", " ").capitalize(), "••••••" if hidden else value))
    return shown
