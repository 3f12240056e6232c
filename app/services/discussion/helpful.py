"""Helpful marks: one per member per comment, with counters on the comment kept exact in SQL.

A mark keeps the member's community role as it was when they marked, and the comment counts
its marks in all and from clients and professionals (for common ground), as the article
counts the clients and professionals who marked its comments; a member who changes role
later moves none of their earlier marks.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Comment, CommentStatus, CommunityRole, HelpfulMark, HelpfulMarker, User
from app.services.discussion import DiscussionError
from app.services.errors import NotPermitted
from app.services.infra import page_versions


class HelpfulError(DiscussionError, NotPermitted):
    """A mark the member may not give or take back; the message is shown to them."""


@dataclass(frozen=True)
class HelpfulState:
    marked: bool
    helpful_count: int


def check_can_mark(comment: Comment, member: User) -> None:
    if comment.author_id == member.id:
        raise HelpfulError(_("You cannot mark your own comment as helpful."))
    if member.is_restricted():
        raise HelpfulError(
            _("Your account is restricted at the moment, so you cannot mark comments as helpful.")
        )
    if comment.status is not CommentStatus.PUBLISHED:
        raise HelpfulError(_("This comment cannot be marked as helpful."))


def has_marked(comment: Comment, member: User) -> bool:
    return (
        db.session.scalar(
            select(HelpfulMark.id).where(
                HelpfulMark.comment_id == comment.id, HelpfulMark.user_id == member.id
            )
        )
        is not None
    )


def toggle_helpful(comment: Comment, member: User) -> HelpfulState:
    """Give the mark if the member has not, take it back if they have."""
    return set_helpful(comment, member, marked=not has_marked(comment, member))


def set_helpful(comment: Comment, member: User, *, marked: bool) -> HelpfulState:
    """Bring the member's mark to the state asked for; repeating a request changes nothing.

    The counter moves only when a mark row was really inserted or deleted, so requests
    racing each other cannot make it drift from the number of marks.
    """
    check_can_mark(comment, member)
    role = _add_mark(comment, member) if marked else _remove_mark(comment, member)
    if role is not None:
        step = 1 if marked else -1
        counters = {Comment.helpful_count: Comment.helpful_count + step}
        group_counter = GROUP_COUNTERS.get(role)
        if group_counter is not None:
            counters[group_counter] = group_counter + step
            _count_marker(comment.article_id, member.id, role, step)
        db.session.execute(
            update(Comment)
            .where(Comment.id == comment.id)
            .values(counters)
            .execution_options(synchronize_session=False)
        )
        page_versions.changed(
            page_versions.article_page(comment.article.slug), page_versions.member_pages(member.id)
        )
    db.session.refresh(comment, attribute_names=["helpful_count"])
    return HelpfulState(marked=marked, helpful_count=comment.helpful_count)


# The comment's counter of marks from each group that common ground compares.
GROUP_COUNTERS = {
    CommunityRole.CLIENT: Comment.client_helpful_count,
    CommunityRole.PROFESSIONAL: Comment.professional_helpful_count,
}


def _add_mark(comment: Comment, member: User) -> CommunityRole | None:
    """The role the new mark keeps, or None when the member had marked already."""
    if has_marked(comment, member):
        return None
    role = member.community_role
    try:
        with db.session.begin_nested():
            db.session.add(HelpfulMark(comment_id=comment.id, user_id=member.id, marker_role=role))
    except IntegrityError:
        # Another request from the same member inserted the mark first.
        return None
    return role


def _remove_mark(comment: Comment, member: User) -> CommunityRole | None:
    """The role the removed mark kept (not the member's role now), or None when there was none."""
    return db.session.scalar(
        delete(HelpfulMark)
        .where(HelpfulMark.comment_id == comment.id, HelpfulMark.user_id == member.id)
        .returning(HelpfulMark.marker_role)
        .execution_options(synchronize_session=False)
    )


_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _count_marker(article_id: int, member_id: int, role: CommunityRole, step: int) -> None:
    """Keep the member's row among the article's markers in `role` (see HelpfulMarker).

    Each statement changes its row atomically, so a member's requests racing each other
    leave the number of marks exact, and the row goes with the last of them.
    """
    key = (
        HelpfulMarker.article_id == article_id,
        HelpfulMarker.marker_role == role,
        HelpfulMarker.user_id == member_id,
    )
    if step > 0:
        insert = _UPSERTS[db.session.get_bind().dialect.name](HelpfulMarker)
        db.session.execute(
            insert.values(
                article_id=article_id, marker_role=role, user_id=member_id, marks=1
            ).on_conflict_do_update(
                index_elements=["article_id", "marker_role", "user_id"],
                set_={"marks": HelpfulMarker.marks + 1},
            )
        )
        return
    db.session.execute(
        update(HelpfulMarker)
        .where(*key)
        .values(marks=HelpfulMarker.marks - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(HelpfulMarker)
        .where(*key, HelpfulMarker.marks <= 0)
        .execution_options(synchronize_session=False)
    )
