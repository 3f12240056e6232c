"""Resetting a forgotten password by a signed, single-use link sent by e-mail."""

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import (
    User,
)
from app.services.accounts import AccountError
from app.services.accounts.registration import check_password_rules, find_by_email, find_by_username
from app.services.accounts.sessions import end_all_sessions
from app.services.infra.languages import speaking_to
from app.services.infra.mail import queue_mail

RESET_SALT = "password-reset"


RESET_MAX_AGE_SECONDS = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    # The fingerprint changes with the password, so a used link stops working.
    return _serializer().dumps({"user": user.id, "password": user.session_fingerprint})


def member_for_reset_token(token: str) -> User:
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except SignatureExpired as error:
        raise AccountError(_("This reset link has expired. Please ask for a new one.")) from error
    except BadSignature as error:
        raise AccountError(_("This reset link is not valid. Please ask for a new one.")) from error
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or data.get("password") != user.session_fingerprint:
        raise AccountError(_("This reset link has already been used. Please ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = member_for_reset_token(token)
    check_password_rules(new_password, "new_password")
    user.set_password(new_password)
    # Whoever asked for a reset may not be the only one who knew the old password.
    end_all_sessions(user)
    db.session.flush()
    return user


def send_reset_link(identifier: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link if the account exists and has an address; silent otherwise."""
    identifier = (identifier or "").strip()
    user = find_by_email(identifier) if "@" in identifier else find_by_username(identifier)
    if user is None or not user.email:
        return
    site = current_app.config["SITE_NAME"]
    link = link_for(make_reset_token(user))
    with speaking_to(user):
        subject = _("Reset your %(site)s password", site=site)
        body = _(
            "Hello %(name)s,\n\n"
            "Someone asked to reset the password of your %(site)s account. To choose a new\n"
            "password, open this link within the next hour:\n\n"
            "%(link)s\n\n"
            "If it was not you, ignore this message: your password stays as it is.\n",
            name=user.username,
            site=site,
            link=link,
        )
    queue_mail(user.email, subject, body)
