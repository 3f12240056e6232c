"""The reading side's queries: what readers may see, loaded with what its page shows."""

from flask import abort, current_app, request
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


def page_number() -> int:
    """The ?page= argument; anything but a positive whole number is a missing page."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(404)
    return int(raw)


def paginate_live(statement):
    return db.paginate(
        statement.options(*TEASER_LOAD),
        page=page_number(),
        per_page=current_app.config["ARTICLES_PER_PAGE"],
        error_out=True,
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


def article_page_options():
    return (
        joinedload(Article.author),
        selectinload(Article.tags),
        selectinload(Article.poll).selectinload(Poll.options),
    )


def live_article_or_404(slug: str) -> Article:
    article = db.session.scalar(
        select(Article).where(Article.slug == slug, Article.live()).options(*article_page_options())
    )
    if article is None:
        abort(404)
    return article


def any_article_or_404(article_id: int) -> Article:
    article = db.session.scalar(
        select(Article).where(Article.id == article_id).options(*article_page_options())
    )
    if article is None:
        abort(404)
    return article


def other_articles_by(article: Article, limit: int = 3) -> list[Article]:
    statement = (
        live_articles()
        .where(Article.author_id == article.author_id, Article.id != article.id)
        .options(*TEASER_LOAD)
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def author_or_404(slug: str) -> AuthorProfile:
    author = db.session.scalar(select(AuthorProfile).where(AuthorProfile.slug == slug))
    if author is None:
        abort(404)
    return author


def tag_or_404(slug: str) -> Tag:
    tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return tag


def articles_tagged(tag: Tag):
    return live_articles().where(Article.tags.any(Tag.id == tag.id))


def articles_by(author: AuthorProfile):
    return live_articles().where(Article.author_id == author.id)
