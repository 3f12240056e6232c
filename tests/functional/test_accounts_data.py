"""Export my data, and delete my account with everything personal in it."""

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentRevision,
    CommentStatus,
    CommunityRole,
    HelpfulMark,
    Notification,
    NotificationKind,
    Report,
    ReportReason,
    User,
    Vote,
    VoteHistory,
)
from app.services.polls.tally import Scope, option_counts
from app.services.polls.voting import cast_vote
from tests.factories import DEFAULT_PASSWORD, make_comment


@pytest.fixture
def active_member(make_user, make_article):
    """A member who voted, commented, was replied to, marked and reported comments."""
    member = make_user("steadyoak", role="client", email="oak@example.org", show_role_badge=True)
    other = make_user("quietfern", role="professional", discipline="counselor")
    article = make_article(
        "Would you friend your therapist?",
        slug="friend-your-therapist",
        poll_question="Would you accept the request?",
        poll_options=("Yes", "No"),
    )
    poll = article.poll
    cast_vote(poll, [poll.options[0].id], user=member)
    cast_vote(poll, [poll.options[1].id], user=member)
    cast_vote(poll, [poll.options[1].id], user=other)
    db.session.commit()

    own = make_comment(article, member, "My therapist once saw me at the market.")
    db.session.add(CommentRevision(comment_id=own.id, body_markdown="First draft"))
    reply = make_comment(article, other, "That must have felt awkward.", parent=own)
    answered = make_comment(article, member, "It did, a little.", parent=reply)
    others = make_comment(article, other, "Boundaries protect both sides.")
    db.session.add_all(
        [
            Notification(
                recipient_id=member.id,
                kind=NotificationKind.REPLY,
                actor_id=other.id,
                comment_id=reply.id,
            ),
            HelpfulMark(comment_id=others.id, user_id=member.id, marker_role=CommunityRole.CLIENT),
            Report(comment_id=others.id, reporter_id=member.id, reason=ReportReason.OFF_TOPIC),
        ]
    )
    others.helpful_count = others.client_helpful_count = 1
    others.report_count = 1
    db.session.commit()
    return {
        "member": member,
        "other": other,
        "article": article,
        "poll": poll,
        "own": own,
        "reply": reply,
        "answered": answered,
        "others": others,
    }


def test_export_is_a_json_download_of_everything_about_me(client, forms, active_member):
    forms.login("steadyoak")

    response = forms.submit("/account/settings", {}, action_url="/account/export")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "boundaries-steadyoak.json" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))

    profile = data["profile"]
    assert profile["username"] == "steadyoak"
    assert profile["email"] == "oak@example.org"
    assert profile["community_role"] == "client"
    assert profile["show_role_badge"] is True
    assert "password" not in json.dumps(profile)

    comments = data["comments"]
    assert [c["body"] for c in comments] == [
        "My therapist once saw me at the market.",
        "It did, a little.",
    ]
    assert {c["article"] for c in comments} == {"friend-your-therapist"}
    assert all(c["status"] == "published" and c["created_at"] for c in comments)
    assert comments[0]["id"] == active_member["own"].id

    [vote] = data["votes"]
    assert vote["question"] == "Would you accept the request?"
    assert vote["options"] == ["No"]
    assert vote["cast_at"]

    [notification] = data["notifications"]
    assert notification["kind"] == "reply"
    assert notification["comment_id"] == active_member["reply"].id
    [report] = data["reports"]
    assert report["reason"] == str(ReportReason.OFF_TOPIC)
    assert report["comment_id"] == active_member["others"].id


def test_export_needs_post_with_a_csrf_token(client, forms, active_member):
    forms.login("steadyoak")
    assert client.get("/account/export").status_code == 405
    assert client.post("/account/export").status_code == 400


def test_export_shows_only_my_own_data(forms, active_member):
    forms.login("quietfern")
    response = forms.submit("/account/settings", {}, action_url="/account/export")
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["username"] == "quietfern"
    assert "market" not in json.dumps(data)
    assert data["notifications"] == []


def delete_account(forms, choice, password=DEFAULT_PASSWORD):
    return forms.submit(
        "/account/delete", {"comments": choice, "password": password}, follow_redirects=True
    )


def counts(poll):
    """Current answers per option, all groups together."""
    totals = {}
    for cell in option_counts(poll.id, Scope.ALL):
        totals[cell.option_id] = totals.get(cell.option_id, 0) + cell.count
    return totals


def assert_member_gone(forms, client, member_id):
    db.session.expire_all()
    assert db.session.get(User, member_id) is None
    assert (
        db.session.scalar(select(func.count()).select_from(Vote).where(Vote.user_id == member_id))
        == 0
    )
    assert db.session.scalar(select(func.count()).select_from(HelpfulMark)) == 0
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == member_id)
        )
        == 0
    )
    page = client.get("/").get_data(as_text=True)
    assert "steadyoak" not in page and "Log in" in page
    assert "Wrong username or password" in forms.login("steadyoak").get_data(as_text=True)


def test_delete_keeping_comments_as_deleted_user(client, forms, active_member):
    member_id = active_member["member"].id
    poll = active_member["poll"]
    before = counts(poll)
    forms.login("steadyoak")

    response = delete_account(forms, "keep")

    assert "Your account and personal data are deleted" in response.get_data(as_text=True)
    assert_member_gone(forms, client, member_id)
    own = db.session.get(Comment, active_member["own"].id)
    assert own.author_id is None
    assert own.status is CommentStatus.PUBLISHED
    assert own.body_markdown == "My therapist once saw me at the market."
    article_page = client.get("/articles/friend-your-therapist").get_data(as_text=True)
    assert "My therapist once saw me at the market." in article_page
    assert "[deleted user]" in article_page

    assert counts(poll) == before
    votes = db.session.scalars(select(Vote).where(Vote.poll_id == poll.id)).all()
    assert len(votes) == 2
    anonymous = [vote for vote in votes if vote.user_id is None]
    assert len(anonymous) == 1 and anonymous[0].voter_token.startswith("deleted-")
    history = db.session.scalars(
        select(VoteHistory).where(VoteHistory.vote_id == anonymous[0].id)
    ).all()
    assert len(history) == 2

    others = db.session.get(Comment, active_member["others"].id)
    assert others.helpful_count == 0 and others.report_count == 0
    assert others.client_helpful_count == 0


def test_delete_removing_comments(client, forms, active_member):
    member_id = active_member["member"].id
    article = active_member["article"]
    forms.login("steadyoak")

    delete_account(forms, "remove")

    assert_member_gone(forms, client, member_id)
    own = db.session.get(Comment, active_member["own"].id)
    assert own.status is CommentStatus.DELETED
    assert own.body_markdown == "" and own.body_html == ""
    assert db.session.scalar(select(func.count()).select_from(CommentRevision)) == 0
    reply = db.session.get(Comment, active_member["reply"].id)
    assert reply.status is CommentStatus.PUBLISHED and reply.parent_id == own.id
    assert db.session.get(Article, article.id).comment_count == 2
    article_page = client.get("/articles/friend-your-therapist").get_data(as_text=True)
    assert "market" not in article_page and "It did, a little" not in article_page
    assert "That must have felt awkward." in article_page
    assert sum(counts(active_member["poll"]).values()) == 2


def test_delete_needs_the_password(client, forms, active_member):
    forms.login("steadyoak")

    response = delete_account(forms, "remove", password="not my password")

    assert "not your password" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, active_member["member"].id) is not None
    assert db.session.get(Comment, active_member["own"].id).body_markdown


def test_delete_needs_a_choice_about_comments(forms, active_member):
    forms.login("steadyoak")
    response = forms.submit("/account/delete", {"password": DEFAULT_PASSWORD})
    assert "Choose what happens to your comments" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, active_member["member"].id) is not None


def test_the_delete_page_explains_and_offers_both_choices(client, forms, make_user):
    make_user("steadyoak")
    forms.login("steadyoak")
    html = client.get("/account/delete").get_data(as_text=True)
    assert "Remove my comments" in html
    assert "Keep my comments as [deleted user]" in html
    assert "Delete my account</button>" in html
    assert client.get("/account/delete").status_code == 200


def test_the_username_is_free_again_after_deletion(client, forms, make_user):
    make_user("steadyoak", email="oak@example.org")
    forms.login("steadyoak")
    delete_account(forms, "keep")
    response = forms.submit(
        "/account/register",
        {
            "username": "steadyoak",
            "email": "oak@example.org",
            "password": "a long and memorable passphrase",
            "community_role": "reader",
        },
    )
    assert response.status_code == 302
