"""Small-cell suppression planned on one linked system: nothing published pins down a small group.

Everything published about a poll is a sum of underlying counts (how many voters of each
group, in each scope, chose each answer; how many ballots were cast in each period...). A
reader knows how those counts relate (`System`), every shown count exactly, that "fewer than
k" means 0 to k-1, and that "hidden" means k or more. Against that reader, with linear
programming over everything at once, the plan guarantees:

(a) no count published as "fewer than k" can be proven above 0, so the tables never prove that
    anyone in a small group chose an answer;
(b) no count whose value is 1 to k-1, published or worked out by subtraction (the `watched`
    sums), can be pinned to one whole number.

Primary suppression labels every count from 1 to k-1 "fewer than k". Zero is shown: it names
nobody. Then, while the audit finds a count that breaks (a) or (b), the shown counts that the
proof leans on (the constraints with a non-zero dual value in the linear program that proves
it) are candidates to hide, and the cheapest is hidden: labelled "fewer than k" when it is
below k (a zero hidden this way reads "fewer than k" too, which is true) and "hidden" when it
is k or more.

Where even the labels say too much (three periods each "fewer than 5" that must hold 12
ballots between them; a total "hidden", so 5 or more, of two answers each "fewer than 5"),
a label the proof leans on is dropped: the count is "withheld", which tells nothing, and the
audit still treats it as the small count it may be.

Hiding a count only replaces an exact value by a range that contains it, so every point that
was possible stays possible: a count once proven safe stays safe, and the audit never looks
at it again. Plans are built block by block (the results first, then the history of votes):
a later block is planned with the earlier ones fixed, so what a page shows never depends on
tables it does not show.
"""

import logging
import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import highspy
import numpy as np

TOLERANCE = 1e-6
logger = logging.getLogger(__name__)


class Disclosure(StrEnum):
    SHOWN = "shown"
    FEWER = "fewer"  # shown as "fewer than k": the value is between 0 and k - 1
    HIDDEN = "hidden"  # hidden to protect another count: the value is k or more
    WITHHELD = "withheld"  # not shown, and not even said to be small or large

    @property
    def suppressed(self) -> bool:
        return self is not Disclosure.SHOWN


def disclosure_for(value: int, k: int) -> Disclosure:
    return Disclosure.FEWER if 0 < value < k else Disclosure.SHOWN


def hidden_disclosure(value: int, k: int) -> Disclosure:
    """How a count hidden for someone else's sake is labelled, truthfully."""
    return Disclosure.FEWER if value < k else Disclosure.HIDDEN


@dataclass(frozen=True)
class Item:
    """One count a reader may learn or work out: the sum of some underlying counts."""

    key: Hashable
    terms: tuple[int, ...]
    value: int
    lines: tuple[Hashable, ...] = ()  # rows and columns it shares with related items


@dataclass
class System:
    """What every reader knows about how the underlying counts relate, as sparse rows.

    Each row is {variable index: coefficient}; equalities mean row = 0, inequalities row <= 0.
    Every variable is a non-negative count; `values` holds the true ones.
    """

    values: list[int] = field(default_factory=list)
    equalities: list[dict[int, float]] = field(default_factory=list)
    inequalities: list[dict[int, float]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.values)

    def variable(self, value: int) -> int:
        self.values.append(value)
        return len(self.values) - 1

    def item(self, key: Hashable, terms: Iterable[int], lines=()) -> Item:
        terms = tuple(terms)
        return Item(key, terms, sum(self.values[t] for t in terms), tuple(lines))

    def copy(self) -> "System":
        return System(list(self.values), list(self.equalities), list(self.inequalities))


def protect(
    system: System,
    items: Iterable[Item],
    k: int,
    *,
    watched: Iterable[Item] = (),
    settled: dict[Item, Disclosure] | None = None,
) -> dict[Hashable, Disclosure]:
    """Decide how each of `items` is published so that (a) and (b) hold for the whole system.

    `settled` are items an earlier block already published, as they were published; they
    bind the reader but are not changed. `watched` are sums that are not published but can be
    worked out (differences between scopes); they must not be pinned when small.
    """
    items = list(items)
    settled = dict(settled or {})
    status = {item.key: disclosure_for(item.value, k) for item in items}
    _pair_up_lines(items, status, k)
    audit = _Audit(system, items, settled, k, watched)
    while violations := audit.violations(status):
        hidden_now, touched = set(), set()
        for target, proof in violations:
            if proof.keys() & hidden_now or set(target.lines) & touched:
                continue  # what was just hidden may already free it: audit again first
            complement = _complement_for(target, proof, items, status, hidden_now)
            if complement is not None:
                if status[complement.key].suppressed:
                    status[complement.key] = Disclosure.WITHHELD
                else:
                    status[complement.key] = hidden_disclosure(complement.value, k)
                hidden_now.add(complement.key)
                touched.update(complement.lines)
        if not hidden_now:
            # Nothing left to hide can free it: publish none of this block rather than risk it.
            logger.warning("suppression withholds a whole table for %r", violations[0][0].key)
            return {item.key: Disclosure.WITHHELD for item in items}
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

    A lone "fewer than k" in a row is the row total minus the rest; most tables need their
    complements exactly here, which spares the linear programmes most of the search.
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


def _complement_for(target: Item, proof: dict, items: list[Item], status: dict, taken: set):
    """The item whose hiding most likely frees `target`: a shown one the proof leans on,
    else a label it leans on (to be withheld), else a shown one in the same row or column."""
    free = [item for item in items if item.terms and item.key not in taken]
    shown = [item for item in free if not status[item.key].suppressed]
    leaned_on = [item for item in shown if item.key in proof]
    labels = [
        item
        for item in free
        if status[item.key] in (Disclosure.FEWER, Disclosure.HIDDEN) and item.key in proof
    ]
    related = [item for item in shown if set(item.lines) & set(target.lines)]
    candidates = leaned_on or labels or related or shown
    if not candidates:
        return None
    lines = _line_members(items)
    return min(candidates, key=lambda c: _complement_cost(c, None, lines, status))


class _Audit:
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
