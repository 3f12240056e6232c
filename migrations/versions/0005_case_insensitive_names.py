"""Usernames and e-mail addresses are unique whatever their case

Revision ID: 0005_case_insensitive_names
Revises: 0004_comment_crisis_index
Create Date: 2026-11-23 23:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0005_case_insensitive_names"
down_revision = "0004_comment_crisis_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True
    )
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)


def downgrade():
    op.drop_index("uq_users_email_lower", table_name="users")
    op.drop_index("uq_users_username_lower", table_name="users")
