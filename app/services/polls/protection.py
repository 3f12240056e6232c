"""The publication plan of a poll's results: every scope and both breakdowns, as one system.

A reader can download the overall counts, the breakdown by community role and the one by
discipline, in each of the three scopes (all votes ⊇ members ⊇ verified professionals), and
read them together. So the plan is made over all of them at once, on the underlying counts:
voters and answers of each fine group (clients, readers, professionals of each discipline) in
each stratum (anonymous voters, unverified members, verified professionals). A scope is a set
of strata; the professionals' row is the sum of the discipline rows; every discipline is
always listed, so a row's presence says nothing.

Differences between scopes are counts too (all votes minus members' votes are the anonymous
voters), so they are watched: one from 1 to k-1 must not be pinned down either.
The plan is cached on the tallies themselves, so the linear programmes run once per change.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from app.models import CommunityRole, Discipline, PollKind
from app.services.polls.suppression import Item, System, protect

ROLES = tuple(role.value for role in CommunityRole)
NOT_STATED = "not_stated"
DISCIPLINES = (*(discipline.value for discipline in Discipline), NOT_STATED)
VOTERS = "voters"
OVERALL = "overall"
PROFESSIONAL = CommunityRole.PROFESSIONAL.value

STRATA = ("anonymous", "member", "verified")
SCOPE_STRATA = {"all": STRATA, "members": ("member", "verified"), "verified": ("verified",)}
# Sets of strata a reader can reach by subtracting one scope from another.
DERIVED_STRATA = (("anonymous",), ("member",), ("anonymous", "member"), ("anonymous", "verified"))
FINE_GROUPS = (("client", None), ("reader", None), *((PROFESSIONAL, d) for d in DISCIPLINES))


@dataclass(frozen=True)
class ScopeTally:
    """Current answers and voters of one scope, per fine group (role, discipline key)."""

    answers: tuple[tuple[tuple[str, str | None], int, int], ...]  # ((role, disc), option, n)
    voters: tuple[tuple[tuple[str, str | None], int], ...]  # ((role, disc), voters)

    @classmethod
    def from_cells(cls, option_cells, voter_cells) -> "ScopeTally":
        answers: dict = defaultdict(int)
        voters: dict = defaultdict(int)
        for cell in option_cells:
            answers[(_fine_group(cell.role, cell.discipline), cell.option_id)] += cell.count
        for cell in voter_cells:
            voters[_fine_group(cell.role, cell.discipline)] += cell.voters
        return cls(
            answers=tuple(sorted((g, o, n) for (g, o), n in answers.items() if n > 0)),
            voters=tuple(sorted((g, n) for g, n in voters.items() if n > 0)),
        )

    def counts(self) -> dict:
        """{(fine group, column): count} with column VOTERS or an option id."""
        counts = {(group, VOTERS): n for group, n in self.voters}
        counts.update({(group, option_id): n for group, option_id, n in self.answers})
        return counts


def _fine_group(role: str, discipline: str | None) -> tuple[str, str | None]:
    role = str(role)
    if role == PROFESSIONAL:
        return role, str(discipline) if discipline else NOT_STATED
    return role, None


@dataclass(frozen=True)
class ResultsPlan:
    """The true value and the disclosure of every published count of a poll's results.

    Keys are (scope, level, name, column): level "overall" (name None), "role" or
    "discipline"; column VOTERS or an option id. `system`, `items`, `answers` and `cells`
    let the plans of the poll's history and changed minds build on this one.
    """

    values: dict
    status: dict
    system: System
    items: tuple[Item, ...]
    watched: tuple[Item, ...]
    answers: dict  # stratum -> variables of its answers (one per option chosen)
    voters: dict  # stratum -> variables of its voters
    cells: dict  # (stratum, fine group, VOTERS or option id) -> its variable


def _strata_counts(option_ids, tallies: dict) -> dict:
    """Underlying counts per (stratum, fine group, column), by subtracting nested scopes."""
    counts = {scope: tallies[scope].counts() for scope in SCOPE_STRATA}
    columns = (VOTERS, *option_ids)
    result = {}
    for group in FINE_GROUPS:
        for column in columns:
            key = (group, column)
            every, members, verified = (counts[s].get(key, 0) for s in SCOPE_STRATA)
            result[("anonymous", group, column)] = every - members
            result[("member", group, column)] = members - verified
            result[("verified", group, column)] = verified
    return result


def _rows():
    """Published rows: (level, name, does a fine group belong to it)."""
    yield OVERALL, None, lambda group: True
    for role in ROLES:
        yield "role", role, lambda group, role=role: group[0] == role
    for discipline in DISCIPLINES:
        yield "discipline", discipline, lambda group, d=discipline: group == (PROFESSIONAL, d)


def _lines(scope: str, level: str, name: str | None, column) -> tuple:
    row = ("row", scope, level, name)
    if level == OVERALL:
        return row, ("col", scope, "roles", column)
    if level == "role":
        lines = [row, ("col", scope, "roles", column)]
        if name == PROFESSIONAL:
            lines.append(("col", scope, "disciplines", column))
        return tuple(lines)
    return row, ("col", scope, "disciplines", column)


@lru_cache(maxsize=1024)
def plan_results(
    option_ids: tuple[int, ...], kind: str, k: int, tallies: tuple[tuple[str, ScopeTally], ...]
) -> ResultsPlan:
    """Plan the publication of every scope and breakdown of one poll's results together."""
    counts = _strata_counts(option_ids, dict(tallies))
    system = System()
    index = {}
    for stratum in STRATA:
        for group in FINE_GROUPS:
            if stratum == "verified" and group[0] != PROFESSIONAL:
                continue  # only professionals are verified
            for column in (VOTERS, *option_ids):
                index[(stratum, group, column)] = system.variable(counts[(stratum, group, column)])
            _relate_answers(system, index, stratum, group, option_ids, kind)

    def terms(strata, member, column):
        return [
            index[(s, g, column)]
            for s in strata
            for g in FINE_GROUPS
            if member(g) and (s, g, column) in index
        ]

    items, watched = [], []
    for level, name, member in _rows():
        for column in (VOTERS, *option_ids):
            for scope, strata in SCOPE_STRATA.items():
                key = (scope, level, name, column)
                lines = _lines(scope, level, name, column)
                items.append(system.item(key, terms(strata, member, column), lines))
            for strata in DERIVED_STRATA:
                key = (strata, level, name, column)
                watched.append(system.item(key, terms(strata, member, column)))

    status = protect(system, items, k, watched=watched)
    return ResultsPlan(
        values={item.key: item.value for item in items},
        status=status,
        system=system,
        items=tuple(items),
        watched=tuple(watched),
        answers={
            s: [index[(s, g, o)] for g in FINE_GROUPS for o in option_ids if (s, g, o) in index]
            for s in STRATA
        },
        voters={
            s: [index[(s, g, VOTERS)] for g in FINE_GROUPS if (s, g, VOTERS) in index]
            for s in STRATA
        },
        cells=index,
    )


def _relate_answers(system: System, index: dict, stratum, group, option_ids, kind) -> None:
    choices = [index[(stratum, group, option_id)] for option_id in option_ids]
    total = index[(stratum, group, VOTERS)]
    if kind == PollKind.SINGLE:
        system.equalities.append({**{c: 1.0 for c in choices}, total: -1.0})
    else:
        # Each voter chose at least one option, and no option more than once.
        system.inequalities.append({**{c: -1.0 for c in choices}, total: 1.0})
        system.inequalities.extend({c: 1.0, total: -1.0} for c in choices)
