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


def found(client, query):
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    return {title for title in (SPANISH, ENGLISH) if title in html}


def test_each_article_is_found_by_its_own_words(client, articles):
    assert found(client, "autorrevelación") == {SPANISH}
    assert found(client, "hablamos") == {SPANISH}
    assert found(client, "self-disclosure") == {ENGLISH}
    assert found(client, "therapist") == {ENGLISH}  # "Therapists": English stems, both ways


def test_other_forms_of_a_spanish_articles_words(client, articles):
    """PostgreSQL stems the Spanish article as Spanish: "hablar" and "hablamos" share their
    stem, and Spanish stop words match nothing in it. SQLite's FTS5 stems English only, so
    there a Spanish word is found as written (README, Languages)."""
    if fulltext.on_sqlite():
        assert found(client, "hablar") == set()
        assert found(client, "de la") == {SPANISH}
    else:
        assert found(client, "hablar") == {SPANISH}
        assert found(client, "de la") == set()


def test_the_search_uses_its_index(articles):
    """On PostgreSQL the search's condition is the GIN index's expression, written from the
    same text; on SQLite the search reads the FTS5 table."""
    if fulltext.on_sqlite():
        statement = search.search_statement("hablamos").compile(
            db.engine, compile_kwargs={"literal_binds": True}
        )
        plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {statement}")).all()
        assert any("article_search VIRTUAL TABLE INDEX" in str(row) for row in plan), plan
        return
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
