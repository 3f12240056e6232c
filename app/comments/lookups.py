"""Finding a comment for a view, and where it sits on its article's pages."""

from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user

from app.comments.section import article_url
from app.extensions import db
from app.models import Comment
from app.services.discussion.reading import comment_on_live_article, page_of_thread
from app.views import found_or_404
from app.voters import current_viewer


def comment_or_404(comment_id: int, *, check_author: bool = False) -> Comment:
    """The comment, with its article and the article's poll loaded, if that article is live."""
    comment = found_or_404(comment_on_live_article(comment_id))
    if check_author and comment.author_id != current_user.id:
        abort(403, description=_("Only the author of a comment can change it."))
    return comment


def discussion_url(comment: Comment) -> str:
    """Where a comment sits on its article's pages (default view), at its anchor."""
    root = comment
    if comment.root_id is not None and comment.root_id != comment.id:
        root = db.session.get(Comment, comment.root_id) or comment
    page = page_of_thread(root, current_viewer(), current_app.config["COMMENTS_PER_PAGE"])
    kwargs = {"page": page} if page > 1 else {}
    return article_url(comment.article, **kwargs) + f"#c{comment.id}"
