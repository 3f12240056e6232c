"""E-mails about notices: a reply, or a new comment on a followed article, sent at once.

Each notice is mailed once: it records when (`mailed_at`), and its message's outbox key names
it. Every such e-mail carries a link that stops it without logging in, also offered to mail
programs as List-Unsubscribe with one-click (RFC 8058). Without a site address (no BASE_URL,
and no request that queued the work) there is nothing to link to, so nothing is sent; the
inbox has the notice.
"""

import logging

from flask import current_app
from flask_babel import gettext as _

from app.models import Comment, MailTopic, Notification, NotificationKind, User, utcnow
from app.services.accounts.unsubscribe import make_unsubscribe_token
from app.services.infra.languages import speaking_to
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
    return comment.author.username if comment.author else _("Someone")


def stop_link(
    recipient: User, topics: list[MailTopic], links: SiteLinks
) -> tuple[str, dict[str, str]]:
    """The link that stops e-mails about `topics`, and the headers offering it to mail programs."""
    url = links.unsubscribe(make_unsubscribe_token(recipient, topics))
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return url, headers


def mail_notice(
    recipient: User, notification: Notification, comment: Comment, links: SiteLinks
) -> None:
    """Mail one notice now (through the outbox, after the commit)."""
    if not links.available():
        log.info("notice e-mail to member %s skipped: no site address known", recipient.id)
        return
    stop, headers = stop_link(recipient, [notification.kind.mail_topic], links)
    with speaking_to(recipient):
        subject, body = _compose(recipient, notification, comment, links, stop)
    key = f"{notification.kind.value}-notification-{notification.id}"
    queue_mail(recipient.email, subject, body, key=key, headers=headers)
    notification.mailed_at = utcnow()


def _compose(
    recipient: User, notification: Notification, comment: Comment, links: SiteLinks, stop: str
) -> tuple[str, str]:
    """The subject and body of a notice, in the language of the moment."""
    site = current_app.config["SITE_NAME"]
    names = {"actor": actor_name(comment), "title": comment.article.title, "site": site}
    url = links.comment(comment.id)
    if notification.kind is NotificationKind.REPLY:
        subject = _("%(actor)s replied to your comment on %(site)s", **names)
        said = _("%(actor)s replied to your comment on “%(title)s”:", **names)
        read = _("Read the reply in its thread: %(url)s", url=url)
        why = _(
            "You receive these e-mails because you turned on e-mails about replies to your "
            "comments. You can get them in a daily or weekly digest instead, in your "
            "settings: %(url)s",
            url=links.settings(),
        )
    else:
        subject = _("%(actor)s commented on “%(title)s”, which you follow", **names)
        if comment.parent_id:
            said = _(
                "%(actor)s replied in the discussion of “%(title)s”, an article you follow:",
                **names,
            )
        else:
            said = _("%(actor)s commented on “%(title)s”, an article you follow:", **names)
        read = _("Read it in its thread: %(url)s", url=url)
        why = _(
            "You receive these e-mails because you follow this article and asked for e-mails "
            "about the articles you follow. You can get them in a daily or weekly digest "
            "instead, in your settings: %(url)s",
            url=links.settings(),
        )
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=recipient.username),
            said,
            excerpt(comment),
            read,
            why,
            _("Stop these e-mails (no need to log in): %(url)s", url=stop),
            f"— {site}",
        ]
    )
    return subject, body
