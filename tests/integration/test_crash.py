"""Every app server and the worker are killed (SIGKILL) under a load of votes, comments and
mail, then started again: nothing the site acknowledged is lost, no mail goes unsent.

Members vote, change their vote, comment, reply and ask for reset links through both servers
at once. A request answered 2xx or 3xx was acknowledged; one cut off by the kill may or may
not have been stored. Mail whose job died with a process waits in the outbox for the sweep,
which runs every 5 minutes and takes messages 10 minutes overdue; the test moves those
messages' times back instead of waiting, then runs the sweep as a job on the worker. Replies
whose notice job died are announced by a sweep of their own, run the same way.
"""

import random
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import requests
from sqlalchemy import Interval, and_, func, literal, or_, select, update

from app.extensions import db
from app.jobs.execution import job_name
from app.jobs.runners import RedisRunner
from app.models import (
    Article,
    Comment,
    CommentStatus,
    MailFrequency,
    Notification,
    NotificationKind,
    OutboxMessage,
    OutboxStatus,
    User,
    Vote,
    VoteHistory,
    utcnow,
)
from app.services.discussion import notifications
from app.services.infra import outbox
from app.services.polls import tally
from app.services.polls.rebuild import rebuild_tallies
from app.services.polls.tally import Scope
from tests.factories import make_article, make_comment, make_user
from tests.fleet import Browser, running_site

pytestmark = pytest.mark.slow

MEMBERS = 32
THREADS = 8
ACTIONS = ("vote", "comment", "reply", "change vote", "reset")
# The kill comes once this share of the load is acknowledged.
KILL_AFTER = 0.35
# As if this much time had passed for the mail whose job was lost with its process.
SWEEP_LAPSE = timedelta(minutes=20)
SITE_SECONDS = 90
MAIL_SECONDS = 60
ACKNOWLEDGED = {200, 302, 303}


@dataclass
class Load:
    """What was sent and what the site acknowledged, from every member's browser."""

    votes: dict[str, list[tuple[int, bool]]] = field(default_factory=lambda: defaultdict(list))
    comments: dict[str, int] = field(default_factory=dict)  # body: id, once acknowledged
    sent_comments: list[str] = field(default_factory=list)
    resets: dict[str, bool] = field(default_factory=dict)  # address: acknowledged
    cut_off: int = 0  # requests that got no answer
    acknowledged: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    halfway: threading.Event = field(default_factory=threading.Event)

    def answered(self, response: requests.Response) -> bool:
        assert response.status_code in ACKNOWLEDGED, (
            f"{response.request.method} {response.request.url}: {response.status_code}"
        )
        with self.lock:
            self.acknowledged += 1
            if self.acknowledged >= KILL_AFTER * MEMBERS * len(ACTIONS):
                self.halfway.set()
        return True

    def lost(self) -> bool:
        with self.lock:
            self.cut_off += 1
        return False


class Member:
    """One member's browser going through the load, through whichever server it is sent to."""

    def __init__(self, n: int, servers: list[str], article, seed_comment_id: int, load: Load):
        self.name = f"crowd{n}"
        self.address = f"{self.name}@example.org"
        self.browser = Browser(f"198.51.{100 + n // 200}.{n % 200 + 1}")
        self.servers = servers
        self.turn = n
        self.article_path = f"/articles/{article.slug}"
        self.votes_url = f"/api/v1/polls/{article.poll.id}/votes"
        self.seed_comment_id = seed_comment_id
        options = [option.id for option in article.poll.options]
        rng = random.Random(n)
        self.first = rng.choice(options)
        self.second = rng.choice([option for option in options if option != self.first])
        self.load = load
        self.logged_in = False

    def server(self) -> str:
        # Each request goes to the other server than the last, as a proxy's round robin does.
        self.turn += 1
        return self.servers[self.turn % len(self.servers)]

    def run(self) -> None:
        self._until_answered(self._log_in)
        self._until_answered(self._vote, self.first)
        self._once(self._comment, f"{self.name} thinks a friend request crosses a line.")
        self._once(self._reply, f"{self.name} agrees: the first session should set this out.")
        self._until_answered(self._vote, self.second)
        self._once(self._reset)
        self.browser.close()

    def _log_in(self) -> bool:
        if not self.logged_in:
            response = self.browser.log_in(self.server(), self.name)
            assert response.status_code == 302, f"login of {self.name}: {response.status_code}"
            self.logged_in = True
        self.browser.read_token(f"{self.server()}{self.article_path}")
        return True

    def _vote(self, option_id: int) -> bool:
        self.load.votes[self.name].append((option_id, False))
        response = self.browser.post(
            f"{self.server()}{self.votes_url}",
            json={"option_ids": [option_id]},
            headers={"X-CSRFToken": self.browser.csrf},
        )
        self.load.votes[self.name][-1] = (option_id, self.load.answered(response))
        return True

    def _comment(self, body: str) -> bool:
        return self._post_comment(f"{self.article_path}/comments", body)

    def _reply(self, body: str) -> bool:
        return self._post_comment(f"/comments/{self.seed_comment_id}/reply", body)

    def _post_comment(self, path: str, body: str) -> bool:
        self.load.sent_comments.append(body)
        response = self.browser.submit(f"{self.server()}{path}", body=body)
        self.load.answered(response)
        self.load.comments[body] = int(response.headers["Location"].rpartition("#c")[2])
        return True

    def _reset(self) -> bool:
        self.load.resets[self.address] = False
        response = self.browser.submit(f"{self.server()}/account/reset", identifier=self.address)
        self.load.resets[self.address] = self.load.answered(response)
        return True

    def _until_answered(self, action, *args) -> None:
        """Send again until acknowledged, as a person does when the page fails to load."""
        deadline = time.monotonic() + SITE_SECONDS
        while not self._once(action, *args):
            assert time.monotonic() < deadline, f"{self.name}: the site did not come back"

    def _once(self, action, *args) -> bool:
        try:
            return action(*args)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            self.load.lost()
            self._wait_for_site()
            return False

    def _wait_for_site(self) -> None:
        deadline = time.monotonic() + SITE_SECONDS
        while time.monotonic() < deadline:
            try:
                if self.browser.get(f"{self.server()}/healthz").status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)


def explains(history: list[int], sent: list[tuple[int, bool]]) -> bool:
    """Whether the stored ballots are the sent ones less some that were never acknowledged."""
    if not history:
        return not any(acknowledged for _, acknowledged in sent)
    if not sent:
        return False
    (option_id, acknowledged), rest = sent[0], sent[1:]
    if option_id == history[0] and explains(history[1:], rest):
        return True
    return not acknowledged and explains(history, rest)


def everything_tallied(poll_id):
    return (
        {scope: tally.option_counts(poll_id, scope) for scope in Scope},
        {scope: tally.voter_counts(poll_id, scope) for scope in Scope},
        {scope: tally.daily_counts(poll_id, scope) for scope in Scope},
        tally.stance_changes(poll_id),
    )


def unsent_keys() -> set[str]:
    db.session.rollback()
    return set(
        db.session.scalars(
            select(OutboxMessage.key).where(OutboxMessage.status != OutboxStatus.SENT)
        )
    )


def message_ids(keys) -> set[str]:
    return {f"<{key}@boundaries.invalid>" for key in keys}


def send_lost_mail(site, restarted_at) -> int:
    """Let the sweep find the mail whose job died; answer how many messages were waiting.

    Waiting messages and those claimed by the killed worker are made 20 minutes older, as
    if the sweep's time had come. A message the restarted worker is sending keeps its claim.
    """
    waiting = db.session.execute(
        update(OutboxMessage)
        .where(
            or_(
                OutboxMessage.status == OutboxStatus.PENDING,
                and_(
                    OutboxMessage.status == OutboxStatus.SENDING,
                    OutboxMessage.updated_at < restarted_at,
                ),
            )
        )
        .values(next_attempt_at=OutboxMessage.next_attempt_at - literal(SWEEP_LAPSE, Interval))
    ).rowcount
    db.session.commit()
    RedisRunner(site.app).submit(job_name(outbox.resend_overdue), ())
    deadline = time.monotonic() + MAIL_SECONDS
    while unsent_keys() and time.monotonic() < deadline:
        time.sleep(0.2)
    # Time for a second delivery of any message, were one to come.
    time.sleep(1)
    return waiting


def announce_lost_replies(site, seed_id: int) -> tuple[int, int]:
    """Let the sweep announce the replies whose notice job died; answer (replies, told).

    As with mail, the replies are made older as if the sweep's time had come.
    """
    db.session.execute(
        update(Comment)
        .where(Comment.parent_id == seed_id)
        .values(created_at=Comment.created_at - literal(SWEEP_LAPSE, Interval))
    )
    db.session.commit()
    replies = db.session.scalar(select(func.count(Comment.id)).where(Comment.parent_id == seed_id))
    RedisRunner(site.app).submit(job_name(notifications.announce_missed_replies), ())
    deadline = time.monotonic() + MAIL_SECONDS
    while time.monotonic() < deadline:
        db.session.rollback()
        told = db.session.scalar(
            select(func.count(Notification.id)).where(Notification.kind == NotificationKind.REPLY)
        )
        if told >= replies:
            break
        time.sleep(0.2)
    return replies, told


def assert_votes_kept(load: Load, poll_id: int) -> None:
    """Each member's ballots, in order, are the acknowledged ones and maybe some cut off;
    the tallies are what a rebuild from the votes gives."""
    users = dict(db.session.execute(select(User.username, User.id)).all())
    for name, sent in load.votes.items():
        history = db.session.scalars(
            select(VoteHistory.option_ids)
            .join(Vote)
            .where(Vote.user_id == users[name])
            .order_by(VoteHistory.id)
        ).all()
        assert explains([ids[0] for ids in history], sent), (name, history, sent)
    incremental = everything_tallied(poll_id)
    assert incremental[3].total_voters == MEMBERS
    rebuild_tallies(poll_id)
    db.session.commit()
    assert everything_tallied(poll_id) == incremental


def assert_comments_kept(load: Load, article_id: int, seed_id: int) -> None:
    """Every acknowledged comment is stored as sent; none is stored twice."""
    rows = db.session.execute(
        select(Comment.body_markdown, Comment.id).where(Comment.id != seed_id)
    ).all()
    stored = dict(rows)
    assert len(stored) == len(rows)
    assert set(stored) <= set(load.sent_comments)
    assert {body: stored.get(body) for body in load.comments} == load.comments
    published = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.article_id == article_id, Comment.status == CommentStatus.PUBLISHED
        )
    )
    assert db.session.get(Article, article_id).comment_count == published


def assert_mail_sent(load: Load, received: Counter, interrupted: set[str]) -> None:
    """Every acknowledged reset request has its message, and every message in the outbox
    reached the mail server: once, or twice under one Message-ID where the kill cut its
    sending short."""
    assert not unsent_keys()
    recipients = dict(db.session.execute(select(OutboxMessage.key, OutboxMessage.recipient)).all())
    assert {address for address, done in load.resets.items() if done} <= set(recipients.values())
    assert set(received) == message_ids(recipients)
    twice = {message_id for message_id, count in received.items() if count > 1}
    assert twice <= message_ids(interrupted)
    assert max(received.values()) <= 2


def test_nothing_acknowledged_is_lost_when_every_process_is_killed(capsys):
    # The mail server takes a moment per message, so the kill finds the worker sending.
    with running_site(mail_pause=0.1) as site:
        with site.app.app_context():
            long_ago = utcnow() - timedelta(days=60)
            established = {"created_at": long_ago, "approved_comment_count": 10}
            host = make_user(
                "harbourlight",
                email="harbourlight@example.org",
                reply_emails=MailFrequency.IMMEDIATELY,
                **established,
            )
            for n in range(MEMBERS):
                make_user(f"crowd{n}", email=f"crowd{n}@example.org", **established)
            article = make_article(
                slug="after-hours",
                poll_question="Would you answer a client's text at night?",
                poll_options=("Yes", "No", "It depends"),
            )
            seed = make_comment(article, host, "Do you answer messages after hours?")
            load = Load()
            members = [Member(n, site.servers, article, seed.id, load) for n in range(MEMBERS)]
            poll_id, article_id, seed_id = article.poll.id, article.id, seed.id
            db.session.rollback()

        started = time.monotonic()
        with ThreadPoolExecutor(THREADS) as pool:
            running = [pool.submit(member.run) for member in members]
            assert load.halfway.wait(SITE_SECONDS), "the load did not get halfway"
            acknowledged_before_kill = load.acknowledged
            site.fleet.kill()
            with site.app.app_context():
                # Claimed by the worker that was just killed: may have reached the mail server.
                interrupted = set(
                    db.session.scalars(
                        select(OutboxMessage.key).where(
                            OutboxMessage.status == OutboxStatus.SENDING
                        )
                    )
                )
                db.session.rollback()
            restarted_at = utcnow()
            site.fleet.start()
            for member in running:
                member.result()
        load_seconds = time.monotonic() - started

        with site.app.app_context():
            waiting = send_lost_mail(site, restarted_at)
            received = Counter(message.message_id for message in site.mail.received)

            assert acknowledged_before_kill < load.acknowledged
            assert load.cut_off > 0
            assert_votes_kept(load, poll_id)
            assert_comments_kept(load, article_id, seed_id)
            assert_mail_sent(load, received, interrupted)

            told_at_restart = db.session.scalar(select(func.count(Notification.id)))
            replies, told = announce_lost_replies(site, seed_id)
            assert told == replies

    with capsys.disabled():
        print(
            f"\n{load_seconds:.1f} s of load; {load.acknowledged} requests acknowledged "
            f"({acknowledged_before_kill} before the kill), {load.cut_off} cut off; "
            f"{sum(received.values())} messages delivered, {len(interrupted)} cut short by the "
            f"kill, {waiting} waiting at the end; {told_at_restart} of {replies} replies told "
            f"to their parent's author after the restart, {told} after the sweep"
        )
