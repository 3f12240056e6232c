"""Versions of what kept pages show, renewed after each commit that changes it.

Pages are kept (see app/caching) with the versions of what they show: every public page shows
ARTICLES (titles, authors, tags); lists show COUNTS (comments per article); an article page
shows MEMBERS (names and badges beside comments) and its own ARTICLE version (its comments,
lock and poll); search results quote comments from every discussion, so they also show
COUNTS (renewed whenever a comment is written or changes status) and COMMENT_TEXT (renewed when
one is edited); the insights pages show POLLS and one POLL each; a page kept for one member
also shows their MEMBER version (their votes, helpful marks, follows, notifications and
account). When something changes, its version takes a new random value once the transaction
commits, and every page kept with the old value is rendered again when next asked for.

Rows changed through the ORM are noted by `note_changes`, a flush listener, so no code path
that writes (a view, a command, the demo seeder) can forget a page. Code that writes with a
bulk UPDATE or DELETE calls `changed` itself. Votes renew only the voter's own version: the
results every reader sees are kept at most POLL_RESULTS_LAG seconds instead.
"""

import logging
import secrets
from datetime import datetime
from functools import partial

from redis.exceptions import RedisError
from sqlalchemy import and_, func, inspect, select
from sqlalchemy.orm import Session

from app.extensions import cache, db
from app.models import (
    Article,
    ArticleStatus,
    AuthorProfile,
    Comment,
    Follow,
    HelpfulMark,
    Notification,
    Poll,
    PollOption,
    Tag,
    User,
    Vote,
    as_utc,
    utcnow,
)
from app.transaction import after_commit

log = logging.getLogger(__name__)

ARTICLES = "v:articles"
COUNTS = "v:comment-counts"
MEMBERS = "v:members"
POLLS = "v:polls"
ARTICLE = "v:article:{slug}"
POLL = "v:poll:{poll_id}"
MEMBER = "v:member:{member_id}"
COMMENT_TEXT = "v:comment-text"

# Changes to these columns concern the article's own page; any other reaches every list.
ARTICLE_PAGE_COLUMNS = frozenset({"discussion_locked", "premoderated", "comment_count"})
# What readers see of a member beside their comments (see User.badge and the stance).
MEMBER_COLUMNS = frozenset(
    {
        "username",
        "community_role",
        "discipline",
        "verification_status",
        "show_role_badge",
        "show_verified_badge",
        "show_stance",
        "account_status",
    }
)


def article_page(slug: str) -> str:
    return ARTICLE.format(slug=slug)


def poll_page(poll_id: int) -> str:
    return POLL.format(poll_id=poll_id)


def member_pages(member_id: int) -> str:
    """What only this member's pages show: their votes, marks, notifications and account."""
    return MEMBER.format(member_id=member_id)


def changed(*names: str) -> None:
    """The pages that show `names` change once the current transaction commits."""
    after_commit(partial(_renew, frozenset(names)))


def _renew(names: frozenset[str]) -> None:
    try:
        cache.set_many({name: _new_version() for name in names}, timeout=0)
    except (RedisError, OSError):
        # The pages expire by themselves (PAGE_CACHE_SECONDS); the change itself is committed.
        log.exception("Could not renew the page versions %s", sorted(names))


def _new_version() -> str:
    # Random rather than counted: a version lost from the cache (evicted, Redis restarted)
    # starts again at a value no page was ever kept under.
    return secrets.token_hex(6)


def current(names: list[str]) -> list[str] | None:
    """The versions of `names` now, or None when the cache cannot be read."""
    try:
        values = cache.get_many(*names)
        if None in values:
            for name, value in zip(names, values, strict=True):
                if value is None:
                    cache.add(name, _new_version(), timeout=0)
            values = cache.get_many(*names)
    except (RedisError, OSError):
        log.exception("Could not read the page versions")
        return None
    return None if None in values else values


def seconds_until_clock_change(now: datetime | None = None) -> float | None:
    """Seconds until a scheduled article goes live or a poll opens or closes by the clock."""
    now = now or utcnow()
    moments = [
        select(func.min(Article.published_at)).where(
            Article.status == ArticleStatus.SCHEDULED, Article.published_at > now
        ),
        select(func.min(Poll.opens_at)).where(Poll.opens_at > now),
        select(func.min(Poll.closes_at)).where(
            and_(Poll.closed_at.is_(None), Poll.closes_at > now)
        ),
    ]
    upcoming = [moment for statement in moments if (moment := db.session.scalar(statement))]
    if not upcoming:
        return None
    return (min(as_utc(moment) for moment in upcoming) - now).total_seconds()


def note_changes(session: Session, flush_context, instances) -> None:
    """Before each flush: the versions of what the rows about to be written are shown on."""
    names: set[str] = set()
    with session.no_autoflush:
        for row in session.new:
            names |= _shown_by(session, row, None, created=True)
        for row in session.deleted:
            names |= _shown_by(session, row, None, created=False)
        for row in session.dirty:
            columns = _changed_columns(row)
            if columns:
                names |= _shown_by(session, row, columns, created=False)
    if names:
        changed(*names)


def _changed_columns(row) -> set[str]:
    state = inspect(row)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _shown_by(session: Session, row, columns: set[str] | None, *, created: bool) -> set[str]:
    """Versions that a new (columns None, created), deleted or changed row is shown under."""
    return _public_pages_of(session, row, columns) | _member_pages_of(row, columns, created)


def _public_pages_of(session: Session, row, columns: set[str] | None) -> set[str]:
    match row:
        case Comment():
            names = {_article_page_by_id(session, row.article_id)}
            if columns is None or "status" in columns:
                names.add(COUNTS)
            if columns is not None and "body_markdown" in columns:
                names.add(COMMENT_TEXT)
            return names
        case Article():
            if columns is not None and columns <= ARTICLE_PAGE_COLUMNS:
                names = {article_page(row.slug)}
                return names | ({COUNTS} if "comment_count" in columns else set())
            return {ARTICLES, COUNTS}
        case Poll():
            return _poll_pages(session, row.id, row.article_id)
        case PollOption():
            poll = session.get(Poll, row.poll_id) if row.poll_id else None
            return _poll_pages(session, row.poll_id, poll.article_id if poll else None)
        case AuthorProfile() | Tag():
            return {ARTICLES}
    return set()


def _member_pages_of(row, columns: set[str] | None, created: bool) -> set[str]:
    match row:
        case User() if not created:  # a new member is shown nowhere yet
            shown = columns is None or columns & MEMBER_COLUMNS
            return {member_pages(row.id)} | ({MEMBERS} if shown else set())
        case Vote() | HelpfulMark() | Follow() if row.user_id:
            return {member_pages(row.user_id)}
        case Notification():
            return {member_pages(row.recipient_id)}
    return set()


def _article_page_by_id(session: Session, article_id: int | None) -> str:
    article = session.get(Article, article_id) if article_id else None
    return article_page(article.slug) if article else ARTICLES


def _poll_pages(session: Session, poll_id: int | None, article_id: int | None) -> set[str]:
    names = {POLLS, _article_page_by_id(session, article_id)}
    if poll_id:
        names.add(poll_page(poll_id))
    return names
