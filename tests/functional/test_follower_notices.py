"""New comments on a followed article: a notice in each follower's inbox, once, and an
e-mail at once for those who asked for one."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import transaction
from app.extensions import db
from app.models import (
    ArticleStatus,
    CommentStatus,
    Follow,
    MailFrequency,
    MailTopic,
    Notification,
    NotificationKind,
    utcnow,
)
from app.services.accounts.unsubscribe import unsubscription_for
from app.services.discussion.follows import announce_missed_follower_notices, notify_followers
from app.services.discussion.notifications import notify_reply
from app.services.moderation import review
from tests.factories import make_comment


@pytest.fixture
def article(make_article):
    return make_article(title="Would you friend your therapist?", slug="friend-your-therapist")


def following(article, *members, since=None):
    for member in members:
        db.session.add(
            Follow(user_id=member.id, article_id=article.id, created_at=since or utcnow())
        )
    db.session.commit()


def notices(kind=NotificationKind.FOLLOWED_COMMENT):
    db.session.expire_all()
    return db.session.execute(
        select(Notification.recipient_id, Notification.comment_id)
        .where(Notification.kind == kind)
        .order_by(Notification.recipient_id)
    ).all()


def post(forms, article, body, parent=None):
    action = f"/comments/{parent.id}/reply" if parent else f"/articles/{article.slug}/comments"
    response = forms.submit(f"/articles/{article.slug}", {"body": body}, action)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_new_comment_reaches_every_follower_but_its_author(member_at, client, make_user, article):
    robin, sam, kai = make_user("robin"), make_user("sam"), make_user("kai")
    make_user("nobody")  # follows nothing
    following(article, robin, sam, kai)

    post(member_at("sam"), article, "I keep my feeds private.")

    [comment_id] = {comment for _, comment in notices()}
    assert notices() == [(robin.id, comment_id), (kai.id, comment_id)]
    inbox = member_at("robin").client.get("/inbox/").get_data(as_text=True)
    assert "<strong>sam</strong> commented on" in inbox
    assert "“Would you friend your therapist?”</a>, which you follow" in inbox
    assert "I keep my feeds private." in inbox
    assert "Read the comment" in inbox


def test_a_reply_is_told_once_to_its_parent_author_who_also_follows(member_at, make_user, article):
    robin, kai = make_user("robin"), make_user("kai")
    following(article, robin, kai)
    parent = make_comment(article, robin, "I would never add my therapist.")

    post(member_at("sam"), article, "Why not, if the profile is private?", parent=parent)

    # Robin hears of it as a reply to her comment; Kai as a comment on what he follows.
    assert [recipient for recipient, _ in notices(NotificationKind.REPLY)] == [robin.id]
    assert [recipient for recipient, _ in notices()] == [kai.id]
    inbox = member_at("kai").client.get("/inbox/").get_data(as_text=True)
    assert "<strong>sam</strong> replied in the discussion of" in inbox


def test_the_parent_author_is_left_to_the_reply_notice_whichever_job_runs_first(make_user, article):
    robin, sam = make_user("robin"), make_user("sam")
    following(article, robin)
    parent = make_comment(article, robin, "I would never add my therapist.")
    reply = make_comment(article, sam, "Why not?", parent=parent)

    assert notify_followers(reply) == 0
    notify_reply(reply)

    assert notices() == []
    assert notices(NotificationKind.REPLY) == [(robin.id, reply.id)]


def test_a_comment_waiting_for_review_is_told_when_it_is_approved(make_user, article):
    robin, sam = make_user("robin"), make_user("sam")
    moderator = make_user("moe", staff="moderator")
    following(article, robin)
    held = make_comment(article, sam, "Held back", status=CommentStatus.PENDING)

    assert notify_followers(held) == 0
    assert notices() == []

    review.approve(held, moderator)
    transaction.commit()  # the notices' job runs after the commit

    assert notices() == [(robin.id, held.id)]


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.REMOVED]
)
def test_comments_readers_cannot_see_are_not_told(make_user, article, status):
    robin, sam = make_user("robin"), make_user("sam")
    following(article, robin)
    comment = make_comment(article, sam, "Not for everyone's eyes", status=status)

    assert notify_followers(comment) == 0
    assert notices() == []


def test_comments_on_an_article_taken_offline_are_not_told(make_user, article):
    robin, sam = make_user("robin"), make_user("sam")
    following(article, robin)
    held = make_comment(article, sam, "Approved after the article was withdrawn")
    article.status = ArticleStatus.DRAFT
    db.session.commit()

    assert notify_followers(held) == 0
    assert notices() == []


def test_a_comment_is_told_once_however_many_jobs_try(make_user, article):
    robin, sam = make_user("robin"), make_user("sam")
    following(article, robin)
    comment = make_comment(article, sam, "Why not?")

    assert notify_followers(comment) == 1
    assert notify_followers(comment) == 0
    assert notices() == [(robin.id, comment.id)]
    db.session.add(
        Notification(
            recipient_id=robin.id, kind=NotificationKind.FOLLOWED_COMMENT, comment_id=comment.id
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_followers_who_asked_get_an_e_mail_at_once(member_at, make_user, article, sent_mail):
    keen = make_user("keen", email="keen@example.org", follow_emails=MailFrequency.IMMEDIATELY)
    daily = make_user("daily", email="daily@example.org", follow_emails=MailFrequency.DAILY)
    quiet = make_user("quiet", email="quiet@example.org")
    no_address = make_user("noaddress", follow_emails=MailFrequency.IMMEDIATELY)
    following(article, keen, daily, quiet, no_address)

    post(member_at("writer"), article, "Tom & Jerry say *hi*")

    [(to, subject, body, headers)] = sent_mail
    comment_id = notices()[0][1]
    assert to == "keen@example.org"
    assert subject == "writer commented on “Would you friend your therapist?”, which you follow"
    assert "writer commented on “Would you friend your therapist?”, an article you follow:" in body
    assert "Tom & Jerry say hi" in body
    assert f"http://localhost/comments/{comment_id}#c{comment_id}" in body
    assert "http://localhost/account/settings" in body
    stop = re.search(r"Stop these e-mails \(no need to log in\): (\S+)", body).group(1)
    assert headers["List-Unsubscribe"] == f"<{stop}>"
    assert unsubscription_for(stop.rpartition("/")[2]).topics == (MailTopic.FOLLOWS,)
    mailed = dict(
        db.session.execute(
            select(Notification.recipient_id, Notification.mailed_at).where(
                Notification.kind == NotificationKind.FOLLOWED_COMMENT
            )
        ).all()
    )
    assert mailed[keen.id] is not None
    assert mailed[daily.id] is None and mailed[quiet.id] is None and mailed[no_address.id] is None


def test_comments_whose_notice_was_lost_are_told_by_the_sweep(make_user, article):
    """Comments stored directly stand for comments whose server was killed after the commit."""
    robin, sam, late = make_user("robin"), make_user("sam"), make_user("late")
    old = utcnow() - timedelta(minutes=30)
    following(article, robin, since=old - timedelta(days=1))
    lost = make_comment(article, sam, "Why not?", created_at=old)
    own = make_comment(article, robin, "My own thought", created_at=old)
    held = make_comment(article, sam, "Held", created_at=old, status=CommentStatus.PENDING)
    fresh = make_comment(article, sam, "Its job may still be on the way")
    following(article, late)  # followed after these comments: not owed a notice of them

    assert announce_missed_follower_notices() == 1
    transaction.commit()
    assert announce_missed_follower_notices() == 0, "the second sweep finds nothing left"

    told = notices()
    assert (robin.id, lost.id) in told
    assert {own.id, held.id, fresh.id}.isdisjoint(comment for _, comment in told)
