"""E-mails about notices: a reply, or a new comment on a followed article, sent at once.

Each notice is mailed once: it records when (`mailed_at`), and its message's outbox key names
it. Without a site address (no BASE_URL, and no request that queued the work) there is
nothing to link to, so nothing is sent; the inbox has the notice.
"""

import logging

from flask import current_app

from app.models import Comment, Notification, NotificationKind, User, utcnow
from app.services.infra.links import SiteLinks
from app.services.infra.mail import queue_mail
from app.services.infra.markdown import plain_text

log = logging.getLogger(__name__)

EXCERPT_LENGTH = 300


def excerpt(comment: Comment, length: int = EXCERPT_LENGTH) -> str:
    """The comment as plain text, cut at `length` characters."""
    text = plain_text(comment.body_html)
    if len(text) > length:
        text = text[: length - 1].rstrip() + "…"
    return text


def actor_name(comment: Comment) -> str:
    return comment.author.username if comment.author else "Someone"


def mail_notice(
    recipient: User, notification: Notification, comment: Comment, links: SiteLinks
) -> None:
    """Mail one notice now (through the outbox, after the commit)."""
    if not links.available():
        log.info("notice e-mail to member %s skipped: no site address known", recipient.id)
        return
    site = current_app.config["SITE_NAME"]
    actor = actor_name(comment)
    title = comment.article.title
    if notification.kind is NotificationKind.REPLY:
        subject = f"{actor} replied to your comment on {site}"
        said = f"{actor} replied to your comment on “{title}”:"
        read = f"Read the reply in its thread: {links.comment(comment.id)}"
        why = "you turned on e-mails about replies to your comments"
    else:
        subject = f"{actor} commented on “{title}”, which you follow"
        verb = "replied in the discussion of" if comment.parent_id else "commented on"
        said = f"{actor} {verb} “{title}”, an article you follow:"
        read = f"Read it in its thread: {links.comment(comment.id)}"
        why = "you follow this article and asked for e-mails about the articles you follow"
    body = "\n\n".join(
        [
            f"Hello {recipient.username},",
            said,
            excerpt(comment),
            read,
            f"You receive these e-mails because {why}. You can change how often you get "
            f"them, or turn them off, in your settings: {links.settings()}",
            f"— {site}",
        ]
    )
    key = f"{notification.kind.value}-notification-{notification.id}"
    queue_mail(recipient.email, subject, body, key=key)
    notification.mailed_at = utcnow()
