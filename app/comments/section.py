"""What the article page shows of its discussion: threads, sort and filters, the forms."""

from dataclasses import dataclass, field

from flask import current_app, request, url_for
from flask_login import current_user

from app.caching.pages import keep_at_most
from app.comments.forms import CommentForm
from app.models import AccountStatus, Article, Comment, CommentStatus, CommunityRole, utcnow
from app.services.discussion import comments as comment_service
from app.services.discussion import follows
from app.services.discussion.query import (
    BadDiscussionQuery,
    DiscussionQuery,
    RoleFilter,
    Sort,
    parse_query,
)
from app.services.discussion.reading import Discussion, load_discussion, top_common_ground
from app.services.discussion.shown import ShownComment
from app.services.discussion.tree import CommentNode
from app.voters import current_viewer


def posting_refusal(article: Article) -> str | None:
    """Why the viewer cannot post here, or None when they can."""
    if not current_user.is_authenticated:
        return None
    try:
        comment_service.check_can_comment(article, current_user)
    except comment_service.CommentError as error:
        return error.message
    return None


@dataclass
class CommentActions:
    """What the viewer may do with comments, asked by the templates for each one."""

    viewer: object
    now: object
    # False when the discussion is locked or the viewer may not post.
    can_post: bool

    def can_reply(self, comment: Comment) -> bool:
        return self.can_post and comment.status is CommentStatus.PUBLISHED

    def can_edit(self, comment: Comment) -> bool:
        editable = comment_service.can_edit(comment, self.viewer, self.now)
        if editable:
            # A page kept for the author loses its Edit button when the window closes.
            deadline = comment_service.edit_deadline(comment)
            keep_at_most((deadline - self.now).total_seconds())
        return editable

    def can_delete(self, comment: Comment) -> bool:
        return comment_service.can_delete(comment, self.viewer)


@dataclass
class DiscussionView:
    article: Article
    discussion: Discussion
    actions: CommentActions
    form: CommentForm | None
    refusal: str | None
    # Whether the member follows the article; None for readers who are not logged in.
    following: bool | None
    display_depth: int
    # The comments both groups found most helpful, shown above the discussion.
    common_ground: list[ShownComment] = field(default_factory=list)
    sorts: tuple = tuple(Sort)
    roles: tuple = tuple(RoleFilter)

    @property
    def query(self) -> DiscussionQuery:
        return self.discussion.query

    @property
    def threads(self) -> list[CommentNode]:
        return self.discussion.threads

    @property
    def may_follow(self) -> bool:
        """Members may follow, banned ones excepted (they may only stop following)."""
        return (
            self.following is not None and current_user.account_status is not AccountStatus.BANNED
        )

    @property
    def shows_clinical_reminder(self) -> bool:
        user = current_user
        return user.is_authenticated and user.community_role is CommunityRole.PROFESSIONAL

    def page_url(self, **changes) -> str:
        """This page of the discussion with other sort, filter or page, at the discussion."""
        args = self.query.args(**changes)
        return url_for(request.endpoint, **(request.view_args or {}), **args) + "#discussion"

    def stance_of(self, comment: Comment) -> str | None:
        return self.discussion.stance_of(comment)

    def helpful_marked(self, comment: Comment) -> bool:
        return comment.id in self.discussion.helpful_ids


@dataclass
class ThreadDisplay:
    """What a page showing one thread tells the comment templates."""

    actions: CommentActions
    display_depth: int
    stances: dict
    helpful_ids: set

    def stance_of(self, comment: Comment) -> str | None:
        return self.stances.get(comment.author_id) if comment.author_id else None

    def helpful_marked(self, comment: Comment) -> bool:
        return comment.id in self.helpful_ids


# How many comments the common-ground block above the discussion shows at most.
TOP_COMMON_GROUND = 3


def comment_section(article: Article, args) -> dict:
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    try:
        query = parse_query(args, per_page=per_page)
        discussion = load_discussion(article, query, current_viewer())
    except BadDiscussionQuery:
        # A hand-edited address still shows the discussion, with the default view.
        discussion = load_discussion(article, DiscussionQuery(per_page=per_page), current_viewer())
    refusal = posting_refusal(article)
    can_post = current_user.is_authenticated and refusal is None
    view = DiscussionView(
        article=article,
        discussion=discussion,
        actions=CommentActions(current_user, utcnow(), can_post),
        form=CommentForm() if can_post else None,
        refusal=refusal,
        following=(
            follows.is_following(current_user.id, article.id)
            if current_user.is_authenticated
            else None
        ),
        display_depth=current_app.config["COMMENT_DISPLAY_DEPTH"],
        common_ground=top_common_ground(article, TOP_COMMON_GROUND),
    )
    return {"discussion": view}


def article_url(article: Article, **kwargs) -> str:
    return url_for("articles.article", slug=article.slug, **kwargs)
