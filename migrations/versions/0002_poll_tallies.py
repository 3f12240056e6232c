"""Poll tallies kept current with each vote; change counts and verification on ballots

Revision ID: 0002_poll_tallies
Revises: 0001_initial_schema
Create Date: 2026-11-24 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '0002_poll_tallies'
down_revision = '0001_initial_schema'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('change_count', sa.Integer(), server_default='0', nullable=False)
        )
    with op.batch_alter_table('vote_history', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('voter_verified', sa.Boolean(), server_default='0', nullable=False)
        )

    op.create_table('poll_option_tallies',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('voter_role', sa.String(length=20), nullable=False),
    sa.Column('voter_discipline', sa.String(length=20), nullable=False),
    sa.Column('member', sa.Boolean(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['poll_options.id'], name=op.f('fk_poll_option_tallies_option_id_poll_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_option_tallies_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'option_id', 'voter_role', 'voter_discipline', 'member', 'verified', name=op.f('pk_poll_option_tallies'))
    )
    op.create_table('poll_voter_tallies',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voter_role', sa.String(length=20), nullable=False),
    sa.Column('voter_discipline', sa.String(length=20), nullable=False),
    sa.Column('member', sa.Boolean(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('voters', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_voter_tallies_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'voter_role', 'voter_discipline', 'member', 'verified', name=op.f('pk_poll_voter_tallies'))
    )
    op.create_table('poll_daily_tallies',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('member', sa.Boolean(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['poll_options.id'], name=op.f('fk_poll_daily_tallies_option_id_poll_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_daily_tallies_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'day', 'option_id', 'member', 'verified', name=op.f('pk_poll_daily_tallies'))
    )
    op.create_table('poll_stance_tallies',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voters_who_changed', sa.Integer(), nullable=False),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_stance_tallies_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', name=op.f('pk_poll_stance_tallies'))
    )


def downgrade():
    op.drop_table('poll_stance_tallies')
    op.drop_table('poll_daily_tallies')
    op.drop_table('poll_voter_tallies')
    op.drop_table('poll_option_tallies')
    with op.batch_alter_table('vote_history', schema=None) as batch_op:
        batch_op.drop_column('voter_verified')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('change_count')
