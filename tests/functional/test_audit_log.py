"""The audit log is append-only in the database: raw SQL cannot rewrite or delete it."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import ModerationAction
from app.services.accounts import erasure
from app.services.moderation.audit import record


@pytest.fixture
def entry(make_user):
    moderator = make_user("mod_maya", staff="moderator")
    member = make_user("trouble")
    logged = record(moderator, "warn", member, "Repeated insults")
    db.session.commit()
    return logged


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE moderation_actions SET reason = 'Nothing happened'",
        "UPDATE moderation_actions SET actor_id = NULL, action = 'approve'",
        "DELETE FROM moderation_actions",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_entry(entry, statement):
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(text(statement))

    kept = db.session.scalar(select(ModerationAction))
    assert (kept.action, kept.reason) == ("warn", "Repeated insults")


def test_erasing_a_moderators_account_keeps_their_entries_without_a_name(entry, make_user):
    moderator = entry.actor
    erasure.delete_member(moderator, "correct horse battery staple", keep_comments=False)
    db.session.commit()
    db.session.expire_all()

    kept = db.session.scalar(select(ModerationAction))
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 1
    assert kept.actor_id is None and kept.reason == "Repeated insults"
