"""Every count a poll publishes comes from its publication plan, with how it is disclosed.

A table added later (a new breakdown, the changed-answers table) that printed a count of its
own, outside the plan, would fail here: any integer in the downloads or the API must either
be an identifier or sit next to its disclosure, and agree with the plan.
"""

import csv
import io

from app.extensions import db
from app.services.polls import tally
from app.services.polls.changes import CHANGED, ChangeTallies, plan_changes
from app.services.polls.history import CHANGES, VOTERS_WHO_CHANGED, plan_history
from app.services.polls.protection import OVERALL, SCOPE_STRATA, VOTERS, plan_results
from app.services.polls.results import BREAKDOWNS, SCOPES, load_history, load_tallies
from app.services.polls.voting import cast_vote
from tests.factories import make_comment, make_user
from tests.functional.test_insights import votes

IDENTIFIERS = {"poll_id", "id", "min_group_size", "dof"}
DISCLOSURE_OF = {"count": "disclosure", "ballots": "disclosure", "total": "total_disclosure"}


def escaped_counts(node, path="$"):
    """Integers that are neither identifiers nor accompanied by their disclosure."""
    found = []
    if isinstance(node, list):
        for i, value in enumerate(node):
            found += escaped_counts(value, f"{path}[{i}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, int) and not isinstance(value, bool) and key not in IDENTIFIERS:
                label = DISCLOSURE_OF.get(key)
                if label not in node and "disclosure" not in node:
                    found.append(f"{path}.{key}")
            found += escaped_counts(value, f"{path}.{key}")
    return found


def poll_with_small_groups(make_article):
    article = make_article(
        poll_question="Would you hug a client who is grieving?",
        poll_options=("Yes", "No", "It depends"),
        allow_anonymous=True,
    )
    poll = article.poll
    votes(poll, "Yes", 9, role="client")
    votes(poll, "No", 3, role="client", member=True)
    votes(poll, "It depends", 2, role="professional", discipline="psychologist", member=True)
    votes(poll, "Yes", 6, role="professional", discipline="counselor", member=True, verified=True)
    votes(
        poll, "No", 1, role="professional", discipline="social_worker", member=True, verified=True
    )
    votes(poll, "It depends", 7, role="reader")
    # After the discussion opens, three clients change their answer, two of them after
    # joining it, and six readers change theirs without a word.
    make_comment(article, make_user(role="professional"), "Only at a funeral.")
    yes, no, depends = (option.id for option in poll.options)
    for n, (role, first, then) in enumerate(
        [("client", yes, no)] * 3 + [("reader", no, depends)] * 6
    ):
        member = make_user(role=role)
        cast_vote(poll, [first], user=member)
        db.session.commit()
        if n < 2:
            make_comment(article, member, "This thread changed my mind.")
        cast_vote(poll, [then], user=member)
        db.session.commit()
    return poll


def plan_of(poll, k=5):
    tallies = load_tallies(poll.id)
    chain = tuple((scope, tallies[scope]) for scope in SCOPE_STRATA)
    option_ids = tuple(option.id for option in poll.options)
    results = plan_results(option_ids, str(poll.kind), k, chain)
    history = plan_history(option_ids, str(poll.kind), k, chain, load_history(poll))
    return results, history


def changes_plan_of(poll, k=5):
    tallies = load_tallies(poll.id)
    chain = tuple((scope, tallies[scope]) for scope in SCOPE_STRATA)
    option_ids = tuple(option.id for option in poll.options)
    changes = ChangeTallies.from_cells(tally.change_cells(poll.id))
    return plan_changes(option_ids, str(poll.kind), k, chain, load_history(poll), changes)


def expected(plan, key):
    return (plan.values[key] if not plan.status[key].suppressed else None), plan.status[key].value


def test_downloads_and_api_publish_only_planned_counts(client, make_article):
    poll = poll_with_small_groups(make_article)
    results_plan, history_plan = plan_of(poll)
    compared = 0
    for by in BREAKDOWNS:
        for scope in SCOPES:
            for url in (
                f"/insights/polls/{poll.id}/results.json?by={by}&scope={scope}",
                f"/api/v1/polls/{poll.id}/results?by={by}&scope={scope}",
            ):
                data = client.get(url).get_json()
                assert escaped_counts(data) == [], url
                total = (data["total"], data["total_disclosure"])
                assert total == expected(results_plan, (scope, OVERALL, None, VOTERS))
                for option in data["options"]:
                    key = (scope, OVERALL, None, option["id"])
                    assert (option["count"], option["disclosure"]) == expected(results_plan, key)
                for group in data["breakdown"]["groups"]:
                    key = (scope, by, group["key"], VOTERS)
                    assert (group["total"], group["disclosure"]) == expected(results_plan, key)
                    for cell in group["options"]:
                        key = (scope, by, group["key"], cell["id"])
                        assert (cell["count"], cell["disclosure"]) == expected(results_plan, key)
                        compared += 1
                history = data["history"]
                for i, period in enumerate(history["periods"]):
                    key = ("period", scope, i)
                    assert (period["ballots"], period["disclosure"]) == expected(history_plan, key)
                changed = history["voters_who_changed"]
                assert (changed["count"], changed["disclosure"]) == expected(
                    history_plan, VOTERS_WHO_CHANGED
                )
                changes = history["changes"]
                assert (changes["count"], changes["disclosure"]) == expected(history_plan, CHANGES)
    assert compared > 100


def test_every_csv_count_says_how_it_is_disclosed(client, make_article):
    poll = poll_with_small_groups(make_article)
    results_plan, _ = plan_of(poll)
    for by in BREAKDOWNS:
        for scope in SCOPES:
            text = client.get(f"/insights/polls/{poll.id}/results.csv?by={by}&scope={scope}")
            rows = list(csv.DictReader(io.StringIO(text.get_data(as_text=True))))
            assert rows
            for row in rows:
                level, name = (
                    (OVERALL, None) if row["group_key"] == "all" else (by, row["group_key"])
                )
                column = int(row["option_id"]) if row["option_id"] else VOTERS
                value, disclosure = expected(results_plan, (scope, level, name, column))
                assert row["disclosure"] == disclosure
                assert row["count"] == ("" if value is None else str(value))
                assert row["suppressed"] == ("no" if disclosure == "shown" else "yes")


def test_changed_minds_publish_only_planned_counts(client, make_article):
    poll = poll_with_small_groups(make_article)
    plan = changes_plan_of(poll)
    assert any(status.suppressed for status in plan.status.values())
    expected_cells = {}
    for key in plan.values:
        if key[0] == "moved":
            expected_cells[("moves", key[1], str(key[2]), str(key[3]), "")] = expected(plan, key)
        elif key[0] == "engaged":
            expected_cells[("engagement", key[1], "", "", key[2])] = expected(plan, key)
        else:
            expected_cells[("engagement", key[1], "", "", "")] = expected(plan, key)

    for url in (f"/api/v1/polls/{poll.id}/changes", f"/insights/polls/{poll.id}/changes.json"):
        data = client.get(url).get_json()
        assert escaped_counts(data) == [], url
        published = {}
        for move in data["moves"]:
            for cell in move["counts"]:
                key = ("moved", cell["key"], move["from"]["id"], move["to"]["id"])
                published[key] = (cell["count"], cell["disclosure"])
        for group in data["engagement"]:
            published[(CHANGED, group["key"])] = (group["count"], group["disclosure"])
            for cell in group["by"]:
                key = ("engaged", group["key"], cell["key"])
                published[key] = (cell["count"], cell["disclosure"])
        assert published == {key: expected(plan, key) for key in plan.values}, url

    text = client.get(f"/insights/polls/{poll.id}/changes.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    cells = {
        (r["table"], r["group_key"], r["from_option_id"], r["to_option_id"], r["engagement"]): (
            None if r["count"] == "" else int(r["count"]),
            r["disclosure"],
        )
        for r in rows
    }
    assert cells == expected_cells
    assert all(r["suppressed"] == ("no" if r["disclosure"] == "shown" else "yes") for r in rows)


def test_an_unplanned_count_is_caught():
    leaked = {"total": 3, "total_disclosure": "fewer", "changes_by_group": [{"count": 2}]}
    assert escaped_counts(leaked) == ["$.changes_by_group[0].count"]
