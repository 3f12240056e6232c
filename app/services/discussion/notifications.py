"""Members' notifications: a reply to their comment, or a new comment on an article they
follow (app/services/discussion/follows.py), lands in their inbox, and in their mailbox too
if they asked for it, at once or in a digest (app/services/discussion/digests.py).

A comment is announced by jobs after the commit (`queue_comment_notices`), so posting does
not wait for them; a job may run more than once, and tells the parent's author once (a unique
index on reply notices holds it). A process killed between the commit and the hand-over loses
that job; `announce_missed_replies`, a periodic job, finds such replies and announces them.
"""

import logging
from datetime import timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.jobs import enqueue, job
from app.models import (
    Comment,
    CommentStatus,
    MailFrequency,
    MailTopic,
    Notification,
    NotificationKind,
    User,
    utcnow,
)
from app.services.discussion.notice_mail import mail_notice
from app.services.infra import page_versions
from app.services.infra.links import SiteLinks, site_links

log = logging.getLogger(__name__)

# A comment still unannounced this long after it was posted has lost its job (its retries take
# about 6 minutes); one posted longer ago than the window is left alone.
MISSED_AFTER = timedelta(minutes=10)
MISSED_WITHIN = timedelta(days=7)
SWEEP_BATCH = 500


def queue_comment_notices(comment: Comment) -> None:
    """Tell the parent's author and the article's followers about a comment readers can now
    see, in jobs, once the transaction commits.

    The site's address is taken now: without BASE_URL only the request knows it.
    """
    from app.services.discussion import follows

    if comment.status is not CommentStatus.PUBLISHED:
        return
    root = site_links().root
    if comment.parent_id is not None:
        enqueue(send_reply_notification, comment.id, root)
    if follows.has_followers(comment.article_id):
        enqueue(follows.send_follower_notices, comment.id, root)


@job
def send_reply_notification(comment_id: int, site_root: str | None = None) -> None:
    comment = db.session.get(Comment, comment_id)
    if comment is not None:
        notify_reply(comment, site_links(site_root))


@job
def announce_missed_replies() -> int:
    """Queue the notice of every recent reply that nobody was told about; answer how many."""
    parent = aliased(Comment)
    told = exists().where(
        Notification.kind == NotificationKind.REPLY,
        Notification.recipient_id == parent.author_id,
        Notification.comment_id == Comment.id,
    )
    untold = (
        select(Comment.id)
        .join(parent, Comment.parent_id == parent.id)
        .where(
            parent.author_id.is_not(None),
            or_(Comment.author_id.is_(None), Comment.author_id != parent.author_id),
            ~told,
        )
    )
    return queue_missed(untold, send_reply_notification, "reply notices")


def queue_missed(untold, job_function, what: str) -> int:
    """Queue `job_function` for the comments of `untold` (a select of Comment.id) that are
    published, and old enough that their own job is lost; answer how many."""
    now = utcnow()
    missed = db.session.scalars(
        untold.where(
            Comment.status == CommentStatus.PUBLISHED,
            Comment.created_at.between(now - MISSED_WITHIN, now - MISSED_AFTER),
        )
        .order_by(Comment.id)
        .limit(SWEEP_BATCH)
    ).all()
    for comment_id in missed:
        enqueue(job_function, comment_id)
    if missed:
        log.warning("Queued the %s of %d comments whose job was lost", what, len(missed))
    return len(missed)


def notify_reply(comment: Comment, links: SiteLinks | None = None) -> Notification | None:
    """Tell the author of the parent comment that someone replied, once.

    Nobody is told about a reply to their own comment, a reply whose parent has lost its
    author, or a reply that readers cannot see yet (it is announced when it is approved).
    """
    if comment.parent_id is None or comment.status is not CommentStatus.PUBLISHED:
        return None
    parent = db.session.get(Comment, comment.parent_id)
    if parent is None or parent.author_id is None or parent.author_id == comment.author_id:
        return None
    told = db.session.scalar(
        select(Notification).where(
            Notification.kind == NotificationKind.REPLY,
            Notification.recipient_id == parent.author_id,
            Notification.comment_id == comment.id,
        )
    )
    if told is not None:
        return told
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
    if recipient is not None and recipient.wants_mail(MailTopic.REPLIES, MailFrequency.IMMEDIATELY):
        mail_notice(recipient, notification, comment, links or site_links())
    return notification


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
