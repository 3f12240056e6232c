"""Publish a made-up poll through the site's own entry points: six JSON views and their CSVs.

The results are computed from tallies, as the site computes them from its counters, and read
back through the same `to_json` and `results_csv` the downloads use.
"""

from types import SimpleNamespace

from app.insights.exports import changes_csv, results_csv
from app.models import ANY_ANSWER
from app.services.polls.changes import ChangeTallies, compute_changes
from app.services.polls.history import History, Period
from app.services.polls.protection import ScopeTally
from app.services.polls.results import compute_results
from tests.privacy.generate import MadeUpPoll
from tests.privacy.reader import NOT_STATED, SCOPE_STRATA, VOTERS

VIEWS = [(by, scope) for by in ("role", "discipline") for scope in ("all", "members", "verified")]


def scope_tallies(poll: MadeUpPoll) -> dict[str, ScopeTally]:
    """The tallies of each scope: its strata's answers and voters, per role and discipline."""
    tallies = {}
    for scope, strata in SCOPE_STRATA.items():
        option_cells, voter_cells = [], []
        for (stratum, (role, discipline), column), n in poll.atoms.items():
            if stratum not in strata:
                continue
            discipline = None if discipline == NOT_STATED else discipline
            if column == VOTERS:
                voter_cells.append(SimpleNamespace(role=role, discipline=discipline, voters=n))
            else:
                option_cells.append(
                    SimpleNamespace(role=role, discipline=discipline, option_id=column, count=n)
                )
        tallies[scope] = ScopeTally.from_cells(option_cells, voter_cells)
    return tallies


def history_of(poll: MadeUpPoll) -> History:
    index = {period: i for i, period in enumerate(poll.periods)}
    return History(
        periods=tuple(Period(start=start, end=end) for start, end in poll.periods),
        ballots=tuple(
            (index[period], stratum, n) for (period, stratum), n in sorted(poll.ballots.items())
        ),
        voters_who_changed=poll.voters_who_changed,
        changes=poll.changes,
    )


def change_tallies(poll: MadeUpPoll) -> ChangeTallies:
    cells = []
    for (role, pair, engagement), n in poll.moves.items():
        from_id, to_id = pair or (ANY_ANSWER, ANY_ANSWER)
        cells.append(
            SimpleNamespace(from_id=from_id, to_id=to_id, role=role, engagement=engagement, count=n)
        )
    return ChangeTallies.from_cells(cells)


def publish_changes(poll: MadeUpPoll, poll_id: int = 1) -> tuple[dict, str]:
    """The changed-minds JSON document and CSV download the site would publish for `poll`."""
    changes = compute_changes(
        poll_id=poll_id,
        kind=poll.kind,
        options=poll.options,
        tallies=scope_tallies(poll),
        history=history_of(poll),
        changes=change_tallies(poll),
        k=poll.k,
    )
    return changes.to_json(), changes_csv(changes)


def publish(poll: MadeUpPoll, poll_id: int = 1) -> tuple[list[dict], list[str]]:
    """The six JSON documents and six CSV downloads the site would publish for `poll`."""
    tallies = scope_tallies(poll)
    documents, texts = [], []
    for by, scope in VIEWS:
        results = compute_results(
            poll_id=poll_id,
            question="Would you accept a friend request from a client?",
            kind=poll.kind,
            options=poll.options,
            tallies=tallies,
            by=by,
            scope=scope,
            k=poll.k,
            history=history_of(poll),
        )
        document, text = results.to_json(), results_csv(results)
        documents.append(document)
        texts.append(text)
    return documents, texts
