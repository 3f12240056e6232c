"""Small-cell suppression: which published counts must be hidden so nobody can be singled out.

The published numbers of one poll are sums of underlying counts (voters and answers of each
group of voters). Each published item is either shown, shown as "fewer than k", or hidden:

- Primary suppression: a count from 1 to k-1 is shown as "fewer than k". Zero is shown as 0:
  it says nobody in the group chose the answer, which names no one.
- Secondary suppression: a shown count may let a reader work a hidden one out by subtraction
  (a group's total minus its other answers, an option's total minus the other groups, the
  professionals' row minus the other disciplines). More items are hidden until, for every
  hidden item, the smallest and largest values consistent with *everything* published (shown
  counts, "fewer than k" meaning 0..k-1, "hidden" meaning at least k, non-negativity and the
  way the numbers add up) leave at least two whole numbers possible. That range is computed
  exactly with linear programming, so the guarantee does not rest on a rule of thumb.
  A complementary cell that is 0 is labelled "fewer than k" (true of 0); one of k or more is
  labelled "hidden".

Hiding a shown item only widens what a reader can infer, so an item found safe stays safe as
more items are hidden: each hidden item is audited until safe, then never again.
"""

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy.optimize import linprog

TOLERANCE = 1e-6


class Disclosure(StrEnum):
    SHOWN = "shown"
    FEWER = "fewer"  # shown as "fewer than k": the value is between 0 and k - 1
    HIDDEN = "hidden"  # hidden to protect another count: the value is k or more

    @property
    def suppressed(self) -> bool:
        return self is not Disclosure.SHOWN


@dataclass(frozen=True)
class Item:
    """One published number: the sum of some underlying counts."""

    key: Hashable
    terms: tuple[int, ...]
    value: int
    lines: tuple[Hashable, ...] = ()  # rows and columns it shares with related items


@dataclass
class Structure:
    """What every reader knows about how the underlying counts relate, as sparse rows.

    Each row is {variable index: coefficient}; equalities mean row = 0, inequalities row <= 0.
    Every variable is a non-negative count.
    """

    size: int
    equalities: list[dict[int, float]] = field(default_factory=list)
    inequalities: list[dict[int, float]] = field(default_factory=list)


def disclosure_for(value: int, k: int) -> Disclosure:
    return Disclosure.FEWER if 0 < value < k else Disclosure.SHOWN


def hidden_disclosure(value: int, k: int) -> Disclosure:
    """How a count hidden for someone else's sake is labelled, truthfully."""
    return Disclosure.FEWER if value < k else Disclosure.HIDDEN


def protect(
    structure: Structure,
    items: Iterable[Item],
    k: int,
    *,
    forced: Iterable[Hashable] = (),
) -> dict[Hashable, Disclosure]:
    """Decide how each item is published so that no suppressed item can be pinned down.

    `forced` names items that must be suppressed for reasons outside this table (such as a
    wider scope of the same poll); zeros among them stay shown.
    """
    items = list(items)
    status = {item.key: disclosure_for(item.value, k) for item in items}
    forced = set(forced)
    for item in items:
        if item.key in forced and item.value > 0:
            status[item.key] = hidden_disclosure(item.value, k)
    _pair_up_lines(items, status, k)
    auditor = _Auditor(structure, items, k)
    pending = [item for item in items if status[item.key].suppressed]
    while pending:
        item = pending[-1]
        if not item.terms or auditor.is_protected(item, status):
            pending.pop()
            continue
        complement = _complement_for(item, items, status)
        if complement is None:
            pending.pop()  # everything is already suppressed; nothing more can be done
            continue
        status[complement.key] = hidden_disclosure(complement.value, k)
        pending.insert(0, complement)
    return status


def _line_members(items: list[Item]) -> dict[Hashable, list[Item]]:
    lines: dict[Hashable, list[Item]] = {}
    for item in items:
        if item.terms:
            for line in item.lines:
                lines.setdefault(line, []).append(item)
    return lines


def _pair_up_lines(items: list[Item], status: dict, k: int) -> None:
    """Cheap first pass: no row or column keeps exactly one suppressed item.

    It settles most tables before the exact audit, which then has little left to add.
    """
    lines = _line_members(items)
    changed = True
    while changed:
        changed = False
        for line, members in lines.items():
            suppressed = [item for item in members if status[item.key].suppressed]
            shown = [item for item in members if not status[item.key].suppressed]
            if len(suppressed) == 1 and shown:
                chosen = min(shown, key=lambda c: _complement_cost(c, line, lines, status))
                status[chosen.key] = hidden_disclosure(chosen.value, k)
                changed = True


def _complement_cost(candidate: Item, line, lines: dict, status: dict):
    """Prefer complements that also pair up another line, then the smallest non-zero count.

    A complement whose other row or column already holds one suppressed item protects both;
    one whose other lines hold none would leave a new lone suppression there. A zero is a
    poor complement: it can only move up, so it rarely makes its partner uncertain.
    """
    balance = 0
    for other in candidate.lines:
        if other == line:
            continue
        hidden = sum(1 for item in lines.get(other, ()) if status[item.key].suppressed)
        balance += {0: 1, 1: -1}.get(hidden, 0)
    return (candidate.value == 0, balance, candidate.value, str(candidate.key))


def _complement_for(target: Item, items: list[Item], status: dict) -> Item | None:
    shown = [item for item in items if item.terms and not status[item.key].suppressed]
    related = [item for item in shown if set(item.lines) & set(target.lines)]
    candidates = related or shown
    if not candidates:
        return None
    lines = _line_members(items)
    return min(candidates, key=lambda c: _complement_cost(c, None, lines, status))


class _Auditor:
    """The feasible range of a published item given everything else that is published."""

    def __init__(self, structure: Structure, items: list[Item], k: int):
        self.size = structure.size
        self.k = k
        self.items = items
        self.base_eq = [self._dense(row) for row in structure.equalities]
        self.base_ub = [self._dense(row) for row in structure.inequalities]

    def _dense(self, row: dict[int, float]) -> np.ndarray:
        vector = np.zeros(self.size)
        for index, coefficient in row.items():
            vector[index] += coefficient
        return vector

    def _vector(self, item: Item) -> np.ndarray:
        vector = np.zeros(self.size)
        vector[list(item.terms)] = 1.0
        return vector

    def _constraints(self, status: dict):
        a_eq, b_eq = list(self.base_eq), [0.0] * len(self.base_eq)
        a_ub, b_ub = list(self.base_ub), [0.0] * len(self.base_ub)
        for item in self.items:
            if not item.terms:
                continue
            vector = self._vector(item)
            disclosure = status[item.key]
            if disclosure is Disclosure.SHOWN:
                a_eq.append(vector)
                b_eq.append(float(item.value))
            elif disclosure is Disclosure.FEWER:
                a_ub.append(vector)
                b_ub.append(float(self.k - 1))
            else:
                a_ub.append(-vector)
                b_ub.append(-float(self.k))
        return a_eq, b_eq, a_ub, b_ub

    def feasible_range(self, item: Item, status: dict) -> tuple[float, float]:
        a_eq, b_eq, a_ub, b_ub = self._constraints(status)
        objective = self._vector(item)
        bounds = []
        for sign in (1.0, -1.0):
            result = solve(sign * objective, a_ub, b_ub, a_eq, b_eq)
            if result.status == 3:  # unbounded: the item can be as large as anyone likes
                bounds.append(math.inf)
            elif result.status != 0:
                raise RuntimeError(f"suppression audit failed: {result.message}")
            else:
                bounds.append(sign * result.fun)
        return bounds[0], bounds[1]

    def is_protected(self, item: Item, status: dict) -> bool:
        low, high = self.feasible_range(item, status)
        return whole_numbers_between(low, high) >= 2


def solve(objective, a_ub, b_ub, a_eq, b_eq):
    """Minimise `objective` over non-negative counts under the given rows.

    HiGHS's presolve may report a problem that is unbounded as infeasible (it cannot tell
    which); the true values always satisfy the rows, so asking again without presolve gives
    the real answer.
    """
    problem = {
        "A_ub": np.array(a_ub) if a_ub else None,
        "b_ub": b_ub or None,
        "A_eq": np.array(a_eq) if a_eq else None,
        "b_eq": b_eq or None,
        "bounds": (0, None),
        "method": "highs",
    }
    result = linprog(objective, **problem)
    if result.status == 2:
        result = linprog(objective, **problem, options={"presolve": False})
    return result


def whole_numbers_between(low: float, high: float) -> float:
    """How many integers lie in [low, high], allowing for solver round-off."""
    if math.isinf(high):
        return math.inf
    return math.floor(high + TOLERANCE) - math.ceil(low - TOLERANCE) + 1
