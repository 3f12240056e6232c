"""Whether a change of answer came after the article's discussion opened, and after the voter
took part in it.

The discussion opens with the first comment posted on the article. A member took part between
two of their ballots when they posted a comment or a reply on the article, or marked one of its
comments helpful, after the first ballot and no later than the second. Anonymous readers leave
no trace in the discussion, so whether they read it cannot be known: they are a group of their
own, never counted as having stayed away.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, select

from app.extensions import db
from app.models import Comment, Engagement, HelpfulMark


def engagement_of_change(
    article_id: int, user_id: int | None, since: datetime, now: datetime
) -> Engagement | None:
    """How a change cast at `now` is counted, or None if the discussion had not opened yet.

    `since` is when the voter cast their previous ballot; `user_id` is None for anonymous
    readers.
    """
    opened = exists().where(Comment.article_id == article_id, Comment.created_at <= now)
    if user_id is None:
        return Engagement.ANONYMOUS if db.session.scalar(select(opened)) else None
    in_between = (since < Comment.created_at, Comment.created_at <= now)
    posted = exists().where(
        Comment.article_id == article_id, Comment.author_id == user_id, *in_between
    )
    marked = exists(
        select(HelpfulMark.id)
        .join(Comment, Comment.id == HelpfulMark.comment_id)
        .where(
            Comment.article_id == article_id,
            HelpfulMark.user_id == user_id,
            since < HelpfulMark.created_at,
            HelpfulMark.created_at <= now,
        )
    )
    is_open, took_part, gave_mark = db.session.execute(select(opened, posted, marked)).one()
    if not is_open:
        return None
    return Engagement.JOINED if took_part or gave_mark else Engagement.NOT_JOINED


@dataclass
class Discussion:
    """An article's discussion as a rebuild reads it: when it opened, and when each member
    posted or marked a comment helpful, oldest first."""

    opened_at: datetime | None
    activity: dict[int, list[datetime]] = field(default_factory=dict)

    @classmethod
    def of_article(cls, article_id: int) -> "Discussion":
        opened_at = db.session.scalar(
            select(func.min(Comment.created_at)).where(Comment.article_id == article_id)
        )
        posts = select(Comment.author_id, Comment.created_at).where(
            Comment.article_id == article_id, Comment.author_id.is_not(None)
        )
        marks = (
            select(HelpfulMark.user_id, HelpfulMark.created_at)
            .join(Comment, Comment.id == HelpfulMark.comment_id)
            .where(Comment.article_id == article_id)
        )
        activity: dict[int, list[datetime]] = {}
        for statement in (posts, marks):
            for user_id, moment in db.session.execute(statement):
                activity.setdefault(user_id, []).append(moment)
        for moments in activity.values():
            moments.sort()
        return cls(opened_at, activity)

    def engagement_of_change(
        self, user_id: int | None, since: datetime, now: datetime
    ) -> Engagement | None:
        """The same answer as `engagement_of_change`, from what was read once."""
        if self.opened_at is None or self.opened_at > now:
            return None
        if user_id is None:
            return Engagement.ANONYMOUS
        moments = self.activity.get(user_id, [])
        took_part = bisect_right(moments, now) > bisect_right(moments, since)
        return Engagement.JOINED if took_part else Engagement.NOT_JOINED
