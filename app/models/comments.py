"""Threaded comments on articles, their edit history and helpful marks."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_type, utcnow
from app.models.users import CommunityRole, User


class CommentStatus(StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"  # waiting for a moderator before anyone else sees it
    HIDDEN = "hidden"  # hidden by reports until a moderator looks
    REMOVED = "removed"  # removed by a moderator; replies stay
    DELETED = "deleted"  # deleted by its author; replies stay


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index(
            "ix_comments_article_id_parent_id_created_at", "article_id", "parent_id", "created_at"
        ),
        Index("ix_comments_root_id", "root_id"),
        Index("ix_comments_status_created_at", "status", "created_at"),
        # Few comments carry the crisis flag; the moderators' queue counts them on every page.
        Index("ix_comments_crisis_flag_status", "crisis_flag", "status"),
        # Every article page looks for its comments with k marks from each group; this finds
        # them without reading the others.
        Index(
            "ix_comments_common_ground",
            "article_id",
            "client_helpful_count",
            "professional_helpful_count",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    # The top-level comment of the thread, so a page of threads loads in one query.
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        enum_type(CommentStatus, "comment_status"), default=CommentStatus.PUBLISHED
    )
    pending_reason: Mapped[str | None] = mapped_column(String(200))
    removal_reason: Mapped[str | None] = mapped_column(Text)
    crisis_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    # The same marks split by the marker's role when they marked. Never shown as numbers:
    # they only decide the common-ground badge and order (app/services/discussion/common_ground).
    client_helpful_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    professional_helpful_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Open reports: enough of them hide the comment until a moderator resolves them.
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship()
    article: Mapped["Article"] = relationship()  # noqa: F821
    revisions: Mapped[list["CommentRevision"]] = relationship(
        back_populates="comment",
        cascade="all, delete-orphan",
        order_by="CommentRevision.created_at",
    )

    def __repr__(self) -> str:
        return f"<Comment {self.id}>"


# Pages of threads in their default order (featured first, then oldest), with the status
# needed to filter them, are read from this index alone.
Index(
    "ix_comments_thread_order",
    Comment.article_id,
    Comment.parent_id,
    Comment.featured.desc(),
    Comment.created_at,
    Comment.id,
    Comment.status,
)


class CommentRevision(Base):
    """A previous text of an edited comment, kept for moderators."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body_markdown: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="revisions")


class HelpfulMark(Base):
    """A member found a comment helpful; their community role is kept as it was then."""

    __tablename__ = "helpful_marks"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Like a vote's voter_role: a member who changes role later does not move old marks.
    marker_role: Mapped[CommunityRole] = mapped_column(enum_type(CommunityRole, "marker_role"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HelpfulMarker(Base):
    """A member who marked comments of an article helpful in one role, with how many marks.

    Common ground compares a group's marks on a comment with the members of that group who
    marked anything in the discussion; counting these rows (kept with the marks, for clients
    and professionals) costs an index range, where counting distinct members over the
    marks would read every mark of the discussion.
    """

    __tablename__ = "helpful_markers"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    marker_role: Mapped[CommunityRole] = mapped_column(
        enum_type(CommunityRole, "marker_role"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    marks: Mapped[int] = mapped_column(Integer)
