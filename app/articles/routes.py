"""Routes for reading articles."""

from flask import Response, render_template, request

from app import limits
from app.articles import bp, feeds
from app.articles.pages import live_page, render_article_page
from app.caching.pages import shared_page
from app.live import stream
from app.services.articles import listing as queries
from app.services.articles import search as search_service
from app.services.discussion.arrivals import live_article_id
from app.services.infra.page_versions import ARTICLE, ARTICLES, COUNTS, MEMBERS
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
@shared_page(ARTICLES, COUNTS)
def search():
    terms = search_service.normalise_query(request.args.get("q"))
    statement = search_service.search_statement(terms) if terms else None
    pagination, results, snippets = None, [], {}
    if statement is not None:
        pagination = live_page(statement)
        results = pagination.items
        snippets = search_service.snippets([a.id for a in results], terms)
    return render_template(
        "articles/search.html",
        terms=terms,
        pagination=pagination,
        results=results,
        snippets=snippets,
    )


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
