"""Small-cell suppression: no hidden count can be worked out from what is published.

Crafted cases of one scope. The attacker here is written independently of the suppression
code: from the published results only (shown counts, "fewer than k" meaning 0..k-1, "hidden"
meaning k or more, and the way the numbers add up), linear programming finds the smallest and
largest value each suppressed count could have. At least two whole numbers must remain
possible. tests/privacy reads every scope, breakdown and the history together.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from scipy.optimize import linprog

from app.services.polls.protection import ScopeTally
from app.services.polls.results import compute_results
from app.services.polls.suppression import Disclosure, System, protect

K = 5
OPTIONS = [(101, "Yes"), (102, "No"), (103, "Only after therapy ends")]
DISCIPLINES = ["counselor", "psychologist", "social_worker", None]
FINE_GROUPS = [("client", None), ("reader", None)] + [("professional", d) for d in DISCIPLINES]


def tally_from(groups: dict, kind: str = "single") -> ScopeTally:
    """groups: {(role, discipline): [answers per voter as tuples of option indexes]}."""
    option_cells, voter_cells = [], []
    for (role, discipline), ballots in groups.items():
        if not ballots:
            continue
        voter_cells.append(SimpleNamespace(role=role, discipline=discipline, voters=len(ballots)))
        for i, (option_id, _) in enumerate(OPTIONS):
            n = sum(1 for ballot in ballots if i in ballot)
            if n:
                option_cells.append(
                    SimpleNamespace(option_id=option_id, role=role, discipline=discipline, count=n)
                )
    return ScopeTally.from_cells(option_cells, voter_cells)


EMPTY = ScopeTally.from_cells([], [])


def results_for(tallies: dict, kind: str = "single", scope: str = "all", by: str = "role"):
    """Results of a poll; scopes not given have no votes (every ballot was anonymous)."""
    tallies = {"members": EMPTY, "verified": EMPTY, **tallies}
    return compute_results(
        poll_id=1,
        question="Would you friend your therapist?",
        kind=kind,
        options=OPTIONS,
        tallies=tallies,
        by=by,
        scope=scope,
        k=K,
    )


class Attacker:
    """Everything a reader can infer from the role and discipline views of one scope."""

    def __init__(self, by_role, by_discipline, kind):
        self.groups = ["client", "reader"] + [f"d:{g.key}" for g in by_discipline.groups]
        self.index = {}
        for g in self.groups:
            for column in ["voters", *[o for o, _ in OPTIONS]]:
                self.index[(g, column)] = len(self.index)
        self.eq, self.eq_rhs, self.ub, self.ub_rhs = [], [], [], []
        self.published = []  # (vector, disclosure, true value, description)
        for g in self.groups:
            choices = [self.vector({(g, o): 1}) for o, _ in OPTIONS]
            total = self.vector({(g, "voters"): 1})
            if kind == "single":
                self.eq.append(sum(choices) - total)
                self.eq_rhs.append(0)
            else:
                for choice in choices:
                    self.ub.append(choice - total)
                    self.ub_rhs.append(0)
                self.ub.append(total - sum(choices))
                self.ub_rhs.append(0)
        members = {
            "client": ["client"],
            "reader": ["reader"],
            "professional": [g for g in self.groups if g.startswith("d:")],
        }
        self.publish(by_role.total, self.groups, "voters", "overall voters")
        for option in by_role.options:
            self.publish(option.count, self.groups, option.id, f"overall {option.label}")
        for group in by_role.groups:
            self.publish_group(group, members[group.key])
        for group in by_discipline.groups:
            self.publish_group(group, [f"d:{group.key}"])

    def vector(self, coefficients):
        v = np.zeros(len(self.index))
        for key, c in coefficients.items():
            v[self.index[key]] += c
        return v

    def publish(self, count_, groups, column, description):
        vector = self.vector({(g, column): 1 for g in groups})
        self.published.append((vector, count_.disclosure, count_.value, description))
        if count_.disclosure is Disclosure.SHOWN:
            self.eq.append(vector)
            self.eq_rhs.append(count_.value)
        elif count_.disclosure is Disclosure.FEWER:
            self.ub.append(vector)
            self.ub_rhs.append(K - 1)
        else:
            self.ub.append(-vector)
            self.ub_rhs.append(-K)

    def publish_group(self, group, fine):
        self.publish(group.total, fine, "voters", f"{group.label} voters")
        for cell in group.options:
            self.publish(cell.count, fine, cell.id, f"{group.label} {cell.label}")

    def feasible_range(self, vector):
        bounds = []
        for sign in (1, -1):
            result = linprog(
                sign * vector,
                A_eq=np.array(self.eq) if self.eq else None,
                b_eq=self.eq_rhs or None,
                A_ub=np.array(self.ub) if self.ub else None,
                b_ub=self.ub_rhs or None,
                bounds=(0, None),
                method="highs",
                # Presolve may call an unbounded problem infeasible; without it HiGHS can tell.
                options={"presolve": False},
            )
            if result.status == 3:
                bounds.append(math.inf)
                continue
            assert result.status == 0, result.message
            bounds.append(sign * result.fun)
        return bounds

    def pinned(self):
        """Suppressed counts whose feasible range leaves fewer than two whole numbers."""
        exposed = []
        for vector, disclosure, value, description in self.published:
            if not disclosure.suppressed:
                continue
            low, high = self.feasible_range(vector)
            assert low - 1e-6 <= value <= high + 1e-6, f"{description}: truth out of range"
            possible = (
                math.inf
                if math.isinf(high)
                else math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1
            )
            if possible < 2:
                exposed.append((description, value, low, high))
        return exposed


def attack(tallies, kind="single", scope="all"):
    by_role = results_for(tallies, kind, scope, "role")
    by_discipline = results_for(tallies, kind, scope, "discipline")
    return by_role, by_discipline, Attacker(by_role, by_discipline, kind).pinned()


# ---- Crafted cases ------------------------------------------------------------------------


def crafted_three_professionals():
    return tally_from(
        {
            ("client", None): [(0,)] * 7 + [(1,)] * 5,
            ("professional", "counselor"): [(0,), (0,), (1,)],
            ("reader", None): [(0,)] * 6 + [(1,)] * 6,
        }
    )


def test_a_group_of_three_professionals_is_never_shown():
    by_role, by_discipline, pinned = attack({"all": crafted_three_professionals()})
    professionals = by_role.group("professional")
    assert professionals.total.disclosure is Disclosure.FEWER
    assert [cell.count.disclosure for cell in professionals.options] == [
        Disclosure.FEWER,
        Disclosure.FEWER,
        Disclosure.SHOWN,  # nobody chose the third answer: 0 singles nobody out
    ]
    assert professionals.options[2].count.shown == 0
    counselors = by_discipline.group("counselor")
    assert counselors.total.suppressed
    assert all(c.count.suppressed for c in counselors.options if c.count.value)
    assert pinned == []


def test_secondary_suppression_stops_subtraction_from_the_option_totals():
    by_role, _, _ = attack({"all": crafted_three_professionals()})
    shown_yes = [
        cell.count.value
        for group in by_role.groups
        for cell in group.options
        if cell.id == 101 and not cell.count.suppressed
    ]
    overall_yes = by_role.options[0].count
    # Were overall Yes (15) and the clients' and readers' Yes (7, 6) all shown,
    # the professionals' 2 would follow by subtraction.
    assert overall_yes.suppressed or len(shown_yes) < 2


def test_hidden_counts_of_k_or_more_read_hidden_not_fewer_than_k():
    by_role, _, _ = attack({"all": crafted_three_professionals()})
    cells = [c.count for g in by_role.groups for c in g.options] + [
        o.count for o in by_role.options
    ]
    hidden = [c for c in cells if c.disclosure is Disclosure.HIDDEN]
    assert hidden, "a complementary count should have been hidden"
    assert all(c.value >= K for c in hidden)
    assert all(c.value < K for c in cells if c.disclosure is Disclosure.FEWER)


def test_a_single_small_discipline_cannot_be_subtracted_from_the_professionals_row():
    by_role, by_discipline, pinned = attack(
        {
            "all": tally_from(
                {
                    ("client", None): [(0,)] * 9 + [(1,)] * 9,
                    ("professional", "counselor"): [(0,)] * 8 + [(1,)] * 6,
                    ("professional", "psychologist"): [(0,), (1,)],
                    ("reader", None): [(0,)] * 5 + [(1,)] * 5,
                }
            )
        }
    )
    assert by_discipline.group("psychologist").total.suppressed
    assert pinned == []
    professionals = by_role.group("professional")
    counselors = by_discipline.group("counselor")
    assert professionals.total.suppressed or counselors.total.suppressed


def test_zero_is_shown_as_zero_and_large_groups_in_full():
    by_role, _, pinned = attack(
        {
            "all": tally_from(
                {("client", None): [(0,)] * 12, ("professional", "counselor"): [(1,)] * 9}
            )
        }
    )
    clients = by_role.group("client")
    assert [c.count.shown for c in clients.options] == [12, 0, 0]
    assert by_role.group("reader").total.shown == 0
    assert not by_role.any_suppressed
    assert pinned == []


def test_fewer_than_k_voters_overall_hides_the_overall_counts_too():
    by_role, _, pinned = attack({"all": tally_from({("client", None): [(0,), (1,), (1,)]})})
    assert by_role.total.suppressed
    assert [o.count.shown for o in by_role.options] == [None, None, 0]
    assert all(o.share is None and o.ci95 is None for o in by_role.options[:2])
    assert pinned == []


def test_chi_square_is_run_only_on_groups_shown_in_full():
    by_role, _, _ = attack({"all": crafted_three_professionals()})
    assert "Professionals" not in by_role.compared_groups
    if by_role.independence:
        assert all(by_role.group(k).fully_shown for k in ("client", "reader"))


def test_multiple_choice_polls_explain_why_there_is_no_single_test():
    tallies = {"all": tally_from({("client", None): [(0, 1)] * 30, ("reader", None): [(1,)] * 30})}
    by_role = results_for(tallies, kind="multiple")
    assert by_role.independence is None
    assert "several answers" in by_role.independence_note


def test_protect_hides_a_partner_when_a_total_would_give_a_small_count_away():
    system = System()
    a, b = system.variable(3), system.variable(9)
    items = [
        system.item("a", [a], lines=("row",)),
        system.item("b", [b], lines=("row",)),
        system.item("total", [a, b], lines=("row",)),
    ]
    status = protect(system, items, K)
    assert status["a"] is Disclosure.FEWER
    assert status["b"] is Disclosure.HIDDEN or status["total"].suppressed


def test_unknown_breakdown_or_scope_is_refused():
    tallies = {"all": crafted_three_professionals()}
    with pytest.raises(ValueError):
        results_for(tallies, by="age")
    with pytest.raises(ValueError):
        results_for(tallies, scope="everyone")


def test_five_voters_split_three_two_publish_without_proving_either_answer():
    # Two answers, 3 and 2: each reads "fewer than 5", so a total of 5 (or "hidden": 5 or
    # more) beside both would prove each above 0. Some label is withheld instead (tests/privacy
    # checks which readings remain), and the request that asked does not fail.
    tally = tally_from({("reader", None): [(0,)] * 3 + [(1,)] * 2})
    results = compute_results(
        poll_id=1,
        question="Would you friend your therapist?",
        kind="single",
        options=OPTIONS[:2],
        tallies={"all": tally, "members": EMPTY, "verified": EMPTY},
        k=K,
    )
    readers = results.group("reader")
    assert all(c.count.suppressed for c in [*results.options, *readers.options])
    labels = [results.total.disclosure, *(o.count.disclosure for o in results.options)]
    labels += [readers.total.disclosure, *(c.count.disclosure for c in readers.options)]
    assert Disclosure.WITHHELD in labels
