"""Deleting an account: personal data erased, comments removed or kept as "[deleted user]".

Votes stay only as anonymous counts.
"""

import secrets

from flask_babel import gettext as _
from sqlalchemy import case, delete, func, select, update

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentRevision,
    CommentStatus,
    CommunityRole,
    HelpfulMark,
    OutboxMessage,
    Report,
    User,
    Vote,
)
from app.services.accounts import AccountError
from app.services.infra import page_versions


def delete_member(user: User, password: str, *, keep_comments: bool) -> None:
    """Erase a member: their row goes, their votes stay only as anonymous counts.

    Comments are either emptied (their place in threads and the replies stay) or kept
    under "[deleted user]", and mail to their address leaves the outbox, sent or not.
    Helpful marks, reports, notifications, verification requests and sessions (every login,
    so the member is logged out everywhere) go with the member through the foreign keys'
    ON DELETE CASCADE.
    """
    if not user.check_password(password or ""):
        raise AccountError(_("That is not your password."), "password")
    member_id = user.id
    if not keep_comments:
        _erase_comments(member_id)
    _anonymise_votes(member_id)
    _withdraw_marks_and_reports(member_id)
    if user.email:
        _forget_mail_to(user.email)
    db.session.execute(
        delete(User).where(User.id == member_id).execution_options(synchronize_session=False)
    )
    db.session.expunge(user)
    # Their name leaves every discussion, their comments and marks too: written in bulk, so
    # named here rather than noticed at the flush.
    page_versions.changed(page_versions.MEMBERS, page_versions.COUNTS)


def _forget_mail_to(address: str) -> None:
    """The outbox keeps sent and failed mail for a while; none of it to this address stays."""
    db.session.execute(
        delete(OutboxMessage)
        .where(func.lower(OutboxMessage.recipient) == address.lower())
        .execution_options(synchronize_session=False)
    )


def _erase_comments(member_id: int) -> None:
    counted = db.session.execute(
        select(Comment.article_id, func.count())
        .where(Comment.author_id == member_id, Comment.status == CommentStatus.PUBLISHED)
        .group_by(Comment.article_id)
    ).all()
    for article_id, count in counted:
        db.session.execute(
            update(Article)
            .where(Article.id == article_id)
            .values(comment_count=Article.comment_count - count)
        )
    their_comments = select(Comment.id).where(Comment.author_id == member_id)
    db.session.execute(
        delete(CommentRevision).where(CommentRevision.comment_id.in_(their_comments))
    )
    db.session.execute(
        update(Comment)
        .where(Comment.author_id == member_id)
        .values(status=CommentStatus.DELETED, body_markdown="", body_html="", featured=False)
        .execution_options(synchronize_session=False)
    )


def _anonymise_votes(member_id: int) -> None:
    """Each vote gets a random token no cookie will ever carry: counted, tied to no one."""
    vote_ids = db.session.scalars(select(Vote.id).where(Vote.user_id == member_id)).all()
    if not vote_ids:
        return
    db.session.execute(
        update(Vote),
        [
            {
                "id": vote_id,
                "user_id": None,
                "voter_token": f"deleted-{secrets.token_hex(16)}",
                "address_hash": None,
            }
            for vote_id in vote_ids
        ],
    )


def _withdraw_marks_and_reports(member_id: int) -> None:
    """Keep comment counters true once the member's marks and reports are gone."""
    marks = select(HelpfulMark.comment_id).where(HelpfulMark.user_id == member_id)
    for counter, marked in (
        (Comment.helpful_count, marks),
        (
            Comment.client_helpful_count,
            marks.where(HelpfulMark.marker_role == CommunityRole.CLIENT),
        ),
        (
            Comment.professional_helpful_count,
            marks.where(HelpfulMark.marker_role == CommunityRole.PROFESSIONAL),
        ),
        (
            Comment.report_count,
            select(Report.comment_id).where(
                Report.reporter_id == member_id, Report.resolved_at.is_(None)
            ),
        ),
    ):
        db.session.execute(
            update(Comment)
            .where(Comment.id.in_(marked))
            .values({counter: case((counter > 0, counter - 1), else_=0)})
            .execution_options(synchronize_session=False)
        )
