"""Following an article: each new comment on it reaches the member's inbox.

A member follows an article by asking (the Follow button), or by commenting on it when their
settings say so. The notices themselves are made by app/services/discussion/notifications.py.
"""

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Article, Follow, User
from app.services.discussion import DiscussionError
from app.services.errors import NotFound
from app.services.infra import page_versions


class ArticleNotFollowable(DiscussionError, NotFound):
    pass


def is_following(member_id: int, article_id: int) -> bool:
    return db.session.scalar(
        select(exists().where(Follow.user_id == member_id, Follow.article_id == article_id))
    )


def follow(member: User, article: Article) -> None:
    """The member follows the article from now on; following it again changes nothing."""
    if not article.is_live():
        raise ArticleNotFollowable("This article is not published, so it cannot be followed.")
    if is_following(member.id, article.id):
        return
    try:
        # Two presses at once: the database keeps one follow, and the other press is done.
        with db.session.begin_nested():
            db.session.add(Follow(user_id=member.id, article_id=article.id))
    except IntegrityError:
        pass


def unfollow(member: User, article: Article) -> bool:
    """The member stops following the article; answers whether they were following it."""
    result = db.session.execute(
        delete(Follow)
        .where(Follow.user_id == member.id, Follow.article_id == article.id)
        .execution_options(synchronize_session=False)
    )
    page_versions.changed(page_versions.member_pages(member.id))
    return result.rowcount > 0


def followed_articles_statement(member_id: int):
    """The member's follows of live articles with their article, the latest followed first."""
    return (
        select(Follow)
        .join(Follow.article)
        .where(Follow.user_id == member_id, Article.live())
        .options(contains_eager(Follow.article))
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    )
