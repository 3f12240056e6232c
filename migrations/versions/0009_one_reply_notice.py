"""A reply is announced once: a unique index on reply notices

Revision ID: 0009_one_reply_notice
Revises: 0008_mail_outbox
Create Date: 2026-11-30 05:40:00

Reply notices are made by jobs that may run twice (a retry, the sweep that announces replies
whose job was lost); the index makes "once" hold in the database. Duplicates made before are
removed first, keeping the earliest.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_one_reply_notice"
down_revision = "0008_mail_outbox"
branch_labels = None
depends_on = None

REPLIES = sa.text("kind = 'reply'")


def upgrade():
    op.execute(
        """
        DELETE FROM notifications
        WHERE kind = 'reply' AND id NOT IN (
            SELECT MIN(id) FROM notifications WHERE kind = 'reply'
            GROUP BY recipient_id, comment_id
        )
        """
    )
    op.create_index(
        "uq_notifications_reply",
        "notifications",
        ["recipient_id", "comment_id"],
        unique=True,
        sqlite_where=REPLIES,
        postgresql_where=REPLIES,
    )


def downgrade():
    op.drop_index("uq_notifications_reply", table_name="notifications")
