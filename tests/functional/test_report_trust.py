"""Reports from new or untrusted members reach the moderation queue but do not hide a comment;
enough reports from trusted members still do."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Comment, CommentStatus, utcnow
from tests.factories import make_comment

ESTABLISHED = {"created_at": utcnow() - timedelta(days=30), "approved_comment_count": 4}


@pytest.fixture(autouse=True)
def trust_takes_time(app):
    """The production rule: members are trusted after three days and one approved comment."""
    app.config["TRUSTED_AFTER_DAYS"] = 3
    app.config["TRUSTED_AFTER_APPROVED_COMMENTS"] = 1


@pytest.fixture
def target(make_article, make_user):
    return make_comment(make_article(), make_user("writer"), "An unpopular but fair opinion")


def report(forms, comment):
    response = forms.submit(f"/comments/{comment.id}/report", {"reason": "off-topic"})
    assert response.status_code == 302
    return response


def comment_status(comment):
    db.session.expire_all()
    return db.session.get(Comment, comment.id).status


def reported_queue(member_at):
    moderator = member_at("mod_maya", staff="moderator")
    return moderator.client.get("/moderation/queue/reported").get_data(as_text=True)


def test_reports_from_throwaway_accounts_reach_the_queue_but_hide_nothing(member_at, target):
    for name in ("throwaway1", "throwaway2", "throwaway3", "throwaway4"):
        report(member_at(name), target)

    assert comment_status(target) is CommentStatus.PUBLISHED
    queue = reported_queue(member_at)
    assert target.body_markdown in queue
    assert "4 reports" in queue
    assert "throwaway4" in queue


def test_reports_from_trusted_members_still_hide_a_comment(member_at, target):
    report(member_at("throwaway1"), target)
    report(member_at("throwaway2"), target)
    report(member_at("regular1", **ESTABLISHED), target)
    report(member_at("verified", role="professional", verified=True), target)
    assert comment_status(target) is CommentStatus.PUBLISHED

    report(member_at("regular2", **ESTABLISHED), target)

    assert comment_status(target) is CommentStatus.HIDDEN


def test_members_whose_comments_were_removed_are_not_trusted(member_at, target):
    for n in range(3):
        report(member_at(f"troublesome{n}", **ESTABLISHED, trust_score=-3), target)
    assert comment_status(target) is CommentStatus.PUBLISHED
