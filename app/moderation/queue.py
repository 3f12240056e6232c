"""Queries behind the moderation pages: the queue views, counts and author histories."""

from sqlalchemy import and_, exists, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Comment, CommentStatus, Report, User

VIEWS = ("pending", "reported", "removed")

_unresolved_report = exists().where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))


def view_condition(view: str):
    if view == "pending":
        return or_(
            Comment.status == CommentStatus.PENDING,
            and_(Comment.status == CommentStatus.PUBLISHED, Comment.crisis_flag.is_(True)),
        )
    if view == "reported":
        return or_(
            Comment.status == CommentStatus.HIDDEN,
            and_(Comment.status == CommentStatus.PUBLISHED, _unresolved_report),
        )
    if view == "removed":
        return Comment.status == CommentStatus.REMOVED
    raise ValueError(view)


def queue_page(view: str, page: int, per_page: int = 25):
    statement = (
        select(Comment)
        .where(view_condition(view))
        .options(
            joinedload(Comment.author),
            joinedload(Comment.article),
            selectinload(Comment.revisions),
        )
        .order_by(Comment.created_at.desc() if view == "removed" else Comment.created_at)
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def counts() -> dict[str, int]:
    """The number of items in each queue view, as in view_condition, from indexes only.

    This runs on every staff page, so no part of it may read the whole comments table.
    """

    def with_status(status, *conditions):
        return (
            select(func.count())
            .select_from(Comment)
            .where(Comment.status == status, *conditions)
            .scalar_subquery()
        )

    # Driven from the open reports, which are few, rather than from every visible comment.
    reported_visible = (
        select(func.count(func.distinct(Report.comment_id)))
        .where(
            Report.resolved_at.is_(None),
            exists().where(
                Comment.id == Report.comment_id, Comment.status == CommentStatus.PUBLISHED
            ),
        )
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            (
                with_status(CommentStatus.PENDING)
                + with_status(CommentStatus.PUBLISHED, Comment.crisis_flag == true())
            ).label("pending"),
            (with_status(CommentStatus.HIDDEN) + reported_visible).label("reported"),
            with_status(CommentStatus.REMOVED).label("removed"),
        )
    ).one()
    return dict(row._mapping)


def context_for(comments: list[Comment]) -> dict:
    """Parents, reports and author histories for a page of queue items, in three queries."""
    parent_ids = {c.parent_id for c in comments if c.parent_id}
    parents = (
        {
            c.id: c
            for c in db.session.scalars(
                select(Comment)
                .where(Comment.id.in_(parent_ids))
                .options(joinedload(Comment.author))
            )
        }
        if parent_ids
        else {}
    )
    ids = [c.id for c in comments]
    reports: dict[int, list[Report]] = {i: [] for i in ids}
    for report in db.session.scalars(
        select(Report)
        .where(Report.comment_id.in_(ids))
        .options(joinedload(Report.reporter))
        .order_by(Report.created_at)
    ):
        reports[report.comment_id].append(report)
    return {"parents": parents, "reports": reports, "histories": author_histories(comments)}


def author_histories(comments: list[Comment]) -> dict[int, dict[str, int]]:
    author_ids = {c.author_id for c in comments if c.author_id}
    if not author_ids:
        return {}
    rows = db.session.execute(
        select(Comment.author_id, Comment.status, func.count())
        .where(Comment.author_id.in_(author_ids))
        .group_by(Comment.author_id, Comment.status)
    )
    histories = {
        author_id: {status.value: 0 for status in CommentStatus} for author_id in author_ids
    }
    for author_id, status, count in rows:
        histories[author_id][status.value] = count
    return histories


def member_search(query: str, page: int):
    statement = select(User).order_by(User.username)
    if query:
        statement = statement.where(func.lower(User.username).contains(query.lower()))
    return db.paginate(statement, page=page, per_page=50, error_out=False)
