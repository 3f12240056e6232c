"""Everything the site holds about a member, as JSON they can download."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Article,
    Comment,
    Follow,
    MemberSession,
    Notification,
    Poll,
    Report,
    User,
    VerificationRequest,
    Vote,
    VoteChoice,
    iso_utc,
)


def export_member_data(user: User) -> dict:
    """Everything the site keeps about a member, in a form they can read and keep."""
    return {
        "exported_at": iso_utc(datetime.now(UTC)),
        "profile": _export_profile(user),
        "comments": _export_comments(user),
        "votes": _export_votes(user),
        "notifications": _export_notifications(user),
        "followed_articles": _export_follows(user),
        "reports": _export_reports(user),
        "verification_requests": _export_verification_requests(user),
        "sessions": _export_sessions(user),
    }


def _export_profile(user: User) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "community_role": str(user.community_role),
        "discipline": str(user.discipline) if user.discipline else None,
        "credentials": user.credentials,
        "verification_status": str(user.verification_status),
        "staff_level": str(user.staff_level),
        "account_status": str(user.account_status),
        "show_role_badge": user.show_role_badge,
        "show_verified_badge": user.show_verified_badge,
        "show_stance": user.show_stance,
        "emails_about_replies": str(user.reply_emails),
        "emails_about_followed_articles": str(user.follow_emails),
        "follow_articles_i_comment_on": user.follow_on_comment,
        "created_at": iso_utc(user.created_at),
    }


def _export_comments(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Comment, Article.slug)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at, Comment.id)
    )
    return [
        {
            "id": comment.id,
            "article": slug,
            "parent_id": comment.parent_id,
            "body": comment.body_markdown,
            "created_at": iso_utc(comment.created_at),
            "edited_at": iso_utc(comment.edited_at),
            "status": str(comment.status),
        }
        for comment, slug in rows
    ]


def _export_votes(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Vote, Poll.question)
        .join(Poll, Poll.id == Vote.poll_id)
        .where(Vote.user_id == user.id)
        .options(selectinload(Vote.choices).joinedload(VoteChoice.option))
        .order_by(Vote.created_at, Vote.id)
    )
    return [
        {
            "poll_id": vote.poll_id,
            "question": question,
            "options": sorted(
                (choice.option.label for choice in vote.choices),
            ),
            "role_when_voting": str(vote.voter_role),
            "cast_at": iso_utc(vote.created_at),
            "changed_at": iso_utc(vote.updated_at) if vote.change_count else None,
        }
        for vote, question in rows
    ]


def _export_notifications(user: User) -> list[dict]:
    notifications = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at, Notification.id)
    )
    return [
        {
            "kind": str(notification.kind),
            "comment_id": notification.comment_id,
            "message": notification.message,
            "created_at": iso_utc(notification.created_at),
            "read_at": iso_utc(notification.read_at),
            "mailed_at": iso_utc(notification.mailed_at),
        }
        for notification in notifications
    ]


def _export_follows(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Follow.created_at, Article.slug)
        .join(Article, Article.id == Follow.article_id)
        .where(Follow.user_id == user.id)
        .order_by(Follow.created_at, Follow.id)
    )
    return [{"article": slug, "since": iso_utc(created_at)} for created_at, slug in rows]


def _export_reports(user: User) -> list[dict]:
    reports = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.created_at)
    )
    return [
        {
            "comment_id": report.comment_id,
            "reason": str(report.reason),
            "note": report.note,
            "created_at": iso_utc(report.created_at),
        }
        for report in reports
    ]


def _export_verification_requests(user: User) -> list[dict]:
    requests = db.session.scalars(
        select(VerificationRequest)
        .where(VerificationRequest.user_id == user.id)
        .order_by(VerificationRequest.created_at)
    )
    return [
        {
            "licence_type": request.licence_type,
            "licence_number": request.licence_number,
            "jurisdiction": request.jurisdiction,
            "note": request.note,
            "status": str(request.status),
            "created_at": iso_utc(request.created_at),
            "decided_at": iso_utc(request.decided_at),
        }
        for request in requests
    ]


def _export_sessions(user: User) -> list[dict]:
    """Every login, ended or not; the secret that opens one is not kept, so not exported."""
    sessions = db.session.scalars(
        select(MemberSession)
        .where(MemberSession.user_id == user.id)
        .order_by(MemberSession.created_at, MemberSession.id)
    )
    return [
        {
            "device": session.device,
            "started_at": iso_utc(session.created_at),
            "last_seen_at": iso_utc(session.last_seen_at),
            "ended_at": iso_utc(session.ended_at),
        }
        for session in sessions
    ]
