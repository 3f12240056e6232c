"""API routes for polls: the poll, its results as the reader may see them, and voting."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from app import limits
from app import voters as voter
from app.api import bp
from app.api.helpers import api_error, choice_arg
from app.api.openapi import operation, path_param, query_param
from app.api.schemas import polls as schemas
from app.api.schemas.common import BadRequestBody
from app.models import Poll
from app.schemas.poll_results import ChangedMinds, PollResults
from app.services.polls import voting
from app.services.polls.access import (
    HIDDEN_RESULTS,
    live_poll,
    visible_changes,
    visible_results,
)
from app.services.polls.results import BREAKDOWNS, SCOPES, build_results

POLL_ID = path_param(
    "poll_id", "The poll's id (articles give it as `poll.id`).", {"type": "integer"}
)
NO_POLL = "No poll with this id on a published article."


@bp.get("/polls/<int:poll_id>")
@operation(
    "getPoll",
    summary="A poll's question, settings and options",
    tags=("Polls",),
    parameters=(POLL_ID,),
    responses={200: ("The poll.", schemas.PollSummary), 404: NO_POLL},
)
def poll_detail(poll_id):
    return jsonify(schemas.PollSummary.from_poll(live_poll(poll_id)).to_json())


@bp.get("/polls/<int:poll_id>/results")
@operation(
    "getPollResults",
    summary="Counts, shares, 95% intervals and a breakdown by group",
    description="Obeys the poll's visibility rule: with `after-vote` the reader "
    "(session or voter cookie) must have voted or the poll be closed; with "
    "`after-close` the poll must be closed. Every count says how it is published "
    "(`disclosure`): counts between 1 and `min_group_size` - 1 are `null` and `fewer`, and "
    "counts they could be worked out from, read together with every other table of the "
    "poll, are `null` and `hidden` (or `fewer` when below `min_group_size`). `history` "
    "gives ballots per calendar period and changed answers under the same protection.",
    tags=("Polls",),
    parameters=(
        POLL_ID,
        query_param("by", {"type": "string", "enum": list(BREAKDOWNS), "default": "role"}),
        query_param(
            "scope",
            {"type": "string", "enum": list(SCOPES), "default": "all"},
            "All votes, members' votes, or verified professionals' votes.",
        ),
    ),
    responses={
        200: ("The results.", PollResults),
        400: "`by` or `scope` is not one of the allowed values.",
        403: "The results are not visible to this reader yet.",
        404: NO_POLL,
    },
)
def poll_results(poll_id):
    poll = live_poll(poll_id)
    by = choice_arg("by", list(BREAKDOWNS), "role")
    scope = choice_arg("scope", list(SCOPES), "all")
    viewer = voter.current_viewer()
    results = visible_results(poll, viewer, by=by, scope=scope, with_history=True).to_json()
    return jsonify(PollResults.model_validate(results).to_json())


@bp.get("/polls/<int:poll_id>/changes")
@operation(
    "getPollChanges",
    summary="How answers changed after the discussion opened, from->to per group",
    description="Every change of answer made after the article's first comment was posted: "
    "from which answer to which (single-choice polls), for all voters and by community role "
    "as the voter had it then, and how many came from members who had joined the "
    "discussion (posted, replied or marked a comment helpful) since their previous ballot, "
    "from members who had not, and from anonymous readers, of whom that cannot be known. "
    "Obeys the poll's visibility rule, as the results do, and every count carries its "
    "`disclosure` under the same protection as every other table of the poll.",
    tags=("Polls",),
    parameters=(POLL_ID,),
    responses={
        200: ("The changes.", ChangedMinds),
        403: "The results are not visible to this reader yet.",
        404: NO_POLL,
    },
)
def poll_changes(poll_id):
    poll = live_poll(poll_id)
    changes = visible_changes(poll, voter.current_viewer()).to_json()
    return jsonify(ChangedMinds.model_validate(changes).to_json())


def _check_csrf() -> None:
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError:
        api_error(400, _("Missing or invalid CSRF token: send the page's token in X-CSRFToken."))


def _ballot() -> tuple[list[int], str | None]:
    try:
        ballot = schemas.Ballot.parse(request.get_json(silent=True))
    except BadRequestBody as error:
        api_error(400, str(error))
    return ballot.option_ids, ballot.role


@bp.post("/polls/<int:poll_id>/votes")
@operation(
    "castVote",
    summary="Vote, or change one's vote, in a poll",
    description="Needs the session cookie and the page's CSRF token (from "
    '`<meta name="csrf-token">`) in the `X-CSRFToken` header. Members vote with '
    "their session; where the poll allows anonymous votes, readers declare a `role` "
    "and are remembered by a signed `voter` cookie set on their first vote. Voting "
    "again changes the vote while the poll is open. Votes are rate-limited per "
    "network address and per member; a refused vote answers 429 with `Retry-After`.",
    tags=("Polls",),
    parameters=(
        POLL_ID,
        {"name": "X-CSRFToken", "in": "header", "required": True, "schema": {"type": "string"}},
    ),
    request_body=schemas.Ballot,
    responses={
        200: (
            "The vote is counted. The body is the results the voter may now see, or "
            "`results: null` with a message when the poll shows them later.",
            (schemas.ResultsAfterVote, schemas.HiddenResultsAfterVote),
        ),
        400: "Missing or invalid CSRF token, malformed JSON, wrong types, an unknown "
        "option, no option, two options on a single-choice poll, or no role "
        "declared by an anonymous reader.",
        401: "The poll counts members only: log in to vote.",
        403: "The member's account is suspended or banned.",
        404: NO_POLL,
        409: "The poll is closed, or not open yet.",
        429: "Too many votes from this network address or member; `Retry-After` says "
        "how many seconds to wait.",
    },
)
@limits.votes
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
        results = build_results(poll).to_json()
        return schemas.ResultsAfterVote(**results, voted=True, your_answer=answer).to_json()
    return schemas.HiddenResultsAfterVote(
        voted=True,
        your_answer=answer,
        results=None,
        message=_("Thank you: your vote is counted.")
        + " "
        + str(HIDDEN_RESULTS[poll.results_visibility]),
    ).to_json()
