"""Following articles, e-mail digests and unsubscribe links

Revision ID: 0014_follow_and_digest
Revises: 0013_helpful_marker_role
Create Date: 2026-12-01 09:00:00

Members follow articles; a new comment on one is a notice of a new kind, announced to each
follower once. E-mail is chosen per kind of notice (replies, followed articles): at once, in a
daily or weekly digest, or never; each notice remembers when it was mailed. The former
"e-mail me when someone replies" becomes replies "at once", its absence "never", and back.
Outgoing mail keeps the headers it is sent with (List-Unsubscribe).
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0014_follow_and_digest"
down_revision = "0013_helpful_marker_role"
branch_labels = None
depends_on = None

FREQUENCIES = ("immediately", "daily", "weekly", "never")
KINDS = ("reply", "comment-removed", "comment-approved", "verification", "account")
FOLLOWED = sa.text("kind = 'followed-comment'")
# SQLite's batch mode copies the users table without its expression indexes, and cannot
# read them where it reads the tables that refer to users: they are made again after.
NAME_INDEXES = {
    "uq_users_username_lower": "lower(username)",
    "uq_users_email_lower": "lower(email)",
}


def kind_type(*kinds):
    return sa.Enum(*kinds, name="notification_kind", native_enum=False, create_constraint=True)


def frequency_column(name):
    frequency = sa.Enum(*FREQUENCIES, name=name, native_enum=False, create_constraint=True)
    return sa.Column(name, frequency, nullable=False, server_default="never")


@contextmanager
def without_name_indexes():
    for name in NAME_INDEXES:
        op.drop_index(name, table_name="users")
    yield
    for name, expression in NAME_INDEXES.items():
        op.create_index(name, "users", [sa.text(expression)], unique=True)


def upgrade():
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_follows_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "article_id", name=op.f("uq_follows_user_id_article_id")),
    )
    op.create_index(op.f("ix_follows_article_id"), "follows", ["article_id"])

    with without_name_indexes():
        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(frequency_column("reply_emails"))
            batch_op.add_column(frequency_column("follow_emails"))
            batch_op.add_column(
                sa.Column(
                    "follow_on_comment", sa.Boolean(), nullable=False, server_default=sa.false()
                )
            )
        op.execute(
            sa.text(
                "UPDATE users SET reply_emails = 'immediately' WHERE email_notifications = :on"
            ).bindparams(on=True)
        )
        with op.batch_alter_table("users") as batch_op:
            batch_op.drop_column("email_notifications")

        with op.batch_alter_table("notifications") as batch_op:
            batch_op.alter_column(
                "kind",
                existing_type=kind_type(*KINDS),
                type_=kind_type(*KINDS, "followed-comment"),
            )
            batch_op.add_column(
                sa.Column("mailed_at", app.models.base.UTCDateTime(timezone=True), nullable=True)
            )
    op.create_index("ix_notifications_created_at", "notifications", ["created_at"])
    op.create_index(
        "uq_notifications_followed_comment",
        "notifications",
        ["recipient_id", "comment_id"],
        unique=True,
        sqlite_where=FOLLOWED,
        postgresql_where=FOLLOWED,
    )

    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.add_column(sa.Column("headers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch_op:
        batch_op.drop_column("headers")

    op.drop_index("uq_notifications_followed_comment", table_name="notifications")
    op.drop_index("ix_notifications_created_at", table_name="notifications")
    op.execute("DELETE FROM notifications WHERE kind = 'followed-comment'")
    with without_name_indexes():
        with op.batch_alter_table("notifications") as batch_op:
            batch_op.drop_column("mailed_at")
            batch_op.alter_column(
                "kind",
                existing_type=kind_type(*KINDS, "followed-comment"),
                type_=kind_type(*KINDS),
            )

        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(
                sa.Column(
                    "email_notifications", sa.Boolean(), nullable=False, server_default=sa.false()
                )
            )
        op.execute(
            sa.text(
                "UPDATE users SET email_notifications = :on WHERE reply_emails <> 'never'"
            ).bindparams(on=True)
        )
        with op.batch_alter_table("users") as batch_op:
            batch_op.drop_column("follow_on_comment")
            for name in ("follow_emails", "reply_emails"):
                batch_op.drop_constraint(op.f(f"ck_users_{name}"), type_="check")
                batch_op.drop_column(name)

    op.drop_index(op.f("ix_follows_article_id"), table_name="follows")
    op.drop_table("follows")
