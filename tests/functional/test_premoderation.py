"""Which new comments wait for a moderator, and what their authors and others see."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import BannedWord, Comment, CommentStatus


@pytest.fixture
def article(app, make_article):
    app.config["PREMODERATE_FIRST_COMMENTS"] = 2
    app.config["PREMODERATE_LINKS_UNTIL"] = 5
    return make_article(slug="friend-your-therapist")


def post(forms, text, article):
    page = f"/articles/{article.slug}"
    return forms.submit(page, {"body": text}, action_url=f"{page}/comments", follow_redirects=True)


def latest_comment():
    return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()


def test_first_comments_wait_and_only_their_author_sees_them(forms, client, make_user, article):
    make_user("newcomer")
    forms.login("newcomer")
    response = post(forms, "Hello, first time here.", article)
    html = response.get_data(as_text=True)
    assert "awaits review" in html
    comment = latest_comment()
    assert comment.status is CommentStatus.PENDING
    assert "first comments are reviewed" in comment.pending_reason
    assert "Hello, first time here." in html and "awaiting review" in html.lower()
    forms.logout()
    assert "Hello, first time here." not in client.get(f"/articles/{article.slug}").get_data(
        as_text=True
    )


def test_established_members_post_at_once(forms, make_user, article):
    make_user("regular", approved_comment_count=10)
    forms.login("regular")
    post(forms, "I would not accept the request.", article)
    assert latest_comment().status is CommentStatus.PUBLISHED


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("This site is a total SCAM.", "word on the moderators' list"),
        ("Read more at https://example.org/boundaries", "links from new members"),
        ("My therapist Dr. Hoffmann said the same.", "may reveal someone's identity"),
        ("You can reach her on 503 555 0199.", "may reveal someone's identity"),
    ],
)
def test_risky_comments_wait_with_the_reason(forms, make_user, article, text, reason):
    db.session.add(BannedWord(word="scam"))
    db.session.commit()
    make_user("regular", approved_comment_count=2)
    forms.login("regular")
    post(forms, text, article)
    comment = latest_comment()
    assert comment.status is CommentStatus.PENDING
    assert reason in comment.pending_reason


def test_premoderated_article_holds_every_comment(forms, make_user, article):
    article.premoderated = True
    db.session.commit()
    make_user("regular", approved_comment_count=50)
    forms.login("regular")
    post(forms, "Plain words.", article)
    assert latest_comment().status is CommentStatus.PENDING


def test_low_trust_sends_comments_to_the_queue(forms, make_user, article):
    make_user("often_removed", approved_comment_count=20, trust_score=-5)
    forms.login("often_removed")
    post(forms, "Plain words.", article)
    assert "reviewed" in latest_comment().pending_reason


def test_crisis_language_shows_resources_and_flags_without_blocking(
    forms, client, make_user, make_user_moderator, article
):
    make_user("struggling", approved_comment_count=10)
    forms.login("struggling")
    html = post(forms, "Honestly some nights I want to die.", article).get_data(as_text=True)
    comment = latest_comment()
    assert comment.status is CommentStatus.PUBLISHED and comment.crisis_flag
    assert "988" in html  # the configured crisis resources
    forms.logout()
    forms.login(make_user_moderator.username)
    queue = client.get("/moderation/queue/pending").get_data(as_text=True)
    assert "Crisis language" in queue and "some nights I want to die" in queue


def test_edit_that_adds_identity_goes_back_to_review(forms, make_user, article):
    make_user("regular", approved_comment_count=10)
    forms.login("regular")
    post(forms, "My therapist is great.", article)
    comment = latest_comment()
    forms.submit(f"/comments/{comment.id}/edit", {"body": "My therapist Dr. Hoffmann is great."})
    db.session.refresh(comment)
    assert comment.status is CommentStatus.PENDING
    assert comment.pending_reason.startswith("edited:")


@pytest.fixture
def make_user_moderator(make_user):
    return make_user("mod_on_duty", staff="moderator")
