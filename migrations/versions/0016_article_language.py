"""Articles declare the language they are written in

Revision ID: 0016_article_language
Revises: 0015_member_language
Create Date: 2026-11-30 09:00:00

Every article so far was written in English, which the server default gives them. Added and
dropped in place, as 0015 does: batch mode on SQLite would copy the table without its indexes.
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_article_language"
down_revision = "0015_member_language"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "articles",
        sa.Column("language", sa.String(length=8), server_default="en", nullable=False),
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE articles DROP COLUMN language")
    else:
        op.drop_column("articles", "language")
