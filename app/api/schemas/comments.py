"""API bodies for comments: one comment with its replies, and a page of threads.

A page holds up to 1,000 threads of any depth, so these models describe the JSON but do not
build it: `Comment.item` writes one comment as a plain dict (about as fast as a literal, where
a model would cost several times more per comment), the route nests the dicts without
recursion, and `CommentPage.envelope` wraps them. Tests check both against the models.
"""

from pydantic import Field

from app.models import CommentStatus
from app.schemas.base import Schema, Timestamp, isoformat, values_of


class CommentAuthor(Schema):
    username: str


class Comment(Schema):
    """A comment, or a placeholder that keeps its replies in place."""

    id: int
    parent_id: int | None = Field(
        description="The comment this one replies to; null for a top-level comment."
    )
    author: CommentAuthor | None = Field(
        description="Null for placeholders and for authors who deleted their account."
    )
    badge: str | None = Field(
        description='The badge the author chose to show: "Verified professional", '
        '"Client" or "Professional"; null when they show none.'
    )
    body_html: str | None = Field(description="Sanitised HTML; null for placeholders.")
    created_at: Timestamp
    edited_at: Timestamp | None = Field(description="When the author last edited it.")
    helpful_count: int = Field(ge=0)
    common_ground: bool = Field(
        description='"Found helpful by clients and professionals": at least k clients and k '
        "professionals marked it helpful (k is the site's smallest group shown, the "
        "`min_group_size` of poll results; each member counts in the role they had when "
        "they marked). The counts per group are never given."
    )
    featured: bool = Field(description="Featured by a moderator.")
    status: values_of(CommentStatus) = Field(
        description="published comments carry their text; the others are "
        "placeholders that keep their replies in place."
    )
    replies: list["Comment"] = Field(
        description="Direct replies, in the requested order, each with its own."
    )

    @staticmethod
    def item(node) -> dict:
        """One node of a comment tree (app.comments.tree) as JSON, with no replies yet."""
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
            "common_ground": comment.common_ground and readable,
            "featured": comment.featured and readable,
            "status": comment.status.value,
            "replies": [],
        }


class CommentPage(Schema):
    items: list[Comment]
    page: int = Field(ge=1)
    pages: int = Field(ge=1)
    total: int = Field(ge=0, description="Top-level comments.")

    @staticmethod
    def envelope(items: list[dict], discussion) -> dict:
        """Threads built by `Comment.item` with the page they are on."""
        return {
            "items": items,
            "page": discussion.page,
            "pages": discussion.pages,
            "total": discussion.total,
        }
