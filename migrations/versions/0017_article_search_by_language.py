"""Articles are searched in their own language on PostgreSQL

Revision ID: 0017_article_search_by_language
Revises: 0016_article_language
Create Date: 2026-11-30 10:05:00

The GIN index over the articles' text read every article with the English configuration; it
now reads each with its own language's (stems and stop words), 'simple' for languages
PostgreSQL does not stem. SQLite's FTS5 table is unchanged.
"""
from alembic import op

revision = "0017_article_search_by_language"
down_revision = "0016_article_language"
branch_labels = None
depends_on = None

# As app/services/articles/search.py writes it, frozen here.
BY_LANGUAGE = (
    "to_tsvector(CASE language"
    " WHEN 'da' THEN 'danish'::regconfig WHEN 'de' THEN 'german'::regconfig"
    " WHEN 'en' THEN 'english'::regconfig WHEN 'es' THEN 'spanish'::regconfig"
    " WHEN 'fi' THEN 'finnish'::regconfig WHEN 'fr' THEN 'french'::regconfig"
    " WHEN 'hu' THEN 'hungarian'::regconfig WHEN 'it' THEN 'italian'::regconfig"
    " WHEN 'nb' THEN 'norwegian'::regconfig WHEN 'nl' THEN 'dutch'::regconfig"
    " WHEN 'pt' THEN 'portuguese'::regconfig WHEN 'ro' THEN 'romanian'::regconfig"
    " WHEN 'ru' THEN 'russian'::regconfig WHEN 'sv' THEN 'swedish'::regconfig"
    " WHEN 'tr' THEN 'turkish'::regconfig"
    " ELSE 'simple'::regconfig END, title || ' ' || summary || ' ' || body_markdown)"
)
ENGLISH = "to_tsvector('english', title || ' ' || summary || ' ' || body_markdown)"


def upgrade():
    _index_articles_by(BY_LANGUAGE)


def downgrade():
    _index_articles_by(ENGLISH)


def _index_articles_by(document):
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS article_search_idx")
    op.execute(f"CREATE INDEX article_search_idx ON articles USING gin ({document})")
