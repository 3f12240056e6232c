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


def changes_shown(poll: MadeUpPoll, truth: dict) -> dict:
    """The changed-minds document of `poll` with no count suppressed."""

    def shown(*row) -> dict:
        return {"count": truth[Key(row, COUNT, STRATA)], "disclosure": "shown"}

    whos = ("all", *ROLES)
    option_ids = [option_id for option_id, _ in poll.options]
    return {
        "poll_id": 7,
        "kind": poll.kind,
        "min_group_size": poll.k,
        "groups": [{"key": who, "label": who} for who in whos],
        "moves": [
            {
                "from": {"id": a, "label": ""},
                "to": {"id": b, "label": ""},
                "counts": [{"key": who, **shown("moved", who, a, b)} for who in whos],
            }
            for a in (option_ids if poll.kind == "single" else ())
            for b in option_ids
            if a != b
        ],
        "engagement": [
            {
                "key": who,
                "label": who,
                **shown("changed", who),
                "by": [
                    {"key": e, "label": e, **shown("engaged", who, e)}
                    for e in ("joined", "not_joined", "anonymous")
                ],
            }
            for who in whos
        ],
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(polls())
def test_what_the_reader_assumes_holds_of_every_made_up_poll(poll):
    # With nothing suppressed, every count is consistent and true; small ones are simply shown.
    truth = poll.truth()
    changes = changes_shown(poll, truth)
    found = Reader(everything_shown(poll, truth), changes=[changes]).violations(truth)
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


def changes_document(engagement: dict, moves: dict | None = None, k=5) -> dict:
    """A changed-minds document: `engagement` maps (who, engagement or None for the group's
    total) to a published value, `moves` maps (who, from, to) the same way; absent is 0."""
    whos = ("all", *ROLES)

    def cell(key, value):
        count = published({(key, None): value}, key, None)
        return {"key": key, "count": count["count"], "disclosure": count["disclosure"]}

    return {
        "poll_id": 7,
        "kind": "single",
        "min_group_size": k,
        "groups": [{"key": who, "label": who} for who in whos],
        "moves": [
            {
                "from": {"id": a, "label": ""},
                "to": {"id": b, "label": ""},
                "counts": [cell(who, (moves or {}).get((who, a, b), 0)) for who in whos],
            }
            for a, _ in OPTIONS
            for b, _ in OPTIONS
            if a != b
        ],
        "engagement": [
            {
                **cell(who, engagement.get((who, None), 0)),
                "label": who,
                "by": [
                    {**cell(e, engagement.get((who, e), 0)), "label": e}
                    for e in ("joined", "not_joined", "anonymous")
                ],
            }
            for who in whos
        ],
    }


def changes_truth(changes: int, moves: dict) -> dict:
    """Ten member clients who all answer Yes now; `moves` maps (pair, engagement) to changes."""
    atoms = {
        ("member", ("client", None), VOTERS): 10,
        ("member", ("client", None), 101): 10,
    }
    return true_values(
        atoms,
        option_ids=[101, 102],
        ballots={(WEEK, "member"): 10 + changes},
        voters_who_changed=min(changes, 10),
        changes=changes,
        moves={("client", pair, e): n for (pair, e), n in moves.items()},
    )


def results_with_changes(changes: int) -> list[dict]:
    count = {"count": changes, "disclosure": "shown"}
    period = {"start": WEEK[0], "end": WEEK[1], "ballots": 10 + changes, "disclosure": "shown"}
    history = {"periods": [period], "voters_who_changed": count, "changes": count}
    cells = clients({("all", VOTERS): 10, ("all", 101): 10, ("all", 102): 0})
    return [view("all", cells, k=5, history=history)]


def test_a_fewer_than_k_in_the_engagement_table_pinned_by_its_row_is_caught():
    moves = {((102, 101), "joined"): 2, ((102, 101), "not_joined"): 5}
    engagement = {
        (who, e): v
        for who in ("all", "client")
        for e, v in ((None, 7), ("joined", "fewer"), ("not_joined", 5))
    }
    by_move = {(who, 102, 101): 7 for who in ("all", "client")}
    found = Reader(results_with_changes(7), changes=[changes_document(engagement, by_move)])
    assert (
        "changes: changes after the discussion opened, role client, joined is published as "
        "fewer (k=5) but is provably at least 2 (true value 2)"
    ) in found.violations(changes_truth(7, moves))


def test_changes_before_the_discussion_worked_out_from_the_history_are_caught():
    moves = {((102, 101), "not_joined"): 7}
    engagement = {(who, e): 7 for who in ("all", "client") for e in (None, "not_joined")}
    by_move = {(who, 102, 101): 7 for who in ("all", "client")}
    document = changes_document(engagement, by_move)
    found = Reader(results_with_changes(9), changes=[document]).violations(changes_truth(9, moves))
    assert any(
        "changes made before the discussion opened (true value 2) can be worked out" in line
        for line in found
    )


def test_an_answer_cannot_gain_more_changes_than_it_lost_and_holds():
    # Nobody answers No now, so No gained no more changes than it lost: a "hidden" (5 or
    # more) Yes -> No beside a "fewer than 5" No -> Yes cannot be read consistently, although
    # every total allows it.
    moves = {((101, 102), "not_joined"): 3, ((102, 101), "not_joined"): 3}
    engagement = {(who, e): "hidden" for who in ("all", "client") for e in (None, "not_joined")}
    by_move = {
        (who, a, b): v
        for who in ("all", "client")
        for a, b, v in ((101, 102, "hidden"), (102, 101, "fewer"))
    }
    document = changes_document(engagement, by_move)
    found = Reader(results_with_changes(6), changes=[document]).violations(changes_truth(6, moves))
    assert "No counts agree with everything published: the views contradict." in found
