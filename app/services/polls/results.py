"""Poll results as readers, exports and the API see them: counts, shares, intervals, breakdowns.

Results are built from the tally tables only (never from individual votes), so they cost the
same for a poll of a thousand votes as for one of a million. Every count goes through one
publication plan per poll (app.services.polls.protection, and app.services.polls.history for
votes over time and changed answers): all scopes, both breakdowns and the history are
protected together, so reading every table at once still pins down no small group.

The chi-square test is run only on groups whose row is published in full, so its statistic
can be recomputed from shown numbers and reveals nothing that is hidden.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app, g, has_app_context
from flask_babel import gettext as _

from app.models import CommunityRole, Discipline, PollKind, utcnow
from app.services.polls import PollError, stats, tally
from app.services.polls.history import (
    CHANGES,
    VOTERS_WHO_CHANGED,
    History,
    Period,
    build_history,
    plan_history,
    stratum_of,
)
from app.services.polls.protection import (
    DISCIPLINES,
    NOT_STATED,
    OVERALL,
    ROLES,
    SCOPE_STRATA,
    VOTERS,
    ScopeTally,
    plan_results,
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
        raise BadResultsView(
            _(
                "Unknown breakdown %(value)s: use one of %(choices)s.",
                value=repr(by),
                choices=", ".join(BREAKDOWNS),
            )
        )
    if scope not in SCOPES:
        raise BadResultsView(
            _(
                "Unknown scope %(value)s: use one of %(choices)s.",
                value=repr(scope),
                choices=", ".join(SCOPES),
            )
        )


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
class PeriodBallots:
    period: Period
    ballots: Count


@dataclass(frozen=True)
class ChangedAnswers:
    """Poll-wide: voters who changed their answer at least once, and changes in all."""

    voters: Count
    changes: Count


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
    periods: list[PeriodBallots] = field(default_factory=list)
    changed: ChangedAnswers | None = None

    @property
    def is_multiple(self) -> bool:
        return self.kind == PollKind.MULTIPLE

    @property
    def has_votes(self) -> bool:
        """Whether the tables have anything to show, as far as what is published tells."""
        return self.total.suppressed or self.total.value > 0

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
        body = {
            "poll_id": self.poll_id,
            "kind": self.kind,
            "scope": self.scope,
            "total": self.total.shown,
            "total_disclosure": self.total.disclosure.value,
            "options": [
                {
                    "id": o.id,
                    "label": o.label,
                    "count": o.count.shown,
                    "disclosure": o.count.disclosure.value,
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
                        "disclosure": g.total.disclosure.value,
                        "options": [
                            {
                                "id": c.id,
                                "count": c.count.shown,
                                "suppressed": c.count.suppressed,
                                "disclosure": c.count.disclosure.value,
                            }
                            for c in g.options
                        ],
                    }
                    for g in self.groups
                ],
            },
            "independence": self.independence.to_json() if self.independence else None,
            "min_group_size": self.min_group_size,
        }
        if self.changed is not None:
            body["history"] = {
                "periods": [
                    {
                        "start": p.period.start.isoformat(),
                        "end": p.period.end.isoformat(),
                        "ballots": p.ballots.shown,
                        "disclosure": p.ballots.disclosure.value,
                    }
                    for p in self.periods
                ],
                "voters_who_changed": _count_json(self.changed.voters),
                "changes": _count_json(self.changed.changes),
            }
        return body


def _count_json(count: Count) -> dict:
    return {"count": count.shown, "disclosure": count.disclosure.value}


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
    history: History | None = None,
) -> PollResults:
    """Results of one poll from its tallies in every scope, as the publication plan allows."""
    check_view(by, scope)
    option_ids = tuple(option_id for option_id, _ in options)
    chain = tuple((s, tallies[s]) for s in SCOPE_STRATA)
    plan = plan_results(option_ids, str(kind), k, chain)

    def count(*key) -> Count:
        return Count(plan.values[(scope, *key)], plan.status[(scope, *key)])

    total = count(OVERALL, None, VOTERS)
    overall = []
    for option_id, label in options:
        cell = count(OVERALL, None, option_id)
        share = ci95 = None
        if not cell.suppressed and not total.suppressed and total.value > 0:
            share = cell.value / total.value
            ci95 = stats.wilson_interval(cell.value, total.value)
        overall.append(OptionResult(option_id, label, cell, share, ci95))

    groups = [
        _group_result(key, label, options, lambda *c, by=by, key=key: count(by, key, *c))
        for key, label in _group_keys(by)
    ]
    independence, compared, note = _independence(kind, groups)
    results = PollResults(
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
    )
    if history is not None:
        history_plan = plan_history(option_ids, str(kind), k, chain, history)

        def history_count(key) -> Count:
            return Count(history_plan.values[key], history_plan.status[key])

        results.periods = [
            PeriodBallots(period, history_count(("period", scope, i)))
            for i, period in enumerate(history.periods)
        ]
        results.changed = ChangedAnswers(history_count(VOTERS_WHO_CHANGED), history_count(CHANGES))
    return results


def _group_keys(by: str) -> list[tuple[str, str]]:
    """Every group, always: a row that appeared only with votes would say someone voted."""
    if by == "role":
        return [(role, ROLE_LABELS[role]) for role in ROLES]
    return [(d, discipline_label(d)) for d in DISCIPLINES]


def _group_result(key, label, options, count) -> GroupResult:
    total = count(VOTERS)
    cells = []
    for option_id, option_label in options:
        cell = count(option_id)
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


@contextmanager
def counts_read_once():
    """Within it, a poll's tallies and history are read once: a poll's insights page builds
    both breakdowns and the changed-minds tables from the same counts. Outside it (a vote
    answered with the results, a download) every build reads afresh."""
    g.poll_counts = {}
    try:
        yield
    finally:
        g.pop("poll_counts", None)


def _once_per_read(key: tuple, load):
    loaded = g.get("poll_counts") if has_app_context() else None
    if loaded is None:
        return load()
    if key not in loaded:
        loaded[key] = load()
    return loaded[key]


def load_tallies(poll_id: int) -> dict[str, ScopeTally]:
    """The tallies of every scope: one plan covers them all."""
    return _once_per_read(("tallies", poll_id), lambda: _read_tallies(poll_id))


def load_history(poll) -> History:
    """Ballots per calendar period and stratum since the poll opened, and changed answers."""
    return _once_per_read(("history", poll.id), lambda: _read_history(poll))


def _read_tallies(poll_id: int) -> dict[str, ScopeTally]:
    return {
        s: ScopeTally.from_cells(
            tally.option_counts(poll_id, tally.Scope(s)),
            tally.voter_counts(poll_id, tally.Scope(s)),
        )
        for s in SCOPE_STRATA
    }


def _read_history(poll) -> History:
    opened = (poll.opens_at or poll.created_at).date()
    ended = poll.closed_at or poll.closes_at
    today = utcnow().date()
    last = min(ended.date(), today) if ended else today
    daily = [
        (day, stratum_of(member, verified), n)
        for day, member, verified, n in tally.daily_ballots(poll.id)
    ]
    changes = tally.stance_changes(poll.id)
    return build_history(
        opened, max(opened, last), daily, changes.voters_who_changed, changes.changes
    )


def build_results(
    poll, *, by: str = "role", scope: str = "all", with_history: bool = False
) -> PollResults:
    """The results of `poll` as published, for the given breakdown and scope.

    `with_history=True` adds ballots per period and changed answers (three more queries),
    which the poll's insights page, its downloads and the API's results give.
    """
    check_view(by, scope)
    return compute_results(
        poll_id=poll.id,
        question=poll.question,
        kind=poll.kind,
        options=[(option.id, option.label) for option in poll.options],
        tallies=load_tallies(poll.id),
        by=by,
        scope=scope,
        k=current_app.config["MIN_GROUP_SIZE"],
        history=load_history(poll) if with_history else None,
    )
