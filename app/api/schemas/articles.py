"""API bodies for articles: the teaser in lists, the page of teasers, the full article."""

from datetime import datetime

from pydantic import Field

from app.api.schemas.polls import PollSummary
from app.models import Article as ArticleModel
from app.models import AuthorProfile
from app.schemas.base import Schema, Timestamp


class AuthorRef(Schema):
    username: str | None = Field(
        description="The member behind the byline, or null for an organisation's byline."
    )
    display_name: str

    @classmethod
    def from_author(cls, author: AuthorProfile, **more):
        return cls(
            username=author.user.username if author.user else None,
            display_name=author.display_name,
            **more,
        )


class Author(AuthorRef):
    slug: str
    organisation: str | None
    location: str | None
    credentials: str | None = Field(examples=["LMHC, LPC, BCC"])
    bio: str | None

    @classmethod
    def from_author(cls, author: AuthorProfile):
        return super().from_author(
            author,
            slug=author.slug,
            organisation=author.organisation,
            location=author.location,
            credentials=author.credentials,
            bio=author.bio,
        )


class ArticleTeaser(Schema):
    slug: str
    title: str
    summary: str
    language: str = Field(
        description="The language the article is written in (a BCP 47 language subtag).",
        examples=["en"],
    )
    author: AuthorRef
    published_at: Timestamp = Field(description="ISO 8601, UTC.")
    comment_count: int = Field(ge=0)
    poll_id: int | None

    @classmethod
    def from_article(cls, article: ArticleModel, **more):
        fields = {
            "slug": article.slug,
            "title": article.title,
            "summary": article.summary,
            "language": article.language,
            "author": AuthorRef.from_author(article.author),
            "published_at": article.published_at,
            "comment_count": article.comment_count,
            "poll_id": article.poll.id if article.poll else None,
        }
        return cls(**fields | more)


class ArticlePage(Schema):
    items: list[ArticleTeaser]
    page: int = Field(ge=1)
    pages: int = Field(ge=0)
    total: int = Field(ge=0)

    @classmethod
    def from_pagination(cls, pagination) -> "ArticlePage":
        return cls(
            items=[ArticleTeaser.from_article(article) for article in pagination.items],
            page=pagination.page,
            pages=pagination.pages,
            total=pagination.total,
        )


class Tag(Schema):
    name: str
    slug: str


class Article(ArticleTeaser):
    author: Author
    body_html: str = Field(description="Sanitised HTML.")
    tags: list[Tag]
    updated_at: Timestamp = Field(description="ISO 8601, UTC.")
    discussion_locked: bool
    poll: PollSummary | None

    @classmethod
    def from_article(cls, article: ArticleModel, now: datetime | None = None):
        return super().from_article(
            article,
            author=Author.from_author(article.author),
            body_html=article.body_html,
            tags=[Tag(name=tag.name, slug=tag.slug) for tag in article.tags],
            updated_at=article.updated_at,
            discussion_locked=article.discussion_locked,
            poll=PollSummary.from_poll(article.poll, now) if article.poll else None,
        )
