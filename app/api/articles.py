"""API routes for articles: the published list and one article with its poll."""

from flask import current_app, jsonify
from flask_babel import gettext as _

from app.api import bp
from app.api.helpers import positive_int_arg
from app.api.openapi import operation, path_param, query_param
from app.api.schemas import articles as schemas
from app.models import utcnow
from app.services.articles import listing
from app.views import LARGEST_PAGE, found_or_404

MAX_PER_PAGE = 50


PAGE = query_param(
    "page",
    {"type": "integer", "minimum": 1, "maximum": LARGEST_PAGE, "default": 1},
    "Page number, from 1.",
)
PER_PAGE = query_param(
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10},
    "Articles per page (the site's setting by default).",
)
SLUG = path_param("slug", "The article's slug, as in its address on the site.", {"type": "string"})


@bp.get("/articles")
@operation(
    "listArticles",
    summary="Published articles, newest first",
    description="Only articles readers can see now. A page past the last one "
    "answers 200 with no items and the same `pages` and `total`.",
    tags=("Articles",),
    parameters=(PAGE, PER_PAGE),
    responses={
        200: ("A page of articles.", schemas.ArticlePage),
        400: "`page` or `per_page` is not a positive integer in range.",
    },
)
def list_articles():
    """Live articles, newest first. A page past the end has no items but the right totals."""
    page = positive_int_arg("page", 1)
    per_page = positive_int_arg(
        "per_page", current_app.config["ARTICLES_PER_PAGE"], maximum=MAX_PER_PAGE
    )
    pagination = listing.live_teasers(page, per_page)
    return jsonify(schemas.ArticlePage.from_pagination(pagination).to_json())


@bp.get("/articles/<slug>")
@operation(
    "getArticle",
    summary="One published article with its body, tags, author and poll",
    tags=("Articles",),
    parameters=(SLUG,),
    responses={
        200: ("The article.", schemas.Article),
        404: "No published article has this slug.",
    },
)
def get_article(slug):
    now = utcnow()
    article = found_or_404(
        listing.live_article(slug, now),
        _("No published article has the slug '%(slug)s'.", slug=slug),
    )
    return jsonify(schemas.Article.from_article(article, now).to_json())
