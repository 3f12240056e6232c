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
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

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
    watched = list(watched)
    status = {item.key: disclosure_for(item.value, k) for item in items}
    lines = _line_members(items)
    _pair_up_lines(lines, status, k)
    small = [item for item in items if status[item.key] is Disclosure.FEWER and item.value > 0]
    small += [item for item, disclosure in settled.items() if disclosure.suppressed]
    if not small and not any(0 < item.value < k for item in watched):
        return status  # nothing small to protect: (a) and (b) hold without any proof
    # The linear programming brings NumPy and HiGHS: loaded by the first plan, not at start.
    from app.services.polls.audit import Audit

    audit = Audit(system, items, settled, k, watched)
    while violations := audit.violations(status):
        hidden_now, touched = set(), set()
        for target, proof in violations:
            if proof.keys() & hidden_now or set(target.lines) & touched:
                continue  # what was just hidden may already free it: audit again first
            complement = _complement_for(target, proof, items, lines, status, hidden_now)
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


def _pair_up_lines(lines: dict[Hashable, list[Item]], status: dict, k: int) -> None:
    """Cheap first pass: no row or column keeps exactly one suppressed item.

    A lone "fewer than k" in a row is the row total minus the rest; most tables need their
    complements exactly here, which spares the linear programmes most of the search.
    """
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


def _complement_for(
    target: Item, proof: dict, items: list[Item], lines: dict, status: dict, taken: set
):
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
    return min(candidates, key=lambda c: _complement_cost(c, None, lines, status))
