"""Writing comments: post, reply, edit within the window, delete by the author.

`Article.comment_count` counts the comments readers can read: those whose status is
published. It grows when a published comment is written and shrinks when one is
deleted, in SQL, so concurrent writers never lose an update.
"""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from app.extensions import db
from app.models import Article, Comment, CommentRevision, CommentStatus, User, utcnow
from app.services.discussion import DiscussionError, follows
from app.services.discussion.status import became_readable, set_status
from app.services.errors import Conflict, NotFound, NotPermitted
from app.services.infra.markdown import render_comment
from app.services.moderation.premoderation import premoderation_reasons
from app.services.moderation.safety import mentions_crisis

# Statuses that keep a place in the thread for everyone (with or without a body).
PUBLIC_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.DELETED, CommentStatus.REMOVED)
# Statuses only the author (and moderators) can see.
UNDER_REVIEW_STATUSES = (CommentStatus.PENDING, CommentStatus.HIDDEN)


class CommentError(DiscussionError):
    """A comment that cannot be written; the message is shown to the member."""


class InvalidCommentText(CommentError):
    """The text is empty or too long."""


class DiscussionLocked(CommentError, Conflict):
    pass


class CommentingRestricted(CommentError, NotPermitted):
    pass


class ArticleNotLive(CommentError, NotFound):
    pass


class InvalidParent(CommentError):
    pass


class NotCommentAuthor(CommentError, NotPermitted):
    """Someone tried to change a comment that is not theirs."""


class EditWindowClosed(CommentError, Conflict):
    pass


def check_text(body_markdown: str | None) -> str:
    """The text to store, or InvalidCommentText with what is wrong with it."""
    text = (body_markdown or "").strip()
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    if not text:
        raise InvalidCommentText(_("Write something before posting."))
    if len(text) > limit:
        raise InvalidCommentText(
            _(
                "Comments can be at most %(limit)s characters long; this one has %(length)s.",
                limit=format_decimal(limit),
                length=format_decimal(len(text)),
            )
        )
    return text


def preview_html(body_markdown: str | None) -> str:
    """The sanitised HTML the text would be stored as (empty for empty text)."""
    text = (body_markdown or "").strip()
    return render_comment(text[: current_app.config["COMMENT_MAX_LENGTH"]]) if text else ""


def check_can_comment(article: Article, author: User, now: datetime | None = None) -> None:
    if not article.is_live(now):
        raise ArticleNotLive(_("This article is not published, so it cannot be discussed yet."))
    if article.discussion_locked:
        raise DiscussionLocked(_("This discussion is locked; no new comments can be posted."))
    if author.is_restricted(now):
        raise CommentingRestricted(
            _("Your account is restricted at the moment, so you cannot post comments.")
        )


def initial_status(article: Article, author: User, text: str) -> tuple[CommentStatus, str | None]:
    """The status a new comment starts in, and why it waits if it does.

    Every rule that holds a comment back for a moderator lives in
    app.services.moderation.premoderation; staff are trusted.
    """
    if author.is_staff:
        return CommentStatus.PUBLISHED, None
    reasons = premoderation_reasons(author, article, text)
    if reasons:
        return CommentStatus.PENDING, "; ".join(reasons)
    return CommentStatus.PUBLISHED, None


def post_comment(
    article: Article,
    author: User,
    body_markdown: str,
    *,
    parent: Comment | None = None,
    now: datetime | None = None,
) -> Comment:
    now = now or utcnow()
    check_can_comment(article, author, now)
    text = check_text(body_markdown)
    if parent is not None:
        _check_parent(article, parent)
    status, reason = initial_status(article, author, text)
    comment = Comment(
        article_id=article.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_id=author.id,
        body_markdown=text,
        body_html=render_comment(text),
        status=status,
        pending_reason=reason,
        crisis_flag=mentions_crisis(text),
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    if parent is None:
        comment.root_id = comment.id
        db.session.flush()
    if status is CommentStatus.PUBLISHED:
        became_readable(comment)
    if author.follow_on_comment:
        follows.follow(author, article)
    from app.services.discussion.notifications import queue_comment_notices

    queue_comment_notices(comment)
    return comment


def _check_parent(article: Article, parent: Comment) -> None:
    if parent.article_id != article.id:
        raise InvalidParent(_("That comment belongs to another discussion."))
    if parent.status is not CommentStatus.PUBLISHED:
        raise InvalidParent(_("That comment is no longer open for replies."))


def edit_deadline(comment: Comment) -> datetime:
    minutes = current_app.config["COMMENT_EDIT_WINDOW_MINUTES"]
    return comment.created_at + timedelta(minutes=minutes)


def can_edit(comment: Comment, user, now: datetime | None = None) -> bool:
    return (
        _is_author(comment, user)
        and comment.status in (CommentStatus.PUBLISHED, *UNDER_REVIEW_STATUSES)
        and (now or utcnow()) < edit_deadline(comment)
    )


def can_delete(comment: Comment, user) -> bool:
    return _is_author(comment, user) and comment.status is not CommentStatus.DELETED


def _is_author(comment: Comment, user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and comment.author_id is not None
        and comment.author_id == user.id
    )


def edit_comment(
    comment: Comment, editor: User, body_markdown: str, *, now: datetime | None = None
) -> Comment:
    """Replace the text, keeping the previous one as a revision for moderators."""
    now = now or utcnow()
    if not _is_author(comment, editor):
        raise NotCommentAuthor(_("Only the author of a comment can edit it."))
    if not can_edit(comment, editor, now):
        minutes = current_app.config["COMMENT_EDIT_WINDOW_MINUTES"]
        raise EditWindowClosed(
            ngettext(
                "Comments can be edited for %(num)s minute after posting; "
                "this one can no longer be changed.",
                "Comments can be edited for %(num)s minutes after posting; "
                "this one can no longer be changed.",
                minutes,
            )
        )
    if editor.is_restricted(now):
        raise CommentingRestricted(_("Your account is restricted at the moment."))
    text = check_text(body_markdown)
    if text == comment.body_markdown:
        return comment
    db.session.add(
        CommentRevision(comment_id=comment.id, body_markdown=comment.body_markdown, created_at=now)
    )
    comment.body_markdown = text
    comment.body_html = render_comment(text)
    comment.edited_at = now
    comment.crisis_flag = comment.crisis_flag or mentions_crisis(text)
    _recheck_after_edit(comment, editor, text)
    db.session.flush()
    return comment


def _recheck_after_edit(comment: Comment, editor: User, text: str) -> None:
    """An edit that adds something a moderator must see sends the comment back to review."""
    if comment.status is not CommentStatus.PUBLISHED or editor.is_staff:
        return
    article = db.session.get(Article, comment.article_id)
    reasons = premoderation_reasons(editor, article, text, first_comments=False)
    if reasons:
        set_status(comment, CommentStatus.PENDING)
        comment.pending_reason = "edited: " + "; ".join(reasons)


def delete_comment(comment: Comment, user: User) -> Comment:
    """The author deletes: the text goes, the place in the thread and its replies stay."""
    if not _is_author(comment, user):
        raise NotCommentAuthor(_("Only the author of a comment can delete it."))
    if comment.status is CommentStatus.DELETED:
        return comment
    set_status(comment, CommentStatus.DELETED)
    comment.body_markdown = ""
    comment.body_html = ""
    db.session.flush()
    return comment
