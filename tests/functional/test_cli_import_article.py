"""`flask import-article FILE`: publishing a text or Markdown file, with an optional poll."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    AuthorProfile,
    Poll,
    PollKind,
    ResultsVisibility,
)

ARTICLE = """# Should your therapist google you?

It takes ten seconds and leaves no trace, which is exactly why a therapist who types a
client's name into a search engine before the first session deserves some thought from
everyone involved in the work, clients and clinicians alike, before it becomes a habit.

## The case for looking

A counselor working alone may want to know whether a new client is safe to meet.
"""

LAST_LINE = re.compile(r"^slug=(?P<slug>[a-z0-9-]+) poll=(?P<poll>\d+|none)$")


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "google.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(runner, *args):
    return runner.invoke(args=["import-article", *map(str, args)])


def last_line(result):
    match = LAST_LINE.match(result.output.strip().splitlines()[-1])
    assert match, result.output
    return match["slug"], match["poll"]


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_publishes_a_markdown_file_under_the_house_author(runner, client, article_file):
    result = run(runner, article_file)

    assert result.exit_code == 0, result.output
    slug, poll = last_line(result)
    assert slug == "should-your-therapist-google-you"
    assert poll == "none"
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    assert article.title == "Should your therapist google you?"
    assert article.is_live()
    assert article.author.display_name == "Boundaries Editorial"
    assert article.poll is None
    assert "<h2>The case for looking</h2>" in article.body_html
    assert "Should your therapist google you?" not in article.body_markdown

    detail = client.get(f"/api/v1/articles/{slug}").get_json()
    assert detail["title"] == "Should your therapist google you?"


def test_summary_is_the_first_paragraph_cut_at_a_word(runner, article_file):
    result = run(runner, article_file)

    article = db.session.scalar(select(Article).where(Article.slug == last_line(result)[0]))
    assert article.summary.startswith("It takes ten seconds and leaves no trace")
    assert article.summary.endswith("…")
    assert 150 < len(article.summary) <= 201
    words = article.summary.rstrip("…").split()
    assert all(word in ARTICLE.split() or word + "," in ARTICLE.split() for word in words)
    assert "case for looking" not in article.summary


def test_plain_text_short_first_paragraph_is_kept_whole(runner, tmp_path):
    path = tmp_path / "hug.txt"
    path.write_text("Is it okay to hug your therapist?\n\nA short question.\n\nMore text.\n")

    result = run(runner, path)

    article = db.session.scalar(select(Article).where(Article.slug == last_line(result)[0]))
    assert article.title == "Is it okay to hug your therapist?"
    assert article.summary == "A short question."


def test_attaches_a_poll_and_prints_its_id(runner, article_file):
    result = run(
        runner, article_file,
        "--poll", "When may a therapist search for a client?",
        "--option", "Never", "--option", "In an emergency", "--option", "With consent",
        "--multiple", "--anonymous-votes", "--results", "after-close",
        "--tag", "Privacy", "--tag", "Online search",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    slug, poll_id = last_line(result)
    poll = db.session.get(Poll, int(poll_id))
    assert poll.article.slug == slug
    assert poll.question == "When may a therapist search for a client?"
    assert [option.label for option in poll.options] == ["Never", "In an emergency", "With consent"]
    assert poll.kind is PollKind.MULTIPLE
    assert poll.allow_anonymous is True
    assert poll.results_visibility is ResultsVisibility.AFTER_CLOSE
    assert [tag.name for tag in poll.article.tags] == ["Online search", "Privacy"]


def test_a_poll_defaults_to_single_choice_members_only_results_always(runner, article_file):
    result = run(
        runner, article_file, "--poll", "Should they?", "--option", "Yes", "--option", "No"
    )

    poll = db.session.get(Poll, int(last_line(result)[1]))
    assert poll.kind is PollKind.SINGLE
    assert poll.allow_anonymous is False
    assert poll.results_visibility is ResultsVisibility.ALWAYS


def test_importing_the_same_file_again_is_refused_naming_the_article(runner, article_file):
    first = last_line(run(runner, article_file))[0]

    again = run(runner, article_file, "--tag", "ethics")

    assert again.exit_code != 0
    assert f"already exists (slug: {first})" in again.output
    assert "--update" in again.output
    assert "slug=" not in again.output
    assert count(Article) == 1
    assert count(AuthorProfile) == 1
    assert db.session.scalar(select(Article)).tags == []


def test_update_changes_the_article_in_place(runner, article_file, client):
    poll_args = ["--poll", "Would you?", "--option", "Yes", "--option", "No"]
    slug, poll = last_line(run(runner, article_file, *poll_args))
    article_file.write_text(
        ARTICLE.replace("It takes ten seconds", "It takes five seconds"), encoding="utf-8"
    )

    result = run(runner, article_file, "--update", "--tag", "ethics", *poll_args, "--multiple")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Updated 'Should your therapist google you?'")
    assert last_line(result) == (slug, poll)
    assert count(Article) == 1 and count(Poll) == 1
    article = db.session.scalar(select(Article))
    assert article.summary.startswith("It takes five seconds")
    assert [tag.name for tag in article.tags] == ["ethics"]
    assert article.poll.kind is PollKind.MULTIPLE
    assert article.is_live()
    assert "five seconds" in client.get(f"/articles/{slug}").get_data(as_text=True)


def test_signs_with_a_members_author_profile_made_once(runner, article_file, make_user):
    make_user("ines_lpc", role="professional", discipline="counselor", credentials="LPC")

    first = run(runner, article_file, "--author", "ines_lpc")
    second = run(runner, article_file, "--author", "INES_LPC", "--update")

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    authors = db.session.scalars(select(AuthorProfile)).all()
    assert len(authors) == 1
    assert authors[0].user.username == "ines_lpc"
    assert authors[0].credentials == "LPC"
    assert {article.author_id for article in db.session.scalars(select(Article))} == {authors[0].id}


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "does not exist"),
        ("", [], "The file is empty"),
        ("   \n\n  \n", [], "The file is empty"),
        ("# Only a title\n", [], "no body"),
        (ARTICLE, ["--poll", "Yes or no?", "--option", "Yes"], "between 2 and 10 options"),
        (ARTICLE, ["--poll", "Same?", "--option", "Yes", "--option", "yes"], "must differ"),
        (ARTICLE, ["--option", "Yes", "--option", "No"], 'add --poll "Question?"'),
        (ARTICLE, ["--author", "nobody_here"], "no member called 'nobody_here'"),
        (ARTICLE, ["--poll", "Q?", "--option", "A", "--option", "B", "--results", "never"], ""),
    ],
)
def test_errors_exit_non_zero_and_save_nothing(runner, tmp_path, content, args, message):
    path = tmp_path / "article.md"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    result = run(runner, path, *args)

    assert result.exit_code != 0
    assert message in result.output
    assert "slug=" not in result.output
    assert count(Article) == 0
    assert count(Poll) == 0
    assert count(AuthorProfile) == 0


def test_summary_skips_headings_and_markup(runner, tmp_path):
    path = tmp_path / "gifts.md"
    path.write_text(
        "Accepting gifts\n\n## In December\n\n"
        "Our front desk fills up with *small* parcels & cards.\n"
    )

    result = run(runner, path)

    article = db.session.scalar(select(Article).where(Article.slug == last_line(result)[0]))
    assert article.summary == "Our front desk fills up with small parcels & cards."
