"""The link in every notice e-mail stops those e-mails without logging in: a page to confirm,
or one click in the mail program (RFC 8058); only a link signed for that member and kind."""

import re
from urllib.parse import urlsplit

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app.extensions import db
from app.models import AccountStatus, MailFrequency, MailTopic, User
from app.services.accounts import addresses, unsubscribe
from tests.factories import make_comment

STOP = re.compile(r"Stop these e-mails \(no need to log in\): (\S+)")


@pytest.fixture
def article(make_article):
    return make_article(title="Would you friend your therapist?")


@pytest.fixture
def keen(make_user):
    return make_user(
        "keen",
        email="keen@example.org",
        reply_emails=MailFrequency.IMMEDIATELY,
        follow_emails=MailFrequency.DAILY,
    )


def member(username):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def path_of(url):
    return urlsplit(url).path


@pytest.fixture
def reply_mail(member_at, article, keen, sent_mail):
    """The e-mail telling keen of a reply, as the mail service got it."""
    parent = make_comment(article, keen, "I would never add my therapist.")
    response = member_at("writer").submit(
        f"/articles/{article.slug}", {"body": "Why not?"}, f"/comments/{parent.id}/reply"
    )
    assert response.status_code == 302
    [message] = sent_mail
    return message


def test_a_notice_e_mail_offers_its_link_in_the_body_and_to_mail_programs(reply_mail):
    link = STOP.search(reply_mail.body).group(1)

    assert link.startswith("http://localhost/account/unsubscribe/")
    assert reply_mail.headers["List-Unsubscribe"] == f"<{link}>"
    assert reply_mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opening_the_link_asks_first_and_changes_nothing(app, reply_mail):
    reader = app.test_client()  # not logged in

    page = reader.get(path_of(STOP.search(reply_mail.body).group(1)))

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Stop e-mails to the account <strong>keen</strong> about replies to your comments?" in (
        html
    )
    assert "Stop these e-mails</button>" in html
    assert member("keen").reply_emails is MailFrequency.IMMEDIATELY


def test_confirming_stops_that_kind_only_without_logging_in(app, reply_mail):
    reader = app.test_client()
    url = path_of(STOP.search(reply_mail.body).group(1))
    reader.get(url)

    response = reader.post(url)  # the page's form: no CSRF token, no login

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "You are unsubscribed" in html
    assert "gets no more e-mails about replies to your comments" in html
    keen = member("keen")
    assert keen.reply_emails is MailFrequency.NEVER
    assert keen.follow_emails is MailFrequency.DAILY, "the other kind is left as it was"
    assert reader.post(url).status_code == 200, "a second click changes nothing and says so"


def test_a_mail_program_unsubscribes_with_one_click(app, reply_mail):
    mail_program = app.test_client()

    response = mail_program.post(
        path_of(reply_mail.headers["List-Unsubscribe"].strip("<>")),
        data={"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    assert member("keen").reply_emails is MailFrequency.NEVER


def test_a_link_changed_to_reach_another_member_or_kind_is_refused(app, keen, make_user):
    other = make_user("other", email="other@example.org", reply_emails=MailFrequency.IMMEDIATELY)
    genuine = unsubscribe.make_unsubscribe_token(keen, [MailTopic.REPLIES])
    payload, _, signature = genuine.partition(".")
    forged = [
        # Keen's signature on another member's or another kind's request.
        URLSafeTimedSerializer("not the site's key", salt="unsubscribe").dumps(
            {"member": other.id, "topics": ["replies"]}
        ),
        URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="unsubscribe")
        .dumps({"member": keen.id, "topics": ["follows"]})
        .rpartition(".")[0]
        + "."
        + genuine.rpartition(".")[2],
        # A link the site signed for something else: confirming an address.
        addresses._serializer().dumps({"member": other.id, "address": "x@example.org"}),
        payload + ".garbage." + signature,
        "not-a-token",
    ]
    reader = app.test_client()

    for token in forged:
        for answer in (
            reader.get(f"/account/unsubscribe/{token}"),
            reader.post(f"/account/unsubscribe/{token}"),
        ):
            assert answer.status_code == 400, token
            assert "This unsubscribe link is not valid." in answer.get_data(as_text=True)

    assert member("other").reply_emails is MailFrequency.IMMEDIATELY
    assert member("keen").follow_emails is MailFrequency.DAILY


def test_a_link_for_replies_leaves_followed_articles_alone(app, keen):
    token = unsubscribe.make_unsubscribe_token(keen, [MailTopic.REPLIES])

    app.test_client().post(f"/account/unsubscribe/{token}")

    keen = member("keen")
    assert (keen.reply_emails, keen.follow_emails) == (MailFrequency.NEVER, MailFrequency.DAILY)


def test_an_expired_link_says_so(app, keen, monkeypatch):
    token = unsubscribe.make_unsubscribe_token(keen, [MailTopic.REPLIES])
    monkeypatch.setattr(unsubscribe, "UNSUBSCRIBE_MAX_AGE_SECONDS", -1)

    response = app.test_client().post(f"/account/unsubscribe/{token}")

    assert response.status_code == 400
    assert "This unsubscribe link has expired." in response.get_data(as_text=True)
    assert member("keen").reply_emails is MailFrequency.IMMEDIATELY


def test_a_link_of_a_deleted_account_says_so(app, keen):
    token = unsubscribe.make_unsubscribe_token(keen, [MailTopic.FOLLOWS])
    db.session.delete(keen)
    db.session.commit()

    response = app.test_client().get(f"/account/unsubscribe/{token}")

    assert response.status_code == 400
    assert "for an account that no longer exists" in response.get_data(as_text=True)


def test_a_banned_member_logged_in_may_still_unsubscribe(forms, client, keen):
    forms.login("keen")
    keen.account_status = AccountStatus.BANNED
    db.session.commit()
    token = unsubscribe.make_unsubscribe_token(keen, [MailTopic.REPLIES, MailTopic.FOLLOWS])

    response = client.post(f"/account/unsubscribe/{token}")

    assert response.status_code == 200
    keen = member("keen")
    assert (keen.reply_emails, keen.follow_emails) == (MailFrequency.NEVER, MailFrequency.NEVER)
