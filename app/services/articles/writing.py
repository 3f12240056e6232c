"""Writing articles: create and update them with their tags and poll, publish and unpublish."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Article,
    ArticleStatus,
    AuthorProfile,
    InvalidTransition,
    Poll,
    PollKind,
    PollOption,
    ResultsVisibility,
    Tag,
    User,
    Vote,
    utcnow,
)
from app.services.articles import ArticleError, embedding, languages, search
from app.services.infra.languages import site_language
from app.services.infra.markdown import render_article

MIN_POLL_OPTIONS = 2
MAX_POLL_OPTIONS = 10
MAX_TAGS = 10
MAX_TITLE_LENGTH = 200
MAX_SUMMARY_LENGTH = 500
MAX_QUESTION_LENGTH = 300
MAX_OPTION_LENGTH = 120


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
            raise ArticleError(_("A poll needs a question."), "poll_question")
        if len(self.question.strip()) > MAX_QUESTION_LENGTH:
            raise ArticleError(
                _("Keep the question under %(most)s characters.", most=MAX_QUESTION_LENGTH),
                "poll_question",
            )
        if any(len(label) > MAX_OPTION_LENGTH for label in labels):
            raise ArticleError(
                _("Keep each option under %(most)s characters.", most=MAX_OPTION_LENGTH),
                "poll_options",
            )
        if not MIN_POLL_OPTIONS <= len(labels) <= MAX_POLL_OPTIONS:
            raise ArticleError(
                _(
                    "A poll needs between %(least)s and %(most)s options.",
                    least=MIN_POLL_OPTIONS,
                    most=MAX_POLL_OPTIONS,
                ),
                "poll_options",
            )
        if len({label.casefold() for label in labels}) != len(labels):
            raise ArticleError(_("Poll options must differ from each other."), "poll_options")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ArticleError(_("A poll must close after it opens."), "poll_closes_at")
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
    # The sites that may embed the poll, one origin each; None leaves them as they are.
    embed_origins: list[str] | None = None
    # The language it is written in (a code of ARTICLE_LANGUAGES); None: the site's first on a
    # new article, unchanged on an edit.
    language: str | None = None

    def validate(self) -> None:
        if not self.title.strip():
            raise ArticleError(_("An article needs a title."), "title")
        if len(self.title.strip()) > MAX_TITLE_LENGTH:
            raise ArticleError(
                _("Keep the title under %(most)s characters.", most=MAX_TITLE_LENGTH), "title"
            )
        if not self.summary.strip():
            raise ArticleError(_("An article needs a summary for its teasers."), "summary")
        if len(self.summary.strip()) > MAX_SUMMARY_LENGTH:
            raise ArticleError(
                _("Keep the summary under %(most)s characters.", most=MAX_SUMMARY_LENGTH),
                "summary",
            )
        if len({name.strip().casefold() for name in self.tags if name.strip()}) > MAX_TAGS:
            raise ArticleError(_("Use at most %(most)s tags.", most=MAX_TAGS), "tags")
        if self.language is not None and not languages.is_known(self.language):
            raise ArticleError(_("Choose the language the article is written in."), "language")
        if self.poll:
            self.poll.validate()
        if self.embed_origins is not None:
            self.embed_origins = embedding.parse_origins(self.embed_origins)


def free_slug(model, base: str, *, exclude_id: int | None = None, keep: int | None = None) -> str:
    """`base`, else `base-2`, `base-3`…: the first slug no other row of `model` uses.

    `keep` shortens the base before a suffix, for columns that must stay short.
    """
    candidate, n = base, 2
    while True:
        taken = db.session.scalar(select(model.id).where(model.slug == candidate))
        if taken is None or taken == exclude_id:
            return candidate
        candidate, n = f"{base[:keep]}-{n}", n + 1


def unique_slug(text: str, *, exclude_id: int | None = None) -> str:
    base = slugify(text, max_length=100, word_boundary=True) or "article"
    return free_slug(Article, base, exclude_id=exclude_id)


def _chosen_slug(wanted: str | None, title: str, *, exclude_id: int | None = None) -> str:
    """An editor's explicit slug must be free; one made from the title gets a suffix."""
    if not (wanted and wanted.strip()):
        return unique_slug(title, exclude_id=exclude_id)
    slug = slugify(wanted, max_length=100, word_boundary=True)
    if not slug:
        raise ArticleError(_("Use letters or numbers in the slug."), "slug")
    taken = db.session.scalar(select(Article.id).where(Article.slug == slug))
    if taken is not None and taken != exclude_id:
        raise ArticleError(_("Another article already uses this slug."), "slug")
    return slug


def tags_from_names(names: list[str]) -> list[Tag]:
    tags = []
    seen = set()
    for name in dict.fromkeys(name.strip() for name in names if name.strip()):
        slug = slugify(name, max_length=40)
        if not slug or slug in seen:
            continue
        seen.add(slug)
        tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
        if tag is None:
            tag = Tag(name=name[:40], slug=slug)
            db.session.add(tag)
        tags.append(tag)
    return tags


def create_article(draft: ArticleDraft, *, created_by: User | None = None) -> Article:
    draft.validate()
    article = Article(
        title=draft.title.strip(),
        slug=_chosen_slug(draft.slug, draft.title),
        summary=draft.summary.strip(),
        body_markdown=draft.body_markdown,
        body_html=render_article(draft.body_markdown),
        language=draft.language or site_language(),
        author=draft.author,
        tags=tags_from_names(draft.tags),
        created_by_id=created_by.id if created_by else None,
        status=ArticleStatus.DRAFT,
    )
    if draft.poll:
        article.poll = _new_poll(draft.poll)
    if draft.embed_origins is not None:
        embedding.set_embed_origins(article, draft.embed_origins)
    db.session.add(article)
    db.session.flush()
    search.index_article(article)
    return article


def update_article(article: Article, draft: ArticleDraft) -> Article:
    """Apply an edit; nothing changes when any part of it is refused."""
    draft.validate()
    slug = article.slug
    if draft.slug and draft.slug.strip() and draft.slug.strip() != article.slug:
        slug = _chosen_slug(draft.slug, draft.title, exclude_id=article.id)
    _check_poll_change(article.poll, draft.poll)
    article.title = draft.title.strip()
    article.slug = slug
    article.summary = draft.summary.strip()
    article.body_markdown = draft.body_markdown
    article.body_html = render_article(draft.body_markdown)
    if draft.language is not None:
        article.language = draft.language
    article.author = draft.author
    article.tags = tags_from_names(draft.tags)
    _apply_poll(article, draft.poll)
    if draft.embed_origins is not None:
        embedding.set_embed_origins(article, draft.embed_origins)
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


def _options_change(poll: Poll, spec: PollSpec | None) -> bool:
    if spec is None:
        return True
    return [option.label for option in poll.options] != spec.options or poll.kind != spec.kind


def _check_poll_change(poll: Poll | None, spec: PollSpec | None) -> None:
    """Once someone has voted, the answers they chose must stay what they were."""
    if poll is None or not _options_change(poll, spec) or not has_votes(poll):
        return
    if spec is None:
        raise ArticleError(
            _("People have voted in this poll, so it can no longer be removed."), "poll_question"
        )
    raise ArticleError(
        _("People have voted in this poll, so its options can no longer change."), "poll_options"
    )


def _apply_poll(article: Article, spec: PollSpec | None) -> None:
    poll = article.poll
    if spec is None:
        if poll is not None:
            db.session.delete(poll)
            article.poll = None
        return
    if poll is None:
        article.poll = _new_poll(spec)
        return
    poll.question = spec.question.strip()
    poll.allow_anonymous = spec.allow_anonymous
    poll.results_visibility = spec.results_visibility
    poll.opens_at = spec.opens_at
    poll.closes_at = spec.closes_at
    if not _options_change(poll, spec):
        return
    poll.kind = spec.kind
    poll.options.clear()
    # The old rows must be gone before new ones take their positions.
    db.session.flush()
    poll.options.extend(PollOption(position=i, label=label) for i, label in enumerate(spec.options))


def has_votes(poll: Poll) -> bool:
    if poll.id is None:
        return False
    return db.session.scalar(select(Vote.id).where(Vote.poll_id == poll.id).limit(1)) is not None


def publish(article: Article, when: datetime | None = None) -> None:
    """Publish now, or schedule for a future time."""
    now = utcnow()
    if when is None and article.is_live(now):
        raise ArticleError(_("The article is already published."))
    try:
        if when is not None and when > now:
            article.schedule(when, now)
        else:
            article.publish(now)
    except InvalidTransition as error:
        raise ArticleError(str(error)) from error
    db.session.flush()


def schedule(article: Article, when: datetime) -> None:
    """Publish at a future time; a time already past is refused rather than published."""
    try:
        article.schedule(when)
    except InvalidTransition as error:
        raise ArticleError(str(error), "publish_at") from error
    db.session.flush()


def unpublish(article: Article) -> None:
    try:
        article.unpublish()
    except InvalidTransition as error:
        raise ArticleError(str(error)) from error
    db.session.flush()


@dataclass
class AuthorDetails:
    display_name: str
    slug: str | None = None
    organisation: str | None = None
    location: str | None = None
    credentials: str | None = None
    bio: str | None = None


def _author_slug(details: AuthorDetails, *, exclude_id: int | None = None) -> str:
    wanted = (details.slug or "").strip()
    base = slugify(wanted or details.display_name, max_length=80, word_boundary=True)
    if not base:
        field_name = "slug" if wanted else "display_name"
        raise ArticleError(_("Use letters or numbers in the name or slug."), field_name)
    slug = free_slug(AuthorProfile, base, exclude_id=exclude_id, keep=75)
    if wanted and slug != base:
        raise ArticleError(_("Another author already uses this slug."), "slug")
    return slug


def _apply_author(author: AuthorProfile, details: AuthorDetails) -> None:
    author.display_name = details.display_name.strip()
    for name in ("organisation", "location", "credentials", "bio"):
        value = (getattr(details, name) or "").replace("\r\n", "\n").strip()
        setattr(author, name, value or None)


def create_author(details: AuthorDetails) -> AuthorProfile:
    if not details.display_name.strip():
        raise ArticleError(_("An author needs a display name."), "display_name")
    author = AuthorProfile(slug=_author_slug(details))
    _apply_author(author, details)
    db.session.add(author)
    db.session.flush()
    return author


def update_author(author: AuthorProfile, details: AuthorDetails) -> AuthorProfile:
    if not details.display_name.strip():
        raise ArticleError(_("An author needs a display name."), "display_name")
    if (details.slug or "").strip() and details.slug.strip() != author.slug:
        author.slug = _author_slug(details, exclude_id=author.id)
    _apply_author(author, details)
    db.session.flush()
    return author


def delete_author(author: AuthorProfile) -> None:
    """Authors of articles stay: their byline would otherwise vanish from what they wrote."""
    written = db.session.scalar(select(Article.id).where(Article.author_id == author.id).limit(1))
    if written is not None:
        raise ArticleError(_("This author has articles. Give them another author first."))
    db.session.delete(author)
    db.session.flush()
