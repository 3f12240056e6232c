"""Moderators work the queue, act on members and verify professionals; all of it is logged."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AccountStatus,
    Comment,
    CommentStatus,
    ModerationAction,
    Notification,
    VerificationStatus,
    utcnow,
)
from tests.conftest import csrf_token
from tests.factories import make_comment


@pytest.fixture
def moderator(make_user):
    return make_user("mod_maya", staff="moderator")


@pytest.fixture
def article(make_article):
    return make_article(poll_question="Would you friend your therapist?")


def log_entries(action=None):
    statement = select(ModerationAction).order_by(ModerationAction.id)
    if action:
        statement = statement.where(ModerationAction.action == action)
    return db.session.scalars(statement).all()


def test_three_reports_from_distinct_members_hide_a_comment(forms, client, make_user, article):
    author = make_user("writer")
    comment = make_comment(article, author, "Buy cheap pills at my site")
    for name in ("r1", "r2", "r3"):
        make_user(name)
        forms.login(name)
        response = forms.submit(
            f"/comments/{comment.id}/report", {"reason": "spam"}, follow_redirects=True
        )
        assert "A moderator will look at this comment" in response.get_data(as_text=True)
        forms.logout()
    db.session.refresh(comment)
    assert comment.status is CommentStatus.HIDDEN
    db.session.refresh(article)
    assert article.comment_count == 0


def test_after_a_moderator_approves_a_hidden_comment_reports_count_afresh(
    forms, moderator, make_user, article
):
    comment = make_comment(article, make_user("writer"), "A strong opinion")
    reporters = ["r1", "r2", "r3", "r4"]
    for name in reporters[:3]:
        make_user(name)
        forms.login(name)
        forms.submit(f"/comments/{comment.id}/report", {"reason": "off-topic"})
        forms.logout()
    forms.login("mod_maya")
    forms.submit(
        "/moderation/queue/reported", {}, action_url=f"/moderation/comments/{comment.id}/approve"
    )
    forms.logout()
    make_user("r4")
    forms.login("r4")

    forms.submit(f"/comments/{comment.id}/report", {"reason": "off-topic"})

    db.session.refresh(comment)
    assert comment.status is CommentStatus.PUBLISHED
    assert comment.report_count == 1


def test_a_member_reports_a_comment_only_once(forms, make_user, article):
    comment = make_comment(article, make_user("writer"))
    make_user("reporter")
    forms.login("reporter")
    forms.submit(f"/comments/{comment.id}/report", {"reason": "off-topic"})
    again = forms.submit(f"/comments/{comment.id}/report", {"reason": "spam"})
    assert again.status_code == 200
    assert "already reported" in again.get_data(as_text=True)


def test_other_needs_a_note(forms, make_user, article):
    comment = make_comment(article, make_user("writer"))
    make_user("reporter")
    forms.login("reporter")
    response = forms.submit(f"/comments/{comment.id}/report", {"reason": "other", "note": " "})
    assert "say what is wrong" in response.get_data(as_text=True)


def test_members_cannot_reach_the_queue(forms, client, make_user):
    make_user("plain")
    assert client.get("/moderation/queue/pending").status_code == 302
    forms.login("plain")
    assert client.get("/moderation/queue/pending").status_code == 403


def test_moderator_approves_a_pending_comment(forms, client, moderator, make_user, article):
    author = make_user("newbie")
    comment = make_comment(
        article,
        author,
        "My first comment",
        status=CommentStatus.PENDING,
        pending_reason="a member's first comments are reviewed",
    )
    forms.login("mod_maya")
    page = client.get("/moderation/queue/pending").get_data(as_text=True)
    assert "My first comment" in page and "first comments are reviewed" in page
    response = forms.submit(
        "/moderation/queue/pending", {}, action_url=f"/moderation/comments/{comment.id}/approve"
    )
    assert response.status_code == 302
    db.session.refresh(comment)
    db.session.refresh(author)
    assert comment.status is CommentStatus.PUBLISHED
    assert author.approved_comment_count == 1 and author.trust_score == 1
    assert [e.action for e in log_entries()] == ["approve"]
    assert log_entries()[0].actor_id == moderator.id


def test_a_spanish_moderator_reads_why_comments_wait_in_spanish(
    forms, client, moderator, make_user, article
):
    author = make_user("nueva")
    make_comment(
        article,
        author,
        "Mi primer comentario",
        status=CommentStatus.PENDING,
        pending_reason="a member's first comments are reviewed; may reveal someone's identity",
    )
    make_comment(
        article,
        author,
        "Lo he editado",
        status=CommentStatus.PENDING,
        pending_reason="edited: links from new members are reviewed",
    )
    forms.login("mod_maya")
    page = client.get(
        "/moderation/queue/pending", headers={"Accept-Language": "es-ES,es;q=0.9"}
    ).get_data(as_text=True)
    assert (
        "se revisan los primeros comentarios de cada miembro; "
        "puede revelar la identidad de alguien" in page
    )
    assert "editado: se revisan los enlaces de los miembros nuevos" in page
    assert "first comments are reviewed" not in page


def test_removal_tells_the_author_the_rule_and_allows_one_appeal(
    forms, client, moderator, make_user, article
):
    author = make_user("harsh")
    comment = make_comment(article, author, "You are all idiots")
    forms.login("mod_maya")
    forms.submit(
        "/moderation/queue/pending",
        {"rule": "Harassment or personal attacks", "note": "name-calling"},
        action_url=f"/moderation/comments/{comment.id}/remove",
    )
    db.session.refresh(comment)
    assert comment.status is CommentStatus.REMOVED
    assert comment.removal_reason == "Harassment or personal attacks: name-calling"
    message = db.session.scalar(
        select(Notification.message).where(Notification.recipient_id == author.id)
    )
    assert "Harassment or personal attacks" in message
    forms.logout()

    forms.login("harsh")
    page = client.get(f"/comments/{comment.id}/appeal").get_data(as_text=True)
    assert "Harassment or personal attacks" in page
    forms.submit(f"/comments/{comment.id}/appeal", {"text": "It was a joke among friends."})
    again = client.get(f"/comments/{comment.id}/appeal").get_data(as_text=True)
    assert "You appealed" in again and "Send appeal" not in again


@pytest.mark.parametrize(
    "back", ["/moderation/queue/pending?page=2", "//elsewhere.example", "/\t/elsewhere.example"]
)
def test_after_an_action_the_moderator_goes_back_only_within_the_site(
    forms, moderator, make_user, article, back
):
    comment = make_comment(article, make_user("newbie"), "Hello", status=CommentStatus.PENDING)
    forms.login("mod_maya")

    response = forms.submit(
        "/moderation/queue/pending",
        {"back": back},
        action_url=f"/moderation/comments/{comment.id}/approve",
    )

    location = response.headers["Location"]
    if back.startswith("/moderation"):
        assert location == back
    else:
        assert location.startswith("/moderation/") and "elsewhere" not in location


def test_restore_and_feature(forms, moderator, make_user, article):
    comment = make_comment(
        article,
        make_user("kind"),
        "A thoughtful answer",
        status=CommentStatus.REMOVED,
        removal_reason="Off-topic",
    )
    forms.login("mod_maya")
    forms.submit(
        "/moderation/queue/removed", {}, action_url=f"/moderation/comments/{comment.id}/restore"
    )
    forms.submit(
        "/moderation/queue/removed", {}, action_url=f"/moderation/comments/{comment.id}/feature"
    )
    db.session.refresh(comment)
    assert comment.status is CommentStatus.PUBLISHED and comment.featured
    assert [e.action for e in log_entries()] == ["restore", "feature"]


def test_bulk_approve(forms, moderator, make_user, article):
    author = make_user("many")
    ids = [
        make_comment(article, author, f"pending {n}", status=CommentStatus.PENDING).id
        for n in range(3)
    ]
    forms.login("mod_maya")
    page = forms.client.get("/moderation/queue/pending").get_data(as_text=True)
    forms.client.post(
        "/moderation/bulk/approve",
        data={"csrf_token": csrf_token(page), "comment_ids": [str(i) for i in ids]},
    )
    assert {c.status for c in db.session.scalars(select(Comment))} == {CommentStatus.PUBLISHED}
    assert len(log_entries("approve")) == 3


def test_suspend_and_ban_restrict_a_member_and_are_logged(forms, client, moderator, make_user):
    member = make_user("trouble")
    forms.login("mod_maya")
    until = (utcnow() + timedelta(days=7)).date().isoformat()
    forms.submit(
        f"/moderation/members/{member.id}",
        {"until": until, "reason": "Repeated insults"},
        action_url=f"/moderation/members/{member.id}/suspend",
    )
    db.session.refresh(member)
    assert member.account_status is AccountStatus.SUSPENDED and member.is_restricted()
    forms.submit(
        f"/moderation/members/{member.id}",
        {"reason": "Spam account"},
        action_url=f"/moderation/members/{member.id}/ban",
    )
    forms.submit(
        f"/moderation/members/{member.id}",
        {"reason": ""},
        action_url=f"/moderation/members/{member.id}/unban",
    )
    db.session.refresh(member)
    assert member.account_status is AccountStatus.ACTIVE
    assert [e.action for e in log_entries()] == ["suspend", "ban", "unban"]
    assert log_entries()[1].reason == "Spam account"


def test_moderators_cannot_act_on_admins(forms, moderator, make_user):
    admin = make_user("boss", staff="admin")
    forms.login("mod_maya")
    response = forms.submit(
        f"/moderation/members/{admin.id}",
        {"reason": "nope"},
        action_url=f"/moderation/members/{admin.id}/ban",
        follow_redirects=True,
    )
    assert "at or above your own level" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.account_status is AccountStatus.ACTIVE


def test_only_admins_change_staff_levels(forms, client, moderator, make_user):
    member = make_user("helper")
    forms.login("mod_maya")
    page = client.get(f"/moderation/members/{member.id}").get_data(as_text=True)
    response = client.post(
        f"/moderation/members/{member.id}/staff-level",
        data={"csrf_token": csrf_token(page), "level": "moderator"},
    )
    assert response.status_code == 403
    forms.logout()
    make_user("root", staff="admin")
    forms.login("root")
    forms.submit(
        f"/moderation/members/{member.id}",
        {"level": "moderator"},
        action_url=f"/moderation/members/{member.id}/staff-level",
    )
    db.session.refresh(member)
    assert member.staff_level.value == "moderator"
    entry = log_entries("staff-level")[0]
    assert entry.details == {"previous": "member", "new": "moderator"}


def test_professional_verification_flow(forms, client, moderator, make_user):
    pro = make_user("dr_sam", role="professional", discipline="psychologist")
    forms.login("dr_sam")
    forms.submit(
        "/account/verification",
        {
            "licence_type": "Licensed Psychologist",
            "licence_number": "PSY 12345",
            "jurisdiction": "California",
        },
    )
    db.session.refresh(pro)
    assert pro.verification_status is VerificationStatus.PENDING
    forms.logout()

    forms.login("mod_maya")
    page = client.get("/moderation/verifications").get_data(as_text=True)
    assert "PSY 12345" in page
    request_id = pro.verification_requests[0].id
    forms.submit(
        "/moderation/verifications",
        {},
        action_url=f"/moderation/verifications/{request_id}/approve",
    )
    db.session.refresh(pro)
    assert pro.is_verified_professional and pro.badge == "Verified professional"
    forms.submit(
        f"/moderation/members/{pro.id}",
        {"reason": "Licence lapsed"},
        action_url=f"/moderation/members/{pro.id}/revoke-verification",
    )
    db.session.refresh(pro)
    assert pro.verification_status is VerificationStatus.REVOKED and pro.badge is None
    assert [e.action for e in log_entries()] == ["verify", "revoke-verification"]


def test_declining_needs_a_reason(forms, client, moderator, make_user):
    pro = make_user("counselor", role="professional", discipline="counselor")
    forms.login("counselor")
    forms.submit(
        "/account/verification",
        {"licence_type": "LPC", "licence_number": "1", "jurisdiction": "Texas"},
    )
    forms.logout()
    forms.login("mod_maya")
    request_id = pro.verification_requests[0].id
    response = forms.submit(
        "/moderation/verifications",
        {"reason": ""},
        action_url=f"/moderation/verifications/{request_id}/decline",
        follow_redirects=True,
    )
    assert "Give the reason" in response.get_data(as_text=True)
    db.session.refresh(pro)
    assert pro.verification_status is VerificationStatus.PENDING


def test_banned_word_preview_and_list(forms, client, moderator, make_user, article):
    make_comment(article, make_user("a"), "This is a SCAM, honestly")
    make_comment(article, make_user("b"), "Scampi for dinner")
    forms.login("mod_maya")
    page = client.get("/moderation/words?preview=scam").get_data(as_text=True)
    assert "would have caught 1 recent comment" in page
    forms.submit("/moderation/words", {"word": "  Scam "})
    page = client.get("/moderation/words").get_data(as_text=True)
    assert "Remove “scam”" in page


def test_audit_log_filters_and_offers_no_way_to_edit(forms, client, moderator, make_user, article):
    comment = make_comment(article, make_user("w"), "text")
    forms.login("mod_maya")
    forms.submit(
        "/moderation/queue/pending", {}, action_url=f"/moderation/comments/{comment.id}/feature"
    )
    forms.submit(
        f"/moderation/members/{comment.author_id}",
        {"reason": "Be kind"},
        action_url=f"/moderation/members/{comment.author_id}/warn",
    )
    page = client.get("/moderation/log?action=warn").get_data(as_text=True)
    assert "Be kind" in page and "<td>feature</td>" not in page
    page = client.get("/moderation/log?actor=mod_maya").get_data(as_text=True)
    assert "feature" in page and "warn" in page


def test_curation_lock_and_poll_close(forms, moderator, article):
    forms.login("mod_maya")
    forms.submit("/moderation/articles", {}, action_url=f"/moderation/articles/{article.id}/lock")
    forms.submit(
        "/moderation/articles", {}, action_url=f"/moderation/polls/{article.poll.id}/close"
    )
    forms.submit(
        "/moderation/articles", {}, action_url=f"/moderation/articles/{article.id}/premoderate"
    )
    db.session.refresh(article)
    assert article.discussion_locked and article.premoderated
    assert article.poll.status().value == "closed"
    assert [e.action for e in log_entries()] == ["lock", "close-poll", "premoderate"]


def test_a_suspended_member_sees_why_and_cannot_comment(
    forms, client, moderator, make_user, article
):
    member = make_user("paused", approved_comment_count=10)
    forms.login("mod_maya")
    until = (utcnow() + timedelta(days=3)).date()
    forms.submit(
        f"/moderation/members/{member.id}",
        {"until": until.isoformat(), "reason": "Cooling-off period"},
        action_url=f"/moderation/members/{member.id}/suspend",
    )
    forms.logout()
    forms.login("paused")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Your account is suspended" in page and "Cooling-off period" in page
    response = forms.submit(
        f"/articles/{article.slug}",
        {"body": "Trying anyway"},
        action_url=f"/articles/{article.slug}/comments",
        follow_redirects=True,
    )
    assert "restricted" in response.get_data(as_text=True)
    assert db.session.scalar(select(Comment).where(Comment.author_id == member.id)) is None


def test_a_held_reply_reaches_the_parent_author_when_approved(forms, moderator, make_user, article):
    parent_author = make_user("asker")
    parent = make_comment(article, parent_author, "What would you do?")
    reply = make_comment(
        article,
        make_user("answerer"),
        "I would decline.",
        parent=parent,
        status=CommentStatus.PENDING,
    )
    forms.login("mod_maya")
    forms.submit(
        "/moderation/queue/pending", {}, action_url=f"/moderation/comments/{reply.id}/approve"
    )
    inbox = db.session.scalars(
        select(Notification).where(Notification.recipient_id == parent_author.id)
    ).all()
    assert [n.comment_id for n in inbox] == [reply.id]


def test_header_counts_match_every_queue_view(forms, client, moderator, make_user, article):
    author = make_user("author")
    make_user("reporter")
    make_comment(article, author, "waiting", status=CommentStatus.PENDING)
    make_comment(article, author, "I want to die some days", crisis_flag=True)
    make_comment(article, author, "hidden by reports", status=CommentStatus.HIDDEN)
    reported = make_comment(article, author, "reported once")
    make_comment(article, author, "gone", status=CommentStatus.REMOVED, removal_reason="Spam")
    make_comment(article, author, "fine")
    forms.login("reporter")
    forms.submit(f"/comments/{reported.id}/report", {"reason": "off-topic"})
    forms.logout()
    forms.login("mod_maya")
    for view, expected in (("pending", 2), ("reported", 2), ("removed", 1)):
        page = client.get(f"/moderation/queue/{view}").get_data(as_text=True)
        assert f"({expected})</span></h2>" in page, view
        assert f'{view.capitalize()} <span class="count">{expected}</span>' in page, view
