"""API routes for polls: the poll, its results as the reader may see them, and voting."""

from flask import jsonify, request
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from app import voters as voter
from app.api import bp
from app.api.helpers import api_error, choice_arg, poll_json
from app.models import Poll
from app.services.polls import voting
from app.services.polls.access import HIDDEN_RESULTS, live_poll, visible_results
from app.services.polls.results import BREAKDOWNS, SCOPES, build_results

BALLOT_SHAPE = 'Send a JSON object such as {"option_ids": [1], "role": "client"}.'


@bp.get("/polls/<int:poll_id>")
def poll_detail(poll_id):
    return jsonify(poll_json(live_poll(poll_id)))


@bp.get("/polls/<int:poll_id>/results")
def poll_results(poll_id):
    poll = live_poll(poll_id)
    by = choice_arg("by", list(BREAKDOWNS), "role")
    scope = choice_arg("scope", list(SCOPES), "all")
    results = visible_results(poll, voter.current_viewer(), by=by, scope=scope)
    return jsonify(results.to_json())


def _check_csrf() -> None:
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        api_error(400, "Missing or invalid CSRF token: send the page's token in X-CSRFToken.")


def _ballot() -> tuple[list[int], str | None]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        api_error(400, f"The request body is not valid JSON. {BALLOT_SHAPE}")
    option_ids = body.get("option_ids")
    if not isinstance(option_ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in option_ids
    ):
        api_error(400, f"'option_ids' must be a list of option ids (integers). {BALLOT_SHAPE}")
    role = body.get("role")
    if role is not None and not isinstance(role, str):
        api_error(400, "'role' must be one of: client, professional, reader.")
    return option_ids, role


@bp.post("/polls/<int:poll_id>/votes")
@voter.anonymous_vote_limit
def cast_vote(poll_id):
    _check_csrf()
    poll = live_poll(poll_id)
    option_ids, role = _ballot()
    member = voter.member()
    token, new_token = (None, False) if member else voter.token_for_vote()
    vote = voting.cast_vote(
        poll,
        option_ids,
        user=member,
        voter_token=token,
        role=role,
        address=request.remote_addr,
    )
    answer = sorted(choice.option_id for choice in vote.choices)
    response = jsonify(_after_vote(poll, answer))
    if new_token:
        voter.remember_voter(response, token)
    return response


def _after_vote(poll: Poll, answer: list[int]) -> dict:
    """The results the voter may now see, or why they cannot see them yet."""
    if poll.results_visible(True):
        return {**build_results(poll).to_json(), "voted": True, "your_answer": answer}
    return {
        "voted": True,
        "your_answer": answer,
        "results": None,
        "message": "Thank you: your vote is counted. " + HIDDEN_RESULTS[poll.results_visibility],
    }
