"""Loading polls the way readers may see them."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Article, Poll


def live_poll_or_404(poll_id: int) -> Poll:
    """A poll whose article readers can see; polls of drafts do not exist for them."""
    poll = db.session.scalar(
        select(Poll)
        .join(Poll.article)
        .where(Poll.id == poll_id, Article.live())
        .options(selectinload(Poll.options), joinedload(Poll.article))
    )
    if poll is None:
        abort(404, description="There is no poll with this id.")
    return poll
