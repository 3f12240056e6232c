"""Articles, their publication state and tags."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_type, utcnow


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"


class InvalidTransition(ValueError):
    """A state change the domain does not allow."""


article_tags = Table(
    "article_tags",
    Base.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(String(40), unique=True)

    articles: Mapped[list["Article"]] = relationship(secondary=article_tags, back_populates="tags")

    def __repr__(self) -> str:
        return f"<Tag {self.slug}>"


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_status_published_at", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The language the article is written in (a BCP 47 primary subtag), whatever the reader's.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    status: Mapped[ArticleStatus] = mapped_column(
        enum_type(ArticleStatus, "article_status"), default=ArticleStatus.DRAFT
    )
    published_at: Mapped[datetime | None]
    author_id: Mapped[int] = mapped_column(
        ForeignKey("author_profiles.id", ondelete="RESTRICT"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    discussion_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    premoderated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    author: Mapped["AuthorProfile"] = relationship(back_populates="articles")  # noqa: F821
    tags: Mapped[list[Tag]] = relationship(
        secondary=article_tags, back_populates="articles", order_by=Tag.name
    )
    poll: Mapped["Poll | None"] = relationship(back_populates="article")  # noqa: F821
    embed_origins: Mapped[list["EmbedOrigin"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="EmbedOrigin.origin"
    )

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"

    @classmethod
    def live(cls, now: datetime | None = None):
        """SQL condition: readers can see the article now."""
        return and_(
            cls.status.in_([ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED]),
            cls.published_at <= (now or utcnow()),
        )

    def is_live(self, now: datetime | None = None) -> bool:
        return (
            self.status is not ArticleStatus.DRAFT
            and self.published_at is not None
            and self.published_at <= (now or utcnow())
        )

    def publish(self, now: datetime | None = None) -> None:
        if self.status is ArticleStatus.PUBLISHED:
            raise InvalidTransition("The article is already published.")
        self.status = ArticleStatus.PUBLISHED
        self.published_at = now or utcnow()

    def schedule(self, when: datetime, now: datetime | None = None) -> None:
        if when <= (now or utcnow()):
            raise InvalidTransition("A scheduled time must be in the future.")
        self.status = ArticleStatus.SCHEDULED
        self.published_at = when

    def unpublish(self) -> None:
        if self.status is ArticleStatus.DRAFT:
            raise InvalidTransition("The article is already a draft.")
        self.status = ArticleStatus.DRAFT
        self.published_at = None

    @property
    def embedding_origins(self) -> list[str]:
        """The partner sites allowed to frame this article's poll, as origins."""
        return [row.origin for row in self.embed_origins]

    @property
    def display_status(self) -> str:
        """Scheduled articles whose time has come read as published."""
        if self.status is ArticleStatus.SCHEDULED and self.is_live():
            return ArticleStatus.PUBLISHED.value
        return self.status.value


# Scheme, host and port: the longest host name (253) with room for both.
MAX_ORIGIN_LENGTH = 300


class EmbedOrigin(Base):
    """A partner site (scheme, host, port) that may frame the article's poll (app/embed)."""

    __tablename__ = "article_embed_origins"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    origin: Mapped[str] = mapped_column(String(MAX_ORIGIN_LENGTH), primary_key=True)

    def __repr__(self) -> str:
        return f"<EmbedOrigin {self.origin}>"
