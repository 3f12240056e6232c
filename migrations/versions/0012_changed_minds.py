"""Changed minds: the role on each ballot, and changes of answer counted after the discussion opened

Revision ID: 0012_changed_minds
Revises: 0011_embed_origins
Create Date: 2026-12-02 09:00:00

Ballots already cast take the role of their vote. The change tallies start empty: `flask --app
app rebuild-tallies` counts the changes already made.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_changed_minds"
down_revision = "0011_embed_origins"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("vote_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voter_role", sa.String(length=20), nullable=True))
    op.execute(
        "UPDATE vote_history SET voter_role = "
        "(SELECT votes.voter_role FROM votes WHERE votes.id = vote_history.vote_id)"
    )
    op.create_table(
        "poll_change_tallies",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("from_option_id", sa.Integer(), nullable=False),
        sa.Column("to_option_id", sa.Integer(), nullable=False),
        sa.Column("voter_role", sa.String(length=20), nullable=False),
        sa.Column("engagement", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
            name=op.f("fk_poll_change_tallies_poll_id_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "poll_id",
            "from_option_id",
            "to_option_id",
            "voter_role",
            "engagement",
            name=op.f("pk_poll_change_tallies"),
        ),
    )


def downgrade():
    op.drop_table("poll_change_tallies")
    with op.batch_alter_table("vote_history", schema=None) as batch_op:
        batch_op.drop_column("voter_role")
