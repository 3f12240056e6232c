"""Comments as a discussion page shows them, read as plain rows.

A page of threads can hold thousands of comments. Reading them as rows into small slotted
objects, with each author's public face worked out once, costs about half what ORM objects
do, and nothing on them can trigger a query per comment later. Pages only read
these objects; anything that changes a comment loads the Comment itself.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Comment, CommentStatus, User
from app.models.users import badge_for
from app.services.discussion.common_ground import found_helpful_by_both, min_group_size


@dataclass(frozen=True, slots=True)
class ShownAuthor:
    """What readers see of a comment's author: the pseudonym and the badge they chose."""

    id: int
    username: str
    badge: str | None


@dataclass(slots=True, eq=False)
class ShownComment:
    id: int
    article_id: int
    parent_id: int | None
    root_id: int | None
    depth: int
    author_id: int | None
    body_html: str
    status: CommentStatus
    removal_reason: str | None
    featured: bool
    helpful_count: int
    created_at: datetime
    edited_at: datetime | None
    # "Found helpful by clients and professionals" (see common_ground).
    common_ground: bool
    author: ShownAuthor | None


COMMENT_COLUMNS = (
    Comment.id,
    Comment.article_id,
    Comment.parent_id,
    Comment.root_id,
    Comment.depth,
    Comment.author_id,
    Comment.body_html,
    Comment.status,
    Comment.removal_reason,
    Comment.featured,
    Comment.helpful_count,
    Comment.created_at,
    Comment.edited_at,
)
AUTHOR_COLUMNS = (
    User.username,
    User.community_role,
    User.show_role_badge,
    User.verification_status,
    User.show_verified_badge,
)


def load_shown(condition, order_by, *, limit: int | None = None) -> list[ShownComment]:
    """The comments matching condition, in order, each with its author; one query."""
    columns = (*COMMENT_COLUMNS, found_helpful_by_both(min_group_size()))
    rows = db.session.execute(
        select(*columns, *AUTHOR_COLUMNS)
        .outerjoin(User, User.id == Comment.author_id)
        .where(condition)
        .order_by(*order_by)
        .limit(limit)
    )
    split = len(columns)
    authors: dict[int, ShownAuthor] = {}
    comments = []
    for row in rows:
        author = None
        if row.username is not None:
            author = authors.get(row.author_id)
            if author is None:
                author = authors[row.author_id] = ShownAuthor(
                    row.author_id, row.username, badge_for(*row[split + 1 :])
                )
        comments.append(ShownComment(*row[:split], author))
    return comments
