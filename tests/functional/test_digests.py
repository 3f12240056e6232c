"""Daily and weekly digests: a member's unread notices of the kinds they chose, in one e-mail,
each notice mailed once however often the job runs."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import transaction
from app.extensions import db
from app.jobs import periodic
from app.jobs.periodic import BY_NAME
from app.models import (
    CommentStatus,
    Follow,
    MailFrequency,
    MailTopic,
    Notification,
    User,
    utcnow,
)
from app.services.accounts.unsubscribe import unsubscription_for
from app.services.discussion import digests
from app.services.discussion.follows import notify_followers
from app.services.discussion.notifications import mark_read, notify_reply
from tests.factories import make_comment

SITE = "https://boundaries.example.org"


@pytest.fixture(autouse=True)
def site_address(app):
    """Digests are sent by periodic jobs, outside any request: their links need BASE_URL."""
    app.config["BASE_URL"] = SITE


@pytest.fixture
def friend(make_article):
    return make_article(title="Would you friend your therapist?", slug="friend")


@pytest.fixture
def gift(make_article):
    return make_article(title="Should a counselor accept a gift?", slug="gift")


@pytest.fixture
def sam(make_user):
    return make_user("sam")


def member_with(make_user, username, **settings):
    return make_user(username, email=f"{username}@example.org", **settings)


def follow(member, *articles):
    for article in articles:
        db.session.add(Follow(user_id=member.id, article_id=article.id))
    db.session.commit()


def comment_on(article, author, body, parent=None, status=CommentStatus.PUBLISHED):
    """A comment announced as the jobs would: to the parent's author and the followers."""
    comment = make_comment(article, author, body, parent=parent, status=status)
    notify_reply(comment)
    notify_followers(comment)
    transaction.commit()
    return comment


def run_digests(frequency=MailFrequency.DAILY):
    queued = digests.queue_digests(frequency)
    transaction.commit()  # the members' digest jobs, then their mail, run after the commit
    return queued


def unmailed(member):
    db.session.expire_all()
    return db.session.scalars(
        select(Notification.id).where(
            Notification.recipient_id == member.id, Notification.mailed_at.is_(None)
        )
    ).all()


def test_a_daily_digest_gathers_replies_and_followed_comments_into_one_e_mail(
    make_user, friend, gift, sam, sent_mail
):
    robin = member_with(
        make_user, "robin", reply_emails=MailFrequency.DAILY, follow_emails=MailFrequency.DAILY
    )
    follow(robin, friend, gift)
    mine = make_comment(friend, robin, "I would never add my therapist.")
    reply = comment_on(friend, sam, "Why not, if the profile is private?", parent=mine)
    first = comment_on(friend, sam, "Friends of friends would see it.")
    second = comment_on(gift, sam, "A small gift can be fine.")
    comment_on(gift, sam, "Some codes say never.", status=CommentStatus.PENDING)
    removed = comment_on(gift, sam, "Later removed.")
    removed.status = CommentStatus.REMOVED
    transaction.commit()
    assert sent_mail == [], "nothing is mailed at once"

    assert run_digests() == 1

    [(to, subject, body, headers)] = sent_mail
    assert to == "robin@example.org"
    assert subject == "Your daily digest from Boundaries: 1 reply and 2 new comments"
    assert "Replies to your comments (1)" in body
    assert "sam replied to your comment on “Would you friend your therapist?”:" in body
    assert "Why not, if the profile is private?" in body
    assert f"{SITE}/comments/{reply.id}#c{reply.id}" in body
    assert "New comments on articles you follow (2)" in body
    assert body.index("“Would you friend your therapist?”\n- sam: Friends of friends") < body.index(
        "“Should a counselor accept a gift?”\n- sam: A small gift can be fine."
    )
    assert f"{SITE}/comments/{first.id}#c{first.id}" in body
    assert f"{SITE}/comments/{second.id}#c{second.id}" in body
    assert "Some codes say never." not in body and "Later removed." not in body
    # One link stops the whole digest (and is offered to the mail program); one per kind.
    stop_all = re.search(r"Stop this digest \(no need to log in\): (\S+)", body).group(1)
    assert headers["List-Unsubscribe"] == f"<{stop_all}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(unsubscription_for(stop_all.rpartition("/")[2]).topics) == set(MailTopic)
    stop_replies = re.search(
        r"Stop e-mails about replies to your comments \(no need to log in\): (\S+)", body
    ).group(1)
    assert unsubscription_for(stop_replies.rpartition("/")[2]).topics == (MailTopic.REPLIES,)


def test_each_notice_is_mailed_once_however_often_the_job_runs(make_user, friend, sam, sent_mail):
    robin = member_with(make_user, "robin", follow_emails=MailFrequency.DAILY)
    follow(robin, friend)
    comment_on(friend, sam, "A first answer.")

    run_digests()
    assert run_digests() == 0
    assert digests.send_digest(robin.id, "daily") == 0

    assert len(sent_mail) == 1
    assert unmailed(robin) == []

    comment_on(friend, sam, "A later answer.")
    run_digests()

    assert len(sent_mail) == 2
    assert "A later answer." in sent_mail[1].body and "A first answer." not in sent_mail[1].body
    assert sent_mail[1].subject.endswith(": 1 new comment")


def test_the_weekly_digest_takes_the_kinds_chosen_weekly(make_user, friend, sam, sent_mail):
    robin = member_with(
        make_user, "robin", reply_emails=MailFrequency.DAILY, follow_emails=MailFrequency.WEEKLY
    )
    follow(robin, friend)
    mine = make_comment(friend, robin, "My thought.")
    comment_on(friend, sam, "A reply to robin.", parent=mine)
    comment_on(friend, sam, "A comment for the followers.")

    run_digests(MailFrequency.DAILY)
    run_digests(MailFrequency.WEEKLY)

    daily, weekly = sent_mail
    assert daily.subject == "Your daily digest from Boundaries: 1 reply"
    assert "A reply to robin." in daily.body and "for the followers" not in daily.body
    assert weekly.subject == "Your weekly digest from Boundaries: 1 new comment"
    assert "A comment for the followers." in weekly.body and "A reply to robin" not in weekly.body


def test_read_notices_those_mailed_at_once_and_members_without_digests_get_none(
    make_user, friend, sam, sent_mail
):
    reader = member_with(make_user, "reader", follow_emails=MailFrequency.DAILY)
    at_once = member_with(make_user, "atonce", follow_emails=MailFrequency.IMMEDIATELY)
    never = member_with(make_user, "never")
    no_address = make_user("noaddress", follow_emails=MailFrequency.DAILY)
    for member in (reader, at_once, never, no_address):
        follow(member, friend)
    comment_on(friend, sam, "Seen already, or mailed already.")
    for notice in db.session.scalars(
        select(Notification).where(Notification.recipient_id == reader.id)
    ):
        mark_read(notice)
    transaction.commit()
    assert [m.to for m in sent_mail] == ["atonce@example.org"]

    assert run_digests() == 0

    assert [m.to for m in sent_mail] == ["atonce@example.org"]


def test_a_long_digest_shows_the_first_notices_and_counts_the_rest(
    make_user, friend, sam, sent_mail, monkeypatch
):
    monkeypatch.setattr(digests, "DIGEST_SHOWS", 3)
    robin = member_with(make_user, "robin", follow_emails=MailFrequency.DAILY)
    follow(robin, friend)
    for n in range(5):
        comment_on(friend, sam, f"Answer number {n}.")

    run_digests()

    [message] = sent_mail
    assert message.subject.endswith(": 5 new comments")
    assert "New comments on articles you follow (3)" in message.body
    assert "Answer number 2." in message.body and "Answer number 3." not in message.body
    assert f"And 2 more in your inbox: {SITE}/inbox/" in message.body
    assert unmailed(robin) == []


def test_notices_older_than_the_digest_window_are_left_to_the_inbox(
    make_user, friend, sam, sent_mail
):
    robin = member_with(make_user, "robin", follow_emails=MailFrequency.DAILY)
    follow(robin, friend)
    comment_on(friend, sam, "Long ago.")
    db.session.execute(
        Notification.__table__.update().values(
            created_at=utcnow() - digests.DIGEST_WITHIN - timedelta(days=1)
        )
    )
    transaction.commit()

    assert run_digests() == 0
    assert sent_mail == []


def test_unsubscribing_from_the_digest_stops_the_next_one(app, make_user, friend, sam, sent_mail):
    robin = member_with(
        make_user, "robin", reply_emails=MailFrequency.DAILY, follow_emails=MailFrequency.WEEKLY
    )
    follow(robin, friend)
    comment_on(friend, sam, "For the weekly digest.")
    run_digests(MailFrequency.WEEKLY)
    [message] = sent_mail

    response = app.test_client().post(
        message.headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    )

    assert response.status_code == 200

    db.session.expire_all()
    robin = db.session.get(User, robin.id)
    assert robin.follow_emails is MailFrequency.NEVER
    assert robin.reply_emails is MailFrequency.DAILY, "the digest held no replies"
    comment_on(friend, sam, "After unsubscribing.")
    assert run_digests(MailFrequency.WEEKLY) == 0


def test_digests_run_daily_and_on_mondays_at_seven_utc():
    monday_noon = utcnow().replace(year=2026, month=11, day=30, hour=12, minute=0)

    daily = BY_NAME["daily-digest"].next_due(monday_noon)
    weekly = BY_NAME["weekly-digest"].next_due(monday_noon)

    assert (daily.strftime("%A %H:%M"), daily.day) == ("Tuesday 07:00", 1)
    assert (weekly.strftime("%A %H:%M"), weekly.day) == ("Monday 07:00", 7)


def test_a_process_without_redis_sends_digests_at_their_time_not_when_it_starts():
    submitted = {}

    class Runner:
        def submit(self, name, args, *, at=None, key=None):
            submitted[args[0]] = at

    periodic.start_in_process(Runner())

    assert submitted["resend-overdue-mail"] is None, "sweeps run at once"
    for name in ("daily-digest", "weekly-digest"):
        assert submitted[name] > utcnow() and submitted[name].strftime("%H:%M") == "07:00"
