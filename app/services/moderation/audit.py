"""The append-only audit log of staff actions, and the notices members receive about them."""

from collections.abc import Callable

from app.extensions import db
from app.models import (
    Appeal,
    Article,
    BannedWord,
    Comment,
    ModerationAction,
    Notification,
    NotificationKind,
    Poll,
    User,
    VerificationRequest,
)
from app.services.infra.languages import speaking_to


def record(actor: User | None, action: str, target, reason: str | None = None, **details):
    """Append one entry to the audit log."""
    entry = ModerationAction(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=_target_type(target),
        target_id=target.id,
        reason=reason or None,
        details=details or None,
    )
    db.session.add(entry)
    return entry


def _target_type(target) -> str:
    return {
        Comment: "comment",
        User: "user",
        Article: "article",
        Poll: "poll",
        BannedWord: "banned-word",
        VerificationRequest: "verification",
        Appeal: "appeal",
    }[type(target)]


def notify_member(
    recipient: User | None, kind: NotificationKind, message: Callable[[], str], comment=None
):
    """Leave a notice in a member's inbox, written in the member's language."""
    if recipient is None:
        return
    with speaking_to(recipient):
        text = message()
    db.session.add(
        Notification(
            recipient_id=recipient.id,
            kind=kind,
            message=text,
            comment_id=comment.id if comment is not None else None,
        )
    )
