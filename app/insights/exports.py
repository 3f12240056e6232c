"""CSV and JSON downloads of a poll's results, with the same suppression as the pages."""

import csv
import io
import json

from flask import Response

from app.services.polls.changes import WHO_LABELS, ChangedMinds
from app.services.polls.results import SCOPE_LABELS, PollResults
from app.services.polls.suppression import Disclosure

CSV_COLUMNS = [
    "scope",
    "breakdown",
    "group_key",
    "group",
    "option_id",
    "option",
    "count",
    "suppressed",
    "disclosure",
    "note",
]
NOTES = {
    Disclosure.SHOWN: "",
    Disclosure.FEWER: "fewer than {k}: between 0 and {below}",
    Disclosure.HIDDEN: "hidden: {k} or more, hidden so that a smaller count cannot be worked out",
    Disclosure.WITHHELD: "not shown: no figure, so that a smaller count cannot be worked out",
}


CHANGES_CSV_COLUMNS = [
    "table",
    "group_key",
    "group",
    "from_option_id",
    "from_option",
    "to_option_id",
    "to_option",
    "engagement",
    "count",
    "suppressed",
    "disclosure",
    "note",
]


def _note(count, k: int) -> str:
    return NOTES[count.disclosure].format(k=k, below=k - 1)


def _row(results: PollResults, group_key, group_label, option_id, option_label, count):
    k = results.min_group_size
    return [
        SCOPE_LABELS[results.scope],
        results.by,
        group_key,
        group_label,
        option_id,
        option_label,
        "" if count.suppressed else count.value,
        "yes" if count.suppressed else "no",
        count.disclosure.value,
        _note(count, k),
    ]


def results_csv(results: PollResults) -> str:
    """One row per published count; a suppressed count is empty, with suppressed=yes and why.

    The option column reads "(voters)" on the rows that give how many voters a group has.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(_row(results, "all", "All voters", "", "(voters)", results.total))
    for option in results.options:
        writer.writerow(_row(results, "all", "All voters", option.id, option.label, option.count))
    for group in results.groups:
        writer.writerow(_row(results, group.key, group.label, "", "(voters)", group.total))
        for cell in group.options:
            writer.writerow(_row(results, group.key, group.label, cell.id, cell.label, cell.count))
    return out.getvalue()


def changes_csv(changes: ChangedMinds) -> str:
    """Changes of answer after the discussion opened: the from->to table of each group
    ("moves"), then each group's changes and who had joined the discussion ("engagement")."""
    k = changes.min_group_size
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CHANGES_CSV_COLUMNS)

    def row(table, group_key, move, engagement, count):
        ends = [move.from_id, move.from_label, move.to_id, move.to_label] if move else [""] * 4
        shown = "" if count.suppressed else count.value
        suppressed = "yes" if count.suppressed else "no"
        writer.writerow(
            [table, group_key, WHO_LABELS[group_key], *ends, engagement, shown, suppressed]
            + [count.disclosure.value, _note(count, k)]
        )

    for move in changes.moves:
        for key, count in move.counts.items():
            row("moves", key, move, "", count)
    for group in changes.groups:
        row("engagement", group.key, None, "", group.total)
        for engagement, count in group.engagement.items():
            row("engagement", group.key, None, engagement, count)
    return out.getvalue()


def _attachment(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(results: PollResults) -> Response:
    name = f"poll-{results.poll_id}-results-{results.by}-{results.scope}.csv"
    # Werkzeug adds "; charset=utf-8" to text types itself.
    return _attachment(results_csv(results), "text/csv", name)


def json_response(results: PollResults) -> Response:
    name = f"poll-{results.poll_id}-results-{results.by}-{results.scope}.json"
    body = json.dumps(results.to_json(), indent=2, ensure_ascii=False, default=str)
    return _attachment(body, "application/json", name)


def changes_csv_response(changes: ChangedMinds) -> Response:
    return _attachment(changes_csv(changes), "text/csv", f"poll-{changes.poll_id}-changes.csv")


def changes_json_response(changes: ChangedMinds) -> Response:
    body = json.dumps(changes.to_json(), indent=2, ensure_ascii=False)
    return _attachment(body, "application/json", f"poll-{changes.poll_id}-changes.json")
