"""Routes for polls: the vote form's POST, and the panel fragment the voting script reloads."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import limits
from app import voters as voter
from app.caching import tokens
from app.errors import refusal_shown
from app.extensions import db
from app.models import CommunityRole, Poll
from app.polls import bp
from app.polls.forms import option_ids_from
from app.polls.panel import poll_panel, set_notice
from app.services.polls.access import live_poll
from app.services.polls.voting import cast_vote


@bp.post("/<int:poll_id>/vote")
@limits.votes
def vote(poll_id):
    poll = live_poll(poll_id)
    back = url_for("articles.article", slug=poll.article.slug, _anchor="poll")
    member = voter.member()
    token, new_token = (None, False) if member else voter.token_for_vote()
    with refusal_shown(tell=lambda message: set_notice(poll, message, error=True)):
        cast_vote(
            poll,
            option_ids_from(request.form.getlist("option_ids")),
            user=member,
            voter_token=token,
            role=request.form.get("role"),
            address=request.remote_addr,
        )
        flash(_("Thank you: your vote is counted."), "success")
        response = redirect(back)
        if new_token:
            voter.remember_voter(response, token)
        return response
    return redirect(back)


@tokens.describes("polls.vote")
def describe_vote(view_args: dict, form) -> list[tuple[str, str]]:
    """The vote in words, for the page that asks to confirm it."""
    poll = db.session.get(Poll, view_args["poll_id"])
    if poll is None:
        return []
    labels = {str(option.id): option.label for option in poll.options}
    answers = [labels.get(value, value) for value in form.getlist("option_ids")]
    shown = [(poll.question, ", ".join(answers) or _("no answer chosen"))]
    if role := form.get("role"):
        roles = {
            CommunityRole.CLIENT.value: _("Client"),
            CommunityRole.PROFESSIONAL.value: _("Professional"),
            CommunityRole.READER.value: _("Reader"),
        }
        shown.append((_("You are"), roles.get(role, role)))
    return shown


@bp.get("/<int:poll_id>/panel")
def panel(poll_id):
    poll = live_poll(poll_id)
    return render_template("polls/_panel.html", **poll_panel(poll))
