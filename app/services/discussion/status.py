"""A comment's status, and the article's count of readable comments that follows it."""

from sqlalchemy import update

from app.extensions import db
from app.models import Article, Comment, CommentStatus


def set_status(comment: Comment, status: CommentStatus) -> None:
    """Change a comment's status, keeping the article's count of readable comments exact."""
    was_counted = comment.status is CommentStatus.PUBLISHED
    comment.status = status
    now_counted = status is CommentStatus.PUBLISHED
    if was_counted != now_counted:
        change_comment_count(comment.article_id, 1 if now_counted else -1)


def change_comment_count(article_id: int, delta: int) -> None:
    db.session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(comment_count=Article.comment_count + delta)
    )
