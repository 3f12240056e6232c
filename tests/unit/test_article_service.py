"""The article writing service: validation, slugs, tags, polls and publication."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import ArticleStatus, CommunityRole, PollKind, Vote, VoteChoice, utcnow
from app.services.articles.writing import (
    ArticleDraft,
    ArticleError,
    AuthorDetails,
    PollSpec,
    create_article,
    create_author,
    publish,
    schedule,
    search,
    unpublish,
    update_article,
)
from tests.factories import make_author


@pytest.fixture
def author(app):
    return make_author("Harbor Counseling", slug="harbor")


def draft(author, **fields):
    values = {
        "title": "Gifts from clients",
        "body_markdown": "Would you accept a *scarf*?",
        "summary": "A small gift, a big question.",
        "author": author,
        "tags": ["Gifts", "gifts", " ethics "],
    }
    values.update(fields)
    return ArticleDraft(**values)


def test_create_article_renders_tags_and_indexes(author):
    article = create_article(draft(author, poll=PollSpec("Accept?", ["Yes", " No ", ""])))
    db.session.commit()

    assert article.status is ArticleStatus.DRAFT
    assert article.body_html == "<p>Would you accept a <em>scarf</em>?</p>\n"
    assert sorted(tag.slug for tag in article.tags) == ["ethics", "gifts"]
    assert [option.label for option in article.poll.options] == ["Yes", "No"]
    publish(article)
    db.session.commit()
    found = db.session.scalars(search.search_statement("scarf")).all()
    assert found == [article]


def test_slugs_from_titles_get_a_suffix_explicit_ones_must_be_free(author):
    first = create_article(draft(author))
    second = create_article(draft(author))
    assert (first.slug, second.slug) == ("gifts-from-clients", "gifts-from-clients-2")
    with pytest.raises(ArticleError) as refused:
        create_article(draft(author, slug="Gifts from clients"))
    assert refused.value.field == "slug"


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (PollSpec(" ", ["Yes", "No"]), "poll_question"),
        (PollSpec("Q?", ["Yes"]), "poll_options"),
        (PollSpec("Q?", [str(n) for n in range(11)]), "poll_options"),
        (PollSpec("Q?", ["Yes", "YES"]), "poll_options"),
        (PollSpec("Q?", ["Yes", "n" * 121]), "poll_options"),
        (PollSpec("q" * 301, ["Yes", "No"]), "poll_question"),
        (
            PollSpec("Q?", ["Yes", "No"], opens_at=utcnow(), closes_at=utcnow() - timedelta(1)),
            "poll_closes_at",
        ),
    ],
)
def test_poll_rules(author, spec, field):
    with pytest.raises(ArticleError) as refused:
        create_article(draft(author, poll=spec))
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"summary": "s" * 501}, "summary"),
    ],
)
def test_article_rules(author, fields, field):
    with pytest.raises(ArticleError) as refused:
        create_article(draft(author, **fields))
    assert refused.value.field == field


def test_refused_update_changes_nothing(author):
    article = create_article(draft(author, poll=PollSpec("Q?", ["Yes", "No"])))
    db.session.commit()

    with pytest.raises(ArticleError):
        update_article(article, draft(author, title="Changed", poll=PollSpec("Q?", ["Only"])))

    assert article.title == "Gifts from clients"
    assert [option.label for option in article.poll.options] == ["Yes", "No"]


def test_votes_lock_options_but_not_wording(author, make_user):
    article = create_article(draft(author, poll=PollSpec("Q?", ["Yes", "No"])))
    voter = make_user()
    db.session.add(
        Vote(
            poll_id=article.poll.id,
            user_id=voter.id,
            voter_role=CommunityRole.READER,
            choices=[VoteChoice(option_id=article.poll.options[0].id)],
        )
    )
    db.session.commit()

    for spec in (
        PollSpec("Q?", ["Yes", "No", "Maybe"]),
        PollSpec("Q?", ["Yes", "No"], kind=PollKind.MULTIPLE),
        None,
    ):
        with pytest.raises(ArticleError, match="People have voted"):
            update_article(article, draft(author, poll=spec))
    update_article(article, draft(author, poll=PollSpec("Q, reworded?", ["Yes", "No"])))
    assert article.poll.question == "Q, reworded?"


def test_poll_without_votes_can_be_removed(author):
    article = create_article(draft(author, poll=PollSpec("Q?", ["Yes", "No"])))
    db.session.commit()
    update_article(article, draft(author, poll=None))
    db.session.commit()
    db.session.expire_all()
    assert article.poll is None


def test_publication_states(author):
    article = create_article(draft(author))
    later = utcnow() + timedelta(days=1)

    schedule(article, later)
    assert (article.status, article.published_at) == (ArticleStatus.SCHEDULED, later)
    assert not article.is_live()
    publish(article)
    assert article.status is ArticleStatus.PUBLISHED and article.is_live()
    with pytest.raises(ArticleError, match="already published"):
        publish(article)
    unpublish(article)
    assert article.status is ArticleStatus.DRAFT and article.published_at is None
    with pytest.raises(ArticleError, match="already a draft"):
        unpublish(article)
    with pytest.raises(ArticleError, match="future") as refused:
        schedule(article, utcnow() - timedelta(minutes=5))
    assert refused.value.field == "publish_at"


def test_authors_get_unique_slugs(app):
    first = create_author(AuthorDetails("Harbor Counseling", bio="  Hello\r\nthere  "))
    second = create_author(AuthorDetails("Harbor Counseling", organisation="  "))
    assert (first.slug, second.slug) == ("harbor-counseling", "harbor-counseling-2")
    assert first.bio == "Hello\nthere"
    assert second.organisation is None
    with pytest.raises(ArticleError) as refused:
        create_author(AuthorDetails("Another", slug="harbor-counseling"))
    assert refused.value.field == "slug"
