"""Routes for insights: the site-wide page, the full page per poll, and its downloads."""

from flask import abort, current_app, render_template, request

from app.caching.pages import keep_at_most, shared_page
from app.insights import bp, exports, overview
from app.polls.panel import when_results_appear
from app.services.infra.page_versions import ARTICLES, POLL, POLLS
from app.services.polls import tally
from app.services.polls.access import (
    live_poll,
    live_polls,
    may_see_results,
    voted_poll_ids,
)
from app.services.polls.changes import build_changes
from app.services.polls.results import (
    BREAKDOWNS,
    SCOPE_LABELS,
    SCOPES,
    build_results,
    check_view,
    counts_read_once,
)
from app.voters import current_viewer


def _view_arguments(*, default_by: str = "role") -> tuple[str, str]:
    """The by/scope query arguments; an unknown value is a 400 with a clear message."""
    by = request.args.get("by", default_by)
    scope = request.args.get("scope", "all")
    check_view(by, scope)
    return by, scope


def _visible_poll_or_403(poll_id: int):
    poll = live_poll(poll_id)
    if not may_see_results(poll, current_viewer()):
        abort(403, description=when_results_appear(poll))
    return poll


@bp.get("/")
@shared_page(ARTICLES, POLLS, shows_votes=True)
def index():
    keep_at_most(current_app.config["POLL_RESULTS_LAG"])
    polls = live_polls()
    viewer = current_viewer()
    voted = voted_poll_ids(polls, viewer)
    visible = {poll.id for poll in polls if may_see_results(poll, viewer, voted=poll.id in voted)}
    tally.prefetch(visible)
    entries = []
    for poll in polls:
        results = build_results(poll) if poll.id in visible else None
        entries.append({"poll": poll, "results": results, "waiting": when_results_appear(poll)})
    shown = [(entry["poll"], entry["results"]) for entry in entries if entry["results"]]
    return render_template(
        "insights/index.html",
        entries=entries,
        gaps=overview.ranked_gaps(shown),
        participation=overview.participation([results for _, results in shown]),
    )


@bp.get("/polls/<int:poll_id>")
@shared_page(ARTICLES, POLL, shows_votes=True)
def poll(poll_id):
    keep_at_most(current_app.config["POLL_RESULTS_LAG"])
    poll = live_poll(poll_id)
    _, scope = _view_arguments()
    if not may_see_results(poll, current_viewer()):
        return render_template("insights/waiting.html", poll=poll, when=when_results_appear(poll))
    with counts_read_once():
        by_role = build_results(poll, by="role", scope=scope, with_history=True)
        by_discipline = build_results(poll, by="discipline", scope=scope)
        changes = build_changes(poll)
    return render_template(
        "insights/poll.html",
        poll=poll,
        scope=scope,
        scopes=[(key, SCOPE_LABELS[key]) for key in SCOPES],
        by_role=by_role,
        by_discipline=by_discipline,
        changes=changes,
        breakdowns=BREAKDOWNS,
    )


@bp.get("/polls/<int:poll_id>/results.csv")
def results_csv(poll_id):
    poll = _visible_poll_or_403(poll_id)
    by, scope = _view_arguments()
    return exports.csv_response(build_results(poll, by=by, scope=scope, with_history=True))


@bp.get("/polls/<int:poll_id>/results.json")
def results_json(poll_id):
    poll = _visible_poll_or_403(poll_id)
    by, scope = _view_arguments()
    return exports.json_response(build_results(poll, by=by, scope=scope, with_history=True))


@bp.get("/polls/<int:poll_id>/changes.csv")
def changes_csv(poll_id):
    return exports.changes_csv_response(build_changes(_visible_poll_or_403(poll_id)))


@bp.get("/polls/<int:poll_id>/changes.json")
def changes_json(poll_id):
    return exports.changes_json_response(build_changes(_visible_poll_or_403(poll_id)))
