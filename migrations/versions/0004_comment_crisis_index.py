"""Index crisis-flagged comments for the moderation queue counts

Revision ID: 0004_comment_crisis_index
Revises: 0003_comment_thread_index
Create Date: 2026-11-23 22:50:00

"""
from alembic import op

revision = "0004_comment_crisis_index"
down_revision = "0003_comment_thread_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_comments_crisis_flag_status", "comments", ["crisis_flag", "status"])


def downgrade():
    op.drop_index("ix_comments_crisis_flag_status", table_name="comments")
