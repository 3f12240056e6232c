"""Which polls a reader may look at, and whether the poll's rule lets them see its results.

This is the one place that decides "may this reader see these results": the poll panel, the
insights pages and the API all ask it.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Article, Poll, ResultsVisibility, Vote
from app.services.errors import NotFound, NotPermitted
from app.services.polls import PollError
from app.services.polls.changes import ChangedMinds, build_changes
from app.services.polls.results import PollResults, build_results
from app.services.polls.voting import voter_filter
from app.services.viewer import Viewer

HIDDEN_RESULTS = {
    ResultsVisibility.AFTER_VOTE: _l(
        "The results of this poll are shown after you vote, or once it closes."
    ),
    ResultsVisibility.AFTER_CLOSE: _l("The results of this poll are shown once it closes."),
}


class PollNotFound(PollError, NotFound):
    pass


class ResultsHidden(PollError, NotPermitted):
    """The poll's rule does not let this reader see its results yet."""


def live_poll(poll_id: int) -> Poll:
    """A poll whose article readers can see; polls of drafts do not exist for them."""
    poll = db.session.scalar(
        select(Poll)
        .join(Poll.article)
        .where(Poll.id == poll_id, Article.live())
        .options(selectinload(Poll.options), joinedload(Poll.article))
    )
    if poll is None:
        raise PollNotFound(_("There is no poll with this id."))
    return poll


def live_polls() -> list[Poll]:
    """Every poll on a live article, newest article first."""
    statement = (
        select(Poll)
        .join(Poll.article)
        .where(Article.live())
        .order_by(Article.published_at.desc(), Poll.id.desc())
        .options(selectinload(Poll.options), joinedload(Poll.article))
    )
    return list(db.session.scalars(statement))


def _voter_condition(viewer: Viewer):
    if viewer.member is None and not viewer.voter_token:
        return None
    return voter_filter(viewer.member, viewer.voter_token)


def current_vote(poll: Poll, viewer: Viewer) -> Vote | None:
    """The reader's vote in the poll (with its choices), or None."""
    condition = _voter_condition(viewer)
    if condition is None:
        return None
    return db.session.scalar(
        select(Vote).where(Vote.poll_id == poll.id, condition).options(selectinload(Vote.choices))
    )


def voted_poll_ids(polls: list[Poll], viewer: Viewer) -> set[int]:
    """The polls among `polls` in which the reader has a vote, in one query."""
    condition = _voter_condition(viewer)
    if not polls or condition is None:
        return set()
    ids = [poll.id for poll in polls]
    return set(db.session.scalars(select(Vote.poll_id).where(Vote.poll_id.in_(ids), condition)))


def may_see_results(poll: Poll, viewer: Viewer, *, voted: bool | None = None) -> bool:
    """The poll's visibility rule for this reader; `voted` spares the lookup when known."""
    if voted is None:
        voted = poll.id in voted_poll_ids([poll], viewer)
    return poll.results_visible(voted)


def visible_results(poll: Poll, viewer: Viewer, **view) -> PollResults:
    """The results (`by`, `scope`) if the reader may see them; ResultsHidden says when they can."""
    if not may_see_results(poll, viewer):
        raise ResultsHidden(str(HIDDEN_RESULTS[poll.results_visibility]))
    return build_results(poll, **view)


def visible_changes(poll: Poll, viewer: Viewer) -> ChangedMinds:
    """How answers changed after the discussion opened, under the same rule as the results."""
    if not may_see_results(poll, viewer):
        raise ResultsHidden(str(HIDDEN_RESULTS[poll.results_visibility]))
    return build_changes(poll)
