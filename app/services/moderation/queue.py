"""Queries behind the moderation pages: the queue views, counts and author histories."""

from sqlalchemy import and_, exists, func, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.extensions import db
from app.models import Comment, CommentStatus, Report, User

VIEWS = ("pending", "reported", "removed")

# Reported comments are found from the open reports, which are few, never by looking for
# reports under every visible comment.
_reported = aliased(Comment)
_reported_ids = union_all(
    select(Comment.id).where(Comment.status == CommentStatus.HIDDEN),
    select(Report.comment_id).where(
        Report.resolved_at.is_(None),
        exists().where(
            _reported.id == Report.comment_id, _reported.status == CommentStatus.PUBLISHED
        ),
    ),
)


def view_condition(view: str):
    """Which comments a queue view lists; every part is served by an index."""
    if view == "pending":
        return or_(
            Comment.status == CommentStatus.PENDING,
            and_(Comment.status == CommentStatus.PUBLISHED, Comment.crisis_flag.is_(True)),
        )
    if view == "reported":
        return Comment.id.in_(_reported_ids)
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
    """The number of items in each queue view, in one statement; it runs on every staff page."""
    row = db.session.execute(
        select(
            *(
                select(func.count())
                .select_from(Comment)
                .where(view_condition(view))
                .scalar_subquery()
                .label(view)
                for view in VIEWS
            )
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
