"""One page of a discussion, loaded in a fixed number of queries however long it is.

The queries: the poll's options (for the stance filter), the page of top-level ids with
the total, every comment of those threads with its author, the stances their authors
chose to show, and the viewer's helpful marks. The threads are assembled in Python.

Filters only use what authors show publicly: "clients" and "professionals" match authors
who display that role as a badge, and a stance matches authors who chose to show how they
voted. Filtering on anything else would let readers discover what an author kept private.
A filtered page lists the matching comments themselves, at any depth, each with a link to
its thread.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    CommunityRole,
    HelpfulMark,
    PollOption,
    User,
    VerificationStatus,
    Vote,
    VoteChoice,
)
from app.services.discussion import common_ground
from app.services.discussion.comments import UNDER_REVIEW_STATUSES
from app.services.discussion.query import BadDiscussionQuery, DiscussionQuery, RoleFilter, Sort
from app.services.discussion.shown import ShownComment, load_shown
from app.services.discussion.tree import (
    CommentNode,
    Visibility,
    build_threads,
    path_to,
    visibility_for,
)
from app.services.viewer import ANONYMOUS, Viewer


@dataclass
class Discussion:
    query: DiscussionQuery
    threads: list[CommentNode]
    total: int
    options: list[PollOption] = field(default_factory=list)
    stances: dict[int, str] = field(default_factory=dict)
    helpful_ids: set[int] = field(default_factory=set)
    # For a filtered page: the comments the listed ones reply to.
    parents: dict[int, ShownComment] = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def out_of_range(self) -> bool:
        return self.page > self.pages

    def stance_of(self, comment: Comment) -> str | None:
        return self.stances.get(comment.author_id) if comment.author_id else None


def load_discussion(
    article: Article, query: DiscussionQuery, viewer: Viewer = ANONYMOUS
) -> Discussion:
    """One page of an article's threads as `viewer` may see them."""
    viewer_id = viewer.member_id
    options = poll_options(article)
    if query.stance is not None and query.stance not in {option.id for option in options}:
        raise BadDiscussionQuery(_("stance must be one of the poll's options."))
    if query.filtered:
        return _load_filtered(article, query, viewer_id, options)
    # The page and the total are separate queries: a window count would make every page
    # read every thread, so walking all pages would grow with the square of the threads.
    threads = (
        Comment.article_id == article.id,
        Comment.parent_id.is_(None),
        worth_showing(Comment, viewer_id),
    )
    root_ids = db.session.scalars(
        select(Comment.id)
        .where(*threads)
        .order_by(*_order(query.sort, article.id))
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(Comment).where(*threads))
    if not root_ids:
        return Discussion(query=query, threads=[], total=total, options=options)
    in_threads = or_(Comment.root_id.in_(root_ids), Comment.id.in_(root_ids))
    comments = load_shown(in_threads, _order(query.sort, article.id))
    threads = build_threads(root_ids, comments, visibility_for(viewer_id))
    ids_on_page = select(Comment.id).where(in_threads)
    return Discussion(
        query=query,
        threads=threads,
        total=total,
        options=options,
        stances=_stances(options, ids_on_page),
        helpful_ids=_helpful_ids(viewer_id, ids_on_page),
    )


def _load_filtered(article, query, viewer_id, options) -> Discussion:
    # As for threads, the page and the total are separate queries (see load_discussion).
    matches = (
        select(Comment.id, Comment.parent_id)
        .join(User, User.id == Comment.author_id)
        .where(
            Comment.article_id == article.id,
            Comment.status == CommentStatus.PUBLISHED,
            *author_filters(query, options),
        )
    )
    rows = db.session.execute(
        matches.order_by(*_order(query.sort, article.id))
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(matches.subquery()))
    ids = [row[0] for row in rows]
    if not ids:
        return Discussion(query=query, threads=[], total=total, options=options)
    parent_ids = {row[1] for row in rows if row[1] is not None}
    loaded = {
        comment.id: comment for comment in load_shown(Comment.id.in_(set(ids) | parent_ids), ())
    }
    ids_on_page = select(Comment.id).where(Comment.id.in_(ids))
    return Discussion(
        query=query,
        threads=[CommentNode(loaded[i], Visibility.SHOWN) for i in ids],
        total=total,
        options=options,
        stances=_stances(options, ids_on_page),
        helpful_ids=_helpful_ids(viewer_id, ids_on_page),
        parents={i: loaded[i] for i in parent_ids if i in loaded},
    )


def readable_by(model, viewer_id):
    """SQL condition: the viewer reads the comment's text, an author also their own under review."""
    if viewer_id is None:
        return model.status == CommentStatus.PUBLISHED
    return or_(
        model.status == CommentStatus.PUBLISHED,
        and_(model.author_id == viewer_id, model.status.in_(UNDER_REVIEW_STATUSES)),
    )


# Built once: aliasing the table sets up its columns, which is slow to repeat per request.
_reply = aliased(Comment, name="reply")


def worth_showing(model, viewer_id):
    """Readable, or a placeholder with something readable below it."""
    return or_(
        readable_by(model, viewer_id),
        exists().where(
            _reply.root_id == model.id, _reply.id != model.id, readable_by(_reply, viewer_id)
        ),
    )


def _order(sort: Sort, article_id: int):
    featured = Comment.featured.desc()
    if sort is Sort.NEWEST:
        return featured, Comment.created_at.desc(), Comment.id.desc()
    if sort is Sort.HELPFUL:
        return featured, Comment.helpful_count.desc(), Comment.created_at, Comment.id
    if sort is Sort.COMMON_GROUND:
        return featured, *_common_ground_order(article_id)
    return featured, Comment.created_at, Comment.id


def _common_ground_order(article_id: int):
    """Comments with the badge by their score; the others after them, by public numbers only."""
    score = common_ground.score(article_id, common_ground.min_group_size())
    return score.desc(), Comment.helpful_count.desc(), Comment.created_at, Comment.id


def top_common_ground(article: Article, limit: int) -> list[ShownComment]:
    """The article's published comments with the common-ground badge, highest score first."""
    k = common_ground.min_group_size()
    return load_shown(
        and_(
            Comment.article_id == article.id,
            Comment.status == CommentStatus.PUBLISHED,
            common_ground.found_helpful_by_both(k),
        ),
        _common_ground_order(article.id),
        limit=limit,
    )


def role_shown(role: RoleFilter):
    """SQL condition: the author displays this role as a badge (see User.badge)."""
    if role is RoleFilter.CLIENTS:
        return and_(User.community_role == CommunityRole.CLIENT, User.show_role_badge)
    return and_(
        User.community_role == CommunityRole.PROFESSIONAL,
        or_(
            User.show_role_badge,
            and_(
                User.verification_status == VerificationStatus.VERIFIED,
                User.show_verified_badge,
            ),
        ),
    )


def author_filters(query: DiscussionQuery, options) -> list:
    """SQL conditions on the comment's author (User joined) for the query's role and stance."""
    conditions = []
    if query.role is not RoleFilter.EVERYONE:
        conditions.append(role_shown(query.role))
    if query.stance is not None:
        poll_id = options[0].poll_id
        conditions.append(User.show_stance)
        conditions.append(
            exists()
            .where(Vote.id == VoteChoice.vote_id)
            .where(
                Vote.poll_id == poll_id,
                Vote.user_id == Comment.author_id,
                VoteChoice.option_id == query.stance,
            )
        )
    return conditions


def poll_options(article: Article) -> list[PollOption]:
    """The options of the article's poll, in order; the article page loads them with it."""
    return list(article.poll.options) if article.poll else []


def _stances(options, comment_ids) -> dict[int, str]:
    """The answers of the page's authors who chose to show them, as "No" or "Yes, Maybe"."""
    if not options:
        return {}
    rows = db.session.execute(
        select(Vote.user_id, PollOption.label)
        .join(VoteChoice, VoteChoice.vote_id == Vote.id)
        .join(PollOption, PollOption.id == VoteChoice.option_id)
        .join(User, User.id == Vote.user_id)
        .where(
            Vote.poll_id == options[0].poll_id,
            User.show_stance,
            Vote.user_id.in_(select(Comment.author_id).where(Comment.id.in_(comment_ids))),
        )
        .order_by(Vote.user_id, PollOption.position)
    ).all()
    stances: dict[int, list[str]] = {}
    for user_id, label in rows:
        stances.setdefault(user_id, []).append(label)
    return {user_id: ", ".join(labels) for user_id, labels in stances.items()}


def _helpful_ids(viewer_id, comment_ids) -> set[int]:
    if viewer_id is None:
        return set()
    return set(
        db.session.scalars(
            select(HelpfulMark.comment_id).where(
                HelpfulMark.user_id == viewer_id, HelpfulMark.comment_id.in_(comment_ids)
            )
        )
    )


@dataclass
class ThreadContext:
    """A comment with the comments above it and its replies, for its permalink page."""

    node: CommentNode
    # The comments above it, each shown or a placeholder as anywhere else in the thread.
    ancestors: list[CommentNode]
    stances: dict[int, str]
    helpful_ids: set[int]


def load_thread_context(comment: Comment, viewer: Viewer) -> ThreadContext | None:
    """A comment with the comments above it, as `viewer` may see them; None when they may not."""
    viewer_id = viewer.member_id
    root_id = comment.root_id or comment.id
    in_thread = or_(Comment.root_id == root_id, Comment.id == root_id)
    thread = load_shown(in_thread, _order(Sort.OLDEST, comment.article_id))
    decide = visibility_for(viewer_id)
    built = build_threads([comment.id], thread, decide)
    if built:
        node = built[0]
    elif comment.status in UNDER_REVIEW_STATUSES:
        return None
    else:
        node = CommentNode(comment, decide(comment))
    options = poll_options(comment.article)
    ids = select(Comment.id).where(in_thread)
    return ThreadContext(
        node=node,
        ancestors=[CommentNode(above, decide(above)) for above in path_to(comment.id, thread)],
        stances=_stances(options, ids),
        helpful_ids=_helpful_ids(viewer_id, ids),
    )


def page_of_thread(root: Comment, viewer: Viewer, per_page: int) -> int:
    """The page of the default view (featured first, then oldest) that holds a thread."""
    earlier = tuple_(Comment.created_at, Comment.id) < tuple_(root.created_at, root.id)
    before = and_(Comment.featured, earlier) if root.featured else or_(Comment.featured, earlier)
    count = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.article_id == root.article_id,
            Comment.parent_id.is_(None),
            worth_showing(Comment, viewer.member_id),
            before,
        )
    )
    return (count or 0) // per_page + 1


def comment_on_live_article(comment_id: int) -> Comment | None:
    """The comment, with its article and the article's poll loaded, if that article is live."""
    comment = db.session.scalar(
        select(Comment)
        .where(Comment.id == comment_id)
        .options(joinedload(Comment.article).joinedload(Article.poll))
    )
    return comment if comment is not None and comment.article.is_live() else None
