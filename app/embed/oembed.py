"""oEmbed (https://oembed.com/): the iframe of an article's poll, for partner sites' systems.

A partner's content system asks `/oembed?url=<article address>` and gets a "rich" answer whose
`html` is the iframe; the article page names this address in its `<head>` for discovery, and
shows editors the same iframe to copy. The iframe is sandboxed: forms and links that open
our site in a new window are all it needs, and the partner's page stays out of its reach.
"""

from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from app.links import external_url
from app.services.articles.listing import live_article_with_poll

DEFAULT_WIDTH = 480
MIN_SIZE = 200
SANDBOX = "allow-forms allow-popups allow-popups-to-escape-sandbox"
CACHE_SECONDS = 600
# Heights in CSS pixels of the parts of the embedded page at the default width, measured in
# Chromium: its heading and links, each answer to choose, the role question with the button,
# the notice that sends readers of a members-only poll to the site, each answer's result
# with its bar, and the note below the results.
HEADING_AND_LINKS = 200
CHOICE_ROW = 28
ROLE_QUESTION_AND_BUTTON = 250
MEMBERS_NOTICE = 80
RESULT_ROW = 44
RESULTS_NOTE = 70


class Refusal(Exception):
    """A request oEmbed cannot answer: its status and a message for whoever asked."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def frame_height(poll) -> int:
    """Tall enough for the question, the form and the results at once, without scrolling."""
    rows = len(poll.options)
    choices = rows * CHOICE_ROW + ROLE_QUESTION_AND_BUTTON
    form = choices if poll.allow_anonymous else MEMBERS_NOTICE
    return HEADING_AND_LINKS + form + rows * RESULT_ROW + RESULTS_NOTE


def iframe(poll, width: int | None = None, height: int | None = None) -> Markup:
    """The iframe that shows `poll`, at its natural size or a smaller one."""
    return Markup(
        '<iframe src="{src}" width="{width}" height="{height}" title="{title}" '
        'loading="lazy" sandbox="{sandbox}"></iframe>'
    ).format(
        src=external_url("embed.poll", poll_id=poll.id),
        width=width or DEFAULT_WIDTH,
        height=height or frame_height(poll),
        title=_("Poll: %(question)s", question=poll.question),
        sandbox=SANDBOX,
    )


def describe(args) -> dict:
    """The oEmbed answer for the query `args`, or a Refusal."""
    if args.get("format", "json") != "json":
        raise Refusal(501, _("Only format=json is offered."))
    url = (args.get("url") or "").strip()
    if not url:
        raise Refusal(
            400, _("Give the address of an article: /oembed?url=<the article's address>.")
        )
    max_width = _dimension(args, "maxwidth")
    max_height = _dimension(args, "maxheight")
    article = live_article_with_poll(_article_slug(url))
    if article is None or article.poll is None:
        raise Refusal(404, _("That address is not an article with a poll on this site."))
    if not article.embedding_origins:
        raise Refusal(
            404, _("No site may embed this article's poll: its editors have not listed any.")
        )
    poll = article.poll
    width = min(DEFAULT_WIDTH, max_width or DEFAULT_WIDTH)
    height = min(frame_height(poll), max_height or frame_height(poll))
    return {
        "version": "1.0",
        "type": "rich",
        "title": poll.question,
        "author_name": article.author.display_name,
        "author_url": external_url("articles.author", slug=article.author.slug),
        "provider_name": current_app.config["SITE_NAME"],
        "provider_url": external_url("articles.home"),
        "cache_age": CACHE_SECONDS,
        "html": str(iframe(poll, width, height)),
        "width": width,
        "height": height,
    }


def _dimension(args, name: str) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdecimal() or not MIN_SIZE <= int(value) <= 10_000:
        raise Refusal(
            400,
            _(
                "%(name)s must be a whole number of pixels from %(least)s to 10000.",
                name=name,
                least=MIN_SIZE,
            ),
        )
    return int(value)


def _article_slug(url: str) -> str:
    """The slug of an article's address on this site."""
    not_ours = Refusal(404, _("That address is not an article on this site."))
    try:
        parts = urlsplit(url)
    except ValueError:
        raise not_ours from None
    site = urlsplit(external_url("articles.home"))
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != site.netloc.lower():
        raise not_ours
    adapter = current_app.url_map.bind(site.netloc, url_scheme=site.scheme)
    try:
        endpoint, values = adapter.match(parts.path, method="GET")
    except HTTPException:
        raise not_ours from None
    if endpoint != "articles.article":
        raise not_ours
    return values["slug"]


def cross_origin(response):
    """oEmbed answers are public: scripts on other sites may read them."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "GET" and response.status_code == 200:
        response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        response.vary.add("Accept-Language")  # the frame's title is in the reader's language
    return response
