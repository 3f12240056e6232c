"""Pages kept for anonymous readers and for each member, and what that asks of forms and headers.

pages.py serves kept pages and sets their headers, store.py keeps them with the versions of
what they show, tokens.py gives the forms of pages shared by anonymous readers their CSRF token
when first used, and app/services/infra/page_versions.py renews what a commit changed. Here
they are wired into the application.
"""

from flask import current_app, request, session
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.caching import pages, tokens
from app.services.infra import page_versions


def register(app) -> None:
    if not event.contains(Session, "before_flush", page_versions.note_changes):
        event.listen(Session, "before_flush", page_versions.note_changes)
    app.register_blueprint(tokens.bp)
    # Flask-WTF's `csrf_token()` in templates (a global and a context processor, both
    # replaced), except that pages for anonymous readers start no session.
    app.jinja_env.globals["csrf_token"] = tokens.page_token
    app.context_processor(lambda: {"csrf_token": tokens.page_token})
    app.after_request(keep_private_pages_private)
    # First of all the request hooks, those of the extensions included.
    app.before_request_funcs.setdefault(None, []).insert(0, pages.serve_kept_page)


def keep_private_pages_private(response):
    """What a browser with a session gets, or what starts one, no shared cache may keep."""
    if "Cache-Control" in response.headers:
        return response
    cookies = request.cookies
    has_session = current_app.config["SESSION_COOKIE_NAME"] in cookies or (
        current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in cookies
    )
    if has_session or session.modified or "Set-Cookie" in response.headers:
        response.headers["Cache-Control"] = pages.PRIVATE
    return response
