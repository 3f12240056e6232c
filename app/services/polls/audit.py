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
        self.points: list[np.ndarray] = [np.array(system.values, dtype=float)]
        self.program = Program(system, [*self.settled, *self.items])
        for item, disclosure in self.settled.items():
            self.program.publish(item, disclosure, k)

    def _vector(self, item: Item) -> np.ndarray:
        vector = np.zeros(self.size)
        vector[list(item.terms)] = 1.0
        return vector

    def violations(self, status: dict) -> list[tuple[Item, set]]:
        for item in self.items:
            self.program.publish(item, status[item.key], self.k)
        statuses = {**{item: status[item.key] for item in self.items}, **self.settled}
        fewer = [
            item
            for item, disclosure in statuses.items()
            if disclosure is Disclosure.FEWER and item.value > 0 and item.key not in self.safe
        ]
        return self._above_zero(fewer) + self._pinned()

    def _seen_at_zero(self, item: Item) -> bool:
        vector = self._vector(item)
        return any(vector @ point <= TOLERANCE for point in self.points)

    def _above_zero(self, fewer: list[Item]) -> list[tuple[Item, set]]:
        """(a): every "fewer than k" count must be able to be 0."""
        pending = [item for item in fewer if not self._seen_at_zero(item)]
        if pending:
            self._minimise(sum(self._vector(item) for item in pending))
            pending = [item for item in pending if not self._seen_at_zero(item)]
        found = []
        for item in pending:
            lowest = self._minimise(self._vector(item))
            if lowest.value > TOLERANCE:
                found.append((item, lowest.leaned_on))
        unsafe = {item.key for item, _ in found}
        self.safe.update(item.key for item in fewer if item.key not in unsafe)
        return found

    def _moves(self, item: Item) -> bool:
        vector = self._vector(item)
        return any(abs(vector @ point - item.value) >= 1 - TOLERANCE for point in self.points)

    def _pinned(self) -> list[tuple[Item, set]]:
        """(b): a small count worked out from the others must keep two possible values."""
        pending = [w for w in self.watched if w.key not in self.safe and not self._moves(w)]
        if pending:
            total = sum(self._vector(w) for w in pending)
            self._minimise(total)
            self._minimise(-total)
            pending = [w for w in pending if not self._moves(w)]
        found = []
        for watched in pending:
            lowest = self._minimise(self._vector(watched))
            if self._moves(watched):
                continue
            highest = self._minimise(-self._vector(watched))
            if highest.unbounded or self._moves(watched):
                continue
            found.append((watched, lowest.leaned_on | highest.leaned_on))
        self.safe.update(w.key for w in self.watched if self._moves(w))
        return found

    def _minimise(self, objective) -> "Optimum":
        optimum = self.program.minimise(objective)
        if optimum.point is not None:
            self.points.append(optimum.point)
        return optimum


@dataclass(frozen=True)
class Optimum:
    value: float
    point: np.ndarray | None  # None when unbounded
    leaned_on: set  # keys of shown items with a non-zero dual value

    @property
    def unbounded(self) -> bool:
        return self.point is None


class Program:
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
        self.shown: set = set()
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
        }[disclosure]
        self.highs.changeRowBounds(self.row_of[item.key], float(lower), float(upper))
        if disclosure is Disclosure.SHOWN:
            self.shown.add(item.key)
        else:
            self.shown.discard(item.key)

    def minimise(self, objective) -> Optimum:
        self.highs.changeColsCost(self.size, self.columns, np.asarray(objective, dtype=float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return Optimum(-math.inf, None, set())
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"suppression audit failed: {self.highs.modelStatusToString(status)}"
            )
        solution = self.highs.getSolution()
        duals = np.asarray(solution.row_dual)
        leaned_on = {
            self.keys[row]
            for row in np.flatnonzero(np.abs(duals) > TOLERANCE)
            if self.keys[row] in self.shown
        }
        point = np.asarray(solution.col_value)
        return Optimum(float(objective @ point), point, leaned_on)
