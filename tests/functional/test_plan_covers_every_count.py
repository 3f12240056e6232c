"""Every count a poll publishes comes from its publication plan, with how it is disclosed.

A table added later (a new breakdown, the changed-answers table) that printed a count of its
own, outside the plan, would fail here: any integer in the downloads or the API must either
be an identifier or sit next to its disclosure, and agree with the plan.
"""

import csv
import io

from app.services.polls.history import CHANGES, VOTERS_WHO_CHANGED, plan_history
from app.services.polls.protection import OVERALL, SCOPE_STRATA, VOTERS, plan_results
from app.services.polls.results import BREAKDOWNS, SCOPES, load_history, load_tallies
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
    return poll


def plan_of(poll, k=5):
    tallies = load_tallies(poll.id)
    chain = tuple((scope, tallies[scope]) for scope in SCOPE_STRATA)
    option_ids = tuple(option.id for option in poll.options)
    results = plan_results(option_ids, str(poll.kind), k, chain)
    history = plan_history(option_ids, str(poll.kind), k, chain, load_history(poll))
    return results, history


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


def test_an_unplanned_count_is_caught():
    leaked = {"total": 3, "total_disclosure": "fewer", "changes_by_group": [{"count": 2}]}
    assert escaped_counts(leaked) == ["$.changes_by_group[0].count"]
