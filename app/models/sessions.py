"""A member's logins: one row per browser they logged in from, ended at logout."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.users import User

DEVICE_MAX_LENGTH = 120


class MemberSession(Base):
    """One login of a member, which the session and remember-me cookies point to.

    The cookies carry the row's id and a random secret of which only a hash is kept here, so
    neither a copy of this table nor the cookie of another login opens this one. A login is
    valid while `ended_at` is empty: logging out, "log out everywhere", a password change or
    reset, a suspension or a ban set it, and every app server then refuses the cookies.
    """

    __tablename__ = "member_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    secret_hash: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(DEVICE_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_member_sessions_user_id_ended_at", "user_id", "ended_at"),)

    def __repr__(self) -> str:
        return f"<MemberSession {self.id} of user {self.user_id}>"
