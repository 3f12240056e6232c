"""The reader's linear programme over a publication plan, solved with HiGHS.

`Audit` finds the counts a plan lets a reader prove above zero or pin to one value (rules (a)
and (b) of app/services/polls/suppression.py). It lives apart from the plan because NumPy and
HiGHS are large: a worker loads them when it first plans a poll's tables, not when it starts.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

import highspy
import numpy as np

from app.services.polls.suppression import Disclosure, Item, System

TOLERANCE = 1e-6


class Audit:
    """Looks for counts that break (a) or (b), remembering the ones already proven safe."""

    def __init__(self, system: System, items, settled: dict, k: int, watched: Iterable[Item]):
        self.k = k
        self.items = [item for item in items if item.terms]
        self.settled = {item: status for item, status in settled.items() if item.terms}
        self.size = system.size
        self.safe: set = set()
        published = {item.key for item in self.items} | {item.key for item in self.settled}
        self.watched = [
            item
            for item in watched
            if item.terms and 0 < item.value < k and item.key not in published
        ]
        # Every count that may need auditing, as rows of one matrix, with the lowest and
        # highest value it took at any point the solver has visited: a count seen at 0 is
        # safe for (a), one seen one whole number away from its value is safe for (b).
        audited = [*self.settled, *self.items, *self.watched]
        self.row = {item.key: i for i, item in enumerate(audited)}
        self.matrix = np.zeros((len(audited), system.size))
        for i, item in enumerate(audited):
            self.matrix[i, list(item.terms)] = 1.0
        self.values = np.array([item.value for item in audited], dtype=float)
        self.lowest_seen = self.values.copy()
        self.highest_seen = self.values.copy()
        self.program = _Program(system, [*self.settled, *self.items])
        for item, disclosure in self.settled.items():
            self.program.publish(item, disclosure, k)

    def _objective(self, items: list[Item]) -> np.ndarray:
        return self.matrix[[self.row[item.key] for item in items]].sum(axis=0)

    def violations(self, status: dict) -> list[tuple[Item, dict]]:
        for item in self.items:
            self.program.publish(item, status[item.key], self.k)
        statuses = {**{item: status[item.key] for item in self.items}, **self.settled}
        fewer = [
            item
            for item, disclosure in statuses.items()
            if item.key not in self.safe
            and (
                (disclosure is Disclosure.FEWER and item.value > 0)
                or (disclosure is Disclosure.WITHHELD and 0 < item.value < self.k)
            )
        ]
        return self._above_zero(fewer) + self._pinned()

    def _seen_at_zero(self, item: Item) -> bool:
        return self.lowest_seen[self.row[item.key]] <= TOLERANCE

    def _above_zero(self, fewer: list[Item]) -> list[tuple[Item, dict]]:
        """(a): every "fewer than k" count (or small withheld one) must be able to be 0."""
        pending = [item for item in fewer if not self._seen_at_zero(item)]
        if pending:
            self._minimise(self._objective(pending))
        found = []
        for item in pending:
            if self._seen_at_zero(item):
                continue  # an earlier solution already took it to 0
            lowest = self._minimise(self._objective([item]))
            if lowest.value > TOLERANCE:
                found.append((item, lowest.leaned_on))
        unsafe = {item.key for item, _ in found}
        self.safe.update(item.key for item in fewer if item.key not in unsafe)
        return found

    def _moves(self, item: Item) -> bool:
        row = self.row[item.key]
        return (
            self.values[row] - self.lowest_seen[row] >= 1 - TOLERANCE
            or self.highest_seen[row] - self.values[row] >= 1 - TOLERANCE
        )

    def _pinned(self) -> list[tuple[Item, dict]]:
        """(b): a small count worked out from the others must keep two possible values."""
        pending = [w for w in self.watched if w.key not in self.safe and not self._moves(w)]
        if pending:
            total = self._objective(pending)
            self._minimise(total)
            self._minimise(-total)
        found = []
        for watched in pending:
            if self._moves(watched):
                continue
            lowest = self._minimise(self._objective([watched]))
            if self._moves(watched):
                continue
            highest = self._minimise(-self._objective([watched]))
            if highest.unbounded or self._moves(watched):
                continue
            found.append((watched, {**lowest.leaned_on, **highest.leaned_on}))
        self.safe.update(w.key for w in self.watched if self._moves(w))
        return found

    def _minimise(self, objective) -> "_Optimum":
        optimum = self.program.minimise(objective)
        if optimum.point is not None:
            seen = self.matrix @ optimum.point
            np.minimum(self.lowest_seen, seen, out=self.lowest_seen)
            np.maximum(self.highest_seen, seen, out=self.highest_seen)
        return optimum


@dataclass(frozen=True)
class _Optimum:
    value: float
    point: np.ndarray | None  # None when unbounded
    leaned_on: dict  # keys of published items whose row has a non-zero dual value

    @property
    def unbounded(self) -> bool:
        return self.point is None


class _Program:
    """The linear programme a reader can write down from a publication plan, kept in HiGHS.

    One row per relation and one per published item; publishing an item only changes its
    row's bounds (exact, at most k-1, or at least k), so HiGHS starts each solve from the
    previous basis.
    """

    def __init__(self, system: System, items: list[Item]):
        rows = [(row, 0.0, 0.0) for row in system.equalities]
        rows += [(row, -highspy.kHighsInf, 0.0) for row in system.inequalities]
        self.first_item_row = len(rows)
        self.row_of = {}
        for item in items:
            self.row_of[item.key] = len(rows)
            rows.append(({t: 1.0 for t in item.terms}, -highspy.kHighsInf, highspy.kHighsInf))
        self.keys = [None] * self.first_item_row + [item.key for item in items]
        self.size = system.size

        lp = highspy.HighsLp()
        lp.num_col_ = system.size
        lp.num_row_ = len(rows)
        lp.col_cost_ = np.zeros(system.size)
        lp.col_lower_ = np.zeros(system.size)
        lp.col_upper_ = np.full(system.size, highspy.kHighsInf)
        lp.row_lower_ = np.array([lower for _, lower, _ in rows])
        lp.row_upper_ = np.array([upper for _, _, upper in rows])
        starts, indices, values = [0], [], []
        for row, _, _ in rows:
            indices.extend(row)
            values.extend(row.values())
            starts.append(len(indices))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=float)
        # The core solver: `highspy.Highs` adds Python callbacks, which print a banner.
        self.highs = highspy._Highs()
        self.highs.setOptionValue("output_flag", False)
        # Presolve may report an unbounded problem as infeasible; these are small anyway.
        self.highs.setOptionValue("presolve", "off")
        self.highs.passModel(lp)
        self.columns = np.arange(system.size, dtype=np.int32)

    def publish(self, item: Item, disclosure: Disclosure, k: int) -> None:
        lower, upper = {
            Disclosure.SHOWN: (item.value, item.value),
            Disclosure.FEWER: (-highspy.kHighsInf, k - 1),
            Disclosure.HIDDEN: (k, highspy.kHighsInf),
            Disclosure.WITHHELD: (-highspy.kHighsInf, highspy.kHighsInf),
        }[disclosure]
        self.highs.changeRowBounds(self.row_of[item.key], float(lower), float(upper))

    def minimise(self, objective) -> _Optimum:
        self.highs.changeColsCost(self.size, self.columns, np.asarray(objective, dtype=float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return _Optimum(-math.inf, None, {})
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"suppression audit failed: {self.highs.modelStatusToString(status)}"
            )
        solution = self.highs.getSolution()
        duals = np.asarray(solution.row_dual)
        leaned_on = {
            self.keys[row]: float(duals[row])
            for row in np.flatnonzero(np.abs(duals) > TOLERANCE)
            if self.keys[row] is not None
        }
        point = np.asarray(solution.col_value)
        return _Optimum(float(objective @ point), point, leaned_on)
