"""API routes for comments: an article's discussion, a page of threads at a time.

Readers get what any reader of the page sees: deleted and removed comments appear as
placeholders (status, no author, no text) where replies hang below them; comments
waiting for a moderator are left out unless replies hang below them, in which case
they appear as placeholders too.

The JSON is kept as the article page is (app/caching): one copy for every anonymous reader
and one for each member, renewed by the commit that changes the discussion, its article or
its authors' names and badges, so a thread of 1,000 comments is not serialised again for
each reader. Staff get it rendered each time, like their pages.
"""

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from app.api import bp
from app.api.helpers import api_error
from app.api.openapi import operation, path_param, query_param
from app.api.schemas import comments as schemas
from app.caching.pages import shared_page
from app.services.articles.listing import live_article_with_poll
from app.services.discussion.query import MAX_PAGE, Sort, parse_query
from app.services.discussion.reading import load_discussion
from app.services.discussion.tree import CommentNode
from app.services.infra.page_versions import ARTICLE, ARTICLES, MEMBERS
from app.views import found_or_404

# Threads per page. A client reading the whole discussion asks for the largest pages, so
# this bounds how many requests that takes; each thread still comes with all its replies.
MAX_PER_PAGE = 1000


def thread_json(root: CommentNode) -> dict:
    """A thread as nested objects, built without recursion so any depth is safe."""
    top = schemas.Comment.item(root)
    stack = [(root, top)]
    while stack:
        node, data = stack.pop()
        for child in node.children:
            child_data = schemas.Comment.item(child)
            data["replies"].append(child_data)
            stack.append((child, child_data))
    return top


@bp.get("/articles/<slug>/comments")
@operation(
    "listArticleComments",
    summary="An article's discussion, a page of threads at a time",
    description="Top-level comments of a published article, each with every reply "
    "below it nested in `replies`, to any depth. Pagination counts top-level "
    "comments only: `total` is the number of threads and `pages` the number of pages "
    "of them. Featured comments come first at every level. Comments deleted by "
    "their author or removed by a moderator appear only where replies hang below "
    "them, with their `status` and no author or text; comments waiting for a "
    "moderator are left out (or shown the same way, if replies hang below them). "
    "A page past the last one answers 200 with no items.",
    tags=("Comments",),
    parameters=(
        path_param("slug", "The article's slug.", {"type": "string"}),
        query_param(
            "sort",
            {
                "type": "string",
                "enum": [sort.value for sort in Sort],
                "default": Sort.OLDEST.value,
            },
            "oldest first, newest first, most helpful first, or common ground: the comments "
            "with `common_ground` first, those both groups found most helpful first (their "
            "score is not given), then the others by `helpful_count`, oldest first. "
            "See /common-ground.",
        ),
        query_param(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            "Page of top-level comments, from 1.",
        ),
        query_param(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
            "Top-level comments per page (the site's setting, 20, by default). "
            "Each comes with all its replies.",
        ),
    ),
    responses={
        200: ("A page of threads.", schemas.CommentPage),
        400: "`sort`, `page` or `per_page` is not a value listed here.",
        404: "No published article has this slug.",
    },
)
@shared_page(ARTICLES, MEMBERS, ARTICLE)
def article_comments(slug):
    """Top-level comments of a live article, each with all its replies."""
    article = found_or_404(live_article_with_poll(slug), _("No published article has this slug."))
    query = parse_query(
        _reader_args(), per_page=current_app.config["COMMENTS_PER_PAGE"], max_per_page=MAX_PER_PAGE
    )
    discussion = load_discussion(article, query)
    threads = [thread_json(node) for node in discussion.threads]
    return jsonify(schemas.CommentPage.envelope(threads, discussion))


def _reader_args() -> dict:
    """The API serves whole threads, so only sort, page and per_page apply.

    The page's links leave a filter empty to mean its default; the API documents each value,
    and an empty one is none of them.
    """
    args = {key: request.args[key] for key in ("sort", "page", "per_page") if key in request.args}
    for key, value in args.items():
        if not value.strip():
            api_error(400, _("'%(name)s' is empty: leave it out to get the default.", name=key))
    return args
