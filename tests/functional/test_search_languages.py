"""Articles are found in the language they were written in. On PostgreSQL each article is read
with its own language's stems and stop words, and a query is read in every language; SQLite's
FTS5 table matches words as written in any language (its stemmer is English)."""

import pytest
from sqlalchemy import literal_column, select, text

from app.extensions import db
from app.models import Article
from app.services.articles import search
from app.services.infra import fulltext

SPANISH = "¿Debería tu terapeuta hablarte de su propia vida?"
ENGLISH = "Should your therapist talk about their own life?"


@pytest.fixture
def articles(make_article):
    """One article in Spanish, one in English, both in the search index."""
    made = [
        make_article(
            SPANISH,
            language="es",
            body="Hablamos de la autorrevelación: cuándo un terapeuta cuenta algo de su vida.",
        ),
        make_article(ENGLISH, body="Therapists disagree about self-disclosure in sessions."),
    ]
    for article in made:
        search.index_article(article)
    db.session.commit()
    return made


@pytest.fixture
def postgresql(app):
    if fulltext.on_sqlite():
        pytest.skip("stems per language are PostgreSQL's; SQLite's FTS5 stems English only")


def found(client, query):
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    return {title for title in (SPANISH, ENGLISH) if title in html}


def test_each_article_is_found_by_its_own_words(client, articles):
    assert found(client, "autorrevelación") == {SPANISH}
    assert found(client, "self-disclosure") == {ENGLISH}


def test_a_spanish_article_is_found_by_another_form_of_its_words(client, articles, postgresql):
    # "hablar" and "hablamos" share their stem in Spanish, not in English.
    assert found(client, "hablar") == {SPANISH}
    assert found(client, "therapist") == {ENGLISH}
    # Spanish stop words match nothing in a Spanish article.
    assert found(client, "de la") == set()


def test_the_search_can_use_the_index(articles, postgresql):
    """The search's condition is the GIN index's expression, read from the same text."""
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    matching = (
        select(Article.id)
        .where(
            literal_column(search.PG_DOCUMENT).op("@@")(
                fulltext.pg_tsquery("hablar", search.PG_QUERY_CONFIGS)
            )
        )
        .compile(db.engine, compile_kwargs={"literal_binds": True})
    )
    plan = "\n".join(db.session.execute(text(f"EXPLAIN {matching}")).scalars())
    assert "article_search_idx" in plan
