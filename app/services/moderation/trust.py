"""Which members are trusted: until then their reports hide nothing and their daily caps are lower.

Staff and verified professionals are trusted from the start; anyone else once their account is
TRUSTED_AFTER_DAYS old and a moderator has approved TRUSTED_AFTER_APPROVED_COMMENTS of their
comments, as long as removals have not brought their trust score down to the low-trust mark.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from app.extensions import db
from app.models import CommunityRole, StaffLevel, User, VerificationStatus, utcnow
from app.services.moderation.premoderation import LOW_TRUST


def trusted_member():
    """The condition on User that holds for trusted members, now."""
    config = current_app.config
    return or_(
        User.staff_level != StaffLevel.MEMBER,
        and_(
            User.community_role == CommunityRole.PROFESSIONAL,
            User.verification_status == VerificationStatus.VERIFIED,
        ),
        and_(
            User.created_at <= utcnow() - timedelta(days=config["TRUSTED_AFTER_DAYS"]),
            User.approved_comment_count >= config["TRUSTED_AFTER_APPROVED_COMMENTS"],
            User.trust_score > LOW_TRUST,
        ),
    )


def is_trusted(member: User) -> bool:
    return (
        db.session.scalar(select(User.id).where(User.id == member.id, trusted_member())) is not None
    )
