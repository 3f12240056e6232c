"""Poll results as readers, exports and the API see them: counts, shares, intervals, breakdowns.

Results are built from the tally tables only (never from individual votes), so they cost the
same for a poll of a thousand votes as for one of a million. Every count that could single
out a small group of voters goes through small-cell suppression (app.services.polls.suppression).

What is protected, and how:
- Within one scope, the overall counts, the breakdown by community role and the breakdown by
  discipline are protected together, as one linked table: the professionals' row equals the
  sum of the discipline rows, so suppressing them separately would let one be subtracted from
  the other. Both breakdowns therefore always agree on what is hidden.
- Across scopes (all votes ⊇ members' votes ⊇ verified professionals' votes), a count is also
  hidden in a narrower scope when it is hidden in a wider one (unless it is 0), or when the two
  differ by 1 to k-1, so that no pair of published views subtracts to a small count. Sums of
  three or more counts taken from different scopes are not audited.
- The chi-square test is run only on groups whose row is published in full, so its statistic
  can be recomputed from shown numbers and reveals nothing that is hidden.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from app.models import CommunityRole, Discipline, PollKind
from app.services.polls import PollError, stats, tally
from app.services.polls.protection import (
    NOT_STATED,
    OVERALL,
    ROLES,
    SCOPE_CHAIN,
    VOTERS,
    ScopeTally,
    protected_scope,
)
from app.services.polls.suppression import Disclosure

BREAKDOWNS = ("role", "discipline")
SCOPES = ("all", "members", "verified")
SCOPE_LABELS = {
    "all": "All votes",
    "members": "Members only",
    "verified": "Verified professionals",
}
BREAKDOWN_LABELS = {"role": "community role", "discipline": "discipline"}
ROLE_LABELS = {role.value: role.plural_label for role in CommunityRole}


def discipline_label(key: str) -> str:
    return "Discipline not stated" if key == NOT_STATED else Discipline(key).label


class BadResultsView(PollError, ValueError):
    """A breakdown or scope the results do not have."""


def check_view(by: str, scope: str) -> None:
    if by not in BREAKDOWNS:
        raise BadResultsView(f"Unknown breakdown {by!r}: use one of {', '.join(BREAKDOWNS)}.")
    if scope not in SCOPES:
        raise BadResultsView(f"Unknown scope {scope!r}: use one of {', '.join(SCOPES)}.")


# ---------------------------------------------------------------------------------------------
# The results object.


@dataclass(frozen=True)
class Count:
    value: int
    disclosure: Disclosure

    @property
    def suppressed(self) -> bool:
        return self.disclosure.suppressed

    @property
    def shown(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class OptionResult:
    id: int
    label: str
    count: Count
    share: float | None
    ci95: tuple[float, float] | None


@dataclass(frozen=True)
class GroupCell:
    id: int
    label: str
    count: Count
    share: float | None


@dataclass(frozen=True)
class GroupResult:
    key: str
    label: str
    total: Count
    options: list[GroupCell]

    @property
    def fully_shown(self) -> bool:
        return not self.total.suppressed and not any(c.count.suppressed for c in self.options)


@dataclass(frozen=True)
class TimelinePoint:
    day: date
    ballots: int
    cumulative: int


@dataclass(frozen=True)
class StanceSummary:
    voters_who_changed: int
    changes: int


@dataclass
class PollResults:
    poll_id: int
    question: str
    kind: str
    by: str
    scope: str
    min_group_size: int
    total: Count
    options: list[OptionResult]
    groups: list[GroupResult]
    independence: stats.IndependenceTest | None
    independence_note: str
    compared_groups: list[str] = field(default_factory=list)
    timeline: list[TimelinePoint] = field(default_factory=list)
    stance: StanceSummary | None = None

    @property
    def is_multiple(self) -> bool:
        return self.kind == PollKind.MULTIPLE

    @property
    def has_votes(self) -> bool:
        return self.total.value > 0

    @property
    def any_suppressed(self) -> bool:
        return (
            self.total.suppressed
            or any(o.count.suppressed for o in self.options)
            or any(
                g.total.suppressed or any(c.count.suppressed for c in g.options)
                for g in self.groups
            )
        )

    def group(self, key: str) -> GroupResult | None:
        return next((g for g in self.groups if g.key == key), None)

    def to_json(self) -> dict:
        return {
            "poll_id": self.poll_id,
            "total": self.total.shown,
            "options": [
                {
                    "id": o.id,
                    "label": o.label,
                    "count": o.count.shown,
                    "share": o.share,
                    "ci95": list(o.ci95) if o.ci95 else None,
                }
                for o in self.options
            ],
            "breakdown": {
                "by": self.by,
                "groups": [
                    {
                        "key": g.key,
                        "label": g.label,
                        "total": g.total.shown,
                        "suppressed": g.total.suppressed,
                        "options": [
                            {"id": c.id, "count": c.count.shown, "suppressed": c.count.suppressed}
                            for c in g.options
                        ],
                    }
                    for g in self.groups
                ],
            },
            "independence": self.independence.to_json() if self.independence else None,
            "min_group_size": self.min_group_size,
        }


def compute_results(
    *,
    poll_id: int,
    question: str,
    kind: str,
    options: list[tuple[int, str]],
    tallies: dict[str, ScopeTally],
    by: str = "role",
    scope: str = "all",
    k: int = 5,
    daily: list[tuple[date, int, int]] = (),
    stance: StanceSummary | None = None,
) -> PollResults:
    """Results of one poll from its tallies per scope (only `scope` and wider ones are read)."""
    check_view(by, scope)
    option_ids = tuple(option_id for option_id, _ in options)
    chain = tuple((s, tallies[s]) for s in (*SCOPE_CHAIN[scope], scope))
    values, status = protected_scope(option_ids, str(kind), k, scope, chain)

    def count(key) -> Count:
        return Count(values.get(key, 0), status.get(key, Disclosure.SHOWN))

    total = count((OVERALL, VOTERS))
    overall = []
    for option_id, label in options:
        cell = count((OVERALL, option_id))
        share = ci95 = None
        if not cell.suppressed and not total.suppressed and total.value > 0:
            share = cell.value / total.value
            ci95 = stats.wilson_interval(cell.value, total.value)
        overall.append(OptionResult(option_id, label, cell, share, ci95))

    groups = [
        _group_result(key, label, by, options, count) for key, label in _group_keys(by, values)
    ]
    independence, compared, note = _independence(kind, groups)
    return PollResults(
        poll_id=poll_id,
        question=question,
        kind=str(kind),
        by=by,
        scope=scope,
        min_group_size=k,
        total=total,
        options=overall,
        groups=groups,
        independence=independence,
        independence_note=note,
        compared_groups=compared,
        timeline=_timeline(daily),
        stance=stance,
    )


def _group_keys(by: str, values: dict) -> list[tuple[str, str]]:
    if by == "role":
        return [(role, ROLE_LABELS[role]) for role in ROLES]
    present = sorted(
        key[1] for key in values if key[0] == "discipline" and key[2] == VOTERS and values[key]
    )
    order = [d.value for d in Discipline] + [NOT_STATED]
    return [(d, discipline_label(d)) for d in sorted(present, key=order.index)]


def _group_result(key, label, by, options, count) -> GroupResult:
    total = count((by, key, VOTERS))
    cells = []
    for option_id, option_label in options:
        cell = count((by, key, option_id))
        share = None
        if not cell.suppressed and not total.suppressed and total.value > 0:
            share = cell.value / total.value
        cells.append(GroupCell(option_id, option_label, cell, share))
    return GroupResult(key, label, total, cells)


MULTIPLE_CHOICE_NOTE = (
    "Voters may choose several answers in this poll, so answers are not exclusive and a "
    "single chi-square test of independence does not apply. Compare the shares by group."
)


def _independence(kind, groups: list[GroupResult]):
    if kind == PollKind.MULTIPLE:
        return None, [], MULTIPLE_CHOICE_NOTE
    compared = [g for g in groups if g.total.value > 0 and g.fully_shown]
    table = [[c.count.value for c in g.options] for g in compared]
    result = stats.independence_test(table) if len(compared) >= 2 else None
    if result is None:
        return None, [], "Not enough votes to compare groups yet."
    return result, [g.label for g in compared], ""


def _timeline(daily) -> list[TimelinePoint]:
    per_day: dict[date, int] = defaultdict(int)
    for day, _option_id, ballots in daily:
        per_day[day] += ballots
    points, running = [], 0
    for day in sorted(per_day):
        running += per_day[day]
        points.append(TimelinePoint(day, per_day[day], running))
    return points


def load_tallies(poll_id: int, scope: str) -> dict[str, ScopeTally]:
    """The tallies of `scope` and of the wider scopes its suppression depends on."""
    return {
        s: ScopeTally.from_cells(
            tally.option_counts(poll_id, tally.Scope(s)),
            tally.voter_counts(poll_id, tally.Scope(s)),
        )
        for s in (*SCOPE_CHAIN[scope], scope)
    }


def build_results(
    poll, *, by: str = "role", scope: str = "all", with_history: bool = False
) -> PollResults:
    """The results of `poll` as published, for the given breakdown and scope.

    `with_history=True` adds votes over time and stance changes (three more queries), which
    only the poll's full insights page shows.
    """
    check_view(by, scope)
    daily, stance = [], None
    if with_history:
        daily = tally.daily_counts(poll.id, tally.Scope(scope))
        changes = tally.stance_changes(poll.id)
        stance = StanceSummary(changes.voters_who_changed, changes.changes)
    return compute_results(
        poll_id=poll.id,
        question=poll.question,
        kind=poll.kind,
        options=[(option.id, option.label) for option in poll.options],
        tallies=load_tallies(poll.id, scope),
        by=by,
        scope=scope,
        k=current_app.config["MIN_GROUP_SIZE"],
        daily=daily,
        stance=stance,
    )
