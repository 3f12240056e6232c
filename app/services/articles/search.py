"""Full-text search over live articles: FTS5 on SQLite, tsvector on PostgreSQL."""

import re

from markupsafe import Markup, escape
from sqlalchemy import bindparam, func, literal_column, select, text

from app.extensions import db
from app.models import Article

# Written exactly as the migration's GIN index expression, so that the index is used.
PG_DOCUMENT = "to_tsvector('english', title || ' ' || summary || ' ' || body_markdown)"
PG_CONFIG = literal_column("'english'")
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30
# Control characters never typed into a query mark the matched words in snippets,
# so the snippet can be escaped first and highlighted afterwards.
MATCH_START, MATCH_END = "\x02", "\x03"
MARKUP_NOISE = re.compile(r"</?[A-Za-z][^<>]*>|[*_`#>\[\]]+")


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


def normalise_query(raw: str | None) -> str:
    """What a reader typed, with spacing tidied and cut to a sensible length."""
    cleaned = " ".join((raw or "").replace(MATCH_START, " ").replace(MATCH_END, " ").split())
    return cleaned[:MAX_QUERY_LENGTH].strip()


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
            select(
                literal_column("rowid").label("article_id"),
                literal_column("bm25(article_search)").label("rank"),
            )
            .select_from(text("article_search"))
            .where(text("article_search MATCH :query").bindparams(query=query))
            .subquery()
        )
        return (
            select(Article)
            .join(matches, matches.c.article_id == Article.id)
            .where(Article.live())
            .order_by(matches.c.rank, Article.published_at.desc())
        )
    if not terms.strip():
        return None
    tsquery = _pg_tsquery(terms)
    document = literal_column(PG_DOCUMENT)
    return (
        select(Article)
        .where(Article.live(), document.op("@@")(tsquery))
        .order_by(func.ts_rank(document, tsquery).desc(), Article.published_at.desc())
    )


def _pg_tsquery(terms: str):
    return func.websearch_to_tsquery(PG_CONFIG, terms)


def snippets(article_ids: list[int], terms: str) -> dict[int, Markup]:
    """A short passage of each article around the words that matched, matches in <mark>."""
    if not article_ids:
        return {}
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(
            text(
                "SELECT rowid, snippet(article_search, -1, :start, :end, ' … ', :words) "
                "FROM article_search WHERE article_search MATCH :query AND rowid IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {
                "start": MATCH_START,
                "end": MATCH_END,
                "words": SNIPPET_WORDS,
                "query": _fts5_query(terms),
                "ids": article_ids,
            },
        )
    else:
        options = (
            f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords={SNIPPET_WORDS}, "
            "MinWords=12, MaxFragments=2, FragmentDelimiter=' … '"
        )
        rows = db.session.execute(
            select(
                Article.id,
                func.ts_headline(
                    PG_CONFIG,
                    Article.summary + " " + Article.body_markdown,
                    _pg_tsquery(terms),
                    options,
                ),
            ).where(Article.id.in_(article_ids))
        )
    return {article_id: highlight(passage) for article_id, passage in rows}


def highlight(passage: str) -> Markup:
    plain = MARKUP_NOISE.sub(" ", passage)
    if plain.count(MATCH_START) != plain.count(MATCH_END):
        plain = plain.replace(MATCH_START, "").replace(MATCH_END, "")
    safe = str(escape(" ".join(plain.split())))
    return Markup(safe.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>"))
