"""Writing articles: create and update them with their tags and poll."""

from dataclasses import dataclass, field
from datetime import datetime

from slugify import slugify
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Article,
    ArticleStatus,
    AuthorProfile,
    Poll,
    PollKind,
    PollOption,
    ResultsVisibility,
    Tag,
    User,
    utcnow,
)
from app.services import search
from app.services.markdown import render_article

MIN_POLL_OPTIONS = 2
MAX_POLL_OPTIONS = 10


class ArticleError(ValueError):
    """Input the domain refuses, with a message fit to show an editor."""


@dataclass
class PollSpec:
    question: str
    options: list[str]
    kind: PollKind = PollKind.SINGLE
    allow_anonymous: bool = False
    results_visibility: ResultsVisibility = ResultsVisibility.ALWAYS
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    def validate(self) -> None:
        labels = [label.strip() for label in self.options if label.strip()]
        if not self.question.strip():
            raise ArticleError("A poll needs a question.")
        if not MIN_POLL_OPTIONS <= len(labels) <= MAX_POLL_OPTIONS:
            raise ArticleError(
                f"A poll needs between {MIN_POLL_OPTIONS} and {MAX_POLL_OPTIONS} options."
            )
        if len({label.casefold() for label in labels}) != len(labels):
            raise ArticleError("Poll options must differ from each other.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ArticleError("A poll must close after it opens.")
        self.options = labels


@dataclass
class ArticleDraft:
    title: str
    body_markdown: str
    summary: str
    author: AuthorProfile
    tags: list[str] = field(default_factory=list)
    slug: str | None = None
    poll: PollSpec | None = None


def unique_slug(text: str, *, exclude_id: int | None = None) -> str:
    base = slugify(text, max_length=100, word_boundary=True) or "article"
    candidate, n = base, 2
    while True:
        existing = db.session.scalar(select(Article.id).where(Article.slug == candidate))
        if existing is None or existing == exclude_id:
            return candidate
        candidate, n = f"{base}-{n}", n + 1


def tags_from_names(names: list[str]) -> list[Tag]:
    tags = []
    for name in dict.fromkeys(name.strip() for name in names if name.strip()):
        slug = slugify(name, max_length=40)
        if not slug:
            continue
        tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
        if tag is None:
            tag = Tag(name=name[:40], slug=slug)
            db.session.add(tag)
        tags.append(tag)
    return tags


def create_article(draft: ArticleDraft, *, created_by: User | None = None) -> Article:
    if draft.poll:
        draft.poll.validate()
    article = Article(
        title=draft.title.strip(),
        slug=unique_slug(draft.slug or draft.title),
        summary=draft.summary.strip(),
        body_markdown=draft.body_markdown,
        body_html=render_article(draft.body_markdown),
        author=draft.author,
        tags=tags_from_names(draft.tags),
        created_by_id=created_by.id if created_by else None,
        status=ArticleStatus.DRAFT,
    )
    if draft.poll:
        article.poll = _new_poll(draft.poll)
    db.session.add(article)
    db.session.flush()
    search.index_article(article)
    return article


def update_article(article: Article, draft: ArticleDraft) -> Article:
    article.title = draft.title.strip()
    if draft.slug and draft.slug != article.slug:
        article.slug = unique_slug(draft.slug, exclude_id=article.id)
    article.summary = draft.summary.strip()
    article.body_markdown = draft.body_markdown
    article.body_html = render_article(draft.body_markdown)
    article.author = draft.author
    article.tags = tags_from_names(draft.tags)
    if draft.poll:
        draft.poll.validate()
        _update_poll(article, draft.poll)
    db.session.flush()
    search.index_article(article)
    return article


def _new_poll(spec: PollSpec) -> Poll:
    return Poll(
        question=spec.question.strip(),
        kind=spec.kind,
        allow_anonymous=spec.allow_anonymous,
        results_visibility=spec.results_visibility,
        opens_at=spec.opens_at,
        closes_at=spec.closes_at,
        options=[PollOption(position=i, label=label) for i, label in enumerate(spec.options)],
    )


def _update_poll(article: Article, spec: PollSpec) -> None:
    """Change a poll's settings; its options may change only until someone votes."""
    poll = article.poll
    if poll is None:
        article.poll = _new_poll(spec)
        return
    poll.question = spec.question.strip()
    poll.allow_anonymous = spec.allow_anonymous
    poll.results_visibility = spec.results_visibility
    poll.opens_at = spec.opens_at
    poll.closes_at = spec.closes_at
    current = [option.label for option in poll.options]
    if current == spec.options and poll.kind is spec.kind:
        return
    if _has_votes(poll):
        raise ArticleError("People have voted in this poll, so its options can no longer change.")
    poll.kind = spec.kind
    poll.options.clear()
    db.session.flush()
    poll.options.extend(
        PollOption(position=i, label=label) for i, label in enumerate(spec.options)
    )


def _has_votes(poll: Poll) -> bool:
    from app.models import Vote

    return db.session.scalar(select(Vote.id).where(Vote.poll_id == poll.id).limit(1)) is not None


def publish(article: Article, when: datetime | None = None) -> None:
    """Publish now, or schedule for a future time."""
    now = utcnow()
    if when is not None and when > now:
        article.schedule(when, now)
    else:
        article.publish(now)
