"""Helpful marks keep the marker's community role; comments and articles count them per role

Revision ID: 0013_helpful_marker_role
Revises: 0012_changed_minds
Create Date: 2026-12-02 10:00:00

A mark keeps the role its member had when they marked, as a vote keeps the voter's. Marks
given before this revision take the member's role now, the best that is known of them.
Each comment counts its marks from clients and from professionals, and each article the
clients and professionals who marked its comments, for the common-ground badge and order.
"""

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0013_helpful_marker_role"
down_revision = "0012_changed_minds"
branch_labels = None
depends_on = None


def marker_role_type() -> sa.Enum:
    return sa.Enum(
        "client",
        "professional",
        "reader",
        name="marker_role",
        native_enum=False,
        create_constraint=True,
    )


def helpful_marks(*, marker_role_nullable: bool) -> sa.Table:
    """The table as SQLite's batch copies it, given rather than reflected: reflecting it
    would reflect users too, whose expression indexes SQLAlchemy can only warn about."""
    return sa.Table(
        "helpful_marks",
        sa.MetaData(naming_convention=app.models.base.NAMING_CONVENTION),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("marker_role", marker_role_type(), nullable=marker_role_nullable),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name="fk_helpful_marks_comment_id_comments",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_helpful_marks_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_helpful_marks"),
        sa.UniqueConstraint("comment_id", "user_id", name="uq_helpful_marks_comment_id_user_id"),
        sa.Index("ix_helpful_marks_user_id", "user_id"),
    )


def upgrade():
    # Each mark: the role its member has now, the best that is known of earlier marks.
    # SQLite cannot add a column with its CHECK; the batch below copies the table with it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    added_type = sa.String(length=12) if sqlite else marker_role_type()
    op.add_column("helpful_marks", sa.Column("marker_role", added_type, nullable=True))
    op.execute(
        "UPDATE helpful_marks SET marker_role = "
        "(SELECT community_role FROM users WHERE users.id = helpful_marks.user_id)"
    )
    with op.batch_alter_table(
        "helpful_marks", copy_from=helpful_marks(marker_role_nullable=True)
    ) as batch_op:
        batch_op.alter_column("marker_role", existing_type=marker_role_type(), nullable=False)

    # Each comment: its marks from clients and from professionals.
    for role in ("client", "professional"):
        op.add_column(
            "comments",
            sa.Column(f"{role}_helpful_count", sa.Integer(), server_default="0", nullable=False),
        )
        op.execute(
            f"UPDATE comments SET {role}_helpful_count = "
            "(SELECT count(*) FROM helpful_marks WHERE helpful_marks.comment_id = comments.id "
            f"AND helpful_marks.marker_role = '{role}') "
            "WHERE id IN (SELECT comment_id FROM helpful_marks)"
        )
    op.create_index(
        "ix_comments_common_ground",
        "comments",
        ["article_id", "client_helpful_count", "professional_helpful_count"],
    )

    # Each article: the clients and professionals who marked its comments.
    op.create_table(
        "helpful_markers",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("marker_role", marker_role_type(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("marks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_helpful_markers_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_helpful_markers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "article_id", "marker_role", "user_id", name=op.f("pk_helpful_markers")
        ),
    )
    op.create_index(op.f("ix_helpful_markers_user_id"), "helpful_markers", ["user_id"])
    op.execute(
        "INSERT INTO helpful_markers (article_id, marker_role, user_id, marks) "
        "SELECT comments.article_id, helpful_marks.marker_role, helpful_marks.user_id, count(*) "
        "FROM helpful_marks JOIN comments ON comments.id = helpful_marks.comment_id "
        "WHERE helpful_marks.marker_role IN ('client', 'professional') "
        "GROUP BY comments.article_id, helpful_marks.marker_role, helpful_marks.user_id"
    )


def downgrade():
    op.drop_index(op.f("ix_helpful_markers_user_id"), table_name="helpful_markers")
    op.drop_table("helpful_markers")
    with op.batch_alter_table(
        "helpful_marks", copy_from=helpful_marks(marker_role_nullable=False)
    ) as batch_op:
        batch_op.drop_column("marker_role")
    op.drop_index("ix_comments_common_ground", table_name="comments")
    # Not in a batch: on SQLite a batch copies the table and drops the old one, and dropping
    # comments would delete every row that refers to them (marks, replies, reports).
    for counter in ("professional_helpful_count", "client_helpful_count"):
        op.drop_column("comments", counter)
