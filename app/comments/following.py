"""Follow and Stop following: a discussion's new comments reach the member's inbox, or stop."""

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.redirects import safe_next_url
from app.comments import bp
from app.comments.section import article_url
from app.errors import refusal_shown
from app.models import Article
from app.services.articles.listing import live_article_with_poll
from app.services.discussion import follows
from app.views import found_or_404


def back_url(article: Article) -> str:
    """The page the button was on (same site only), else the article's discussion."""
    return safe_next_url(request.form.get("next")) or article_url(article) + "#discussion"


@bp.post("/articles/<slug>/follow")
@login_required
def follow(slug):
    article = found_or_404(live_article_with_poll(slug))
    with refusal_shown():
        follows.follow(current_user, article)
        flash(_("You follow this discussion: its new comments will reach your inbox."), "success")
    return redirect(back_url(article))


@bp.post("/articles/<slug>/unfollow")
@login_required
def unfollow(slug):
    article = found_or_404(live_article_with_poll(slug))
    follows.unfollow(current_user, article)
    flash(_("You no longer follow “%(title)s”.", title=article.title), "success")
    return redirect(back_url(article))
