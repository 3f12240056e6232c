"""Members' reports: enough of them from trusted members hide a comment until a moderator looks.

Reports from new or untrusted members reach the moderation queue but do not count toward
hiding, so a handful of throwaway accounts cannot silence a discussion.
"""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import (
    Comment,
    CommentStatus,
    Report,
    ReportReason,
    User,
    utcnow,
)
from app.services.discussion.status import set_status
from app.services.moderation import ModerationError
from app.services.moderation.trust import trusted_member


def report_comment(comment: Comment, reporter: User, reason: ReportReason, note: str | None):
    if reporter.is_restricted():
        raise ModerationError(_("Your account is restricted, so you cannot report comments."))
    if comment.author_id == reporter.id:
        raise ModerationError(_("You cannot report your own comment."))
    if comment.status is not CommentStatus.PUBLISHED:
        raise ModerationError(_("This comment is not open to reports."))
    if reason is ReportReason.OTHER and not (note or "").strip():
        raise ModerationError(_("Please say what is wrong when you choose “Other”."))
    already = db.session.scalar(
        select(Report.id).where(Report.comment_id == comment.id, Report.reporter_id == reporter.id)
    )
    if already:
        raise ModerationError(_("You have already reported this comment."))
    db.session.add(
        Report(comment_id=comment.id, reporter_id=reporter.id, reason=reason, note=note or None)
    )
    db.session.flush()
    # The update also locks the comment's row, so reports sent at the same moment are counted
    # one after another below.
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(report_count=Comment.report_count + 1)
    )
    if _open_reports_from_trusted_members(comment) >= current_app.config["REPORTS_TO_HIDE"]:
        set_status(comment, CommentStatus.HIDDEN)
        comment.pending_reason = "hidden after reports from several members"


def _open_reports_from_trusted_members(comment: Comment) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Report)
        .join(User, User.id == Report.reporter_id)
        .where(Report.comment_id == comment.id, Report.resolved_at.is_(None), trusted_member())
    )


def resolve_reports(comment: Comment) -> None:
    """A moderator has looked: the open reports close, and new ones count from zero."""
    db.session.execute(
        update(Report)
        .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    comment.report_count = 0


def has_open_reports(comment: Comment) -> bool:
    return (
        db.session.scalar(
            select(Report.id)
            .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
            .limit(1)
        )
        is not None
    )
