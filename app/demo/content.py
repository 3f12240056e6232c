"""Reading the demo articles: Markdown files with a small `key: value` header above `---`,
each with its poll's voters and its discussion in a TOML file of the same name."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.cli.articles import summarise
from app.demo.discussions import DemoDataError, Discussion, load_discussion
from app.models import PollKind, ResultsVisibility
from app.services.articles.writing import PollSpec

ARTICLES_DIR = Path(__file__).parent / "articles"
RELATIVE_DAYS = re.compile(r"^(?:(?P<ago>\d+) days? ago|in (?P<ahead>\d+) days?)$")


@dataclass
class DemoArticle:
    slug: str
    title: str
    author_slug: str
    published_days_ago: int
    tags: list[str]
    body: str
    poll_question: str
    poll_options: list[str]
    poll_kind: PollKind
    allow_anonymous: bool
    results_visibility: ResultsVisibility
    closes_in_days: int | None = None
    language: str = "en"
    discussion: Discussion = field(default_factory=Discussion)
    summary: str = field(init=False)

    def __post_init__(self):
        self.summary = summarise(self.body)

    def published_at(self, now: datetime) -> datetime:
        return now - timedelta(days=self.published_days_ago)

    def poll_spec(self, now: datetime) -> PollSpec:
        closes_at = None
        if self.closes_in_days is not None:
            closes_at = now + timedelta(days=self.closes_in_days)
        return PollSpec(
            question=self.poll_question,
            options=list(self.poll_options),
            kind=self.poll_kind,
            allow_anonymous=self.allow_anonymous,
            results_visibility=self.results_visibility,
            closes_at=closes_at,
        )


def _days(value: str) -> int:
    """Signed days from now: "3 days ago" is -3, "in 10 days" is 10."""
    match = RELATIVE_DAYS.match(value)
    if match is None:
        raise ValueError(f"expected 'N days ago' or 'in N days', got {value!r}")
    return -int(match["ago"]) if match["ago"] else int(match["ahead"])


def parse(text: str) -> DemoArticle:
    header, _, body = text.partition("\n---\n")
    fields: dict[str, str] = {}
    options: list[str] = []
    for line in header.strip().splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "option":
            options.append(value.strip())
        else:
            fields[key.strip()] = value.strip()
    closes = fields.get("closes")
    return DemoArticle(
        slug=fields["slug"],
        title=fields["title"],
        author_slug=fields["author"],
        published_days_ago=-_days(fields["published"]),
        tags=[tag.strip() for tag in fields.get("tags", "").split(";") if tag.strip()],
        body=body.strip(),
        poll_question=fields["poll"],
        poll_options=options,
        poll_kind=PollKind(fields.get("kind", "single")),
        allow_anonymous=fields.get("anonymous", "no") == "yes",
        results_visibility=ResultsVisibility(fields.get("results", "always")),
        closes_in_days=_days(closes) if closes else None,
        language=fields.get("language", "en"),
    )


def load_articles(directory: Path | None = None) -> list[DemoArticle]:
    """Every demo article with its discussion, oldest file name first."""
    directory = directory or ARTICLES_DIR
    paths = sorted(directory.glob("*.md"))
    if orphans := sorted({p.stem for p in directory.glob("*.toml")} - {p.stem for p in paths}):
        raise DemoDataError(f"{orphans[0]}.toml: no {orphans[0]}.md next to it")
    return [_read(path) for path in paths]


def _read(path: Path) -> DemoArticle:
    try:
        article = parse(path.read_text(encoding="utf-8"))
    except KeyError as error:
        raise DemoDataError(f"{path.name}: missing header line {error.args[0]!r}") from None
    except ValueError as error:
        raise DemoDataError(f"{path.name}: {error}") from None
    article.discussion = load_discussion(
        path.with_suffix(".toml"), article.poll_options, article.poll_kind
    )
    return article
