"""`flask seed-demo`: an idempotent, reproducible demo site with the accounts it prints."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    AuthorProfile,
    Comment,
    CommentStatus,
    Poll,
    PollKind,
    User,
    Vote,
    VoteChoice,
)
from app.models import PollOption as Option
from tests.conftest import _empty_tables

ACCOUNT_LINE = re.compile(r"^\s+(\S+)\s+(\S+)\s+(member|moderator|editor|admin)$")
MODELS = (User, AuthorProfile, Article, Poll, Vote, VoteChoice, Comment)


def seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def accounts(result):
    return [m.groups() for m in map(ACCOUNT_LINE.match, result.output.splitlines()) if m]


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in MODELS
    }


@pytest.fixture
def seeded(runner):
    return seed(runner)


def check_accounts_log_in(seeded, forms):
    for username, password, _ in accounts(seeded):
        response = forms.login(username, password)
        assert response.status_code == 302, f"{username} could not log in"
        assert "Log out" in forms.client.get("/").get_data(as_text=True)
        forms.logout()


def check_staff_levels(seeded):
    for username, _, level in accounts(seeded):
        user = db.session.scalar(select(User).where(User.username == username))
        assert user.staff_level == level


def check_articles(client):
    articles = db.session.scalars(select(Article)).all()

    assert len(articles) >= 6
    for article in articles:
        assert article.is_live()
        assert 400 <= len(article.body_markdown.split()) <= 800
        assert article.body_markdown.rstrip().endswith((".", "?"))
        assert article.tags
        assert article.poll is not None and len(article.poll.options) >= 2
        votes = db.session.scalar(
            select(func.count(Vote.id)).where(Vote.poll_id == article.poll.id)
        )
        assert votes >= 60
        published = db.session.scalar(
            select(func.count(Comment.id)).where(
                Comment.article_id == article.id, Comment.status == CommentStatus.PUBLISHED
            )
        )
        assert published >= 5
        assert article.comment_count == published
    assert db.session.scalar(select(func.max(Comment.depth))) >= 2
    assert (
        db.session.scalar(
            select(func.count(Comment.id)).where(Comment.status != CommentStatus.PUBLISHED)
        )
        == 0
    )
    assert client.get("/api/v1/articles").get_json()["total"] == len(articles)


def check_polls():
    polls = db.session.scalars(select(Poll)).all()

    assert {poll.kind for poll in polls} == {PollKind.SINGLE, PollKind.MULTIPLE}
    assert {poll.allow_anonymous for poll in polls} == {True, False}
    assert len({poll.results_visibility for poll in polls}) == 3
    assert any(poll.status().value == "closed" for poll in polls)
    anonymous = db.session.scalar(select(func.count(Vote.id)).where(Vote.voter_token.is_not(None)))
    assert anonymous > 0


def check_authors():
    authors = db.session.scalars(select(AuthorProfile)).all()

    assert len(authors) >= 3
    for author in authors:
        assert author.organisation and author.location and author.credentials and author.bio
        assert len(author.articles) >= 2


def check_members():
    members = db.session.scalars(
        select(User).where(User.username.not_like("demo\\_%", escape="\\"))
    ).all()

    assert 60 <= len(members) <= 150
    assert {m.community_role.value for m in members} == {"client", "professional", "reader"}
    assert len({m.discipline for m in members if m.discipline}) >= 5
    assert any(m.is_verified_professional for m in members)
    assert any(
        m.community_role.value == "professional" and not m.is_verified_professional for m in members
    )
    small_groups = db.session.execute(
        select(Vote.poll_id, Vote.voter_discipline, func.count(Vote.id))
        .where(Vote.voter_discipline.is_not(None))
        .group_by(Vote.poll_id, Vote.voter_discipline)
        .having(func.count(Vote.id) < 5)
    ).all()
    assert small_groups, "no group small enough to be suppressed"


def check_commenters():
    roles = db.session.scalars(
        select(User.community_role).join(Comment, Comment.author_id == User.id).distinct()
    ).all()

    assert {role.value for role in roles} >= {"client", "professional"}


def check_common_ground(client):
    """Some comments are found helpful by both groups, and an article page shows them."""
    slugs = db.session.scalars(
        select(Article.slug)
        .join(Comment, Comment.article_id == Article.id)
        .where(Comment.client_helpful_count >= 5, Comment.professional_helpful_count >= 5)
        .distinct()
    ).all()

    assert slugs, "no comment reaches common ground"
    page = client.get(f"/articles/{slugs[0]}").get_data(as_text=True)
    assert "Found helpful by clients and professionals" in page


@pytest.mark.slow
def test_seeds_a_realistic_demo_site(seeded, client, forms):
    """One seeding (it takes seconds), checked from every side a visitor would notice."""
    check_accounts_log_in(seeded, forms)
    check_staff_levels(seeded)
    check_articles(client)
    check_polls()
    check_authors()
    check_members()
    check_commenters()
    check_common_ground(client)


def answers():
    rows = db.session.execute(
        select(User.username, Article.slug, Option.label)
        .join(Vote, Vote.user_id == User.id)
        .join(VoteChoice, VoteChoice.vote_id == Vote.id)
        .join(Option, Option.id == VoteChoice.option_id)
        .join(Poll, Poll.id == Vote.poll_id)
        .join(Article, Article.id == Poll.article_id)
    ).all()
    return sorted(rows)


@pytest.mark.slow
def test_running_twice_changes_nothing_and_a_fresh_database_gets_the_same_demo(runner, seeded):
    before, first_answers = counts(), answers()
    first_comments = sorted(db.session.scalars(select(Comment.body_markdown)))
    admin = db.session.scalar(select(User).where(User.username == "demo_admin"))
    admin.set_password("someone changed it")
    db.session.commit()

    again = seed(runner)

    assert counts() == before
    assert accounts(again) == accounts(seeded)
    assert [level for _, _, level in accounts(seeded)] == ["member", "moderator", "editor", "admin"]
    db.session.expire_all()
    assert admin.check_password(dict((u, p) for u, p, _ in accounts(again))["demo_admin"])

    db.session.remove()
    _empty_tables()
    seed(runner)

    assert counts() == before
    assert answers() == first_answers
    assert sorted(db.session.scalars(select(Comment.body_markdown))) == first_comments
