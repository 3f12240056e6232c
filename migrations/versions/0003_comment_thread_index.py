"""Index pages of comment threads in their default order

Revision ID: 0003_comment_thread_index
Revises: 0002_poll_tallies
Create Date: 2026-11-23 22:15:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0003_comment_thread_index"
down_revision = "0002_poll_tallies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_comments_thread_order",
        "comments",
        ["article_id", "parent_id", sa.text("featured DESC"), "created_at", "id", "status"],
    )


def downgrade():
    op.drop_index("ix_comments_thread_order", table_name="comments")
