"""Professionals ask to be verified; moderators approve, decline or revoke."""

from flask_babel import gettext as _

from app.extensions import db
from app.models import (
    NotificationKind,
    User,
    VerificationRequest,
    VerificationStatus,
    utcnow,
)
from app.services.moderation import ModerationError
from app.services.moderation.audit import notify_member, record
from app.services.moderation.sanctions import refuse_staff_target, require_reason


def request_verification(member: User, licence_type, licence_number, jurisdiction, note=None):
    if member.community_role.value != "professional":
        raise ModerationError(_("Only professionals can ask to be verified."))
    if member.verification_status in (VerificationStatus.PENDING, VerificationStatus.VERIFIED):
        raise ModerationError(_("Your verification is already pending or granted."))
    entry = VerificationRequest(
        user_id=member.id,
        licence_type=licence_type.strip(),
        licence_number=licence_number.strip(),
        jurisdiction=jurisdiction.strip(),
        note=(note or "").strip() or None,
    )
    member.verification_status = VerificationStatus.PENDING
    db.session.add(entry)
    return entry


def decide_verification(entry: VerificationRequest, moderator: User, approve_it: bool, reason=None):
    if entry.user_id == moderator.id:
        raise ModerationError(_("Another moderator must decide on your own verification."))
    if entry.status is not VerificationStatus.PENDING:
        raise ModerationError(_("This request has already been decided."))
    if not approve_it:
        require_reason(reason)
    now = utcnow()
    entry.status = VerificationStatus.VERIFIED if approve_it else VerificationStatus.DECLINED
    entry.decided_by_id = moderator.id
    entry.decided_at = now
    entry.decision_reason = (reason or "").strip() or None
    member = entry.user
    member.verification_status = entry.status
    member.verified_at = now if approve_it else None

    def message() -> str:
        if approve_it:
            return _(
                "Your credentials were verified: you now carry the “Verified professional” badge."
            )
        return _("Your verification request was declined: %(reason)s", reason=entry.decision_reason)

    notify_member(member, NotificationKind.VERIFICATION, message)
    record(moderator, "verify" if approve_it else "decline-verification", entry, reason)


def revoke_verification(member: User, moderator: User, reason: str) -> None:
    require_reason(reason)
    refuse_staff_target(member, moderator)
    if member.verification_status is not VerificationStatus.VERIFIED:
        raise ModerationError(_("This member is not verified."))
    member.verification_status = VerificationStatus.REVOKED
    member.verified_at = None
    notify_member(
        member,
        NotificationKind.VERIFICATION,
        lambda: _("Your verification was revoked: %(reason)s", reason=reason),
    )
    record(moderator, "revoke-verification", member, reason)
