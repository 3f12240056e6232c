"""In-site notifications, such as a reply to one of your comments."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_type, utcnow
from app.models.users import User


class NotificationKind(StrEnum):
    REPLY = "reply"
    COMMENT_REMOVED = "comment-removed"
    COMMENT_APPROVED = "comment-approved"
    VERIFICATION = "verification"
    ACCOUNT = "account"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_id_read_at", "recipient_id", "read_at"),
        # A reply is announced to its parent's author once, however many jobs try.
        Index(
            "uq_notifications_reply",
            "recipient_id",
            "comment_id",
            unique=True,
            sqlite_where=text("kind = 'reply'"),
            postgresql_where=text("kind = 'reply'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind, "notification_kind"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    comment: Mapped["Comment | None"] = relationship()  # noqa: F821
