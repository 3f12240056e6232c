"""Full-text search over live articles: FTS5 on SQLite, tsvector on PostgreSQL."""

from markupsafe import Markup
from sqlalchemy import func, literal_column, select, text

from app.extensions import db
from app.models import Article
from app.services.articles.languages import PG_TEXT_SEARCH, PG_TEXT_SEARCH_OTHERS
from app.services.infra import fulltext

# Each article in its own language's configuration. The same expression as the GIN index's
# (migration 0017), so that the index is used.
_WHENS = " ".join(
    f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in PG_TEXT_SEARCH.items()
)
PG_ARTICLE_CONFIG = f"CASE language {_WHENS} ELSE '{PG_TEXT_SEARCH_OTHERS}'::regconfig END"
PG_DOCUMENT = f"to_tsvector({PG_ARTICLE_CONFIG}, title || ' ' || summary || ' ' || body_markdown)"
# A query is read in every configuration, so that it finds each article by its own stems.
PG_QUERY_CONFIGS = [
    literal_column(f"'{config}'::regconfig")
    for config in sorted({*PG_TEXT_SEARCH.values(), PG_TEXT_SEARCH_OTHERS})
]
FTS5_TABLE = "article_search"


def index_article(article: Article) -> None:
    """Bring the search index up to date with the article's current text."""
    if not fulltext.on_sqlite():
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
    if fulltext.on_sqlite():
        db.session.execute(text("DELETE FROM article_search WHERE rowid = :id"), {"id": article_id})


def search_statement(terms: str):
    """A SELECT of live articles matching the terms, best match first."""
    if fulltext.on_sqlite():
        matches = fulltext.fts5_matches(FTS5_TABLE, terms)
        if matches is None:
            return None
        return (
            select(Article)
            .join(matches, matches.c.id == Article.id)
            .where(Article.live())
            .order_by(matches.c.rank, Article.published_at.desc())
        )
    if not terms.strip():
        return None
    tsquery = fulltext.pg_tsquery(terms, PG_QUERY_CONFIGS)
    document = literal_column(PG_DOCUMENT)
    return (
        select(Article)
        .where(Article.live(), document.op("@@")(tsquery))
        .order_by(func.ts_rank(document, tsquery).desc(), Article.published_at.desc())
    )


def count_articles(terms: str) -> int:
    """How many live articles match, for a page that shows other results."""
    statement = search_statement(terms)
    if statement is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))


def snippets(article_ids: list[int], terms: str) -> dict[int, Markup]:
    """A short passage of each article around the words that matched, matches in <mark>."""
    if not article_ids:
        return {}
    if fulltext.on_sqlite():
        return fulltext.fts5_snippets(FTS5_TABLE, article_ids, terms)
    rows = db.session.execute(
        select(
            Article.id,
            fulltext.pg_headline(
                Article.summary + " " + Article.body_markdown,
                terms,
                config=literal_column(PG_ARTICLE_CONFIG),
            ),
        ).where(Article.id.in_(article_ids))
    )
    return {article_id: fulltext.highlight(passage) for article_id, passage in rows}
