"""Publish a made-up poll through the site's own entry points: six JSON views and their CSVs.

The results are computed from tallies, as the site computes them from its counters, and read
back through the same `to_json` and `results_csv` the downloads use.
"""

import csv
import importlib.util
import io
from types import SimpleNamespace

from app.insights.exports import results_csv
from app.services.polls.protection import ScopeTally
from app.services.polls.results import compute_results
from tests.privacy.generate import MadeUpPoll
from tests.privacy.reader import CSV_COLUMNS, DISCIPLINES, NOT_STATED, SCOPE_STRATA, VOTERS

VIEWS = [(by, scope) for by in ("role", "discipline") for scope in ("all", "members", "verified")]
# The format with disclosures and history comes with app.services.polls.history; until then the
# current downloads are converted to it, so the reader can be run on what is published today.
CURRENT_FORMAT = importlib.util.find_spec("app.services.polls.history") is None


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


def history_of(poll: MadeUpPoll):
    from app.services.polls.history import History, Period

    index = {period: i for i, period in enumerate(poll.periods)}
    return History(
        periods=tuple(Period(start=start, end=end) for start, end in poll.periods),
        ballots=tuple(
            (index[period], stratum, n) for (period, stratum), n in sorted(poll.ballots.items())
        ),
        voters_who_changed=poll.voters_who_changed,
        changes=poll.changes,
    )


def publish(poll: MadeUpPoll, poll_id: int = 1) -> tuple[list[dict], list[str]]:
    """The six JSON documents and six CSV downloads the site would publish for `poll`."""
    tallies = scope_tallies(poll)
    extra = {} if CURRENT_FORMAT else {"history": history_of(poll)}
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
            **extra,
        )
        document, text = results.to_json(), results_csv(results)
        if CURRENT_FORMAT:
            document, text = from_current_format(document, text, kind=poll.kind, scope=scope)
        documents.append(document)
        texts.append(text)
    return documents, texts


# The current format -------------------------------------------------------------------------


def _disclosure(row: dict) -> str:
    if row["suppressed"] == "no":
        return "shown"
    return "fewer" if row["note"].startswith("fewer than") else "hidden"


def from_current_format(document: dict, text: str, *, kind: str, scope: str):
    """A current download in the new format: disclosures read from the CSV notes.

    Today's discipline breakdown leaves out disciplines without voters, which tells a reader
    they have none: they are added back as shown zeros.
    """
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        row["disclosure"] = _disclosure(row)
    disclosure = {(row["group_key"], row["option_id"]): row["disclosure"] for row in rows}

    def disclosed(cell: dict, group_key: str, option_id="") -> dict:
        return {**cell, "disclosure": disclosure[(group_key, str(option_id))]}

    groups = [
        {
            **disclosed(g, g["key"]),
            "options": [disclosed(c, g["key"], c["id"]) for c in g["options"]],
        }
        for g in document["breakdown"]["groups"]
    ]
    by = document["breakdown"]["by"]
    option_ids = [option["id"] for option in document["options"]]
    listed = {group["key"] for group in groups}
    for key in DISCIPLINES if by == "discipline" else ():
        if key not in listed:
            groups.append(_nobody(key, option_ids))
            rows += [_zero_row(rows[0], key, option_id) for option_id in ("", *option_ids)]
    converted = {
        **document,
        "kind": kind,
        "scope": scope,
        "total_disclosure": disclosure[("all", "")],
        "options": [disclosed(o, "all", o["id"]) for o in document["options"]],
        "breakdown": {"by": by, "groups": groups},
        "history": None,
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return converted, out.getvalue()


def _nobody(key: str, option_ids: list[int]) -> dict:
    zero = {"count": 0, "suppressed": False, "disclosure": "shown"}
    options = [{"id": option_id, **zero} for option_id in option_ids]
    return {"key": key, "label": key, "total": 0, **zero, "options": options}


def _zero_row(first: dict, key: str, option_id) -> dict:
    zero = {"count": "0", "suppressed": "no", "disclosure": "shown", "note": ""}
    return {**first, "group_key": key, "group": key, "option_id": str(option_id), **zero}
