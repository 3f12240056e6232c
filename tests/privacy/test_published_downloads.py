"""A poll voted on through the site: its downloads, read together, keep every small count safe.

Members of every role, discipline and verification, and anonymous readers, vote over five weeks,
some changing their minds. The six JSON and six CSV downloads are then read by the outside
reader, and judged against what the test itself cast.
"""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from app.models import PollKind, utcnow
from app.services.polls.voting import cast_vote
from tests.factories import make_comment, make_user
from tests.privacy.generate import the_issue_poll
from tests.privacy.publish import VIEWS
from tests.privacy.reader import NOT_STATED, VOTERS, Reader, true_values

OPTIONS = ("Yes", "No", "Not sure")
WEEKS = 5


@dataclass
class Ledger:
    """What the test cast, kept apart from the site's counters: the truth to judge by."""

    current: dict = field(default_factory=dict)  # voter -> (stratum, fine group, option ids)
    ballots: list = field(default_factory=list)  # (day, stratum, answers in the ballot)
    changed: set = field(default_factory=set)
    changes: int = 0
    last_ballot: dict = field(default_factory=dict)  # voter -> when they last voted
    comments: list = field(default_factory=list)  # (when, voter) of every comment
    moves: Counter = field(default_factory=Counter)  # (role, pair or None, engagement) -> n

    def record(self, voter, stratum: str, group: tuple, option_ids: tuple, when: datetime) -> None:
        earlier = self.current.get(voter)
        if earlier is not None and earlier[2] != option_ids:
            self.changes += 1
            self.changed.add(voter)
            self._record_move(voter, stratum, group, earlier[2], option_ids, when)
        self.current[voter] = (stratum, group, option_ids)
        self.ballots.append((when.date(), stratum, len(option_ids)))
        self.last_ballot[voter] = when

    def _record_move(self, voter, stratum, group, before, after, when) -> None:
        """A change counts once the first comment is posted; a member joined the discussion
        if they commented since their previous ballot; an anonymous reader cannot tell."""
        if not any(at <= when for at, _ in self.comments):
            return
        if stratum == "anonymous":
            engagement = "anonymous"
        else:
            since = self.last_ballot[voter]
            joined = any(since < at <= when and who == voter for at, who in self.comments)
            engagement = "joined" if joined else "not_joined"
        pair = (before[0], after[0]) if len(before) == len(after) == 1 else None
        self.moves[(group[0], pair if self.single else None, engagement)] += 1

    single: bool = True

    def truth(self, documents: list[dict], option_ids: list[int]) -> dict:
        atoms: Counter = Counter()
        for stratum, group, chosen in self.current.values():
            atoms[(stratum, group, VOTERS)] += 1
            for option_id in chosen:
                atoms[(stratum, group, option_id)] += 1
        periods = {
            (period["start"], period["end"])
            for document in documents
            for period in (document.get("history") or {}).get("periods", [])
        }
        ballots: Counter = Counter()
        for day, stratum, n in self.ballots if periods else ():
            ballots[(period_of(day, periods), stratum)] += n
        return true_values(
            atoms,
            option_ids=option_ids,
            periods=periods,
            ballots=ballots,
            voters_who_changed=len(self.changed),
            changes=self.changes,
            moves=self.moves,
            kind="single" if self.single else "multiple",
        )


def period_of(day: date, periods: set) -> tuple[str, str]:
    """The published period holding `day`, whether periods end on their last day or after it."""
    day = day.isoformat()
    for inclusive in (False, True):
        for start, end in sorted(periods):
            if start <= day < end or (inclusive and day == end):
                return start, end
    raise AssertionError(f"no published period holds {day}: {sorted(periods)}")


class Voters:
    """Casts ballots through the site's voting service, as members or anonymous readers."""

    def __init__(self, poll):
        self.poll = poll
        self.ids = {option.label: option.id for option in poll.options}
        self.ledger = Ledger(single=poll.kind is PollKind.SINGLE)
        self.people = {}

    def comment(self, voter: int, when: datetime) -> None:
        make_comment(
            self.poll.article, self.people[voter], "I see it differently now.", created_at=when
        )
        self.ledger.comments.append((when, voter))

    def cast(self, voter: int, stratum: str, group: tuple, labels, when: datetime) -> None:
        option_ids = tuple(sorted(self.ids[label] for label in labels))
        role, discipline = group
        discipline = None if discipline == NOT_STATED else discipline
        if stratum == "anonymous":
            token = self.people.setdefault(voter, secrets.token_urlsafe(12))
            cast_vote(
                self.poll, option_ids, voter_token=token, role=role, discipline=discipline, now=when
            )
        else:
            if voter not in self.people:
                verified = stratum == "verified"
                self.people[voter] = make_user(role=role, discipline=discipline, verified=verified)
            cast_vote(self.poll, option_ids, user=self.people[voter], now=when)
        db.session.commit()
        self.ledger.record(voter, stratum, group, option_ids, when)


def vote_like_the_issue(poll, kind: str, start: datetime) -> Ledger:
    """79 voters of every kind over five weeks; three change their minds, one of them twice."""
    voters = Voters(poll)
    labels = dict(zip((101, 102, 103), OPTIONS, strict=True))
    cohort = the_issue_poll().voters
    for i, (stratum, group, (answer,)) in enumerate(cohort):
        chosen = {labels[answer]}
        if kind == PollKind.MULTIPLE and i % 3 == 0:
            chosen.add("Not sure")
        voters.cast(i, stratum, group, chosen, start + timedelta(hours=10 * i))
    later = start + timedelta(weeks=WEEKS - 1, days=2)
    # The discussion opens with a member's comment; voter 20 joins it between two changes.
    voters.comment(30, later)
    changes = ((5, {"Yes"}), (20, {"Not sure"}), (60, {"Yes"}), (20, {"Yes"}))
    for n, (i, labels_now) in enumerate(changes, start=1):
        if n == 4:
            voters.comment(20, later + timedelta(hours=3, minutes=30))
        stratum, group, _ = cohort[i]
        voters.cast(i, stratum, group, labels_now, later + timedelta(hours=n))
    return voters.ledger


def downloads(client, poll, kind: str) -> tuple[list[dict], list[str], dict, str]:
    documents, texts = [], []
    for by, scope in VIEWS:
        url = f"/insights/polls/{poll.id}/results"
        document = client.get(f"{url}.json?by={by}&scope={scope}").get_json()
        text = client.get(f"{url}.csv?by={by}&scope={scope}").get_data(as_text=True)
        documents.append(document)
        texts.append(text)
    changes = client.get(f"/api/v1/polls/{poll.id}/changes").get_json()
    changes_text = client.get(f"/insights/polls/{poll.id}/changes.csv").get_data(as_text=True)
    return documents, texts, changes, changes_text


@pytest.mark.parametrize("kind", [PollKind.SINGLE, PollKind.MULTIPLE])
def test_the_downloads_of_a_poll_give_away_no_small_count(client, make_article, kind):
    start = utcnow() - timedelta(weeks=WEEKS)
    article = make_article(
        poll_question="Would you accept a friend request from a client?",
        poll_options=OPTIONS,
        poll_kind=kind,
        allow_anonymous=True,
        published_at=start - timedelta(days=1),
    )
    poll = article.poll
    poll.created_at = poll.opens_at = start - timedelta(hours=1)
    db.session.commit()
    ledger = vote_like_the_issue(poll, kind, start)

    documents, texts, changes, changes_text = downloads(client, poll, str(kind))
    assert documents[0]["total"] == 79
    truth = ledger.truth(documents, [option.id for option in poll.options])
    assert sum(ledger.moves.values()) == 4
    assert {engagement for _, _, engagement in ledger.moves} == {
        "anonymous",
        "joined",
        "not_joined",
    }
    found = Reader(documents, texts, [changes], [changes_text]).violations(truth)
    assert not found, "\n".join(found)
