"""The demo's data files: every article has a readable discussion, and a broken file says where."""

import shutil

import pytest
from sqlalchemy import func, select

from app.demo.content import ARTICLES_DIR, load_articles
from app.demo.discussions import DemoDataError
from app.extensions import db
from app.models import User

ARTICLE = "01-friend-your-therapist-on-facebook"


def test_every_demo_article_comes_with_its_voters_and_discussion():
    articles = load_articles()

    assert len(articles) == len(list(ARTICLES_DIR.glob("*.toml"))) >= 6
    for article in articles:
        discussion = article.discussion
        assert set(discussion.leanings) == {"client", "professional", "reader"}
        assert all(len(w) == len(article.poll_options) for w in discussion.leanings.values())
        assert discussion.votes and discussion.threads
        assert any(thread.replies for thread in discussion.threads)


def test_replies_nest_under_what_they_answer_in_file_order():
    first = load_articles()[0].discussion

    assert first.votes["quiet_harbor"] == (2,)  # "No, never"
    opening = first.threads[0]
    assert opening.author == "quiet_harbor"
    assert opening.text.startswith("I did send a request once, years ago. My counselor")
    assert opening.text.endswith("it showed me the relationship had rules that protected *me*.")
    assert [reply.author for reply in opening.replies] == ["counselor_ines", "lanternlight"]
    assert opening.replies[0].replies[0].replies[0].author == "counselor_ines"


@pytest.fixture
def articles_dir(tmp_path):
    for suffix in (".md", ".toml"):
        shutil.copy(ARTICLES_DIR / f"{ARTICLE}{suffix}", tmp_path)
    return tmp_path


def rewrite(directory, old, new):
    path = directory / f"{ARTICLE}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_for(directory) -> str:
    with pytest.raises(DemoDataError) as caught:
        load_articles(directory)
    return str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('quiet_harbor = "No, never"', 'quiet_harbor = "No, never', "not valid TOML"),
        ("[votes]", "[vote]", "unknown key 'vote' (expected leanings, threads, votes)"),
        ("client = [3, 5, 3, 2]", "client = [3, 5, 3]", "leanings.client: expected a list of 4"),
        ('quiet_harbor = "No, never"', 'quiet_harbor = "Never"', "'Never' is not one of the"),
        ('quiet_harbor = "No, never"', 'nobody = "No, never"', "votes.nobody: 'nobody' is not"),
        ('author = "lanternlight"', 'author = "lantern"', "thread 1 > reply 2: 'lantern'"),
        ('author = "lanternlight"', 'writer = "lanternlight"', "thread 1 > reply 2: missing"),
    ],
)
def test_a_malformed_file_names_itself_and_the_problem(articles_dir, old, new, problem):
    rewrite(articles_dir, old, new)

    message = error_for(articles_dir)

    assert message.startswith(f"{ARTICLE}.toml: ")
    assert problem in message


def test_an_article_without_its_data_file_is_refused(articles_dir):
    (articles_dir / f"{ARTICLE}.toml").unlink()

    assert error_for(articles_dir) == f"{ARTICLE}.toml: missing; every demo article needs one"


def test_a_data_file_without_its_article_is_refused(articles_dir):
    (articles_dir / f"{ARTICLE}.toml").rename(articles_dir / "07-typo.toml")

    assert error_for(articles_dir) == "07-typo.toml: no 07-typo.md next to it"


def test_seed_demo_stops_on_a_broken_file_before_writing_anything(
    runner, articles_dir, monkeypatch
):
    rewrite(articles_dir, 'author = "lanternlight"', 'author = "lantern"')
    monkeypatch.setattr("app.demo.content.ARTICLES_DIR", articles_dir)

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 1
    assert result.output == (
        f"Error: The demo data is broken: {ARTICLE}.toml: "
        "thread 1 > reply 2: 'lantern' is not one of the demo's named members\n"
    )
    assert db.session.scalar(select(func.count(User.id))) == 0
