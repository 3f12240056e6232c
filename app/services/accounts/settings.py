"""A member's settings: profile, community role, notifications."""

from flask_babel import gettext as _

from app.extensions import db
from app.models import (
    CommunityRole,
    MailFrequency,
    User,
    VerificationStatus,
)
from app.services.accounts import AccountError
from app.services.accounts.registration import (
    Profile,
    _clean_profile,
    check_address,
)


def update_settings(
    user: User,
    profile: Profile,
    *,
    email: str | None,
    reply_emails: MailFrequency,
    follow_emails: MailFrequency,
    follow_on_comment: bool,
    show_role_badge: bool,
    show_verified_badge: bool,
    show_stance: bool,
) -> str | None:
    """Save the settings; returns a new e-mail address, which waits for its confirmation."""
    profile = _clean_profile(profile)
    email = check_address(email)
    reply_emails = _frequency(reply_emails, "reply_emails")
    follow_emails = _frequency(follow_emails, "follow_emails")
    if email is None and {reply_emails, follow_emails} != {MailFrequency.NEVER}:
        raise AccountError(_("Add an e-mail address to get notifications by e-mail."), "email")
    if _ends_verification(user, profile):
        user.verification_status = VerificationStatus.UNVERIFIED
        user.verified_at = None
    user.community_role = profile.community_role
    user.discipline = profile.discipline
    user.credentials = profile.credentials
    unconfirmed = email if email is not None and email != user.email else None
    if email is None:
        user.email = None
    user.reply_emails = reply_emails
    user.follow_emails = follow_emails
    user.follow_on_comment = follow_on_comment
    user.show_role_badge = show_role_badge
    user.show_verified_badge = show_verified_badge
    user.show_stance = show_stance
    db.session.flush()
    return unconfirmed


def _frequency(value: str, field: str) -> MailFrequency:
    try:
        return MailFrequency(value)
    except ValueError:
        raise AccountError(_("Choose one of the options shown."), field) from None


def _ends_verification(user: User, profile: Profile) -> bool:
    """A verification vouches for one discipline; changing it means asking again."""
    if user.verification_status is not VerificationStatus.VERIFIED:
        return False
    return (
        profile.community_role is not CommunityRole.PROFESSIONAL
        or profile.discipline != user.discipline
    )


def set_language(user: User, language: str | None) -> None:
    """The language the site speaks to `user`; None follows their browser."""
    user.language = language
    db.session.flush()
