"""CSV and JSON downloads of a poll's results, with the same suppression as the pages."""

import csv
import io
import json

from flask import Response

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
        NOTES[count.disclosure].format(k=k, below=k - 1),
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
