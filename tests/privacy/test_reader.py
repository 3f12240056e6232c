"""The outside reader itself: it finds leaks planted in hand-written views, and only those.

These views are written by hand, not by the site, so the reader is checked on its own before
it is trusted to judge the site.
"""

import csv
import io

from hypothesis import HealthCheck, given, settings

from tests.privacy.generate import MadeUpPoll, polls
from tests.privacy.reader import (
    BALLOTS,
    COUNT,
    CSV_COLUMNS,
    DISCIPLINES,
    ROLES,
    SCOPE_STRATA,
    STRATA,
    VOTERS,
    Key,
    Reader,
    true_values,
)

OPTIONS = [(101, "Yes"), (102, "No")]
WEEK = ("2024-01-01", "2024-01-07")
SCOPE_LABELS = {"all": "All votes", "members": "Members only", "verified": "Verified professionals"}


def published(cells: dict, group: str, column) -> dict:
    """A count as published: an int is shown, "fewer" or "hidden" is suppressed; 0 if absent."""
    value = cells.get((group, column), 0)
    if isinstance(value, int):
        return {"count": value, "disclosure": "shown", "suppressed": False}
    return {"count": None, "disclosure": value, "suppressed": True}


def view(
    scope: str, cells: dict, *, by="role", k=3, history=None, kind="single", options=OPTIONS
) -> dict:
    total = published(cells, "all", VOTERS)
    groups = []
    for key in ROLES if by == "role" else DISCIPLINES:
        row = published(cells, key, VOTERS)
        cells_of_group = [{"id": i, **published(cells, key, i)} for i, _ in options]
        groups.append({"key": key, "label": key, "total": row.pop("count"), **row})
        groups[-1]["options"] = cells_of_group
    return {
        "poll_id": 7,
        "kind": kind,
        "scope": scope,
        "min_group_size": k,
        "total": total["count"],
        "total_disclosure": total["disclosure"],
        "options": [
            {"id": i, "label": label, **published(cells, "all", i), "share": None, "ci95": None}
            for i, label in options
        ],
        "breakdown": {"by": by, "groups": groups},
        "independence": None,
        "history": history,
    }


def clients(scope_cells: dict) -> dict:
    """The same counts for all voters and for clients (everyone else being 0)."""
    return {
        (group, column): v for (_, column), v in scope_cells.items() for group in ("all", "client")
    }


def history(ballots: int) -> dict:
    nobody = {"count": 0, "disclosure": "shown"}
    period = {"start": WEEK[0], "end": WEEK[1], "ballots": ballots, "disclosure": "shown"}
    return {"periods": [period], "voters_who_changed": nobody, "changes": nobody}


def truth(**cohorts) -> dict:
    """True counts of client voters: stratum=(yes, no)."""
    atoms = {}
    for stratum, (yes, no) in cohorts.items():
        atoms[(stratum, ("client", None), VOTERS)] = yes + no
        atoms[(stratum, ("client", None), 101)] = yes
        atoms[(stratum, ("client", None), 102)] = no
    ballots = {(WEEK, s): sum(cohorts.get(s, (0, 0))) for s in STRATA}
    return true_values(
        atoms, option_ids=[101, 102], ballots=ballots, voters_who_changed=0, changes=0
    )


def csv_of(document: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(key, option_id, option, cell):
        count = "" if cell["count"] is None else cell["count"]
        suppressed = "no" if cell["disclosure"] == "shown" else "yes"
        scope = SCOPE_LABELS[document["scope"]]
        line = [scope, document["breakdown"]["by"], key, key, option_id, option, count]
        writer.writerow([*line, suppressed, cell["disclosure"], ""])

    total = {"count": document["total"], "disclosure": document["total_disclosure"]}
    row("all", "", "(voters)", total)
    for option in document["options"]:
        row("all", option["id"], option["label"], option)
    for group in document["breakdown"]["groups"]:
        row(group["key"], "", "(voters)", {**group, "count": group["total"]})
        for option in group["options"]:
            row(group["key"], option["id"], "", option)
    return out.getvalue()


# Two anonymous clients and ten members who are clients, all answering.
TRUTH = truth(anonymous=(1, 1), member=(5, 5))
ALL = clients({("all", VOTERS): 12, ("all", 101): 6, ("all", 102): 6})


def test_subtracting_members_from_all_votes_is_caught():
    members = view("members", clients({("all", VOTERS): 10, ("all", 101): 5, ("all", 102): 5}))
    found = Reader([view("all", ALL), members]).violations(TRUTH)
    assert found
    assert all("by subtraction" in line for line in found)
    assert any(
        "role client, number of voters, anonymous votes (true value 2) can be worked out: "
        "every consistent reading puts it between 2 and 2" in line
        for line in found
    )


def test_hiding_the_members_counts_keeps_the_anonymous_ones_safe():
    hidden = {("all", VOTERS): "hidden", ("all", 101): "hidden", ("all", 102): "hidden"}
    assert Reader([view("all", ALL), view("members", clients(hidden))]).violations(TRUTH) == []


def test_a_fewer_than_k_that_the_other_counts_pin_down_is_caught():
    pinned = clients({("all", VOTERS): 12, ("all", 101): 10, ("all", 102): "fewer"})
    found = Reader([view("all", pinned, k=5)]).violations(truth(anonymous=(10, 2)))
    assert (
        "all by role: all voters, answer 102 'No', all votes is published as fewer (k=5) but "
        "is provably at least 2 (true value 2)" in found
    )
    assert any("answer 102 'No', all votes (true value 2) can be worked out" in f for f in found)


def test_a_count_published_untruly_is_caught():
    found = Reader([view("all", clients({("all", VOTERS): 12, ("all", 101): 5, ("all", 102): 7}))])
    assert (
        "all by role: all voters, answer 101 'Yes', all votes is published as 5 (shown) but is 6"
        in found.violations(TRUTH)
    )


def test_views_that_disagree_are_caught():
    by_discipline = view(
        "all", {("all", VOTERS): 11, ("all", 101): 6, ("all", 102): 5}, by="discipline"
    )
    found = Reader([view("all", ALL), by_discipline]).violations(TRUTH)
    assert (
        "all by discipline: all voters, number of voters, all votes is 11 (shown), "
        "but 12 (shown) in all by role" in found
    )


def test_a_csv_that_says_something_else_is_caught():
    document = view("all", ALL)
    assert Reader([document], [csv_of(document)]).violations(TRUTH) == []
    altered = csv_of(document).replace(
        "All votes,role,client,client,101,,6,", "All votes,role,client,client,101,,7,"
    )
    found = Reader([document], [altered]).violations(TRUTH)
    assert found == [
        "CSV all by role, line 6: the JSON says ('client', '101', '6', 'no', 'shown'), "
        "the CSV ('client', '101', '7', 'no', 'shown')"
    ]


def test_ballots_per_week_can_pin_down_anonymous_voters():
    true = truth(anonymous=(2, 0), member=(4, 3))
    every = clients({("all", VOTERS): 9, ("all", 101): 6, ("all", 102): 3})
    members = clients({("all", VOTERS): "hidden", ("all", 101): "hidden", ("all", 102): "hidden"})
    assert Reader([view("all", every), view("members", members)]).violations(true) == []

    with_history = [
        view("all", every, history=history(9)),
        view("members", members, history=history(7)),
    ]
    found = Reader(with_history).violations(true)
    assert any(
        "role client, number of voters, anonymous votes (true value 2) can be worked out" in f
        for f in found
    )


def test_in_a_multiple_choice_poll_voters_bound_their_answers_from_below():
    # Three voters who each chose at least one answer, no answer chosen by more than two:
    # each answer was chosen at least once.
    fewer = clients({("all", VOTERS): 3, ("all", 101): "fewer", ("all", 102): "fewer"})
    found = Reader([view("all", fewer, kind="multiple")]).violations(truth(anonymous=(1, 2)))
    assert (
        "all by role: all voters, answer 101 'Yes', all votes is published as fewer (k=3) but "
        "is provably at least 1 (true value 1)" in found
    )


def everything_shown(poll: MadeUpPoll, truth: dict) -> list[dict]:
    """The six views of `poll` with no count suppressed."""

    def shown(row, column, strata) -> dict:
        return {"count": truth[Key(row, column, strata)], "disclosure": "shown"}

    documents = []
    for by in ("role", "discipline"):
        for scope, strata in SCOPE_STRATA.items():
            cells = {}
            for row in [("overall",), *((by, g) for g in (ROLES if by == "role" else DISCIPLINES))]:
                group = "all" if row == ("overall",) else row[1]
                for column in (VOTERS, *(i for i, _ in poll.options)):
                    cells[(group, column)] = truth[Key(row, column, strata)]
            periods = [
                {
                    "start": str(s),
                    "end": str(e),
                    "ballots": truth[Key(("period", str(s), str(e)), BALLOTS, strata)],
                    "disclosure": "shown",
                }
                for s, e in poll.periods
            ]
            changes = {
                name: shown((name,), COUNT, STRATA) for name in ("voters_who_changed", "changes")
            }
            history = {"periods": periods, **changes}
            documents.append(
                view(
                    scope,
                    cells,
                    by=by,
                    k=poll.k,
                    history=history,
                    kind=poll.kind,
                    options=poll.options,
                )
            )
    return documents


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polls())
def test_what_the_reader_assumes_holds_of_every_made_up_poll(poll):
    # With nothing suppressed, every count is consistent and true; small ones are simply shown.
    truth = poll.truth()
    found = Reader(everything_shown(poll, truth)).violations(truth)
    assert [line for line in found if "can be worked out" not in line] == []


def test_a_professionals_total_in_the_discipline_view_must_match_the_role_view():
    four = {(group, column): 4 for group in ("all", "professional") for column in (VOTERS, 101)}
    by_role = view("all", four)
    by_discipline = view("all", {("all", VOTERS): 4, ("all", 101): 4}, by="discipline")
    nobody = {"total": 0, "disclosure": "shown", "suppressed": False}
    by_discipline["breakdown"]["groups"].append(
        {**by_discipline["breakdown"]["groups"][0], "key": "professional", **nobody}
    )
    found = Reader([by_role, by_discipline]).problems
    assert found == [
        "all by discipline: role professional, number of voters, all votes is 0 (shown), "
        "but 4 (shown) in all by role",
        "all by discipline: role professional, answer 101 'Yes', all votes is 0 (shown), "
        "but 4 (shown) in all by role",
    ]
