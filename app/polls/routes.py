"""Routes for polls: the vote form's POST, and the panel fragment the voting script reloads."""

from flask import flash, redirect, render_template, request, url_for

from app import limits
from app import voters as voter
from app.errors import refusal_shown
from app.polls import bp
from app.polls.panel import poll_panel, set_notice
from app.services.polls.access import live_poll
from app.services.polls.voting import UnknownOption, cast_vote


def option_ids_from(values: list[str]) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError:
        raise UnknownOption("That answer is not one of this poll's options.") from None


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
        flash("Thank you: your vote is counted.", "success")
        response = redirect(back)
        if new_token:
            voter.remember_voter(response, token)
        return response
    return redirect(back)


@bp.get("/<int:poll_id>/panel")
def panel(poll_id):
    poll = live_poll(poll_id)
    return render_template("polls/_panel.html", **poll_panel(poll))
