"""Logging a member in and out of this browser, and which login a request comes from.

The web side of app/services/accounts/sessions.py: at login the Flask session is emptied and
a new server-side session started (nothing set before the login, by anyone, carries over), and
Flask-Login keeps that session's token in the session cookie and the remember-me cookie. The
user loader checks the token against the database on every request.
"""

import logging
from contextlib import suppress

from flask import current_app, g, request, session
from flask_login import current_user, login_user, logout_user
from flask_login.config import COOKIE_NAME
from sqlalchemy.exc import SQLAlchemyError

from app import transaction
from app.accounts import bp
from app.models import User
from app.services.accounts import sessions

log = logging.getLogger(__name__)
STALE_KEY = "member_session_seen_long_ago"


def load_member(token: str) -> User | None:
    """Flask-Login's user loader: the member of a live login, or None (the visitor is anonymous)."""
    record = sessions.find_active(token)
    if record is None:
        return None
    if sessions.needs_seen(record):
        g.setdefault(STALE_KEY, record.id)
    return record.user


def current_session_id() -> int | None:
    """The id of the login this request comes from, if a member is logged in."""
    if not current_user.is_authenticated:
        return None
    return int(current_user.session_token.partition(".")[0])


def log_in(user: User, *, remember: bool = False) -> None:
    """Start a new login of `user` in this browser, in a Flask session emptied first."""
    member_id = user.id
    if _view_reads_only():
        # The password was checked in a transaction that only read (see app/database.py's
        # reads_only). On SQLite a transaction that has read cannot begin to write once
        # another writer has committed, so end it: the INSERT that starts the session then
        # opens a fresh transaction, which waits its turn for the write lock.
        transaction.rollback()
    token = sessions.start_session(member_id, request.user_agent.string)
    session.clear()
    user.session_token = token
    login_user(user, remember=remember)


def log_out() -> None:
    """End this browser's login on the server, and forget it here."""
    session_id = current_session_id()
    if session_id is not None:
        # It may have ended already in this request (log out everywhere, a reset, deletion).
        with suppress(sessions.SessionNotFound):
            sessions.end_session(current_user, session_id)
    # Emptied before logout_user, which then asks for the remember-me cookie to be deleted.
    session.clear()
    logout_user()


def is_remembered() -> bool:
    """Whether this browser holds a remember-me cookie, so a renewed login keeps one too."""
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


def _view_reads_only() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "reads_only", False)


@bp.teardown_app_request
def note_last_seen(error):
    """Write "last seen" of a login whose value is stale, after the request's own transaction.

    At most once every few minutes per login (sessions.SEEN_EVERY). It is not written in the
    request's transaction: a page view (GET) is always rolled back (app/transaction.py), and
    on SQLite writing there would hold the write lock for the whole request. By the time this
    runs the request's transaction has ended, so the UPDATE starts a short one of its own,
    which only waits for the write lock as long as one statement takes.
    """
    session_id = g.pop(STALE_KEY, None)
    if session_id is None or error is not None:
        return
    try:
        sessions.note_seen(session_id)
        transaction.commit()
    except SQLAlchemyError:
        # "Last seen" is a courtesy: a busy database must not turn a page into an error.
        transaction.rollback()
        log.warning("Could not note when member session %s was last seen", session_id)
