"""Following an article: each new comment on it reaches the member's inbox.

A member follows an article by asking (the Follow button), or by commenting on it when their
settings say so. A comment readers can see is announced to the followers by a job after the
commit (queued with the reply's, app/services/discussion/notifications.py); the job may run
more than once, and tells each follower once (a unique index on these notices holds it).
`announce_missed_follower_notices`, a periodic job, announces comments whose job was lost.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager

from app.extensions import db
from app.jobs import job
from app.models import (
    Article,
    Comment,
    CommentStatus,
    Follow,
    MailFrequency,
    Notification,
    NotificationKind,
    User,
    utcnow,
)
from app.services.discussion import DiscussionError
from app.services.discussion.notice_mail import mail_notice
from app.services.discussion.notifications import queue_missed
from app.services.errors import NotFound
from app.services.infra import page_versions
from app.services.infra.links import SiteLinks, site_links


class ArticleNotFollowable(DiscussionError, NotFound):
    pass


def is_following(member_id: int, article_id: int) -> bool:
    return db.session.scalar(
        select(exists().where(Follow.user_id == member_id, Follow.article_id == article_id))
    )


def follow(member: User, article: Article) -> None:
    """The member follows the article from now on; following it again changes nothing."""
    if not article.is_live():
        raise ArticleNotFollowable(_("This article is not published, so it cannot be followed."))
    if is_following(member.id, article.id):
        return
    try:
        # Two presses at once: the database keeps one follow, and the other press is done.
        with db.session.begin_nested():
            db.session.add(Follow(user_id=member.id, article_id=article.id))
    except IntegrityError:
        pass


def unfollow(member: User, article: Article) -> bool:
    """The member stops following the article; answers whether they were following it."""
    result = db.session.execute(
        delete(Follow)
        .where(Follow.user_id == member.id, Follow.article_id == article.id)
        .execution_options(synchronize_session=False)
    )
    page_versions.changed(page_versions.member_pages(member.id))
    return result.rowcount > 0


def followed_articles_statement(member_id: int):
    """The member's follows of live articles with their article, the latest followed first."""
    return (
        select(Follow)
        .join(Follow.article)
        .where(Follow.user_id == member_id, Article.live())
        .options(contains_eager(Follow.article))
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    )


# Telling followers ------------------------------------------------------------------------


def untold_followers(comment_id, article_id, author_id, parent_author_id) -> tuple:
    """Conditions on Follow: followers who should hear of the comment and have not yet.

    Not its author, nor the author of the comment it answers (told of the reply instead), nor
    anyone who already has a notice of it. The arguments are values or columns, so that the
    job and the sweep ask the same question.
    """
    told = exists().where(
        Notification.recipient_id == Follow.user_id,
        Notification.comment_id == comment_id,
        Notification.kind.in_([NotificationKind.FOLLOWED_COMMENT, NotificationKind.REPLY]),
    )
    return (
        Follow.article_id == article_id,
        Follow.user_id.is_distinct_from(author_id),
        Follow.user_id.is_distinct_from(parent_author_id),
        ~told,
    )


def has_followers(article_id: int) -> bool:
    return db.session.scalar(select(exists().where(Follow.article_id == article_id)))


@job
def send_follower_notices(comment_id: int, site_root: str | None = None) -> None:
    comment = db.session.get(Comment, comment_id)
    if comment is not None:
        notify_followers(comment, site_links(site_root))


def notify_followers(comment: Comment, links: SiteLinks | None = None) -> int:
    """Tell each follower of the article about a comment readers can see, once; how many.

    A comment waiting for a moderator is announced when it is approved; none is announced on
    an article readers cannot see. Followers who asked for e-mail at once get one; the digests
    take the others' notices.
    """
    if comment.status is not CommentStatus.PUBLISHED or not comment.article.is_live():
        return 0
    parent_author_id = (
        db.session.scalar(select(Comment.author_id).where(Comment.id == comment.parent_id))
        if comment.parent_id
        else None
    )
    conditions = untold_followers(
        comment.id, comment.article_id, comment.author_id, parent_author_id
    )
    recipients = db.session.scalars(select(Follow.user_id).where(*conditions)).all()
    notices = [
        Notification(
            recipient_id=recipient_id,
            kind=NotificationKind.FOLLOWED_COMMENT,
            actor_id=comment.author_id,
            comment_id=comment.id,
            created_at=comment.created_at or utcnow(),
        )
        for recipient_id in recipients
    ]
    db.session.add_all(notices)
    db.session.flush()
    _mail_at_once(comment, links or site_links())
    return len(notices)


def _mail_at_once(comment: Comment, links: SiteLinks) -> None:
    unmailed = db.session.execute(
        select(Notification, User)
        .join(User, User.id == Notification.recipient_id)
        .where(
            Notification.kind == NotificationKind.FOLLOWED_COMMENT,
            Notification.comment_id == comment.id,
            Notification.mailed_at.is_(None),
            User.follow_emails == MailFrequency.IMMEDIATELY,
            User.email.is_not(None),
        )
    ).all()
    for notification, recipient in unmailed:
        mail_notice(recipient, notification, comment, links)


@job
def announce_missed_follower_notices() -> int:
    """Queue the follower notices of recent comments whose job was lost; answer how many."""
    parent = aliased(Comment)
    conditions = untold_followers(
        Comment.id, Comment.article_id, Comment.author_id, parent.author_id
    )
    untold = (
        select(Comment.id)
        .outerjoin(parent, Comment.parent_id == parent.id)
        # Who followed after the comment was posted is not owed a notice of it.
        .where(exists().where(*conditions, Follow.created_at <= Comment.created_at))
    )
    return queue_missed(untold, send_follower_notices, "follower notices")
