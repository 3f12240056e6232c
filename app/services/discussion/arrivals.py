"""Comments that arrive while an article's page is open, by id: which ones readers can read.

The article page says which readable comment was the newest when it was rendered; a page
that listens for arrivals (app/live/stream.py) asks which readable comments came after that
one when it connects, and after the last one it was told of when it reconnects.
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Comment, CommentStatus

# Ids a reconnecting page is told at once; more than this many read as "100 new comments".
CATCH_UP_LIMIT = 100


@dataclass(frozen=True)
class Arrivals:
    # The id a page continues from: the newest it has been told of.
    last_id: int
    # Readable comments after the id the page asked about, oldest first.
    ids: list[int] = field(default_factory=list)


def readable(article_id: int) -> tuple:
    return (Comment.article_id == article_id, Comment.status == CommentStatus.PUBLISHED)


def newest_readable_id(article_id: int) -> int:
    """The newest comment readers can read on the article; 0 when there is none."""
    return db.session.scalar(select(func.max(Comment.id)).where(*readable(article_id))) or 0


def live_article_id(slug: str) -> int | None:
    """The id of the article readers can see under `slug`, or None."""
    return db.session.scalar(select(Article.id).where(Article.slug == slug, Article.live()))


def arrivals_after(article_id: int, after: int | None) -> Arrivals:
    """Readable comments after comment id `after`; without one, only where to continue from."""
    if after is None:
        return Arrivals(newest_readable_id(article_id))
    newest_first = db.session.scalars(
        select(Comment.id)
        .where(*readable(article_id), Comment.id > after)
        .order_by(Comment.id.desc())
        .limit(CATCH_UP_LIMIT)
    ).all()
    return Arrivals(max(newest_first, default=after), sorted(newest_first))
