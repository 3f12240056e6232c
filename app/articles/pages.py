"""Pages the reading side and the editor both show: the article page and pages of teasers."""

from flask import render_template, request, url_for

from app.comments.section import comment_section
from app.polls.panel import poll_panel
from app.services.articles import listing
from app.services.discussion.arrivals import newest_readable_id
from app.views import page_number, page_or_404


def live_page(statement):
    """The ?page= page of a list of live articles, or a 404 past its end."""
    return page_or_404(listing.paginate_live(statement, page_number()))


def live_discussion(article) -> dict:
    """Where the page's script hears of arriving comments, and the newest one it shows."""
    return {
        "url": url_for("articles.events", slug=article.slug),
        "after": newest_readable_id(article.id),
    }


def render_article_page(article, *, preview=False):
    """The article page; editors see the same page for articles not yet live."""
    context = {}
    if article.poll:
        context.update(poll_panel(article.poll))
    context.update(comment_section(article, request.args))
    if not preview and not article.discussion_locked:
        context["live_discussion"] = live_discussion(article)
    return render_template(
        "articles/article.html",
        article=article,
        other_articles=listing.other_articles_by(article),
        preview=preview,
        **context,
    )
