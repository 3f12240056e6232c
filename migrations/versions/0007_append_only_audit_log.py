"""The audit log is append-only in the database itself

Revision ID: 0007_append_only_audit_log
Revises: 0006_member_sessions
Create Date: 2026-11-30 00:00:00

Triggers refuse UPDATE and DELETE on moderation_actions, on SQLite and PostgreSQL alike, so
not even raw SQL can rewrite what staff did. The one change allowed is the database's own:
when a member's account is erased, the foreign key sets the entries' actor to NULL.
"""
from alembic import op

revision = "0007_append_only_audit_log"
down_revision = "0006_member_sessions"
branch_labels = None
depends_on = None

MESSAGE = "the audit log is append-only"
# Every column but actor_id is the same before and after.
UNCHANGED = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in ("id", "action", "target_type", "target_id", "reason", "created_at")
)
PG_UNCHANGED = " AND ".join(
    f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}"
    for column in ("id", "action", "target_type", "target_id", "reason", "created_at")
) + " AND NEW.details::text IS NOT DISTINCT FROM OLD.details::text"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION moderation_actions_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND {PG_UNCHANGED} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{MESSAGE}';
            END $$
        """)
        op.execute("""
            CREATE TRIGGER moderation_actions_append_only
            BEFORE UPDATE OR DELETE ON moderation_actions
            FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only()
        """)
    else:
        op.execute(f"""
            CREATE TRIGGER moderation_actions_no_update BEFORE UPDATE ON moderation_actions
            WHEN NOT (NEW.actor_id IS NULL AND {UNCHANGED} AND NEW.details IS OLD.details)
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """)
        op.execute(f"""
            CREATE TRIGGER moderation_actions_no_delete BEFORE DELETE ON moderation_actions
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER moderation_actions_append_only ON moderation_actions")
        op.execute("DROP FUNCTION moderation_actions_append_only()")
    else:
        op.execute("DROP TRIGGER moderation_actions_no_delete")
        op.execute("DROP TRIGGER moderation_actions_no_update")
