"""Which polls a reader may look at, and whether the poll's rule lets them see its results."""

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Article, Poll, Vote
from app.polls import voter


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


def voted_poll_ids(polls: list[Poll]) -> set[int]:
    """The polls among `polls` in which the current reader has a vote, in one query."""
    if not polls:
        return set()
    ids = [poll.id for poll in polls]
    voter = _voter_condition()
    if voter is None:
        return set()
    statement = select(Vote.poll_id).where(Vote.poll_id.in_(ids), voter)
    return set(db.session.scalars(statement))


def _voter_condition():
    if current_user.is_authenticated:
        return Vote.user_id == current_user.id
    token = voter.cookie_token()
    return Vote.voter_token == token if token else None


def may_see_results(poll: Poll, voted: set[int]) -> bool:
    return poll.results_visible(poll.id in voted)
