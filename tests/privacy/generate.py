"""Polls made up for the privacy tests: voters in every stratum and group, with their history.

Counts come from individual ballots (so a multiple-choice poll's answers are consistent with its
voters), and history from when each ballot was cast (so ballots cover answers and changes).
Counts are mostly small, with zeros, and some polls mix in groups of hundreds.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from hypothesis import strategies as st

from tests.privacy.reader import FINE_GROUPS, NOT_STATED, STRATA, VOTERS, true_values

FIRST_MONDAY = date(2024, 1, 1)


@dataclass
class MadeUpPoll:
    kind: str
    k: int
    options: list[tuple[int, str]]
    # Each voter: (stratum, fine group, the option ids of their current answer).
    voters: list[tuple[str, tuple[str, str | None], tuple[int, ...]]]
    periods: list[tuple[date, date]] = field(default_factory=list)
    ballots: Counter = field(default_factory=Counter)  # ((start, end), stratum) -> ballots
    voters_who_changed: int = 0
    changes: int = 0
    # Changes after the discussion opened: (role, (from, to) or None, engagement) -> changes.
    moves: Counter = field(default_factory=Counter)

    @property
    def atoms(self) -> Counter:
        atoms: Counter = Counter()
        for stratum, group, answer in self.voters:
            atoms[(stratum, group, VOTERS)] += 1
            for option_id in answer:
                atoms[(stratum, group, option_id)] += 1
        return atoms

    def truth(self) -> dict:
        return true_values(
            self.atoms,
            option_ids=[option_id for option_id, _ in self.options],
            periods=self.periods,
            ballots=self.ballots,
            voters_who_changed=self.voters_who_changed,
            changes=self.changes,
            moves=self.moves,
            kind=self.kind,
        )


def weekly_periods(n: int, first: date = FIRST_MONDAY) -> list[tuple[date, date]]:
    return [(first + timedelta(weeks=i), first + timedelta(weeks=i, days=6)) for i in range(n)]


def _ballot(kind: str, option_ids, weights, rng: random.Random) -> tuple[int, ...]:
    if kind == "single":
        return (rng.choices(option_ids, weights)[0],)
    total = sum(weights)
    chosen = tuple(o for o, w in zip(option_ids, weights, strict=True) if rng.random() < w / total)
    return chosen or (rng.choices(option_ids, weights)[0],)


SMALL_GROUPS = (st.just(0), st.integers(1, 4), st.integers(0, 12))
LARGE_GROUPS = st.integers(100, 400)
WEIGHTS = st.sampled_from([0.0, 0.02, 1.0, 3.0])


@st.composite
def polls(draw) -> MadeUpPoll:
    kind = draw(st.sampled_from(["single", "multiple"]))
    n_options = draw(st.integers(2, 6))
    options = [(101 + i, f"Answer {i + 1}") for i in range(n_options)]
    option_ids = [option_id for option_id, _ in options]
    groups = draw(st.lists(st.sampled_from(FINE_GROUPS), min_size=1, max_size=8, unique=True))
    sizes = (
        st.one_of(*SMALL_GROUPS, LARGE_GROUPS) if draw(st.booleans()) else st.one_of(*SMALL_GROUPS)
    )
    rng = draw(st.randoms(use_true_random=False))
    voters = []
    for group in groups:
        for stratum in STRATA:
            if stratum == "verified" and group[0] != "professional":
                continue
            weights = draw(st.lists(WEIGHTS, min_size=n_options, max_size=n_options))
            if not any(weights):
                weights[0] = 1.0
            for _ in range(draw(sizes)):
                voters.append((stratum, group, _ballot(kind, option_ids, weights, rng)))
    poll = MadeUpPoll(kind, draw(st.sampled_from([3, 5])), options, voters)
    _add_history(poll, draw(st.integers(1, 8)), draw, rng)
    return poll


def _add_history(poll: MadeUpPoll, n_periods: int, draw, rng: random.Random) -> None:
    """Each current answer cast in some week, and changes that each add a ballot: every
    changer's earlier answers, ending at the current one, some of them after the discussion
    opened, by members who had joined it or not, or by anonymous readers."""
    poll.periods = weekly_periods(n_periods)
    for stratum, _, answer in poll.voters:
        poll.ballots[(rng.choice(poll.periods), stratum)] += len(answer)
    if not poll.voters:
        return
    poll.voters_who_changed = draw(st.integers(0, min(len(poll.voters), 12)))
    if poll.voters_who_changed == 0:
        return
    extra = draw(st.one_of(st.integers(0, 10), st.integers(50, 300)))
    poll.changes = poll.voters_who_changed + extra
    changers = rng.sample(poll.voters, poll.voters_who_changed)
    discussion = draw(st.sampled_from(["before every change", "midway", "after every change"]))
    joining = draw(st.sampled_from([0.0, 0.5, 1.0]))
    for i, (stratum, group, answer) in enumerate(changers):
        changes = len(range(i, poll.changes, len(changers)))
        answers = [answer]
        for _ in range(changes):
            answers.insert(0, _another_answer(poll, answers[0], rng))
        for earlier in answers[:-1]:
            poll.ballots[(rng.choice(poll.periods), stratum)] += len(earlier)
        opened = {"before every change": 0, "after every change": changes}.get(
            discussion, rng.randint(0, changes)
        )
        for before, after in zip(answers[opened:-1], answers[opened + 1 :], strict=True):
            pair = (before[0], after[0]) if poll.kind == "single" else None
            if stratum == "anonymous":
                engagement = "anonymous"
            else:
                engagement = "joined" if rng.random() < joining else "not_joined"
            poll.moves[(group[0], pair, engagement)] += 1


def _another_answer(poll: MadeUpPoll, answer: tuple, rng: random.Random) -> tuple:
    option_ids = [option_id for option_id, _ in poll.options]
    if poll.kind == "single":
        return (rng.choice([o for o in option_ids if o not in answer]),)
    while True:
        chosen = tuple(o for o in option_ids if rng.random() < 0.5)
        if chosen and chosen != answer:
            return chosen


def the_issue_poll() -> MadeUpPoll:
    """A poll like the one reported: 79 voters of every kind, most groups small."""
    yes, no, unsure = 101, 102, 103
    cohorts = [
        # (stratum, group, [(answer, voters), ...])
        ("anonymous", ("client", None), [(yes, 4), (no, 2)]),
        ("anonymous", ("reader", None), [(yes, 2), (no, 2), (unsure, 1)]),
        ("anonymous", ("professional", NOT_STATED), [(no, 2)]),
        ("anonymous", ("professional", "counselor"), [(yes, 1)]),
        ("member", ("client", None), [(yes, 9), (no, 7), (unsure, 2)]),
        ("member", ("reader", None), [(yes, 5), (no, 6), (unsure, 1)]),
        ("member", ("professional", "psychologist"), [(no, 3)]),
        ("member", ("professional", NOT_STATED), [(yes, 1), (no, 1)]),
        ("member", ("professional", "social_worker"), [(unsure, 1)]),
        ("verified", ("professional", "psychologist"), [(yes, 2), (no, 10), (unsure, 2)]),
        ("verified", ("professional", "counselor"), [(yes, 1), (no, 6), (unsure, 1)]),
        ("verified", ("professional", "psychiatrist"), [(no, 4)]),
        ("verified", ("professional", "coach"), [(yes, 2), (unsure, 1)]),
    ]
    voters = [
        (stratum, group, (answer,))
        for stratum, group, answers in cohorts
        for answer, n in answers
        for _ in range(n)
    ]
    assert len(voters) == 79
    poll = MadeUpPoll("single", 5, [(yes, "Yes"), (no, "No"), (unsure, "Not sure")], voters)
    poll.periods = weekly_periods(4)
    for i, (stratum, _, answer) in enumerate(voters):
        poll.ballots[(poll.periods[i % 4], stratum)] += len(answer)
    # Three members changed their minds, one of them twice: three changes came after the
    # discussion opened, two of them from members who had joined it.
    poll.voters_who_changed, poll.changes = 3, 4
    poll.ballots[(poll.periods[3], "member")] += 3
    poll.ballots[(poll.periods[2], "verified")] += 1
    poll.moves[("client", (yes, no), "joined")] += 1
    poll.moves[("client", (no, yes), "not_joined")] += 1
    poll.moves[("reader", (yes, unsure), "joined")] += 1
    return poll
