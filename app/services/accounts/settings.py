"""A member's settings: profile, community role, notifications."""

from app.extensions import db
from app.models import (
    CommunityRole,
    User,
    VerificationStatus,
)
from app.services.accounts import AccountError
from app.services.accounts.registration import (
    Profile,
    _check_email_free,
    _clean_profile,
    normalise_email,
)


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
