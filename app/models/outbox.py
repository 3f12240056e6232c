"""The mail outbox: each message to send, written in the transaction that caused it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, enum_type, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt, due at next_attempt_at
    SENDING = "sending"  # a sender claimed it; the claim lapses at next_attempt_at
    SENT = "sent"
    DEAD = "dead"  # every attempt failed; an admin may send it again


class OutboxMessage(Base):
    """One e-mail, from the commit that asked for it until the mail server took it.

    `key` is unique: the same message asked for twice (a job that ran twice) is written once,
    and it is the Message-ID the message carries, so a copy sent again after a crash is
    recognisably the same message. A message is claimed before it is sent, so two senders
    never send it at once. Its body and headers are emptied once it is sent: password-reset
    and unsubscribe links in them need not outlive the delivery.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # Headers besides From, To, Subject and Message-ID, such as List-Unsubscribe.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status.value} to {self.recipient}>"
