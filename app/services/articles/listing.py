"""Articles as readers may see them: lists, teasers, one article with what its page shows."""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from app.extensions import db
from app.models import Article, AuthorProfile, Poll, Tag, article_tags

# Lists of articles show teasers: the author, never the body, which may run to 100,000
# characters (touching it on a teaser raises, instead of loading it article by article).
TEASER_LOAD = (
    joinedload(Article.author),
    defer(Article.body_markdown, raiseload=True),
    defer(Article.body_html, raiseload=True),
)


def paginate_live(statement, page: int):
    """One page of teasers; a page past the end comes back empty."""
    return db.paginate(
        statement.options(*TEASER_LOAD),
        page=page,
        per_page=current_app.config["ARTICLES_PER_PAGE"],
        error_out=False,
        count=True,
    )


def live_articles():
    return select(Article).where(Article.live()).order_by(Article.published_at.desc())


def latest(limit: int) -> list[Article]:
    return list(db.session.scalars(live_articles().options(*TEASER_LOAD).limit(limit)))


def most_discussed(limit: int) -> list[Article]:
    statement = (
        select(Article)
        .where(Article.live(), Article.comment_count > 0)
        .order_by(Article.comment_count.desc(), Article.published_at.desc())
        .options(*TEASER_LOAD)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def tags_with_counts() -> list[tuple[Tag, int]]:
    """Tags that at least one live article carries, with how many do."""
    statement = (
        select(Tag, func.count(Article.id))
        .join(article_tags, article_tags.c.tag_id == Tag.id)
        .join(Article, Article.id == article_tags.c.article_id)
        .where(Article.live())
        .group_by(Tag.id)
        .order_by(Tag.name)
    )
    return [(tag, count) for tag, count in db.session.execute(statement)]


def live_teasers(page: int, per_page: int):
    """A page of live articles, newest first, with their authors' accounts and poll ids.

    A page past the end has no items but the right totals.
    """
    statement = (
        select(Article)
        .where(Article.live())
        .options(
            *TEASER_LOAD,
            joinedload(Article.author).joinedload(AuthorProfile.user),
            selectinload(Article.poll).load_only(Poll.id),
        )
        .order_by(Article.published_at.desc(), Article.id.desc())
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def article_page_options():
    return (
        joinedload(Article.author).joinedload(AuthorProfile.user),
        selectinload(Article.tags),
        selectinload(Article.poll).selectinload(Poll.options),
    )


def live_article(slug: str, now=None) -> Article | None:
    """The article, with what its page shows, if readers can see it (at `now`)."""
    return db.session.scalar(
        select(Article)
        .where(Article.slug == slug, Article.live(now))
        .options(*article_page_options())
    )


def live_article_with_poll(slug: str) -> Article | None:
    """The article with its poll's options only, for reading its discussion."""
    return db.session.scalar(
        select(Article)
        .where(Article.slug == slug, Article.live())
        .options(joinedload(Article.poll).selectinload(Poll.options))
    )


def any_article(article_id: int) -> Article | None:
    return db.session.scalar(
        select(Article).where(Article.id == article_id).options(*article_page_options())
    )


def other_articles_by(article: Article, limit: int = 3) -> list[Article]:
    statement = (
        live_articles()
        .where(Article.author_id == article.author_id, Article.id != article.id)
        .options(*TEASER_LOAD)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def author_by_slug(slug: str) -> AuthorProfile | None:
    return db.session.scalar(select(AuthorProfile).where(AuthorProfile.slug == slug))


def tag_by_slug(slug: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.slug == slug))


def articles_tagged(tag: Tag):
    return live_articles().where(Article.tags.any(Tag.id == tag.id))


def articles_by(author: AuthorProfile):
    return live_articles().where(Article.author_id == author.id)
