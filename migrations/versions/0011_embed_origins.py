"""The partner sites allowed to frame each article's poll

Revision ID: 0011_embed_origins
Revises: 0010_comment_search
Create Date: 2026-11-30 05:20:00

Editors list, per article, the origins (scheme, host, port) whose pages may embed its poll;
the embed page's Content-Security-Policy frame-ancestors names exactly these.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_embed_origins"
down_revision = "0010_comment_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "article_embed_origins",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_embed_origins_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "origin", name="pk_article_embed_origins"),
    )


def downgrade():
    op.drop_table("article_embed_origins")
