"""Searching the discussions: the comments whose text matches, as the viewer reads them.

A search finds only what the article page shows the viewer: published comments on live
articles and, for a member, their own comments still under review (unless a filter is on:
filtered pages list published comments only). Staff read discussions as members do; what
waits for review or was removed, they find in the moderation queue. The role and stance
filters are the article page's own, so they use only what authors chose to show.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import func, literal_column, select

from app.extensions import db
from app.models import Article, Comment, CommentStatus, Poll, PollOption, User, Vote, VoteChoice
from app.models.users import badge_for
from app.services.articles.listing import live_article_with_poll
from app.services.discussion import DiscussionError
from app.services.discussion.query import BadDiscussionQuery, DiscussionQuery
from app.services.discussion.reading import author_filters, poll_options, readable_by
from app.services.discussion.shown import AUTHOR_COLUMNS, ShownAuthor
from app.services.errors import NotFound
from app.services.infra import fulltext
from app.services.viewer import ANONYMOUS, Viewer

FTS5_TABLE = "comment_search"
# Written as the migration's GIN index expression, so that the index is used.
PG_DOCUMENT = literal_column("to_tsvector('english', comments.body_markdown)")


@dataclass(frozen=True)
class CommentSearch:
    """What a reader looks for: words, the page's role and stance filters, one discussion."""

    terms: str
    query: DiscussionQuery = DiscussionQuery()
    # Search within this article's discussion only; a stance filter needs one.
    article: Article | None = None


@dataclass(frozen=True, slots=True)
class CommentHit:
    id: int
    article_slug: str
    article_title: str
    author: ShownAuthor | None
    # How the author voted in the article's poll, when they chose to show it.
    stance: str | None
    created_at: datetime
    edited_at: datetime | None
    # The viewer's own comment, not yet approved: only they find it.
    under_review: bool
    snippet: Markup


@dataclass
class CommentResults:
    pagination: object  # Flask-SQLAlchemy's Pagination of the hits' ids
    hits: list[CommentHit]

    @property
    def total(self) -> int:
        return self.pagination.total


class NoSuchDiscussion(DiscussionError, NotFound):
    """The article whose discussion was to be searched is not there for readers."""


def discussion_to_search(slug: str) -> Article:
    """The live article of that slug, with its poll's options, or NoSuchDiscussion."""
    article = live_article_with_poll(slug)
    if article is None:
        raise NoSuchDiscussion(gettext("There is no discussion to search at that address."))
    return article


def check_search(search: CommentSearch) -> None:
    """BadDiscussionQuery when the filters do not fit the discussion searched."""
    if search.query.stance is None:
        return
    if search.article is None:
        raise BadDiscussionQuery(gettext("stance needs a discussion to search in (article)."))
    if search.query.stance not in {option.id for option in poll_options(search.article)}:
        raise BadDiscussionQuery(gettext("stance must be one of the poll's options."))


def search_comments(search: CommentSearch, viewer: Viewer = ANONYMOUS) -> CommentResults | None:
    """One page of matching comments, best match first; None when the terms hold no words."""
    check_search(search)
    matches = _matching(search, viewer)
    if matches is None:
        return None
    ranked, _ = matches
    pagination = db.paginate(
        ranked,
        page=search.query.page,
        per_page=search.query.per_page,
        error_out=False,
        count=True,
    )
    return CommentResults(pagination, _hits(list(pagination.items), search.terms, viewer))


def count_comments(search: CommentSearch, viewer: Viewer = ANONYMOUS) -> int:
    """How many comments the search finds, for a page that shows other results."""
    check_search(search)
    matches = _matching(search, viewer)
    if matches is None:
        return 0
    _, counted = matches
    return db.session.scalar(counted)


def _matching(search: CommentSearch, viewer: Viewer):
    """(a SELECT of the matching ids, best first; a SELECT of how many), or None."""
    terms = search.terms
    # As on the article page, a filtered list holds published comments only.
    reader = None if search.query.filtered else viewer.member_id
    statement = (
        select(Comment.id)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Article.live(), readable_by(Comment, reader))
    )
    if search.article is not None:
        statement = statement.where(Comment.article_id == search.article.id)
    if search.query.filtered:
        options = poll_options(search.article) if search.article is not None else []
        statement = statement.where(*author_filters(search.query, options))
    newest = (Comment.created_at.desc(), Comment.id.desc())
    if fulltext.on_sqlite():
        found = fulltext.fts5_matches(FTS5_TABLE, terms)
        if found is None:
            return None
        statement = statement.join(found, found.c.id == Comment.id)
        ranked = statement.order_by(found.c.rank, *newest)
    else:
        if not terms.strip():
            return None
        tsquery = fulltext.pg_tsquery(terms)
        statement = statement.where(PG_DOCUMENT.op("@@")(tsquery))
        ranked = statement.order_by(func.ts_rank(PG_DOCUMENT, tsquery).desc(), *newest)
    return ranked, select(func.count()).select_from(statement.subquery())


def _hits(ids: list[int], terms: str, viewer: Viewer) -> list[CommentHit]:
    """The comments behind `ids`, in that order, with their authors, stances and snippets."""
    if not ids:
        return []
    rows = {
        row.id: row
        for row in db.session.execute(
            select(
                Comment.id,
                Comment.article_id,
                Comment.author_id,
                Comment.status,
                Comment.created_at,
                Comment.edited_at,
                Article.slug,
                Article.title,
                *AUTHOR_COLUMNS,
            )
            .join(Article, Article.id == Comment.article_id)
            .outerjoin(User, User.id == Comment.author_id)
            .where(Comment.id.in_(ids))
        )
    }
    stances = _stances({(row.author_id, row.article_id) for row in rows.values()})
    snippets = _snippets(ids, terms)
    hits = []
    for comment_id in ids:
        row = rows[comment_id]
        author = None
        if row.username is not None:
            badge = badge_for(
                row.community_role,
                row.show_role_badge,
                row.verification_status,
                row.show_verified_badge,
            )
            author = ShownAuthor(row.author_id, row.username, badge)
        hits.append(
            CommentHit(
                id=row.id,
                article_slug=row.slug,
                article_title=row.title,
                author=author,
                stance=stances.get((row.author_id, row.article_id)),
                created_at=row.created_at,
                edited_at=row.edited_at,
                under_review=row.status is not CommentStatus.PUBLISHED,
                snippet=snippets.get(row.id, Markup()),
            )
        )
    return hits


def _stances(pairs: set[tuple[int | None, int]]) -> dict[tuple[int, int], str]:
    """(author, article) → the author's answer in the article's poll, if they show it."""
    author_ids = {author_id for author_id, _ in pairs if author_id is not None}
    if not author_ids:
        return {}
    rows = db.session.execute(
        select(Vote.user_id, Poll.article_id, PollOption.label)
        .join(Poll, Poll.id == Vote.poll_id)
        .join(VoteChoice, VoteChoice.vote_id == Vote.id)
        .join(PollOption, PollOption.id == VoteChoice.option_id)
        .join(User, User.id == Vote.user_id)
        .where(
            User.show_stance,
            Vote.user_id.in_(author_ids),
            Poll.article_id.in_({article_id for _, article_id in pairs}),
        )
        .order_by(Vote.user_id, Poll.article_id, PollOption.position)
    ).all()
    labels: dict[tuple[int, int], list[str]] = {}
    for user_id, article_id, label in rows:
        if (user_id, article_id) in pairs:
            labels.setdefault((user_id, article_id), []).append(label)
    return {pair: ", ".join(answer) for pair, answer in labels.items()}


def _snippets(ids: list[int], terms: str) -> dict[int, Markup]:
    if fulltext.on_sqlite():
        return fulltext.fts5_snippets(FTS5_TABLE, ids, terms)
    rows = db.session.execute(
        select(Comment.id, fulltext.pg_headline(Comment.body_markdown, terms)).where(
            Comment.id.in_(ids)
        )
    )
    return {comment_id: fulltext.highlight(passage) for comment_id, passage in rows}
