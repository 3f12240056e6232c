"""The mail outbox: a message is written with the transaction, then delivered by jobs.

`write` adds the message in the current transaction and queues its delivery for after the
commit. `deliver` (a job) claims the message, commits the claim, talks to the mail server
without holding any database lock, and records the outcome: sent, or another attempt after
the next of MAIL_RETRY_DELAYS, or, once they are spent, a dead letter that admins see and can
`send_again`. Delivery is at least once: a message whose job was lost (a process stopped
before handing it over) is queued again by `resend_overdue`, a periodic job; and it is
idempotent: a job for a message that is sent, dead, or claimed by another sender does
nothing.
"""

import smtplib
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app import transaction
from app.extensions import db
from app.jobs import enqueue, enqueue_in, job
from app.models import OutboxMessage, OutboxStatus, utcnow
from app.services.errors import Conflict

# A claim lapses after this; a sender still silent by then is taken for dead.
CLAIM_SECONDS = 600
# Machines' clocks differ a little: a retry that arrives this early still counts as due.
CLOCK_SKEW_SECONDS = 5
# A message this long overdue has lost its job; the sweep queues it again.
OVERDUE_SECONDS = 600
SWEEP_BATCH = 500
ERROR_LENGTH = 1000
SUBJECT_LENGTH = 300


class OutboxError(Conflict):
    pass


@dataclass(frozen=True)
class Claim:
    message_id: int
    attempt: int
    recipient: str
    subject: str
    body: str
    key: str
    headers: dict[str, str] | None


def write(
    to: str,
    subject: str,
    body: str,
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction; it is sent after the commit.

    A `key` names the message: asked for again with the same key, it is not written twice.
    """
    key = key or uuid4().hex
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    message = OutboxMessage(
        key=key, recipient=to, subject=subject[:SUBJECT_LENGTH], body=body, headers=headers
    )
    db.session.add(message)
    db.session.flush()
    enqueue(deliver, message.id)
    return message


@job
def deliver(message_id: int) -> None:
    """Send one message if it is due and no other sender holds it, and record how it went."""
    from app.services.infra import mail

    claim = _claim(message_id)
    if claim is None:
        return
    # The claim is committed before the mail server is asked: no lock is held meanwhile.
    transaction.commit()
    try:
        mail.send_mail(
            claim.recipient, claim.subject, claim.body, key=claim.key, headers=claim.headers
        )
    except (smtplib.SMTPException, OSError) as error:
        _record_failure(claim, error)
    else:
        _finish(
            claim,
            status=OutboxStatus.SENT,
            sent_at=utcnow(),
            body="",
            headers=None,
            last_error=None,
        )


def _claim(message_id: int) -> Claim | None:
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            OutboxMessage.next_attempt_at <= now + timedelta(seconds=CLOCK_SKEW_SECONDS),
        )
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    row = db.session.execute(
        select(
            OutboxMessage.attempts,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.key,
            OutboxMessage.headers,
        ).where(OutboxMessage.id == message_id)
    ).one()
    return Claim(message_id, *row)


def _finish(claim: Claim, **values) -> bool:
    """Record the outcome, unless a later sender took the message over meanwhile."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == claim.message_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.attempts == claim.attempt,
        )
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _record_failure(claim: Claim, error: Exception) -> None:
    delays = current_app.config["MAIL_RETRY_DELAYS"]
    reason = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    if claim.attempt > len(delays):
        current_app.logger.error(
            "Could not send mail %r to %s after %d attempts (%s); it is kept for admins to retry",
            claim.subject,
            claim.recipient,
            claim.attempt,
            reason,
        )
        _finish(claim, status=OutboxStatus.DEAD, next_attempt_at=utcnow(), last_error=reason)
        return
    delay = delays[claim.attempt - 1]
    current_app.logger.warning(
        "Could not send mail %r to %s (attempt %d, %s); trying again in %d s",
        claim.subject,
        claim.recipient,
        claim.attempt,
        reason,
        delay,
    )
    retry_at = utcnow() + timedelta(seconds=delay)
    if _finish(claim, status=OutboxStatus.PENDING, next_attempt_at=retry_at, last_error=reason):
        enqueue_in(delay, deliver, claim.message_id)


def send_again(message: OutboxMessage) -> None:
    """An admin's retry of a dead letter: one more attempt, now."""
    if message.status is not OutboxStatus.DEAD:
        raise OutboxError(_("Only messages whose every attempt failed can be sent again."))
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = message.updated_at = utcnow()
    db.session.flush()
    enqueue(deliver, message.id)


def dead_letters_statement():
    return (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.DEAD)
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
    )


def retrying_count() -> int:
    """Messages that failed at least once and wait for another attempt."""
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            OutboxMessage.attempts > 0,
        )
    )


@job
def resend_overdue() -> int:
    """Queue again the messages whose delivery job was lost; answer how many."""
    cutoff = utcnow() - timedelta(seconds=OVERDUE_SECONDS)
    overdue = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            OutboxMessage.next_attempt_at <= cutoff,
        )
        .order_by(OutboxMessage.next_attempt_at)
        .limit(SWEEP_BATCH)
    ).all()
    for message_id in overdue:
        enqueue(deliver, message_id)
    if overdue:
        current_app.logger.warning("Queued %d overdue messages again", len(overdue))
    return len(overdue)


@job
def purge_old() -> int:
    """Delete sent and dead messages older than MAIL_OUTBOX_RETENTION_DAYS; answer how many."""
    cutoff = utcnow() - timedelta(days=current_app.config["MAIL_OUTBOX_RETENTION_DAYS"])
    result = db.session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.DEAD]),
            OutboxMessage.updated_at < cutoff,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
