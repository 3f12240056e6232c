"""Small-cell protection of one scope's linked tables, planned on the tallies.

Within one scope the overall counts, the breakdown by community role and the breakdown by
discipline are one linked table: the professionals' row equals the sum of the discipline rows.
A scope is protected given its wider scopes (all votes ⊇ members ⊇ verified professionals), so
a count hidden in a wider scope stays hidden in a narrower one. Tallies are kept in a hashable
form so that protection is computed once per distinct tally.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from app.models import CommunityRole, PollKind
from app.services.polls.suppression import Disclosure, Item, Structure, protect

ROLES = tuple(role.value for role in CommunityRole)
NOT_STATED = "not_stated"
VOTERS = "voters"
OVERALL = "overall"
# Scopes from widest to narrowest: each is a subset of the ones before it.
SCOPE_CHAIN = {"all": (), "members": ("all",), "verified": ("all", "members")}


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


def _fine_group(role: str, discipline: str | None) -> tuple[str, str | None]:
    role = str(role)
    if role == CommunityRole.PROFESSIONAL:
        return role, str(discipline) if discipline else NOT_STATED
    return role, None


def _scope_items(option_ids: tuple[int, ...], kind: str, counts: ScopeTally):
    """The published items of one scope as sums of underlying counts, and how they relate."""
    groups = [group for group, _ in counts.voters]
    voters = dict(counts.voters)
    answers = {(g, o): n for g, o, n in counts.answers}
    index = {}
    for group in groups:
        index[(group, VOTERS)] = len(index)
        for option_id in option_ids:
            index[(group, option_id)] = len(index)
    values = [0] * len(index)
    for group in groups:
        values[index[(group, VOTERS)]] = voters[group]
        for option_id in option_ids:
            values[index[(group, option_id)]] = answers.get((group, option_id), 0)

    structure = Structure(size=len(index))
    for group in groups:
        choices = [index[(group, o)] for o in option_ids]
        total = index[(group, VOTERS)]
        if kind == PollKind.SINGLE:
            structure.equalities.append({**{c: 1.0 for c in choices}, total: -1.0})
        else:
            # Each voter chose at least one option, and no option more than once.
            structure.inequalities.append({**{c: -1.0 for c in choices}, total: 1.0})
            structure.inequalities.extend({c: 1.0, total: -1.0} for c in choices)

    disciplines = sorted({d for role, d in groups if role == CommunityRole.PROFESSIONAL})
    rows = [(OVERALL, None, lambda g: True)]
    rows += [("role", role, lambda g, r=role: g[0] == r) for role in ROLES]
    rows += [
        ("discipline", d, lambda g, d=d: g == (CommunityRole.PROFESSIONAL.value, d))
        for d in disciplines
    ]
    items = []
    for level, name, member in rows:
        chosen = [g for g in groups if member(g)]
        row_key = (level, name) if name else (level,)
        for column in (VOTERS, *option_ids):
            terms = tuple(index[(g, column)] for g in chosen)
            items.append(
                Item(
                    key=(*row_key, column),
                    terms=terms,
                    value=sum(values[t] for t in terms),
                    lines=_lines(level, name, column),
                )
            )
    return structure, items


def _lines(level: str, name: str | None, column) -> tuple:
    row = ("row", level, name)
    if level == OVERALL:
        return row, ("col", "roles", column)
    if level == "role":
        lines = [row, ("col", "roles", column)]
        if name == CommunityRole.PROFESSIONAL:
            lines.append(("col", "disciplines", column))
        return tuple(lines)
    return row, ("col", "disciplines", column)


@lru_cache(maxsize=2048)
def protected_scope(
    option_ids: tuple[int, ...],
    kind: str,
    k: int,
    scope: str,
    tallies: tuple[tuple[str, ScopeTally], ...],
) -> tuple[dict, dict]:
    """Values and disclosures of every item of `scope`, given the tallies of its wider scopes.

    Cached on the tallies themselves, so the linear programmes run once per change of votes.
    """
    by_scope = dict(tallies)
    structure, items = _scope_items(option_ids, kind, by_scope[scope])
    forced = set()
    for wider in SCOPE_CHAIN[scope]:
        chain = tuple((s, by_scope[s]) for s in (*SCOPE_CHAIN[wider], wider))
        wider_values, wider_status = protected_scope(option_ids, kind, k, wider, chain)
        for item in items:
            hidden_there = wider_status.get(item.key, Disclosure.SHOWN).suppressed
            if hidden_there or 0 < wider_values.get(item.key, 0) - item.value < k:
                forced.add(item.key)
    status = protect(structure, items, k, forced=forced)
    values = {item.key: item.value for item in items}
    return values, status
