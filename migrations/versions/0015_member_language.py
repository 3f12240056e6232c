"""Members may choose the language the site speaks to them

Revision ID: 0015_member_language
Revises: 0014_follow_and_digest
Create Date: 2026-11-30 06:40:00

A plain nullable column, added and dropped in place: batch mode on SQLite would copy the
users table without its expression indexes.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_member_language"
down_revision = "0014_follow_and_digest"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # Not in batch mode, which would copy the table without its expression indexes.
        op.execute("ALTER TABLE users DROP COLUMN language")
    else:
        op.drop_column("users", "language")
