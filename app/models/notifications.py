"""In-site notifications, such as a reply to one of your comments or a new comment on an
article you follow; those two may also be e-mailed, at once or in a digest."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_type, utcnow
from app.models.users import MailTopic, User


class NotificationKind(StrEnum):
    REPLY = "reply"
    COMMENT_REMOVED = "comment-removed"
    COMMENT_APPROVED = "comment-approved"
    VERIFICATION = "verification"
    ACCOUNT = "account"
    FOLLOWED_COMMENT = "followed-comment"  # a new comment on an article the member follows

    @property
    def mail_topic(self) -> MailTopic | None:
        """The e-mail setting that decides whether and when this kind is mailed."""
        return {"reply": MailTopic.REPLIES, "followed-comment": MailTopic.FOLLOWS}.get(self.value)


def _once_per_comment(kind: NotificationKind) -> Index:
    """A unique index: one notice of this kind per member and comment."""
    where = text(f"kind = '{kind.value}'")
    return Index(
        f"uq_notifications_{kind.value.replace('-', '_')}",
        "recipient_id",
        "comment_id",
        unique=True,
        sqlite_where=where,
        postgresql_where=where,
    )


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_id_read_at", "recipient_id", "read_at"),
        # A reply is announced to its parent's author once, and a new comment to each of the
        # article's followers once, however many jobs try.
        _once_per_comment(NotificationKind.REPLY),
        _once_per_comment(NotificationKind.FOLLOWED_COMMENT),
        # Digests gather the notices of the last day or week.
        Index("ix_notifications_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind, "notification_kind"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # When the notice left by e-mail, alone or in a digest; each is mailed once.
    mailed_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    comment: Mapped["Comment | None"] = relationship()  # noqa: F821
