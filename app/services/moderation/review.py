"""The review queue's decisions on comments: approve, remove, restore, feature, appeals."""

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.extensions import db
from app.models import (
    Appeal,
    AppealStatus,
    Comment,
    CommentStatus,
    NotificationKind,
    User,
    utcnow,
)
from app.services.discussion.notifications import queue_comment_notices
from app.services.discussion.status import set_status
from app.services.moderation import ModerationError
from app.services.moderation.audit import notify_member, record
from app.services.moderation.reports import has_open_reports, resolve_reports
from app.services.moderation.wording import removal_reason_text

TRUST_GAIN_PER_APPROVAL = 1
TRUST_LOSS_PER_REMOVAL = 3


def approve(comment: Comment, moderator: User) -> None:
    """Let a comment stand: publish one awaiting review, or clear what flagged a visible one."""
    if comment.status is CommentStatus.PUBLISHED:
        if not (comment.crisis_flag or has_open_reports(comment)):
            raise ModerationError(_("Nothing about this comment is waiting for review."))
        comment.crisis_flag = False
        resolve_reports(comment)
        record(moderator, "approve", comment)
        return
    if comment.status not in (CommentStatus.PENDING, CommentStatus.HIDDEN):
        raise ModerationError(
            _("Removed and deleted comments cannot be approved; restore instead.")
        )
    first_approval = comment.status is CommentStatus.PENDING
    set_status(comment, CommentStatus.PUBLISHED)
    comment.pending_reason = None
    comment.crisis_flag = False
    resolve_reports(comment)
    if first_approval and comment.author is not None:
        _adjust_trust(comment.author, TRUST_GAIN_PER_APPROVAL, approved=1)
        # A comment held for review reaches the parent's author and the followers only now.
        queue_comment_notices(comment)
        notify_member(
            comment.author,
            NotificationKind.COMMENT_APPROVED,
            lambda: _("Your comment was approved and is now visible."),
            comment,
        )
    record(moderator, "approve", comment)


def remove(comment: Comment, moderator: User, reason: str) -> None:
    if not reason.strip():
        raise ModerationError(_("Say which rule the comment broke."))
    if comment.status in (CommentStatus.REMOVED, CommentStatus.DELETED):
        raise ModerationError(_("This comment is already gone."))
    set_status(comment, CommentStatus.REMOVED)
    comment.removal_reason = reason.strip()
    comment.featured = False
    resolve_reports(comment)
    if comment.author is not None:
        _adjust_trust(comment.author, -TRUST_LOSS_PER_REMOVAL)
        notify_member(
            comment.author,
            NotificationKind.COMMENT_REMOVED,
            lambda: _(
                "A moderator removed your comment: %(reason)s. You may appeal once.",
                reason=removal_reason_text(comment.removal_reason),
            ),
            comment,
        )
    record(moderator, "remove", comment, reason)


def restore(comment: Comment, moderator: User, reason: str | None = None) -> None:
    _refuse_own_comment(comment, moderator)
    if comment.status not in (CommentStatus.REMOVED, CommentStatus.HIDDEN):
        raise ModerationError(_("Only removed or hidden comments can be restored."))
    if comment.status is CommentStatus.REMOVED and comment.author is not None:
        _adjust_trust(comment.author, TRUST_LOSS_PER_REMOVAL)
    set_status(comment, CommentStatus.PUBLISHED)
    comment.removal_reason = None
    comment.pending_reason = None
    resolve_reports(comment)
    record(moderator, "restore", comment, reason)


def set_featured(comment: Comment, moderator: User, featured: bool) -> None:
    """Feature a comment (approving it first if it waits for review), or stop featuring it."""
    if featured and comment.status in (CommentStatus.PENDING, CommentStatus.HIDDEN):
        approve(comment, moderator)
    if featured and comment.status is not CommentStatus.PUBLISHED:
        raise ModerationError(_("Only visible comments can be featured."))
    if comment.featured == featured:
        raise ModerationError(
            _("This comment is already featured.")
            if featured
            else _("This comment is not featured.")
        )
    comment.featured = featured
    record(moderator, "feature" if featured else "unfeature", comment)


def _refuse_own_comment(comment: Comment, moderator: User) -> None:
    if comment.author_id == moderator.id:
        raise ModerationError(_("Another moderator must decide on your own comment."))


def _adjust_trust(author: User, delta: int, approved: int = 0) -> None:
    db.session.execute(
        update(User)
        .where(User.id == author.id)
        .values(
            trust_score=User.trust_score + delta,
            approved_comment_count=User.approved_comment_count + approved,
        )
    )


def appeal(comment: Comment, author: User, text: str) -> Appeal:
    if comment.author_id != author.id or comment.status is not CommentStatus.REMOVED:
        raise ModerationError(_("Only the author of a removed comment can appeal."))
    if not text.strip():
        raise ModerationError(_("Say why the comment should be restored."))
    if db.session.scalar(select(Appeal.id).where(Appeal.comment_id == comment.id)):
        raise ModerationError(_("You have already appealed this removal."))
    entry = Appeal(comment_id=comment.id, user_id=author.id, text=text.strip())
    db.session.add(entry)
    return entry


def decide_appeal(entry: Appeal, moderator: User, grant: bool, reason: str | None = None):
    _refuse_own_comment(entry.comment, moderator)
    if entry.status is not AppealStatus.PENDING:
        raise ModerationError(_("This appeal has already been decided."))
    entry.status = AppealStatus.GRANTED if grant else AppealStatus.DENIED
    entry.decided_by_id = moderator.id
    entry.decided_at = utcnow()
    if grant:
        restore(entry.comment, moderator, reason or "appeal granted")
    record(moderator, "appeal-granted" if grant else "appeal-denied", entry, reason)
