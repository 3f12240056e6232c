"""Domain rules that live on the models."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    ArticleStatus,
    InvalidTransition,
    ModerationAction,
    PollStatus,
    Vote,
    utcnow,
)
from app.models.moderation import AuditLogIsAppendOnly


def test_timestamps_come_back_timezone_aware(make_user):
    user = make_user()
    db.session.expire_all()
    assert user.created_at.tzinfo is not None
    assert utcnow() - user.created_at < timedelta(minutes=1)


def test_article_publication_moves(make_article):
    article = make_article(status=ArticleStatus.DRAFT)
    assert not article.is_live()
    with pytest.raises(InvalidTransition):
        article.schedule(utcnow() - timedelta(days=1))
    article.schedule(utcnow() + timedelta(days=1))
    assert article.status is ArticleStatus.SCHEDULED and not article.is_live()
    article.publish()
    assert article.is_live()
    with pytest.raises(InvalidTransition):
        article.publish()


def test_one_vote_per_member_per_poll_is_enforced_by_the_database(make_user, make_article):
    user = make_user(role="client")
    poll = make_article(poll_question="Would you?").poll
    db.session.add(Vote(poll_id=poll.id, user_id=user.id, voter_role=user.community_role))
    db.session.commit()
    db.session.add(Vote(poll_id=poll.id, user_id=user.id, voter_role=user.community_role))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_one_vote_per_voter_cookie_per_poll(make_article):
    poll = make_article(poll_question="Would you?").poll
    db.session.add(Vote(poll_id=poll.id, voter_token="abc", voter_role="client"))
    db.session.commit()
    db.session.add(Vote(poll_id=poll.id, voter_token="abc", voter_role="reader"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_poll_status_follows_its_times(make_article):
    poll = make_article(poll_question="Would you?").poll
    assert poll.status() is PollStatus.OPEN
    poll.opens_at = utcnow() + timedelta(hours=1)
    assert poll.status() is PollStatus.NOT_YET_OPEN
    poll.opens_at = None
    poll.close()
    assert poll.status() is PollStatus.CLOSED
    poll.reopen()
    assert poll.status() is PollStatus.OPEN


def test_audit_log_entries_cannot_be_changed_or_deleted(make_user):
    actor = make_user(staff="moderator")
    entry = ModerationAction(actor_id=actor.id, action="warn", target_type="user", target_id=1)
    db.session.add(entry)
    db.session.commit()
    entry.reason = "rewritten history"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_badges_are_opt_in(make_user):
    client = make_user(role="client")
    assert client.badge is None
    client.show_role_badge = True
    assert client.badge == "Client"
    pro = make_user(role="professional", discipline="psychologist", verified=True)
    assert pro.badge == "Verified professional"
    pro.show_verified_badge = False
    assert pro.badge is None
