"""API routes for articles: the published list and one article with its poll."""

from flask import current_app, jsonify

from app.api import bp
from app.api.helpers import isoformat, page_json, poll_json, positive_int_arg
from app.models import Article, AuthorProfile, utcnow
from app.services.articles import listing
from app.views import found_or_404

MAX_PER_PAGE = 50


def _author_json(author: AuthorProfile, *, full: bool = False) -> dict:
    data = {
        "username": author.user.username if author.user else None,
        "display_name": author.display_name,
    }
    if full:
        data.update(
            slug=author.slug,
            organisation=author.organisation,
            location=author.location,
            credentials=author.credentials,
            bio=author.bio,
        )
    return data


def _article_teaser(article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "summary": article.summary,
        "author": _author_json(article.author),
        "published_at": isoformat(article.published_at),
        "comment_count": article.comment_count,
        "poll_id": article.poll.id if article.poll else None,
    }


@bp.get("/articles")
def list_articles():
    """Live articles, newest first. A page past the end has no items but the right totals."""
    page = positive_int_arg("page", 1)
    per_page = positive_int_arg(
        "per_page", current_app.config["ARTICLES_PER_PAGE"], maximum=MAX_PER_PAGE
    )
    pagination = listing.live_teasers(page, per_page)
    return jsonify(page_json(pagination, [_article_teaser(a) for a in pagination.items]))


@bp.get("/articles/<slug>")
def get_article(slug):
    now = utcnow()
    article = found_or_404(
        listing.live_article(slug, now), f"No published article has the slug '{slug}'."
    )
    data = _article_teaser(article)
    data.update(
        author=_author_json(article.author, full=True),
        body_html=article.body_html,
        tags=[{"name": tag.name, "slug": tag.slug} for tag in article.tags],
        updated_at=isoformat(article.updated_at),
        discussion_locked=article.discussion_locked,
        poll=poll_json(article.poll, now) if article.poll else None,
    )
    return jsonify(data)
