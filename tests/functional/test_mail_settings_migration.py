"""The migration to e-mail chosen per kind keeps each member's choice, both ways.

It runs on a database of its own: SQLite, where the migration copies tables to change them.
"""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.database import enable_migrations
from app.extensions import db
from config import TestingConfig

BEFORE = "0013_helpful_marker_role"
COLUMNS = (
    "username, email, password_hash, community_role, verification_status, staff_level,"
    " account_status, trust_score, approved_comment_count, show_role_badge,"
    " show_verified_badge, show_stance, created_at"
)
VALUES = (
    ":name, :email, 'x', 'reader', 'unverified', 'member', 'active', 0, 0, false, true, false,"
    " '2026-01-01 00:00:00'"
)
MEMBER_BEFORE = f"INSERT INTO users ({COLUMNS}, email_notifications) VALUES ({VALUES}, :wants)"
MEMBER_AFTER = f"INSERT INTO users ({COLUMNS}) VALUES ({VALUES})"


@pytest.fixture
def fresh_app(tmp_path):
    config = type(
        "Config", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"}
    )
    app = create_app(config)
    enable_migrations(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def rows(statement):
    return db.session.execute(text(statement)).all()


def test_reply_mail_that_was_on_is_sent_at_once_and_back(fresh_app):
    upgrade(revision=BEFORE)
    for name, wants in (("keen", True), ("quiet", False)):
        db.session.execute(
            text(MEMBER_BEFORE), {"name": name, "email": f"{name}@example.org", "wants": wants}
        )
    db.session.commit()

    upgrade()

    assert rows("SELECT username, reply_emails, follow_emails FROM users ORDER BY username") == [
        ("keen", "immediately", "never"),
        ("quiet", "never", "never"),
    ]
    # The tables were copied; an address is still the same whatever its case.
    with pytest.raises(IntegrityError):
        db.session.execute(text(MEMBER_AFTER), {"name": "other", "email": "KEEN@example.org"})
    db.session.rollback()

    downgrade(revision=BEFORE)

    assert rows("SELECT username, email_notifications FROM users ORDER BY username") == [
        ("keen", 1),
        ("quiet", 0),
    ]
