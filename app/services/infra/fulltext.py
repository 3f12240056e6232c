"""What every full-text search shares: tidying a query, matching it, and highlighted snippets.

SQLite matches through FTS5 tables, PostgreSQL through tsvector expressions with GIN indexes;
the searches of articles and of comments both read them through these functions.
"""

import re

from markupsafe import Markup, escape
from sqlalchemy import bindparam, func, literal_column, select, text

from app.extensions import db

PG_CONFIG = literal_column("'english'")
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30
# Control characters never typed into a query mark the matched words in snippets,
# so the snippet can be escaped first and highlighted afterwards.
MATCH_START, MATCH_END = "\x02", "\x03"
MARKUP_NOISE = re.compile(r"</?[A-Za-z][^<>]*>|[*_`#>\[\]]+")
PG_HEADLINE_OPTIONS = (
    f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords={SNIPPET_WORDS}, "
    "MinWords=12, MaxFragments=2, FragmentDelimiter=' … '"
)


def on_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def normalise_query(raw: str | None) -> str:
    """What a reader typed, with spacing tidied and cut to a sensible length."""
    return _tidied(raw)[:MAX_QUERY_LENGTH].strip()


def was_shortened(raw: str | None) -> bool:
    """Whether normalise_query had to cut what the reader typed."""
    return len(_tidied(raw)) > MAX_QUERY_LENGTH


def _tidied(raw: str | None) -> str:
    return " ".join((raw or "").replace(MATCH_START, " ").replace(MATCH_END, " ").split())


def fts5_query(terms: str) -> str:
    """Quote each word so user input cannot use FTS5 syntax."""
    words = [word.replace('"', "") for word in terms.split()]
    return " ".join(f'"{word}"' for word in words if word)


def fts5_matches(table: str, terms: str):
    """A subquery of (id, rank) for the rows of an FTS5 table that match, or None for no words.

    `table` is one of the site's own FTS5 tables, never input; bm25 ranks best first.
    """
    query = fts5_query(terms)
    if not query:
        return None
    return (
        select(
            literal_column("rowid").label("id"),
            literal_column(f"bm25({table})").label("rank"),
        )
        .select_from(text(table))
        .where(text(f"{table} MATCH :query").bindparams(query=query))
        .subquery()
    )


def fts5_snippets(table: str, ids: list[int], terms: str) -> dict[int, Markup]:
    """A passage of each row around the words that matched, matches in <mark>."""
    rows = db.session.execute(
        text(
            f"SELECT rowid, snippet({table}, -1, :start, :end, ' … ', :words) "
            f"FROM {table} WHERE {table} MATCH :query AND rowid IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        {
            "start": MATCH_START,
            "end": MATCH_END,
            "words": SNIPPET_WORDS,
            "query": fts5_query(terms),
            "ids": ids,
        },
    )
    return {row_id: highlight(passage) for row_id, passage in rows}


def pg_tsquery(terms: str, configs=(PG_CONFIG,)):
    """SQL: the query read by each text search configuration, any of them matching."""
    queries = [func.websearch_to_tsquery(config, terms) for config in configs]
    query = queries[0]
    for other in queries[1:]:
        query = query.op("||")(other)
    return query


def pg_headline(document, terms: str, config=PG_CONFIG):
    """SQL: a passage of `document` around the words that matched, marked for `highlight`."""
    query = func.websearch_to_tsquery(config, terms)
    return func.ts_headline(config, document, query, PG_HEADLINE_OPTIONS)


def highlight(passage: str) -> Markup:
    plain = MARKUP_NOISE.sub(" ", passage)
    if plain.count(MATCH_START) != plain.count(MATCH_END):
        plain = plain.replace(MATCH_START, "").replace(MATCH_END, "")
    safe = str(escape(" ".join(plain.split())))
    return Markup(safe.replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>"))
