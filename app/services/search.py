"""Full-text search over live articles: FTS5 on SQLite, tsvector on PostgreSQL."""

from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Article

PG_DOCUMENT = "to_tsvector('english', title || ' ' || summary || ' ' || body_markdown)"


def index_article(article: Article) -> None:
    """Bring the search index up to date with the article's current text."""
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL indexes the expression itself.
    db.session.flush()
    db.session.execute(text("DELETE FROM article_search WHERE rowid = :id"), {"id": article.id})
    db.session.execute(
        text(
            "INSERT INTO article_search (rowid, title, summary, body) "
            "VALUES (:id, :title, :summary, :body)"
        ),
        {
            "id": article.id,
            "title": article.title,
            "summary": article.summary,
            "body": article.body_markdown,
        },
    )


def remove_article(article_id: int) -> None:
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DELETE FROM article_search WHERE rowid = :id"), {"id": article_id})


def _fts5_query(terms: str) -> str:
    """Quote each word so user input cannot use FTS5 syntax."""
    words = [word.replace('"', "") for word in terms.split()]
    return " ".join(f'"{word}"' for word in words if word)


def search_statement(terms: str):
    """A SELECT of live articles matching the terms, best match first."""
    if db.engine.dialect.name == "sqlite":
        query = _fts5_query(terms)
        if not query:
            return None
        matches = (
            select(text("rowid AS article_id"), text("bm25(article_search) AS rank"))
            .select_from(text("article_search"))
            .where(text("article_search MATCH :query"))
            .subquery()
        )
        return (
            select(Article)
            .join(matches, matches.c.article_id == Article.id)
            .where(Article.live())
            .order_by(matches.c.rank, Article.published_at.desc())
            .params(query=query)
        )
    if not terms.strip():
        return None
    tsquery = func.websearch_to_tsquery("english", terms)
    document = text(PG_DOCUMENT)
    return (
        select(Article)
        .where(Article.live(), document.op("@@")(tsquery))
        .order_by(func.ts_rank(document, tsquery).desc(), Article.published_at.desc())
    )
