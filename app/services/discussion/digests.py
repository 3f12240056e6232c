"""Daily and weekly digests: a member's notices they have neither read nor had by e-mail, of
the kinds they want in that digest, gathered into one e-mail.

Periodic jobs (app/jobs/periodic.py) start them, daily at 07:00 UTC and on Mondays at 07:00
UTC; each queues one job per member with notices due. A notice is mailed once: the job marks
it mailed in the transaction that writes the e-mail to the outbox, and the message's key names
the notices it holds, so a job run twice sends nothing more and two at once write one message.
"""

import logging
from collections.abc import Sequence
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

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
from app.services.discussion.notice_mail import (
    actor_name,
    excerpt,
    stop_link,
)
from app.services.infra.languages import speaking_to
from app.services.infra.links import SiteLinks, site_links
from app.services.infra.mail import queue_mail

log = logging.getLogger(__name__)

DIGESTS = (MailFrequency.DAILY, MailFrequency.WEEKLY)
# Notices older than this are left to the inbox, whatever the member chose since.
DIGEST_WITHIN = timedelta(days=30)
# A digest shows this many notices; it counts the others and links to the inbox.
DIGEST_SHOWS = 30
DIGEST_EXCERPT_LENGTH = 200


def due_notices(frequency: MailFrequency, now=None):
    """Notices to mail in the `frequency` digest: unread, not mailed, about a comment readers
    still see, of a kind the recipient (who has an address) wants in that digest."""
    now = now or utcnow()
    wanted = or_(
        and_(Notification.kind == NotificationKind.REPLY, User.reply_emails == frequency),
        and_(
            Notification.kind == NotificationKind.FOLLOWED_COMMENT,
            User.follow_emails == frequency,
        ),
    )
    return (
        select(Notification)
        .join(User, User.id == Notification.recipient_id)
        .join(Comment, Comment.id == Notification.comment_id)
        .where(
            Notification.read_at.is_(None),
            Notification.mailed_at.is_(None),
            Notification.created_at >= now - DIGEST_WITHIN,
            Comment.status == CommentStatus.PUBLISHED,
            User.email.is_not(None),
            wanted,
        )
    )


@job
def send_daily_digests() -> int:
    return queue_digests(MailFrequency.DAILY)


@job
def send_weekly_digests() -> int:
    return queue_digests(MailFrequency.WEEKLY)


def queue_digests(frequency: MailFrequency) -> int:
    """Queue the digest of every member with notices due in it; answer how many."""
    due = due_notices(frequency).with_only_columns(Notification.recipient_id).distinct()
    members = db.session.scalars(due.order_by(Notification.recipient_id)).all()
    for member_id in members:
        enqueue(send_digest, member_id, frequency.value)
    return len(members)


@job
def send_digest(member_id: int, frequency: str) -> int:
    """Mail the member's digest, if anything is due in it; answer how many notices it holds."""
    frequency = MailFrequency(frequency)
    member = db.session.get(User, member_id)
    if member is None or frequency not in DIGESTS:
        return 0
    notices = db.session.scalars(
        due_notices(frequency)
        .where(Notification.recipient_id == member_id)
        .options(
            joinedload(Notification.actor),
            joinedload(Notification.comment).joinedload(Comment.article),
        )
        .order_by(Notification.created_at, Notification.id)
    ).all()
    if not notices:
        return 0
    links = site_links()
    if not links.available():
        log.warning("the %s digest of member %s waits: no site address known", frequency, member_id)
        return 0
    with speaking_to(member):
        subject, body, headers = _compose(member, frequency, notices, links)
    last = max(notice.id for notice in notices)
    queue_mail(member.email, subject, body, key=f"digest-{member_id}-{last}", headers=headers)
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_([notice.id for notice in notices]))
        .values(mailed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return len(notices)


def _compose(
    member: User, frequency: MailFrequency, notices: Sequence[Notification], links: SiteLinks
) -> tuple[str, str, dict[str, str]]:
    site = current_app.config["SITE_NAME"]
    shown, more = notices[:DIGEST_SHOWS], len(notices) - DIGEST_SHOWS
    replies = [n for n in shown if n.kind is NotificationKind.REPLY]
    followed = [n for n in shown if n.kind is NotificationKind.FOLLOWED_COMMENT]
    topics = sorted({notice.kind.mail_topic for notice in notices})

    sections = [
        _("Hello %(name)s,", name=member.username),
        _("What you have not read yet on %(site)s:", site=site),
    ]
    if replies:
        sections.append(_replies_section(replies, links))
    if followed:
        sections.append(_followed_section(followed, links))
    if more > 0:
        sections.append(_("And %(num)s more in your inbox: %(url)s", num=more, url=links.inbox()))
    stop_all, headers = stop_link(member, topics, links)
    if frequency is MailFrequency.DAILY:
        why = _(
            "You receive this daily digest because of your e-mail settings, where you can "
            "choose e-mails at once, a daily or weekly digest, or none: %(url)s",
            url=links.settings(),
        )
    else:
        why = _(
            "You receive this weekly digest because of your e-mail settings, where you can "
            "choose e-mails at once, a daily or weekly digest, or none: %(url)s",
            url=links.settings(),
        )
    sections.append(why)
    if len(topics) > 1:
        for topic in topics:
            sections.append(_stop_topic(topic, stop_link(member, [topic], links)[0]))
    sections.append(_("Stop this digest (no need to log in): %(url)s", url=stop_all))
    sections.append(f"— {site}")

    counts = _counts(notices)
    if frequency is MailFrequency.DAILY:
        subject = _("Your daily digest from %(site)s: %(counts)s", site=site, counts=counts)
    else:
        subject = _("Your weekly digest from %(site)s: %(counts)s", site=site, counts=counts)
    return subject, "\n\n".join(sections), headers


def _stop_topic(topic: MailTopic, url: str) -> str:
    if topic is MailTopic.REPLIES:
        return _(
            "Stop e-mails about replies to your comments (no need to log in): %(url)s", url=url
        )
    return _(
        "Stop e-mails about new comments on articles you follow (no need to log in): %(url)s",
        url=url,
    )


def _replies_section(replies: Sequence[Notification], links: SiteLinks) -> str:
    lines = [_("Replies to your comments (%(num)s)", num=len(replies))]
    for notice in replies:
        comment = notice.comment
        lines += [
            "",
            _(
                "%(actor)s replied to your comment on “%(title)s”:",
                actor=actor_name(comment),
                title=comment.article.title,
            ),
            f"  {excerpt(comment, DIGEST_EXCERPT_LENGTH)}",
            f"  {links.comment(comment.id)}",
        ]
    return "\n".join(lines)


def _followed_section(followed: Sequence[Notification], links: SiteLinks) -> str:
    lines = [_("New comments on articles you follow (%(num)s)", num=len(followed))]
    by_article: dict[int, list[Comment]] = {}
    for notice in followed:
        by_article.setdefault(notice.comment.article_id, []).append(notice.comment)
    for comments in by_article.values():
        lines += ["", f"“{comments[0].article.title}”"]
        for comment in comments:
            lines += [
                f"- {actor_name(comment)}: {excerpt(comment, DIGEST_EXCERPT_LENGTH)}",
                f"  {links.comment(comment.id)}",
            ]
    return "\n".join(lines)


def _counts(notices: Sequence[Notification]) -> str:
    replies = sum(1 for n in notices if n.kind is NotificationKind.REPLY)
    comments = len(notices) - replies
    if replies and comments:
        return _(
            "%(replies)s and %(comments)s",
            replies=_replies(replies),
            comments=_new_comments(comments),
        )
    return _replies(replies) if replies else _new_comments(comments)


def _replies(count: int) -> str:
    return ngettext("%(num)s reply", "%(num)s replies", count)


def _new_comments(count: int) -> str:
    return ngettext("%(num)s new comment", "%(num)s new comments", count)
