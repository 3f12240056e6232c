"""What the article page shows of its poll: the form, the answer given, the results allowed."""

from flask import current_app, session, url_for
from flask_babel import gettext as _

from app import voters as voter
from app.caching.pages import keep_at_most
from app.dates import format_date
from app.models import Poll, PollStatus, ResultsVisibility, utcnow
from app.polls.forms import vote_form
from app.services.polls.access import current_vote, may_see_results
from app.services.polls.results import build_results

NOTICE_KEY = "poll_notice"


def set_notice(poll, message: str, *, error: bool) -> None:
    """A message shown inside the poll panel on the next page (it sits far below flashes)."""
    session[NOTICE_KEY] = {"poll_id": poll.id, "message": message, "error": error}


def _take_notice(poll) -> dict | None:
    notice = session.get(NOTICE_KEY)
    if not notice or notice.get("poll_id") != poll.id:
        return None
    session.pop(NOTICE_KEY)
    return notice


def poll_panel(poll) -> dict:
    """Template context for templates/polls/_panel.html."""
    # Results, and the answers shown beside comments, follow the votes.
    keep_at_most(current_app.config["POLL_RESULTS_LAG"])
    now = utcnow()
    viewer = voter.current_viewer()
    member = viewer.member
    vote = current_vote(poll, viewer)
    status = poll.status(now)
    selected = sorted(choice.option_id for choice in vote.choices) if vote else []
    labels = {option.id: option.label for option in poll.options}
    restriction = _restriction(poll, member, now)
    ask_role = member is None
    context = {
        "poll": poll,
        "poll_status": status.value,
        "poll_vote_labels": [labels[i] for i in selected if i in labels],
        "poll_restriction": restriction,
        "poll_needs_login": member is None and not poll.allow_anonymous,
        "poll_can_vote": status is PollStatus.OPEN and restriction is None,
        "poll_form": vote_form(
            poll,
            ask_role=ask_role,
            selected=selected,
            role=vote.voter_role.value if vote and ask_role else None,
            submit_label=_("Change my vote") if vote else _("Vote"),
        ),
        "poll_notice": _take_notice(poll),
        "poll_login_url": url_for(
            "accounts.login", next=url_for("articles.article", slug=poll.article.slug)
        ),
        "poll_results_visible": may_see_results(poll, viewer, voted=vote is not None),
    }
    context.update(_results(poll, context["poll_results_visible"]))
    return context


def _restriction(poll, member, now) -> str | None:
    """Why this reader cannot vote in an open poll, if they cannot."""
    if member is None:
        return None if poll.allow_anonymous else _("Log in to vote: this poll counts members only.")
    if member.is_restricted(now):
        return _("Your account is suspended or banned, so you cannot vote.")
    return None


def _results(poll, visible: bool) -> dict:
    if visible:
        return {"results": build_results(poll), "results_when": None}
    return {"results": None, "results_when": when_results_appear(poll)}


def when_results_appear(poll: Poll) -> str:
    """What a reader who may not see the results yet is told about when they can."""
    after_vote = poll.results_visibility is ResultsVisibility.AFTER_VOTE
    if poll.closes_at is not None and poll.status() is not PollStatus.CLOSED:
        date = format_date(poll.closes_at)
        if after_vote:
            return _(
                "Results appear once you have voted in this poll, or when it closes on %(date)s.",
                date=date,
            )
        return _("Results appear when the poll closes on %(date)s.", date=date)
    if after_vote:
        return _("Results appear once you have voted in this poll, or when it closes.")
    return _("Results appear when the poll closes.")
