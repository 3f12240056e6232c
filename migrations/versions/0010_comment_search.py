"""Full-text search over comments

Revision ID: 0010_comment_search
Revises: 0009_one_reply_notice
Create Date: 2026-12-02 00:00:00

SQLite: an FTS5 table whose content is comments.body_markdown itself (external content, so the
text is stored once), kept in step by triggers, so that bulk writes (an erased member's
comments, generated load) reach it as surely as the ORM's. A later migration that rebuilds
the comments table in batch mode drops these triggers and must call create_sqlite_index()'s
trigger statements again; the search tests fail without them.

PostgreSQL: a GIN index on the expression the search query uses.
"""
from alembic import op

revision = "0010_comment_search"
down_revision = "0009_one_reply_notice"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER comment_search_insert AFTER INSERT ON comments BEGIN
        INSERT INTO comment_search (rowid, body_markdown) VALUES (new.id, new.body_markdown);
    END
    """,
    """
    CREATE TRIGGER comment_search_delete AFTER DELETE ON comments BEGIN
        INSERT INTO comment_search (comment_search, rowid, body_markdown)
        VALUES ('delete', old.id, old.body_markdown);
    END
    """,
    """
    CREATE TRIGGER comment_search_update AFTER UPDATE OF body_markdown ON comments BEGIN
        INSERT INTO comment_search (comment_search, rowid, body_markdown)
        VALUES ('delete', old.id, old.body_markdown);
        INSERT INTO comment_search (rowid, body_markdown) VALUES (new.id, new.body_markdown);
    END
    """,
)


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        create_sqlite_index()
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX comment_search_idx ON comments "
            "USING gin (to_tsvector('english', body_markdown))"
        )


def create_sqlite_index():
    op.execute(
        "CREATE VIRTUAL TABLE comment_search USING fts5("
        "body_markdown, content = 'comments', content_rowid = 'id', "
        "tokenize = 'porter unicode61')"
    )
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)
    # The comments written before this migration.
    op.execute("INSERT INTO comment_search (comment_search) VALUES ('rebuild')")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("comment_search_update", "comment_search_delete", "comment_search_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS comment_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS comment_search_idx")
