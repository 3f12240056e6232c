"""Member sessions: one row per login, which the session and remember-me cookies point to

Revision ID: 0006_member_sessions
Revises: 0005_case_insensitive_names
Create Date: 2026-11-29 23:40:00

Logins made before this revision carried a password fingerprint instead of a session
token; the site no longer accepts them, so every member logs in once more.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_member_sessions"
down_revision = "0005_case_insensitive_names"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "member_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_member_sessions_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_member_sessions"),
    )
    op.create_index(
        "ix_member_sessions_user_id_ended_at", "member_sessions", ["user_id", "ended_at"]
    )


def downgrade():
    op.drop_index("ix_member_sessions_user_id_ended_at", table_name="member_sessions")
    op.drop_table("member_sessions")
