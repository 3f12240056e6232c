"""A poll's history as published: ballots per period and scope, and how many changed their answer.

These counts are linked to the results: every current answer came from a ballot in its
stratum, and each change of answer was one more ballot. So they are planned as a second
block on top of the results plan (`plan_history`): the results stay exactly as planned, and
periods or change counts are hidden as needed so that, read together with every table of the
results, they neither prove that someone in a small group voted nor pin down a small count.

Periods are fixed calendar weeks (months for polls that ran more than half a year), from the
day the poll opened, and every one is listed: which periods exist says nothing about votes.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from app.services.polls.protection import (
    SCOPE_STRATA,
    STRATA,
    ScopeTally,
    plan_results,
)
from app.services.polls.suppression import Item, System, protect

WEEKLY_UP_TO_DAYS = 182
VOTERS_WHO_CHANGED = ("voters_who_changed",)
CHANGES = ("changes",)


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class History:
    periods: tuple[Period, ...]
    ballots: tuple[tuple[int, str, int], ...]  # (period index, stratum, ballots)
    voters_who_changed: int
    changes: int


@dataclass(frozen=True)
class HistoryPlan:
    """Values and disclosures of ("period", scope, index), VOTERS_WHO_CHANGED and CHANGES.

    `system`, `items`, `ballots` and `changes` let the plan of changed minds build on this one.
    """

    values: dict
    status: dict
    system: System
    items: tuple[Item, ...]
    ballots: dict  # stratum -> variables of its ballots, one per period
    changes: int  # the variable of CHANGES


def stratum_of(member: bool, verified: bool) -> str:
    if verified:
        return "verified"
    return "member" if member else "anonymous"


def periods_between(first: date, last: date) -> tuple[Period, ...]:
    """Calendar weeks (Monday to Sunday) covering first..last, or months for long polls."""
    if (last - first).days <= WEEKLY_UP_TO_DAYS:
        start = first - timedelta(days=first.weekday())
        periods = []
        while start <= last:
            periods.append(Period(start, start + timedelta(days=6)))
            start += timedelta(days=7)
        return tuple(periods)
    periods, start = [], first.replace(day=1)
    while start <= last:
        following = (start + timedelta(days=32)).replace(day=1)
        periods.append(Period(start, following - timedelta(days=1)))
        start = following
    return tuple(periods)


def build_history(
    first: date, last: date, daily: list[tuple[date, str, int]], voters_who_changed, changes
) -> History:
    """Group ballots per (day, stratum) into the calendar periods between first and last."""
    days = [day for day, _, _ in daily]
    periods = periods_between(min([first, *days]), max([last, *days]))
    ballots: dict[tuple[int, str], int] = {}
    for day, stratum, count in daily:
        index = next(i for i, p in enumerate(periods) if p.start <= day <= p.end)
        ballots[(index, stratum)] = ballots.get((index, stratum), 0) + count
    return History(
        periods=periods,
        ballots=tuple(sorted((i, s, n) for (i, s), n in ballots.items() if n)),
        voters_who_changed=voters_who_changed,
        changes=changes,
    )


@lru_cache(maxsize=512)
def plan_history(
    option_ids: tuple[int, ...],
    kind: str,
    k: int,
    tallies: tuple[tuple[str, ScopeTally], ...],
    history: History,
) -> HistoryPlan:
    """Plan the history's counts with every table of the results fixed as published."""
    results = plan_results(option_ids, kind, k, tallies)
    system: System = results.system.copy()
    ballots = dict(((i, s), n) for i, s, n in history.ballots)
    index = {
        (i, stratum): system.variable(ballots.get((i, stratum), 0))
        for i in range(len(history.periods))
        for stratum in STRATA
    }
    changed = system.variable(history.voters_who_changed)
    changes = system.variable(history.changes)
    relations = []
    for stratum in STRATA:
        # Every current answer came from a ballot cast in its stratum.
        cast = [v for (_, s), v in index.items() if s == stratum]
        relations.append({**plus(results.answers[stratum]), **minus(cast)})
    every_answer = [v for s in STRATA for v in results.answers[s]]
    # Each change of answer was one more ballot, on top of the ones that stand.
    relations.append({**plus(every_answer), changes: 1.0, **minus(index.values())})
    relations.append({changed: 1.0, changes: -1.0})
    relations.append({changed: 1.0, **minus(v for s in STRATA for v in results.voters[s])})
    # The reader knows these relations; they are kept only where the data bear them out
    # (tallies rebuilt after old votes were deleted may not), so the truth stays possible.
    system.inequalities.extend(row for row in relations if holds(system, row))

    items = [
        system.item(
            ("period", scope, i),
            [index[(i, s)] for s in strata],
        )
        for scope, strata in SCOPE_STRATA.items()
        for i in range(len(history.periods))
    ]
    items.append(system.item(VOTERS_WHO_CHANGED, [changed]))
    items.append(system.item(CHANGES, [changes]))
    settled = {item: results.status[item.key] for item in results.items}
    status = protect(system, items, k, watched=results.watched, settled=settled)
    return HistoryPlan(
        values={item.key: item.value for item in items},
        status=status,
        system=system,
        items=tuple(items),
        ballots={s: [v for (_, stratum), v in index.items() if stratum == s] for s in STRATA},
        changes=changes,
    )


def plus(variables) -> dict[int, float]:
    return {v: 1.0 for v in variables}


def minus(variables) -> dict[int, float]:
    return {v: -1.0 for v in variables}


def holds(system: System, row: dict[int, float]) -> bool:
    """Whether the true counts bear out the relation row <= 0."""
    return sum(system.values[v] * c for v, c in row.items()) <= 0
