"""Commands: `import-article`, publishing a text or Markdown file as an article."""

import re
from dataclasses import dataclass
from pathlib import Path

import click
from flask.cli import with_appcontext
from slugify import slugify
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, AuthorProfile, PollKind, ResultsVisibility, User
from app.services.articles import ArticleError
from app.services.articles.languages import ARTICLE_LANGUAGES
from app.services.articles.writing import (
    ArticleDraft,
    PollSpec,
    create_article,
    free_slug,
    publish,
    update_article,
)
from app.services.infra.markdown import plain_text, render_article
from app.transaction import in_transaction

SUMMARY_LENGTH = 200
HOUSE_AUTHOR = {
    "slug": "boundaries-editorial",
    "display_name": "Boundaries Editorial",
    "organisation": "Boundaries",
    "bio": "The editors of Boundaries, who put the questions of this site to its readers.",
}
HEADING = re.compile(r"^#{1,6}\s+")


@dataclass
class ParsedText:
    title: str
    body: str
    summary: str


def parse_article_text(text: str) -> ParsedText:
    """First non-blank line is the title (a leading Markdown heading mark removed)."""
    lines = text.lstrip("\ufeff").strip().splitlines()
    if not lines:
        raise ArticleError("The file is empty.")
    title = HEADING.sub("", lines[0]).strip().rstrip("#").strip()
    body = "\n".join(lines[1:]).strip()
    if not title:
        raise ArticleError("The first line must be the article's title.")
    if not body:
        raise ArticleError("The article has a title but no body.")
    if len(title) > 200:
        raise ArticleError("The title (first line) must be at most 200 characters.")
    return ParsedText(title=title, body=body, summary=summarise(body) or title)


def summarise(body: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first paragraph of prose as plain text, cut at a word boundary near `limit`."""
    text = ""
    for paragraph in re.split(r"\n\s*\n", body.strip()):
        if HEADING.match(paragraph.strip()):
            continue
        text = " ".join(plain_text(render_article(paragraph)).split())
        if text:
            break
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return f"{cut}…"


def house_author() -> AuthorProfile:
    author = db.session.scalar(
        select(AuthorProfile).where(AuthorProfile.slug == HOUSE_AUTHOR["slug"])
    )
    if author is None:
        author = AuthorProfile(**HOUSE_AUTHOR)
        db.session.add(author)
        db.session.flush()
    return author


def author_for_username(username: str) -> AuthorProfile:
    """The member's author profile, made from their account the first time they write."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise click.BadParameter(f"there is no member called {username!r}.", param_hint="--author")
    if user.author_profile is not None:
        return user.author_profile
    author = AuthorProfile(
        slug=_unique_author_slug(user.username),
        display_name=user.username,
        credentials=user.credentials,
        user=user,
    )
    db.session.add(author)
    db.session.flush()
    return author


def _unique_author_slug(name: str) -> str:
    return free_slug(AuthorProfile, slugify(name, max_length=70) or "author")


def article_titled(title: str) -> Article | None:
    """The article an earlier import of the same file made (the first, if there are several)."""
    return db.session.scalar(
        select(Article)
        .where(func.lower(Article.title) == title.strip().lower())
        .order_by(Article.id)
        .limit(1)
    )


def poll_spec(question, options, multiple, anonymous, results) -> PollSpec | None:
    if question is None:
        if options or multiple or anonymous or results:
            raise click.UsageError(
                "--option, --multiple, --anonymous-votes and --results describe a poll: "
                'add --poll "Question?".'
            )
        return None
    return PollSpec(
        question=question,
        options=list(options),
        kind=PollKind.MULTIPLE if multiple else PollKind.SINGLE,
        allow_anonymous=anonymous,
        results_visibility=ResultsVisibility(results or ResultsVisibility.ALWAYS.value),
    )


@click.command("import-article")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--author", "author_username", metavar="USERNAME", help="Sign as this member.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several.")
@click.option("--poll", "question", metavar="QUESTION", help="Attach a poll with this question.")
@click.option("--option", "options", multiple=True, help="A poll option; repeat, 2 to 10.")
@click.option("--multiple", is_flag=True, help="Voters may choose several options.")
@click.option("--anonymous-votes", "anonymous", is_flag=True, help="Count anonymous votes.")
@click.option(
    "--results",
    type=click.Choice([rule.value for rule in ResultsVisibility]),
    help="When voters see results (default: always).",
)
@click.option(
    "--language",
    type=click.Choice(ARTICLE_LANGUAGES),
    help="The language FILE is written in (default: the site's first; kept on --update).",
)
@click.option(
    "--update",
    is_flag=True,
    help="If an article has this title already, update it from FILE and these options.",
)
@in_transaction
def import_article(
    file, author_username, tags, question, options, multiple, anonymous, results, language, update
):
    """Publish FILE (plain text or Markdown; the first line is the title).

    An article with the same title is not published twice: the command refuses, or with
    --update replaces that article's text, author, tags and poll (its address stays).
    The last line printed is `slug=<slug> poll=<id>` (`poll=none` without a poll).
    """
    if not file.is_file():
        raise click.BadParameter(f"{str(file)!r} does not exist.", param_hint="FILE")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.BadParameter(
            f"cannot read {str(file)!r}: {error}", param_hint="FILE"
        ) from error
    spec = poll_spec(question, options, multiple, anonymous, results)
    try:
        parsed = parse_article_text(text)
        existing = article_titled(parsed.title)
        if existing is not None and not update:
            raise click.ClickException(
                f"An article titled {existing.title!r} already exists (slug: {existing.slug}). "
                "Add --update to update it from this file, or give the file another title."
            )
        author = author_for_username(author_username) if author_username else house_author()
        draft = ArticleDraft(
            title=parsed.title,
            body_markdown=parsed.body,
            summary=parsed.summary,
            author=author,
            tags=list(tags),
            poll=spec,
            language=language,
        )
        article = update_article(existing, draft) if existing else create_article(draft)
        if not article.is_live():
            publish(article)
    except ArticleError as error:
        raise click.ClickException(str(error)) from error
    done = "Updated" if existing else "Published"
    click.echo(f"{done} {article.title!r} by {article.author.display_name}.")
    poll_id = article.poll.id if article.poll else "none"
    click.echo(f"slug={article.slug} poll={poll_id}")


def register(app):
    app.cli.add_command(import_article)
