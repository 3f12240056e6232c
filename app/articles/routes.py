"""Routes for reading articles."""

from flask import Response, render_template, request

from app import limits
from app.articles import bp, feeds
from app.articles.pages import live_page, render_article_page
from app.articles.search_page import search_page
from app.caching.pages import shared_page
from app.live import stream
from app.services.articles import listing as queries
from app.services.discussion.arrivals import live_article_id
from app.services.infra.page_versions import ARTICLE, ARTICLES, COMMENT_TEXT, COUNTS, MEMBERS
from app.views import found_or_404

HOME_LATEST = 8
HOME_MOST_DISCUSSED = 5


@bp.get("/")
@shared_page(ARTICLES, COUNTS)
def home():
    return render_template(
        "articles/home.html",
        latest=queries.latest(HOME_LATEST),
        most_discussed=queries.most_discussed(HOME_MOST_DISCUSSED),
        tags=queries.tags_with_counts(),
    )


@bp.get("/articles")
@shared_page(ARTICLES, COUNTS)
def index():
    pagination = live_page(queries.live_articles())
    return render_template("articles/index.html", pagination=pagination)


@bp.get("/articles/<slug>")
@shared_page(ARTICLES, MEMBERS, ARTICLE, shows_votes=True)
def article(slug):
    return render_article_page(found_or_404(queries.live_article(slug)))


@bp.get("/articles/<slug>/events")
@limits.live_streams
def events(slug):
    """The comments arriving on the article, for its open pages (app/live/stream.py)."""
    article_id = found_or_404(live_article_id(slug))
    return stream.open_stream(article_id, stream.requested_after())


@bp.get("/authors/<slug>")
@shared_page(ARTICLES, COUNTS)
def author(slug):
    profile = found_or_404(queries.author_by_slug(slug))
    pagination = live_page(queries.articles_by(profile))
    return render_template("articles/author.html", author=profile, pagination=pagination)


@bp.get("/tags/<slug>")
@shared_page(ARTICLES, COUNTS)
def tag(slug):
    found = found_or_404(queries.tag_by_slug(slug))
    pagination = live_page(queries.articles_tagged(found))
    return render_template("articles/tag.html", tag=found, pagination=pagination)


@bp.get("/search")
@shared_page(ARTICLES, COUNTS, MEMBERS, COMMENT_TEXT)
def search():
    page = search_page(request.args)
    return render_template("articles/search.html", page=page), page.status


@bp.get("/feed.atom")
@shared_page(ARTICLES)
def feed():
    return Response(feeds.atom_feed(), mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
@shared_page(ARTICLES)
def sitemap():
    return Response(feeds.sitemap(), mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    return Response(feeds.robots_txt(), mimetype="text/plain")
