"""API routes for comments: an article's discussion, a page of threads at a time.

Readers get what any reader of the page sees: deleted and removed comments appear as
placeholders (status, no author, no text) where replies hang below them; comments
waiting for a moderator are left out unless replies hang below them, in which case
they appear as placeholders too.
"""

from flask import current_app, jsonify, request

from app.api import bp
from app.api.helpers import isoformat
from app.models import CommentStatus
from app.services.articles.listing import live_article_with_poll
from app.services.discussion.reading import load_discussion, parse_query
from app.services.discussion.tree import CommentNode
from app.views import found_or_404

# Threads per page. A client reading the whole discussion asks for the largest pages, so
# this bounds how many requests that takes; each thread still comes with all its replies.
MAX_PER_PAGE = 1000


def comment_json(node: CommentNode) -> dict:
    comment = node.comment
    readable = node.shown and comment.status is CommentStatus.PUBLISHED
    author = comment.author if readable else None
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": {"username": author.username} if author else None,
        "badge": author.badge if author else None,
        "body_html": comment.body_html if readable else None,
        "created_at": isoformat(comment.created_at),
        "edited_at": isoformat(comment.edited_at) if readable else None,
        "helpful_count": comment.helpful_count if readable else 0,
        "featured": comment.featured and readable,
        "status": comment.status.value,
        "replies": [],
    }


def thread_json(root: CommentNode) -> dict:
    """A thread as nested objects, built without recursion so any depth is safe."""
    top = comment_json(root)
    stack = [(root, top)]
    while stack:
        node, data = stack.pop()
        for child in node.children:
            child_data = comment_json(child)
            data["replies"].append(child_data)
            stack.append((child, child_data))
    return top


@bp.get("/articles/<slug>/comments")
def article_comments(slug):
    """Top-level comments of a live article, each with all its replies."""
    article = found_or_404(live_article_with_poll(slug), "No published article has this slug.")
    query = parse_query(
        _reader_args(), per_page=current_app.config["COMMENTS_PER_PAGE"], max_per_page=MAX_PER_PAGE
    )
    discussion = load_discussion(article, query)
    return jsonify(
        items=[thread_json(node) for node in discussion.threads],
        page=discussion.page,
        pages=discussion.pages,
        total=discussion.total,
    )


def _reader_args() -> dict:
    """The API serves whole threads, so only sort, page and per_page apply."""
    return {key: request.args[key] for key in ("sort", "page", "per_page") if key in request.args}
