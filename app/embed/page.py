"""What the embedded poll shows: the question, a form for anonymous votes, results, links."""

from flask import current_app
from flask_babel import gettext as _

from app.caching.pages import keep_at_most
from app.embed import ballots
from app.links import external_url
from app.models import PollStatus, utcnow
from app.polls.forms import vote_form
from app.polls.panel import when_results_appear
from app.services.polls.access import current_vote, may_see_results
from app.services.polls.results import build_results
from app.services.viewer import Viewer


def embedded_poll(poll, *, voter_token: str | None = None, notice: dict | None = None) -> dict:
    """Template context for templates/embed/poll.html.

    `voter_token` is the anonymous voter this frame voted as (from its ballot), if any.
    """
    status = poll.status(utcnow())
    vote = current_vote(poll, Viewer(voter_token=voter_token)) if voter_token else None
    selected = sorted(choice.option_id for choice in vote.choices) if vote else []
    labels = {option.id: option.label for option in poll.options}
    visible = may_see_results(poll, Viewer(voter_token=voter_token), voted=vote is not None)
    if visible:
        # Kept pages follow the votes as the article page does.
        keep_at_most(current_app.config["POLL_RESULTS_LAG"])
    slug = poll.article.slug
    return {
        "poll": poll,
        "article": poll.article,
        "poll_status": status.value,
        "can_vote": status is PollStatus.OPEN and poll.allow_anonymous,
        "vote_form": vote_form(
            poll,
            ask_role=True,
            selected=selected,
            role=vote.voter_role.value if vote else None,
            submit_label=_("Change my vote") if vote else _("Vote"),
        ),
        "form_token": ballots.form_token(poll.id),
        "ballot": ballots.ballot(poll.id, voter_token) if vote else None,
        "voted_labels": [labels[i] for i in selected if i in labels],
        "notice": notice,
        "results": build_results(poll) if visible else None,
        "results_when": None if visible else when_results_appear(poll),
        "poll_url": external_url("articles.article", slug=slug, _anchor="poll"),
        "discussion_url": external_url("articles.article", slug=slug, _anchor="discussion"),
        "insights_url": external_url("insights.poll", poll_id=poll.id),
    }
