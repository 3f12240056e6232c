"""A member's account: joining, logging in, settings, passwords, export and erasure.

Functions flush, never commit; each raises AccountError with a message for the member
(and the form field it belongs to, when there is one).
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from argon2 import PasswordHasher
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentRevision,
    CommentStatus,
    CommunityRole,
    Discipline,
    HelpfulMark,
    Notification,
    Poll,
    Report,
    User,
    VerificationRequest,
    VerificationStatus,
    Vote,
    VoteChoice,
)
from app.services.infra.mail import send_mail

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
CREDENTIALS_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 254

RESET_SALT = "password-reset"
RESET_MAX_AGE_SECONDS = 3600
WRONG_LOGIN = "Wrong username or password."


class AccountError(Exception):
    """Something the member must correct; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Profile:
    """What a member says about themselves; the same on the join and settings pages."""

    community_role: CommunityRole
    discipline: Discipline | None = None
    credentials: str | None = None


# Joining and logging in ------------------------------------------------------------------


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(
            f"Choose a password of at least {PASSWORD_MIN_LENGTH} characters.", field
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(
            f"Keep the password to {PASSWORD_MAX_LENGTH} characters or fewer.", field
        )


def find_by_username(username: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )


def find_by_email(email: str) -> User | None:
    email = normalise_email(email)
    if email is None:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def _check_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise AccountError("Use 3 to 30 letters, digits, underscores or hyphens.", "username")
    if find_by_username(username) is not None:
        raise AccountError("That username is taken. Please choose another.", "username")


def _check_email_free(email: str | None, owner: User | None = None) -> None:
    if email is None:
        return
    if len(email) > EMAIL_MAX_LENGTH:
        raise AccountError("That e-mail address is too long.", "email")
    existing = find_by_email(email)
    if existing is not None and existing is not owner:
        raise AccountError("That e-mail address is already used by another account.", "email")


def _clean_profile(profile: Profile) -> Profile:
    role = CommunityRole(profile.community_role)
    if role is not CommunityRole.PROFESSIONAL:
        return Profile(role)
    if profile.discipline is None:
        raise AccountError("Choose your discipline.", "discipline")
    credentials = (profile.credentials or "").strip() or None
    if credentials and len(credentials) > CREDENTIALS_MAX_LENGTH:
        raise AccountError(
            f"Keep credentials to {CREDENTIALS_MAX_LENGTH} characters or fewer.", "credentials"
        )
    return Profile(role, Discipline(profile.discipline), credentials)


def register_member(
    username: str,
    password: str,
    profile: Profile,
    *,
    email: str | None = None,
    show_role_badge: bool = False,
) -> User:
    username = username.strip()
    email = normalise_email(email)
    _check_username(username)
    _check_email_free(email)
    check_password_rules(password)
    profile = _clean_profile(profile)
    user = User(
        username=username,
        email=email,
        community_role=profile.community_role,
        discipline=profile.discipline,
        credentials=profile.credentials,
        show_role_badge=show_role_badge,
    )
    user.set_password(password)
    _flush_new(user)
    return user


def _flush_new(user: User) -> None:
    """Two people may pick the same name at the same moment; the database decides."""
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        field = "email" if "email" in str(error.orig).lower() else "username"
        message = (
            "That e-mail address is already used by another account."
            if field == "email"
            else "That username is taken. Please choose another."
        )
        raise AccountError(message, field) from error


@lru_cache(maxsize=4)
def _decoy_hash(time_cost: int, memory_cost: int) -> str:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost).hash(secrets.token_hex(16))


def authenticate(username: str, password: str) -> User:
    """The member with this username and password; one message for every failure."""
    user = find_by_username(username or "")
    if user is None:
        # Spend the time a real check takes, so timing does not tell which names exist.
        config = current_app.config
        decoy = User(
            password_hash=_decoy_hash(
                config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536)
            )
        )
        decoy.check_password(password or "")
        raise AccountError(WRONG_LOGIN)
    if not user.check_password(password or ""):
        raise AccountError(WRONG_LOGIN)
    return user


# Settings and passwords --------------------------------------------------------------------


def update_settings(
    user: User,
    profile: Profile,
    *,
    email: str | None,
    email_notifications: bool,
    show_role_badge: bool,
    show_verified_badge: bool,
    show_stance: bool,
) -> User:
    profile = _clean_profile(profile)
    email = normalise_email(email)
    _check_email_free(email, owner=user)
    if email_notifications and email is None:
        raise AccountError("Add an e-mail address to get replies by e-mail.", "email")
    if _ends_verification(user, profile):
        user.verification_status = VerificationStatus.UNVERIFIED
        user.verified_at = None
    user.community_role = profile.community_role
    user.discipline = profile.discipline
    user.credentials = profile.credentials
    user.email = email
    user.email_notifications = email_notifications
    user.show_role_badge = show_role_badge
    user.show_verified_badge = show_verified_badge
    user.show_stance = show_stance
    db.session.flush()
    return user


def _ends_verification(user: User, profile: Profile) -> bool:
    """A verification vouches for one discipline; changing it means asking again."""
    if user.verification_status is not VerificationStatus.VERIFIED:
        return False
    return (
        profile.community_role is not CommunityRole.PROFESSIONAL
        or profile.discipline != user.discipline
    )


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password or ""):
        raise AccountError("That is not your current password.", "current_password")
    check_password_rules(new_password, "new_password")
    user.set_password(new_password)
    db.session.flush()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    # The fingerprint changes with the password, so a used link stops working.
    return _serializer().dumps({"user": user.id, "password": user.session_fingerprint})


def member_for_reset_token(token: str) -> User:
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except SignatureExpired as error:
        raise AccountError("This reset link has expired. Please ask for a new one.") from error
    except BadSignature as error:
        raise AccountError("This reset link is not valid. Please ask for a new one.") from error
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or data.get("password") != user.session_fingerprint:
        raise AccountError("This reset link has already been used. Please ask for a new one.")
    return user


def reset_password(token: str, new_password: str) -> User:
    user = member_for_reset_token(token)
    check_password_rules(new_password, "new_password")
    user.set_password(new_password)
    db.session.flush()
    return user


def send_reset_link(identifier: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link if the account exists and has an address; silent otherwise."""
    identifier = (identifier or "").strip()
    user = find_by_email(identifier) if "@" in identifier else find_by_username(identifier)
    if user is None or not user.email:
        return
    site = current_app.config["SITE_NAME"]
    body = (
        f"Hello {user.username},\n\n"
        f"Someone asked to reset the password of your {site} account. To choose a new\n"
        f"password, open this link within the next hour:\n\n"
        f"{link_for(make_reset_token(user))}\n\n"
        "If it was not you, ignore this message: your password stays as it is.\n"
    )
    send_mail(user.email, f"Reset your {site} password", body)


# Export ----------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def export_member_data(user: User) -> dict:
    """Everything the site keeps about a member, in a form they can read and keep."""
    return {
        "exported_at": _iso(datetime.now(UTC)),
        "profile": _export_profile(user),
        "comments": _export_comments(user),
        "votes": _export_votes(user),
        "notifications": _export_notifications(user),
        "reports": _export_reports(user),
        "verification_requests": _export_verification_requests(user),
    }


def _export_profile(user: User) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "community_role": str(user.community_role),
        "discipline": str(user.discipline) if user.discipline else None,
        "credentials": user.credentials,
        "verification_status": str(user.verification_status),
        "staff_level": str(user.staff_level),
        "account_status": str(user.account_status),
        "show_role_badge": user.show_role_badge,
        "show_verified_badge": user.show_verified_badge,
        "show_stance": user.show_stance,
        "email_notifications": user.email_notifications,
        "created_at": _iso(user.created_at),
    }


def _export_comments(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Comment, Article.slug)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at, Comment.id)
    )
    return [
        {
            "id": comment.id,
            "article": slug,
            "parent_id": comment.parent_id,
            "body": comment.body_markdown,
            "created_at": _iso(comment.created_at),
            "edited_at": _iso(comment.edited_at),
            "status": str(comment.status),
        }
        for comment, slug in rows
    ]


def _export_votes(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Vote, Poll.question)
        .join(Poll, Poll.id == Vote.poll_id)
        .where(Vote.user_id == user.id)
        .options(selectinload(Vote.choices).joinedload(VoteChoice.option))
        .order_by(Vote.created_at, Vote.id)
    )
    return [
        {
            "poll_id": vote.poll_id,
            "question": question,
            "options": sorted(
                (choice.option.label for choice in vote.choices),
            ),
            "role_when_voting": str(vote.voter_role),
            "cast_at": _iso(vote.created_at),
            "changed_at": _iso(vote.updated_at) if vote.change_count else None,
        }
        for vote, question in rows
    ]


def _export_notifications(user: User) -> list[dict]:
    notifications = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at, Notification.id)
    )
    return [
        {
            "kind": str(notification.kind),
            "comment_id": notification.comment_id,
            "message": notification.message,
            "created_at": _iso(notification.created_at),
            "read_at": _iso(notification.read_at),
        }
        for notification in notifications
    ]


def _export_reports(user: User) -> list[dict]:
    reports = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.created_at)
    )
    return [
        {
            "comment_id": report.comment_id,
            "reason": str(report.reason),
            "note": report.note,
            "created_at": _iso(report.created_at),
        }
        for report in reports
    ]


def _export_verification_requests(user: User) -> list[dict]:
    requests = db.session.scalars(
        select(VerificationRequest)
        .where(VerificationRequest.user_id == user.id)
        .order_by(VerificationRequest.created_at)
    )
    return [
        {
            "licence_type": request.licence_type,
            "licence_number": request.licence_number,
            "jurisdiction": request.jurisdiction,
            "note": request.note,
            "status": str(request.status),
            "created_at": _iso(request.created_at),
            "decided_at": _iso(request.decided_at),
        }
        for request in requests
    ]


# Erasure ---------------------------------------------------------------------------------


def delete_member(user: User, password: str, *, keep_comments: bool) -> None:
    """Erase a member: their row goes, their votes stay only as anonymous counts.

    Comments are either emptied (their place in threads and the replies stay) or kept
    under "[deleted user]". Helpful marks, reports, notifications and verification
    requests go with the member through the foreign keys' ON DELETE CASCADE.
    """
    if not user.check_password(password or ""):
        raise AccountError("That is not your password.", "password")
    member_id = user.id
    if not keep_comments:
        _erase_comments(member_id)
    _anonymise_votes(member_id)
    _withdraw_marks_and_reports(member_id)
    db.session.execute(
        delete(User).where(User.id == member_id).execution_options(synchronize_session=False)
    )
    db.session.expunge(user)


def _erase_comments(member_id: int) -> None:
    counted = db.session.execute(
        select(Comment.article_id, func.count())
        .where(Comment.author_id == member_id, Comment.status == CommentStatus.PUBLISHED)
        .group_by(Comment.article_id)
    ).all()
    for article_id, count in counted:
        db.session.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(comment_count=Article.comment_count - count)
        )
    their_comments = select(Comment.id).where(Comment.author_id == member_id)
    db.session.execute(
        delete(CommentRevision).where(CommentRevision.comment_id.in_(their_comments))
    )
    db.session.execute(
        update(Comment)
        .where(Comment.author_id == member_id)
        .values(status=CommentStatus.DELETED, body_markdown="", body_html="", featured=False)
        .execution_options(synchronize_session=False)
    )


def _anonymise_votes(member_id: int) -> None:
    """Each vote gets a random token no cookie will ever carry: counted, tied to no one."""
    vote_ids = db.session.scalars(select(Vote.id).where(Vote.user_id == member_id)).all()
    if not vote_ids:
        return
    db.session.execute(
        update(Vote),
        [
            {
                "id": vote_id,
                "user_id": None,
                "voter_token": f"deleted-{secrets.token_hex(16)}",
                "address_hash": None,
            }
            for vote_id in vote_ids
        ],
    )


def _withdraw_marks_and_reports(member_id: int) -> None:
    """Keep comment counters true once the member's marks and reports are gone."""
    for counter, marked in (
        (
            Comment.helpful_count,
            select(HelpfulMark.comment_id).where(HelpfulMark.user_id == member_id),
        ),
        (
            Comment.report_count,
            select(Report.comment_id).where(
                Report.reporter_id == member_id, Report.resolved_at.is_(None)
            ),
        ),
    ):
        db.session.execute(
            update(Comment)
            .where(Comment.id.in_(marked))
            .values({counter: case((counter > 0, counter - 1), else_=0)})
            .execution_options(synchronize_session=False)
        )
