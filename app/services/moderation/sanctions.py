"""Warnings, suspensions and bans of members, and staff levels.

No action here applies to the actor's own account or to staff at or above the actor's level.
A suspension or a ban logs the member out everywhere.
"""

from datetime import datetime

from flask_babel import gettext as _

from app.models import (
    AccountStatus,
    NotificationKind,
    StaffLevel,
    User,
    utcnow,
)
from app.services.accounts.sessions import end_all_sessions
from app.services.moderation import ModerationError
from app.services.moderation.audit import notify_member, record


def warn(member: User, moderator: User, reason: str) -> None:
    require_reason(reason)
    refuse_staff_target(member, moderator)
    notify_member(
        member,
        NotificationKind.ACCOUNT,
        lambda: _("A moderator warned you: %(reason)s", reason=reason.strip()),
    )
    record(moderator, "warn", member, reason)


def suspend(member: User, moderator: User, until: datetime, reason: str) -> None:
    require_reason(reason)
    refuse_staff_target(member, moderator)
    if until <= utcnow():
        raise ModerationError(_("A suspension must end in the future."))
    member.account_status = AccountStatus.SUSPENDED
    member.suspended_until = until
    member.status_reason = reason.strip()
    end_all_sessions(member)
    record(moderator, "suspend", member, reason, until=until.isoformat())


def ban(member: User, moderator: User, reason: str) -> None:
    require_reason(reason)
    refuse_staff_target(member, moderator)
    member.account_status = AccountStatus.BANNED
    member.suspended_until = None
    member.status_reason = reason.strip()
    end_all_sessions(member)
    record(moderator, "ban", member, reason)


def unban(member: User, moderator: User, reason: str | None = None) -> None:
    refuse_staff_target(member, moderator)
    if member.account_status is AccountStatus.ACTIVE:
        raise ModerationError(_("This member is not suspended or banned."))
    member.account_status = AccountStatus.ACTIVE
    member.suspended_until = None
    member.status_reason = None
    record(moderator, "unban", member, reason)


def set_staff_level(member: User, admin: User, level: StaffLevel, reason: str | None = None):
    if not admin.has_staff_level(StaffLevel.ADMIN):
        raise ModerationError(_("Only admins can change staff levels."))
    refuse_staff_target(member, admin)
    previous = member.staff_level
    member.staff_level = level
    record(admin, "staff-level", member, reason, previous=previous.value, new=level.value)


def require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ModerationError(_("Give a reason; the member will see it."))


def refuse_staff_target(member: User, moderator: User) -> None:
    if member.id == moderator.id:
        raise ModerationError(_("You cannot act on your own account."))
    if member.staff_level.rank >= moderator.staff_level.rank:
        raise ModerationError(_("You cannot act on staff at or above your own level."))
