"""Searching articles: title and body words, live articles only, any input handled."""

import pytest

from app.extensions import db
from app.models import ArticleStatus
from app.services.articles import search
from app.services.infra import fulltext


@pytest.fixture
def indexed_article(make_article):
    """An article stored and added to the search index, as the editor's service does."""

    def make(*args, **kwargs):
        article = make_article(*args, **kwargs)
        search.index_article(article)
        db.session.commit()
        return article

    return make


def results_of(response):
    html = response.get_data(as_text=True)
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_empty_query_shows_only_the_form(client):
    body = results_of(client.get("/search"))
    assert '<label for="search-q">Search articles and comments</label>' in body
    assert ">Search</button>" in body
    assert "No articles match" not in body
    assert "results-heading" not in results_of(client.get("/search?q=+++"))


def test_finds_by_title_and_by_body_words(client, indexed_article):
    indexed_article("Friending your therapist", body="A question of confidentiality.")
    indexed_article("Gifts from clients", body="Would you accept a handmade scarf?")

    by_title = results_of(client.get("/search?q=therapist"))
    by_body = results_of(client.get("/search?q=scarf"))

    assert "Friending your therapist" in by_title and "Gifts from clients" not in by_title
    assert "Gifts from clients" in by_body and "Friending your therapist" not in by_body
    assert "<mark>scarf</mark>" in by_body
    assert "1 article matches" in by_body


def test_search_ignores_drafts_and_future_articles(client, indexed_article):
    from datetime import timedelta

    from app.models import utcnow

    indexed_article("Draft about hugging", status=ArticleStatus.DRAFT)
    indexed_article(
        "Scheduled about hugging",
        status=ArticleStatus.SCHEDULED,
        published_at=utcnow() + timedelta(days=1),
    )

    body = results_of(client.get("/search?q=hugging"))

    assert "No articles match" in body
    assert "Draft about hugging" not in body and "Scheduled about hugging" not in body


def test_no_match_says_so(client, indexed_article):
    indexed_article("Boundaries at the grocery store")
    body = results_of(client.get("/search?q=zebra"))
    assert "No articles match “zebra”" in body


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "therapist*",
        "NEAR(therapist client)",
        "title:therapist",
        "therapist OR -client",
        "^therapist",
        "(((",
        "'; DROP TABLE articles; --",
        "<script>alert(1)</script>",
        "\x02therapist\x03",
    ],
)
def test_search_syntax_characters_are_harmless(client, indexed_article, query):
    indexed_article("Your therapist online")

    response = client.get("/search", query_string={"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_quoted_words_still_find_articles(client, indexed_article):
    indexed_article("Your therapist online")
    body = results_of(client.get("/search", query_string={"q": '"therapist"'}))
    assert "Your therapist online" in body


def test_overlong_query_is_trimmed(client, indexed_article):
    indexed_article("Your therapist online")

    response = client.get("/search", query_string={"q": "therapist " + "x" * 5000})

    assert response.status_code == 200
    value = response.get_data(as_text=True).split('name="q" value="', 1)[1].split('"', 1)[0]
    assert len(value) <= fulltext.MAX_QUERY_LENGTH


def test_search_index_follows_edits(client, indexed_article):
    article = indexed_article("Original wording")
    article.title = "Rewritten heading"
    search.index_article(article)
    db.session.commit()

    assert "Rewritten heading" in results_of(client.get("/search?q=rewritten"))
    assert "No articles match" in results_of(client.get("/search?q=original"))
