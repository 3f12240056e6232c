"""A comment's status, and what follows whether readers can read it: the article's count of
readable comments, and the pages open on the article, told when one arrives."""

from sqlalchemy import update

from app import live
from app.extensions import db
from app.models import Article, Comment, CommentStatus


def set_status(comment: Comment, status: CommentStatus) -> None:
    """Change a comment's status, keeping the article's count of readable comments exact."""
    was_counted = comment.status is CommentStatus.PUBLISHED
    comment.status = status
    now_counted = status is CommentStatus.PUBLISHED
    if now_counted and not was_counted:
        became_readable(comment)
    elif was_counted and not now_counted:
        change_comment_count(comment.article_id, -1)


def became_readable(comment: Comment) -> None:
    """A comment readers can now read (posted without review, approved or restored)."""
    change_comment_count(comment.article_id, +1)
    live.comment_arrived(comment.article_id, comment.id)


def change_comment_count(article_id: int, delta: int) -> None:
    db.session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(comment_count=Article.comment_count + delta)
    )
