"""Reply notifications: the inbox, the unread count in the header, and opt-in e-mail."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from app import transaction
from app.extensions import db
from app.models import (
    Comment,
    CommentStatus,
    MailFrequency,
    Notification,
    NotificationKind,
    utcnow,
)
from app.services.discussion.notifications import announce_missed_replies, notify_reply
from tests.factories import make_comment

UNREAD_BADGE = re.compile(
    r'Inbox <span class="nav-count">(\d+)<span class="visually-hidden"> unread'
)


@pytest.fixture
def article(make_article):
    return make_article(title="Would you friend your therapist?")


@pytest.fixture
def robin(make_user):
    return make_user("robin", role="client")


@pytest.fixture
def sam(make_user):
    return make_user("sam", role="professional", discipline="counselor")


def reply_through_the_form(forms, article, parent, body):
    response = forms.submit(
        f"/articles/{article.slug}", {"body": body}, f"/comments/{parent.id}/reply"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(
        select(Comment).where(Comment.parent_id == parent.id).order_by(Comment.id.desc())
    ).first()


def unread_in_header(client):
    match = UNREAD_BADGE.search(client.get("/").get_data(as_text=True))
    return int(match.group(1)) if match else 0


def make_notifications(recipient, actor, article, n, *, start=None):
    """n replies to one of the recipient's comments, one minute apart, oldest first."""
    start = start or utcnow() - timedelta(days=1)
    parent = make_comment(article, recipient, "My first thought")
    replies = []
    for i in range(n):
        reply = make_comment(article, actor, f"Reply number {i}", parent=parent)
        db.session.add(
            Notification(
                recipient_id=recipient.id,
                kind=NotificationKind.REPLY,
                actor_id=actor.id,
                comment_id=reply.id,
                created_at=start + timedelta(minutes=i),
            )
        )
        replies.append(reply)
    db.session.commit()
    return replies


def test_a_reply_notifies_the_parent_author_and_only_them(forms, client, article, robin, sam):
    parent = make_comment(article, robin, "I would never add my therapist.")
    forms.login("sam")

    reply = reply_through_the_form(forms, article, parent, "Why not, if the profile is private?")

    notification = db.session.scalars(select(Notification)).one()
    assert (notification.recipient_id, notification.actor_id) == (robin.id, sam.id)
    assert notification.kind is NotificationKind.REPLY
    assert notification.comment_id == reply.id and notification.read_at is None
    assert unread_in_header(client) == 0, "the author of the reply sees no count"

    forms.logout()
    forms.login("robin")
    assert unread_in_header(client) == 1


def test_replying_to_yourself_notifies_nobody(forms, client, article, robin):
    parent = make_comment(article, robin, "A first thought")
    forms.login("robin")

    reply_through_the_form(forms, article, parent, "And a second thought")

    assert db.session.scalars(select(Notification)).all() == []
    assert unread_in_header(client) == 0


def test_a_reply_to_a_comment_whose_author_left_notifies_nobody(forms, article, sam):
    parent = make_comment(article, None, "Written by someone who deleted their account")
    forms.login("sam")

    reply_through_the_form(forms, article, parent, "Still worth answering")

    assert db.session.scalars(select(Notification)).all() == []


def test_a_reply_waiting_for_a_moderator_is_not_announced_yet(article, robin, sam):
    parent = make_comment(article, robin, "A first thought")
    held = make_comment(article, sam, "Held back", parent=parent, status=CommentStatus.PENDING)

    assert notify_reply(held) is None
    assert db.session.scalars(select(Notification)).all() == []


def test_a_reply_whose_notice_was_lost_is_announced_once_by_the_sweep(
    article, robin, sam, make_user
):
    """Replies stored directly stand for replies whose server was killed after the commit."""
    parent = make_comment(article, robin, "I would never add my therapist.")
    old = utcnow() - timedelta(minutes=30)
    lost = make_comment(article, sam, "Why not?", parent=parent, created_at=old)
    own = make_comment(article, robin, "Because of the boundary", parent=parent, created_at=old)
    held = make_comment(
        article, sam, "Held back", parent=parent, created_at=old, status=CommentStatus.PENDING
    )
    fresh = make_comment(article, sam, "Its job may still be on the way", parent=parent)
    month_old = make_comment(
        article, sam, "Posted before the window", parent=parent, created_at=old - timedelta(days=30)
    )

    assert announce_missed_replies() == 1
    transaction.commit()  # the notice's job runs once the sweep's transaction commits
    assert announce_missed_replies() == 0, "the second sweep finds nothing left to tell"

    told = db.session.scalars(select(Notification.comment_id)).all()
    assert told == [lost.id]
    assert {own.id, held.id, fresh.id, month_old.id}.isdisjoint(told)


def test_the_sweep_mails_a_lost_reply_with_links_on_the_site_address(
    app, article, make_user, sam, sent_mail
):
    """The sweep's job runs outside any request: its links come from BASE_URL alone."""
    app.config["BASE_URL"] = "https://boundaries.example.org"
    keen = make_user("keen", email="keen@example.org", reply_emails=MailFrequency.IMMEDIATELY)
    parent = make_comment(article, keen, "I would never add my therapist.")
    lost = make_comment(
        article, sam, "Why not?", parent=parent, created_at=utcnow() - timedelta(minutes=30)
    )

    assert announce_missed_replies() == 1
    transaction.commit()

    [(to, _, body, _)] = sent_mail
    assert to == "keen@example.org"
    assert f"https://boundaries.example.org/comments/{lost.id}#c{lost.id}" in body
    assert "https://boundaries.example.org/account/settings" in body


def test_a_reply_is_announced_once_however_many_jobs_try(article, robin, sam):
    parent = make_comment(article, robin, "I would never add my therapist.")
    reply = make_comment(article, sam, "Why not?", parent=parent)
    first = notify_reply(reply)

    assert notify_reply(reply) == first
    db.session.add(
        Notification(recipient_id=robin.id, kind=NotificationKind.REPLY, comment_id=reply.id)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_inbox_lists_replies_newest_first_and_opens_them_in_context(
    forms, client, article, robin, sam
):
    first, second = make_notifications(robin, sam, article, 2)
    forms.login("robin")

    page = client.get("/inbox/").get_data(as_text=True)

    assert "<h1>Inbox</h1>" in page
    assert "You have 2 unread notifications." in page
    assert page.index("Reply number 1") < page.index("Reply number 0")
    assert page.count("inbox-item-unread") == 2
    assert "<strong>sam</strong> replied to your comment" in page
    assert f'href="/articles/{article.slug}">“Would you friend your therapist?”</a>' in page

    newest = db.session.scalars(
        select(Notification).where(Notification.comment_id == second.id)
    ).one()
    response = forms.submit("/inbox/", {}, f"/inbox/{newest.id}/read")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/comments/{second.id}#c{second.id}"
    assert f'id="c{second.id}"' in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(newest)
    assert newest.read_at is not None
    page = client.get("/inbox/").get_data(as_text=True)
    assert page.count("inbox-item-unread") == 1
    assert f'<a href="/comments/{second.id}#c{second.id}">Read the reply' in page
    assert unread_in_header(client) == 1


def test_mark_all_as_read_clears_the_count(forms, client, article, robin, sam):
    make_notifications(robin, sam, article, 3)
    forms.login("robin")
    assert unread_in_header(client) == 3

    response = forms.submit("/inbox/", {}, "/inbox/read-all", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Marked 3 notifications as read." in page
    assert "You are all caught up." in page
    assert "Mark all as read" not in page
    assert "inbox-item-unread" not in page
    assert unread_in_header(client) == 0
    assert all(n.read_at for n in db.session.scalars(select(Notification)))


def test_the_inbox_is_paginated(forms, client, article, robin, sam):
    make_notifications(robin, sam, article, 23)
    forms.login("robin")

    first = client.get("/inbox/").get_data(as_text=True)
    second = client.get("/inbox/?page=2").get_data(as_text=True)

    assert first.count('class="inbox-item') == 20
    assert "Reply number 22" in first and "Reply number 2<" not in first
    assert "Page 1 of 2" in first and 'href="/inbox/?page=2"' in first
    assert second.count('class="inbox-item') == 3
    assert [int(n) for n in re.findall(r"Reply number (\d+)", second)] == [2, 1, 0]
    assert client.get("/inbox/?page=9").status_code == 302


def test_members_see_only_their_own_notifications(forms, client, article, robin, sam):
    make_notifications(robin, sam, article, 1)
    notification = db.session.scalars(select(Notification)).one()
    forms.login("sam")

    assert "Nothing here yet." in client.get("/inbox/").get_data(as_text=True)
    response = forms.submit("/inbox/", {}, f"/inbox/{notification.id}/read")
    assert response.status_code == 404
    db.session.refresh(notification)
    assert notification.read_at is None


def test_the_inbox_needs_a_member(client):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_opening_a_notification_needs_the_csrf_token(forms, client, article, robin, sam):
    make_notifications(robin, sam, article, 1)
    notification = db.session.scalars(select(Notification)).one()
    forms.login("robin")

    assert client.post(f"/inbox/{notification.id}/read").status_code == 400
    db.session.refresh(notification)
    assert notification.read_at is None


def test_notices_from_moderators_show_their_message(forms, client, robin):
    db.session.add(
        Notification(
            recipient_id=robin.id,
            kind=NotificationKind.ACCOUNT,
            message="A moderator warned you: please keep it kind.",
        )
    )
    db.session.commit()
    forms.login("robin")

    page = client.get("/inbox/").get_data(as_text=True)
    assert "A moderator warned you: please keep it kind." in page
    assert '<button type="submit" class="link-button">Mark as read</button>' in page
    assert unread_in_header(client) == 1

    notice = db.session.scalars(select(Notification)).one()
    response = forms.submit("/inbox/", {}, f"/inbox/{notice.id}/read")

    assert response.headers["Location"] == "/inbox/"
    assert unread_in_header(client) == 0


def test_a_reply_is_e_mailed_only_to_members_who_asked(forms, article, make_user, sent_mail):
    keen = make_user("keen", email="keen@example.org", reply_emails=MailFrequency.IMMEDIATELY)
    quiet = make_user("quiet", email="quiet@example.org", reply_emails=MailFrequency.NEVER)
    no_address = make_user("noaddress", reply_emails=MailFrequency.IMMEDIATELY)
    make_user("writer")
    parents = [
        make_comment(article, who, f"Thought of {who.username}")
        for who in (keen, quiet, no_address)
    ]
    forms.login("writer")

    replies = [reply_through_the_form(forms, article, parent, "A reply") for parent in parents]

    assert len(sent_mail) == 1
    to, subject, body, _ = sent_mail[0]
    assert to == "keen@example.org"
    assert "writer replied to your comment" in subject
    assert f"http://localhost/comments/{replies[0].id}#c{replies[0].id}" in body
    assert "Would you friend your therapist?" in body and "A reply" in body
    assert db.session.scalar(select(Notification.id).where(Notification.recipient_id == quiet.id))


def test_the_e_mailed_excerpt_reads_as_written(forms, article, make_user, sent_mail):
    keen = make_user("keen", email="keen@example.org", reply_emails=MailFrequency.IMMEDIATELY)
    make_user("writer")
    parent = make_comment(article, keen, "A thought")
    forms.login("writer")

    reply_through_the_form(forms, article, parent, 'Tom & Jerry say "hi" <3')

    [(_, _, body, _)] = sent_mail
    assert 'Tom & Jerry say "hi" <3' in body
    assert "&amp;" not in body and "&lt;" not in body


def test_the_unread_count_costs_one_query_for_members_and_none_for_readers(
    forms, client, article, robin, sam
):
    make_notifications(robin, sam, article, 2)
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        client.get("/")
        anonymous = [s for s in statements if "FROM notifications" in s]
        forms.login("robin")
        statements.clear()
        client.get("/")
        member = [s for s in statements if "FROM notifications" in s]
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)

    assert anonymous == []
    assert len(member) == 1 and "count(" in member[0].lower()


def test_the_header_shows_the_count_on_every_page(forms, client, article, robin, sam):
    make_notifications(robin, sam, article, 4)
    forms.login("robin")

    for url in ("/", f"/articles/{article.slug}", "/inbox/"):
        page = client.get(url).get_data(as_text=True)
        assert UNREAD_BADGE.search(page).group(1) == "4", url
