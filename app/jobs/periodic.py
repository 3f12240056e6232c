"""Periodic jobs: what runs on its own, when, and how each backend keeps it going.

An entry runs every `every`, at `offset` past each multiple of it in UTC ("daily at 03:17" is
every=1 day, offset=3 h 17 min), so every process computes the same due times.

With RQ, each occurrence is a `tick` job scheduled for its due time under an id made of the
entry's name and that time, which RQ accepts once only. A tick first schedules the next
occurrence, then queues the work as a job of its own (retried on its own if it fails).
`flask --app app worker` schedules the next occurrence of every entry when it starts, which
does nothing where one is waiting already; so a new entry, or an emptied Redis, is taken up by
the next worker start, and a worker that was down for days runs a missed occurrence once.

Without Redis (the "threads" backend), every entry runs when the process serves its first
request, then on timers; entries that say so (the digests, which members expect at their
time) wait for their first due time instead.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app

from app.jobs import job, runner
from app.jobs.execution import job_name, resolve
from app.models import utcnow

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Periodic:
    name: str
    job: str  # the dotted name of a @job function that takes no arguments
    every: timedelta
    offset: timedelta = timedelta(0)
    # Whether a process without Redis runs it when it starts, rather than at its due time.
    runs_at_start: bool = True

    def next_due(self, now: datetime) -> datetime:
        """The first due time strictly after `now`."""
        period = int(self.every.total_seconds())
        since = int((now - EPOCH - self.offset).total_seconds())
        return EPOCH + self.offset + timedelta(seconds=(since // period + 1) * period)

    def key(self, due: datetime) -> str:
        return f"periodic-{self.name}-{due:%Y%m%dT%H%M%SZ}"


DAY = timedelta(days=1)
# 1970-01-01, where due times are counted from, was a Thursday; Monday is four days on.
MONDAY = timedelta(days=4)
PERIODIC = (
    # Voters' address hashes older than VOTER_ADDRESS_RETENTION_DAYS are forgotten.
    Periodic(
        "purge-voter-addresses",
        "app.services.polls.voting.purge_voter_addresses",
        DAY,
        timedelta(hours=3, minutes=17),
    ),
    # Replies whose notice job was lost (a process stopped after the commit) are announced.
    Periodic(
        "announce-missed-replies",
        "app.services.discussion.notifications.announce_missed_replies",
        timedelta(minutes=5),
        timedelta(minutes=2),
    ),
    # Comments whose followers' notice job was lost are announced to them.
    Periodic(
        "announce-missed-follower-notices",
        "app.services.discussion.follows.announce_missed_follower_notices",
        timedelta(minutes=5),
        timedelta(minutes=3),
    ),
    # Members' unread notices, of the kinds they want in a digest, in one e-mail.
    Periodic(
        "daily-digest",
        "app.services.discussion.digests.send_daily_digests",
        DAY,
        timedelta(hours=7),
        runs_at_start=False,
    ),
    Periodic(
        "weekly-digest",
        "app.services.discussion.digests.send_weekly_digests",
        7 * DAY,
        MONDAY + timedelta(hours=7),
        runs_at_start=False,
    ),
    # Mail whose delivery job was lost (a process stopped, Redis was down) is queued again.
    Periodic(
        "resend-overdue-mail", "app.services.infra.outbox.resend_overdue", timedelta(minutes=5)
    ),
    # Sent and dead messages older than MAIL_OUTBOX_RETENTION_DAYS leave the outbox.
    Periodic(
        "purge-old-mail", "app.services.infra.outbox.purge_old", DAY, timedelta(hours=3, minutes=37)
    ),
)
BY_NAME = {entry.name: entry for entry in PERIODIC}


@job(retry_delays=())
def tick(name: str) -> None:
    """One occurrence of a periodic job: schedule the next one, then queue the work."""
    entry = BY_NAME[name]
    following = entry.next_due(utcnow())
    schedule(entry, following)
    current_app.logger.info("Periodic job %s is due; the next one at %s", name, following)
    runner().submit(job_name(resolve(entry.job)), ())


def schedule(entry: Periodic, due: datetime) -> None:
    runner().submit(job_name(tick), (entry.name,), at=due, key=entry.key(due))


def schedule_all(now: datetime | None = None) -> list[datetime]:
    """Make sure the next occurrence of every entry is waiting (the worker does this at start)."""
    dues = []
    for entry in PERIODIC:
        due = entry.next_due(now or utcnow())
        schedule(entry, due)
        dues.append(due)
    return dues


def start_in_process(jobs) -> None:
    """Run every entry now, or at its first due time; each then schedules its next one."""
    for entry in PERIODIC:
        if entry.runs_at_start:
            jobs.submit(job_name(tick), (entry.name,))
        else:
            jobs.submit(job_name(tick), (entry.name,), at=entry.next_due(utcnow()))
