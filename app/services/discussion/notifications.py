"""Members' notifications: a reply to their comment lands in their inbox, and in their
mailbox too if they asked for it."""

import logging

from flask import current_app
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Comment, CommentStatus, Notification, NotificationKind, User, utcnow
from app.services.infra import page_versions
from app.services.infra.links import site_links
from app.services.infra.mail import queue_mail
from app.services.infra.markdown import plain_text

log = logging.getLogger(__name__)

EXCERPT_LENGTH = 300


def notify_reply(comment: Comment) -> Notification | None:
    """Tell the author of the parent comment that someone replied.

    Nobody is told about a reply to their own comment, a reply whose parent has lost its
    author, or a reply that readers cannot see yet (it is announced when it is approved).
    """
    if comment.parent_id is None or comment.status is not CommentStatus.PUBLISHED:
        return None
    parent = db.session.get(Comment, comment.parent_id)
    if parent is None or parent.author_id is None or parent.author_id == comment.author_id:
        return None
    notification = Notification(
        recipient_id=parent.author_id,
        kind=NotificationKind.REPLY,
        actor_id=comment.author_id,
        comment_id=comment.id,
        created_at=comment.created_at or utcnow(),
    )
    db.session.add(notification)
    db.session.flush()
    recipient = db.session.get(User, parent.author_id)
    if recipient is not None and recipient.email_notifications and recipient.email:
        _email_reply(recipient, comment)
    return notification


def _email_reply(recipient: User, comment: Comment) -> None:
    links = site_links()
    if not links.available():
        # Without a site address there is nothing to link to; the inbox has the reply.
        log.info("reply e-mail to member %s skipped: no site address known", recipient.id)
        return
    actor = comment.author.username if comment.author else "Someone"
    article = comment.article
    excerpt = plain_text(comment.body_html)
    if len(excerpt) > EXCERPT_LENGTH:
        excerpt = excerpt[: EXCERPT_LENGTH - 1].rstrip() + "…"
    site = current_app.config["SITE_NAME"]
    body = "\n\n".join(
        [
            f"Hello {recipient.username},",
            f"{actor} replied to your comment on “{article.title}”:",
            excerpt,
            f"Read the reply in its thread: {links.comment(comment.id)}",
            "You receive these e-mails because you turned on reply notifications by e-mail. "
            "You can turn them off in your settings: " + links.settings(),
            f"— {site}",
        ]
    )
    queue_mail(recipient.email, f"{actor} replied to your comment on {site}", body)


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.recipient_id == user_id, Notification.read_at.is_(None)
        )
    )


def inbox_statement(user_id: int):
    return (
        select(Notification)
        .where(Notification.recipient_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(notification: Notification, now=None) -> None:
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.flush()


def mark_all_read(user_id: int, now=None) -> int:
    """Mark every unread notification of the member as read; returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    page_versions.changed(page_versions.member_pages(user_id))  # the unread count
    return result.rowcount
