"""Following articles, e-mail digests and unsubscribe links

Revision ID: 0013_follow_and_digest
Revises: 0009_one_reply_notice
Create Date: 2026-12-01 09:00:00

Outgoing mail keeps the headers it is sent with (List-Unsubscribe).
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_follow_and_digest"
down_revision = "0009_one_reply_notice"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("headers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_column("headers")
