"""Mail leaves only after the commit, off the request; members with an address can opt in."""

import re

import pytest
from sqlalchemy import select

from app import transaction
from app.extensions import db
from app.models import MailFrequency, OutboxMessage, OutboxStatus, User
from app.services.infra import mail
from tests.factories import make_comment


@pytest.fixture
def deliveries(monkeypatch):
    """Each message that reaches the mail service, with whether a transaction was still open."""
    sent = []

    def record(to, subject, body, key, headers=None):
        sent.append({"to": to, "in_transaction": db.session().in_transaction(), "body": body})

    monkeypatch.setattr(mail, "send_mail", record)
    return sent


def test_a_member_with_an_address_can_turn_reply_mail_on(client, forms, make_user):
    make_user("steadyoak", email="oak@example.org")
    forms.login("steadyoak")
    form = {
        "community_role": "reader",
        "discipline": "",
        "credentials": "",
        "email": "oak@example.org",
        "reply_emails": "immediately",
        "follow_emails": "daily",
    }

    response = forms.submit("/account/settings", form, follow_redirects=True)

    assert "Your settings are saved" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.username == "steadyoak"))
    assert user.reply_emails is MailFrequency.IMMEDIATELY
    assert user.follow_emails is MailFrequency.DAILY


def test_a_reply_e_mail_leaves_after_the_commit(forms, make_article, make_user, deliveries):
    article = make_article(title="Would you friend your therapist?")
    keen = make_user("keen", email="keen@example.org", reply_emails=MailFrequency.IMMEDIATELY)
    make_user("writer")
    parent = make_comment(article, keen, "First thought")
    forms.login("writer")

    response = forms.submit(
        f"/articles/{article.slug}", {"body": "A reply"}, f"/comments/{parent.id}/reply"
    )

    assert response.status_code == 302
    assert [d["to"] for d in deliveries] == ["keen@example.org"]
    assert deliveries[0]["in_transaction"] is False


def test_a_rolled_back_transaction_sends_nothing(app, deliveries):
    mail.queue_mail("lost@example.org", "Never", "This transaction fails.")
    transaction.rollback()
    mail.queue_mail("kept@example.org", "Sent", "This one commits.")
    transaction.commit()

    assert [d["to"] for d in deliveries] == ["kept@example.org"]


def test_an_unreachable_mail_server_does_not_break_posting(
    app, forms, make_article, make_user, monkeypatch, caplog
):
    article = make_article(title="Would you friend your therapist?")
    keen = make_user("keen", email="keen@example.org", reply_emails=MailFrequency.IMMEDIATELY)
    make_user("writer")
    parent = make_comment(article, keen, "First thought")
    forms.login("writer")
    attempts = []

    class DownSMTP:
        def __init__(self, host, port, timeout):
            attempts.append(host)
            raise OSError("connection refused")

    monkeypatch.setattr(mail.smtplib, "SMTP", DownSMTP)
    app.config.update(MAIL_SERVER="mail.example.org")

    response = forms.submit(
        f"/articles/{article.slug}", {"body": "A reply"}, f"/comments/{parent.id}/reply"
    )

    assert response.status_code == 302
    assert attempts == ["mail.example.org"]
    assert "Could not send mail" in caplog.text
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.status is OutboxStatus.PENDING
    assert message.last_error == "OSError: connection refused"


def test_a_reset_request_answers_the_same_whether_or_not_the_account_exists(
    client, forms, make_user, deliveries
):
    make_user("steadyoak", email="oak@example.org")

    answers = [
        forms.submit("/account/reset", {"identifier": who}, follow_redirects=True)
        for who in ("steadyoak", "nobody-here")
    ]

    # CSRF tokens carry the second they were made in, so they are left out of the comparison.
    pages = [re.sub(r'(value|content)="[^"]{40,}"', "", a.get_data(as_text=True)) for a in answers]
    assert [a.status_code for a in answers] == [200, 200]
    assert pages[0] == pages[1]
    assert [d["to"] for d in deliveries] == ["oak@example.org"]
