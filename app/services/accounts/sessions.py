"""Members' logins kept on the server: started at login, checked on every request, ended at will.

The session and remember-me cookies carry a token, "<id>.<secret>", that names one
MemberSession row. A login is refused as soon as its row is ended, on every app server, since
the row lives in the database; so logging out, "log out everywhere", a password change or reset,
a suspension and a ban take effect on cookies copied before them.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import MemberSession, User, as_utc, utcnow
from app.services.accounts import AccountError
from app.services.accounts.devices import describe_device, device_name
from app.services.errors import NotFound

# A login nobody has used for this long is refused, and no longer listed.
IDLE_LIMIT = timedelta(days=30)
# How stale "last seen" may be before it is written again (see `needs_seen`).
SEEN_EVERY = timedelta(minutes=5)
MAX_ID = 2**63 - 1
TOKEN_PATTERN = re.compile(r"([0-9]{1,18})\.([A-Za-z0-9_-]{20,100})")


class SessionNotFound(AccountError, NotFound):
    """No session of this member by that id, or it has already ended."""


@dataclass(frozen=True)
class ActiveSession:
    """One of a member's logins as their sessions page shows it."""

    id: int
    device: str
    started_at: datetime
    last_seen_at: datetime
    current: bool


def _digest(secret: str) -> str:
    # The secret is 256 random bits, so a plain hash suffices: nothing to guess or stretch.
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(user_id: int, user_agent: str | None) -> str:
    """Record a new login of the member and return the token their cookies will carry.

    Only an INSERT is issued, so in a transaction that has not read yet it is the first
    statement, and on SQLite it waits for the write lock instead of failing (see the login view).
    """
    secret = secrets.token_urlsafe(32)
    record = MemberSession(
        user_id=user_id, secret_hash=_digest(secret), device=describe_device(user_agent)
    )
    db.session.add(record)
    db.session.flush()
    return f"{record.id}.{secret}"


def find_active(token: str | None, now: datetime | None = None) -> MemberSession | None:
    """The live login this token names, with its member bound to it; None for any other token.

    Tokens of the old form (a member id and a password fingerprint) and forged, ended or idle
    ones all come back None, and the visitor is anonymous.
    """
    match = TOKEN_PATTERN.fullmatch(token or "")
    if match is None:
        return None
    record = db.session.scalar(
        select(MemberSession)
        .options(joinedload(MemberSession.user))
        .where(MemberSession.id == int(match.group(1)), MemberSession.ended_at.is_(None))
    )
    if record is None or not hmac.compare_digest(record.secret_hash, _digest(match.group(2))):
        return None
    if as_utc(record.last_seen_at) <= (now or utcnow()) - IDLE_LIMIT:
        return None
    record.user.session_token = token
    return record


def needs_seen(record: MemberSession, now: datetime | None = None) -> bool:
    """Whether "last seen" is stale enough to be written again.

    Writing it on every request would make every page view a write (and on SQLite take the
    write lock); every few minutes is as precise as "last seen" needs to be.
    """
    return as_utc(record.last_seen_at) <= (now or utcnow()) - SEEN_EVERY


def note_seen(session_id: int, now: datetime | None = None) -> None:
    """Move "last seen" to now, unless another request has just done so.

    One UPDATE and nothing read first: the caller runs it in a short transaction of its own.
    """
    now = now or utcnow()
    db.session.execute(
        update(MemberSession)
        .where(
            MemberSession.id == session_id,
            MemberSession.ended_at.is_(None),
            MemberSession.last_seen_at <= now - SEEN_EVERY,
        )
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def end_session(user: User, session_id: int) -> None:
    """End one of the member's logins; its cookies open nothing any more."""
    if not 0 < session_id <= MAX_ID:
        raise SessionNotFound(_("That session has already ended."))
    ended = db.session.execute(
        update(MemberSession)
        .where(
            MemberSession.id == session_id,
            MemberSession.user_id == user.id,
            MemberSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if ended.rowcount != 1:
        raise SessionNotFound(_("That session has already ended."))


def end_all_sessions(user: User) -> int:
    """End every login of the member (logging out everywhere); returns how many there were."""
    ended = db.session.execute(
        update(MemberSession)
        .where(MemberSession.user_id == user.id, MemberSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return ended.rowcount


def active_sessions(
    user: User, current_id: int | None, now: datetime | None = None
) -> list[ActiveSession]:
    """The member's live logins, this one first, then the most recently used."""
    records = db.session.scalars(
        select(MemberSession)
        .where(
            MemberSession.user_id == user.id,
            MemberSession.ended_at.is_(None),
            MemberSession.last_seen_at > (now or utcnow()) - IDLE_LIMIT,
        )
        .order_by(MemberSession.last_seen_at.desc(), MemberSession.id.desc())
    )
    sessions = [
        ActiveSession(
            id=record.id,
            device=device_name(record.device),
            started_at=record.created_at,
            last_seen_at=record.last_seen_at,
            current=record.id == current_id,
        )
        for record in records
    ]
    return sorted(sessions, key=lambda session: not session.current)
