"""No staff action of any kind applies to staff at or above the actor's level, or to oneself."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ModerationAction, Notification, StaffLevel, User, VerificationStatus


def act(forms, target, action, data):
    return forms.submit(
        f"/moderation/members/{target.id}",
        data,
        action_url=f"/moderation/members/{target.id}/{action}",
        follow_redirects=True,
    )


@pytest.mark.parametrize("level", ["moderator", "admin"])
def test_a_moderator_cannot_warn_staff_at_or_above_their_level(forms, make_user, level):
    make_user("mod_maya", staff="moderator")
    target = make_user("senior", staff=level)
    forms.login("mod_maya")

    response = act(forms, target, "warn", {"reason": "Be nicer"})

    assert "at or above your own level" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(Notification).where(Notification.recipient_id == target.id))
        is None
    )
    assert db.session.scalar(select(ModerationAction)) is None


def test_a_moderator_cannot_revoke_another_moderators_verification(forms, make_user):
    make_user("mod_maya", staff="moderator")
    target = make_user(
        "mod_kim",
        staff="moderator",
        role="professional",
        discipline="counselor",
        verified=True,
    )
    forms.login("mod_maya")

    response = act(forms, target, "revoke-verification", {"reason": "Expired licence"})

    assert "at or above your own level" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.verification_status is VerificationStatus.VERIFIED


def test_an_admin_cannot_change_another_admins_level_or_their_own(forms, make_user):
    me = make_user("boss", staff="admin")
    other = make_user("boss_two", staff="admin")
    forms.login("boss")

    for target in (other, me):
        response = act(forms, target, "staff-level", {"level": "member", "reason": "Tidy"})
        assert "at or above your own level" in response.get_data(
            as_text=True
        ) or "your own account" in response.get_data(as_text=True)

    levels = db.session.scalars(select(User.staff_level).order_by(User.id)).all()
    assert levels == [StaffLevel.ADMIN, StaffLevel.ADMIN]
