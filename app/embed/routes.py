"""Routes of the embedded poll: its page, its cookie-free vote, oEmbed, and who may frame them."""

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import limits, transaction, voters
from app.caching.pages import shared_page
from app.embed import ballots, bp, oembed
from app.embed.page import embedded_poll
from app.errors import json_error, refusal_status, too_many_requests
from app.extensions import csrf
from app.hardening import content_security_policy
from app.polls.forms import option_ids_from
from app.services.articles.embedding import framing_origins
from app.services.errors import DomainError
from app.services.infra.page_versions import ARTICLES, POLL
from app.services.polls.access import live_poll
from app.services.polls.voting import cast_vote

THANKS = _l("Thank you: your vote is counted.")
STALE_FORM = _l(
    "This form is too old or did not come from the poll. Please choose your answer again."
)


@bp.get("/embed/polls/<int:poll_id>")
@shared_page(ARTICLES, POLL)
def poll(poll_id):
    return render_template("embed/poll.html", **embedded_poll(live_poll(poll_id)))


@bp.post("/embed/polls/<int:poll_id>/vote")
@csrf.exempt  # No cookie comes with it; app/embed/ballots.py says what stands in for CSRF.
@limits.embedded_votes
def vote(poll_id):
    poll = live_poll(poll_id)
    ballot_voter = ballots.ballot_voter(request.form.get("ballot"), poll.id)
    if not ballots.form_token_valid(request.form.get("form_token"), poll.id):
        return _answer(poll, ballot_voter, str(STALE_FORM), error=True, status=400)
    voter_token = ballot_voter or voters.new_voter_token()
    try:
        cast_vote(
            poll,
            option_ids_from(request.form.getlist("option_ids")),
            voter_token=voter_token,
            role=request.form.get("role"),
            address=request.remote_addr,
        )
    except DomainError as refusal:
        transaction.rollback()
        return _answer(
            poll, ballot_voter, refusal.message, error=True, status=refusal_status(refusal)
        )
    return _answer(poll, voter_token, str(THANKS))


def _answer(poll, voter_token, message: str, *, error: bool = False, status: int = 200):
    """The embedded poll after a vote: for this reader only, as it carries their ballot."""
    notice = {"message": message, "error": error}
    page = render_template(
        "embed/poll.html", **embedded_poll(poll, voter_token=voter_token, notice=notice)
    )
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(429)
def too_many_votes(error):
    """The rate limit, said inside the frame rather than on a page of the site."""
    try:
        poll = live_poll(request.view_args["poll_id"])
    except DomainError:
        return too_many_requests(error)
    wait = limits.seconds_until_reset()
    later = " " + _("Please try again in %(wait)s.", wait=limits.in_words(wait)) if wait else ""
    ballot_voter = ballots.ballot_voter(request.form.get("ballot"), poll.id)
    response = _answer(poll, ballot_voter, f"{error.description}{later}", error=True, status=429)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


@bp.after_request
def allow_partner_frames(response):
    """The poll's page may be framed by the origins listed for its article, and only them."""
    poll_id = (request.view_args or {}).get("poll_id")
    if poll_id is not None and response.status_code < 500:
        policy = content_security_policy(framing_origins(poll_id))
        response.headers["Content-Security-Policy"] = policy
    return response


@bp.get("/oembed")
def oembed_answer():
    try:
        response = jsonify(oembed.describe(request.args))
    except oembed.Refusal as refusal:
        response = json_error(refusal.status, refusal.message)
    return oembed.cross_origin(response)


@bp.app_template_global()
def embed_code(poll) -> str:
    """The iframe editors copy into a partner's page."""
    return str(oembed.iframe(poll))
