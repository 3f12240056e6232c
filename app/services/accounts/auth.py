"""Logging in and changing one's password."""

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.models import (
    User,
)
from app.services.accounts import AccountError
from app.services.accounts.registration import check_password_rules, find_by_username
from app.services.accounts.sessions import end_all_sessions


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
        raise AccountError(_("Wrong username or password."))
    if not user.check_password(password or ""):
        raise AccountError(_("Wrong username or password."))
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password and end every session of the member, the caller's included.

    Whoever changes a password may fear that someone else knows the old one; the member's
    own browser is logged in again by the web layer, in a new session.
    """
    if not user.check_password(current_password or ""):
        raise AccountError(_("That is not your current password."), "current_password")
    check_password_rules(new_password, "new_password")
    user.set_password(new_password)
    end_all_sessions(user)
    db.session.flush()
