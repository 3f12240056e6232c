"""The mail outbox: written with the transaction, sent at least once and once only, retried
with backoff, and kept as a dead letter that admins can send again."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import transaction
from app.extensions import csrf, db
from app.jobs import runner
from app.jobs.execution import execute, job_name
from app.models import OutboxMessage, OutboxStatus, utcnow
from app.services.infra import mail, outbox
from tests.conftest import FormClient, csrf_token

RETRY_DELAYS = (60, 300, 1800)


class MailServer:
    """Stands in for smtplib.SMTP: records what it accepts, or refuses while it is down."""

    def __init__(self):
        self.accepted = []
        self.headers = []
        self.connections = 0
        self.down = False
        self.while_sending = None

    def __call__(self, host, port, timeout):
        self.connections += 1
        if self.down:
            raise OSError("connection refused")
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        if self.while_sending:
            self.while_sending()
        self.accepted.append((message["To"], message["Subject"], message["Message-ID"]))
        self.headers.append(dict(message.items()))


@pytest.fixture
def server(app, monkeypatch):
    server = MailServer()
    monkeypatch.setattr(mail.smtplib, "SMTP", server)
    app.config.update(MAIL_SERVER="mail.example.org", MAIL_RETRY_DELAYS=RETRY_DELAYS)
    return server


def messages():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def deliver_again(app, message_id):
    execute(app, job_name(outbox.deliver), (message_id,))


def test_the_message_is_written_in_the_transaction_and_sent_after_its_commit(app, server):
    mail.queue_mail("fern@example.org", "Confirm your address", "Open this link.")

    [waiting] = messages()
    assert waiting.status is OutboxStatus.PENDING and waiting.recipient == "fern@example.org"
    assert server.accepted == []

    transaction.commit()

    [sent] = messages()
    assert sent.status is OutboxStatus.SENT and sent.attempts == 1
    assert sent.body == ""  # the link in it does not outlive the delivery
    assert server.accepted == [
        ("fern@example.org", "Confirm your address", f"<{sent.key}@boundaries.invalid>")
    ]


def test_headers_of_a_message_reach_the_mail_server_and_are_not_kept(app, server):
    unsubscribe = "<https://boundaries.example.org/account/unsubscribe/token>"
    mail.queue_mail(
        "fern@example.org",
        "Your daily digest",
        "Two new comments.",
        headers={
            "List-Unsubscribe": unsubscribe,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    transaction.commit()

    [headers] = server.headers
    assert headers["List-Unsubscribe"] == unsubscribe
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [sent] = messages()
    assert sent.status is OutboxStatus.SENT and sent.headers is None


def test_a_request_that_fails_leaves_no_message_behind(app, client, server):
    @csrf.exempt
    def mail_then_refuse():
        mail.queue_mail("lost@example.org", "Never", "This request fails.")
        return "Refused", 409

    app.add_url_rule("/mail-then-refuse", view_func=mail_then_refuse, methods=["POST"])

    assert client.post("/mail-then-refuse").status_code == 409
    assert messages() == []
    assert server.connections == 0


def test_a_failing_mail_server_is_retried_with_backoff_then_kept_as_a_dead_letter(
    app, server, caplog, monkeypatch
):
    clock = [utcnow()]
    monkeypatch.setattr(outbox, "utcnow", lambda: clock[0])
    server.down = True
    mail.queue_mail("fern@example.org", "Reset your password", "A secret link.")
    transaction.commit()

    waits = []
    while runner().scheduled:
        [retry] = runner().scheduled
        waits.append(round((retry.at - utcnow()).total_seconds()))
        clock[0] += timedelta(seconds=waits[-1])
        runner().run_scheduled()

    [dead] = messages()
    assert waits == list(RETRY_DELAYS)
    assert server.connections == len(RETRY_DELAYS) + 1
    assert dead.status is OutboxStatus.DEAD and dead.attempts == 4
    assert dead.last_error == "OSError: connection refused"
    assert "kept for admins to retry" in caplog.text


def test_admins_see_dead_letters_and_retrying_sends_one_message(app, forms, make_user, server):
    dead = OutboxMessage(
        key="dead-letter",
        recipient="fern@example.org",
        subject="Reset your password",
        body="Your secret link: https://example.org/reset/abc",
        status=OutboxStatus.DEAD,
        attempts=6,
        last_error="SMTPRecipientsRefused: mailbox full",
    )
    db.session.add(dead)
    make_user("ada_admin", staff="admin")
    transaction.commit()
    forms.login("ada_admin")

    page = forms.client.get("/moderation/mail").get_data(as_text=True)
    assert "fern@example.org" in page and "SMTPRecipientsRefused: mailbox full" in page
    assert "secret link" not in page

    response = forms.submit("/moderation/mail", {}, f"/moderation/mail/{dead.id}/retry", True)
    assert "will be sent again now" in response.get_data(as_text=True)
    again = forms.submit("/moderation/mail", {}, f"/moderation/mail/{dead.id}/retry", True)
    assert "Only messages whose every attempt failed" in again.get_data(as_text=True)

    [sent] = messages()
    assert sent.status is OutboxStatus.SENT and sent.attempts == 7
    assert [to for to, _, _ in server.accepted] == ["fern@example.org"]
    assert "No failed mail." in forms.client.get("/moderation/mail").get_data(as_text=True)


def test_a_retry_that_fails_again_is_a_dead_letter_at_once(app, server):
    dead = OutboxMessage(
        key="still-failing",
        recipient="fern@example.org",
        subject="Hello",
        body="Hello",
        status=OutboxStatus.DEAD,
        attempts=len(RETRY_DELAYS) + 1,
    )
    db.session.add(dead)
    transaction.commit()
    server.down = True

    outbox.send_again(dead)
    transaction.commit()

    [message] = messages()
    assert message.status is OutboxStatus.DEAD and message.attempts == len(RETRY_DELAYS) + 2
    assert runner().scheduled == []


def test_moderators_do_not_see_failed_mail(app, make_user):
    make_user("moe_moderator", staff="moderator")
    forms = FormClient(app.test_client())
    forms.login("moe_moderator")

    assert forms.client.get("/moderation/mail").status_code == 403
    queue = forms.client.get("/moderation/queue/pending").get_data(as_text=True)
    assert "Failed mail" not in queue
    token = csrf_token(queue)
    assert forms.client.post(
        "/moderation/mail/1/retry", data={"csrf_token": token}
    ).status_code == (403)


def test_delivering_the_same_message_twice_sends_it_once(app, server):
    mail.queue_mail("fern@example.org", "Hello", "Hello")
    transaction.commit()
    [message] = messages()

    deliver_again(app, message.id)

    assert len(server.accepted) == 1


def test_a_second_sender_leaves_a_message_another_is_sending(app, server):
    mail.queue_mail("fern@example.org", "Hello", "Hello")
    message = messages()[0]
    server.while_sending = lambda: deliver_again(app, message.id)

    transaction.commit()

    assert len(server.accepted) == 1
    assert messages()[0].status is OutboxStatus.SENT


def test_the_same_key_asked_for_twice_is_one_message(app, server):
    mail.queue_mail("fern@example.org", "Someone replied", "Body", key="reply-notification-7")
    mail.queue_mail("fern@example.org", "Someone replied", "Body", key="reply-notification-7")
    transaction.commit()

    assert len(messages()) == 1 and len(server.accepted) == 1


def test_mail_whose_job_was_lost_is_sent_by_the_sweep(app, server):
    long_ago = utcnow() - timedelta(hours=1)
    lost = OutboxMessage(key="lost", recipient="a@example.org", subject="A", body="A")
    lost.next_attempt_at = long_ago
    stale = OutboxMessage(key="stale", recipient="b@example.org", subject="B", body="B")
    stale.status, stale.attempts, stale.next_attempt_at = OutboxStatus.SENDING, 1, long_ago
    busy = OutboxMessage(key="busy", recipient="c@example.org", subject="C", body="C")
    busy.status, busy.attempts = OutboxStatus.SENDING, 1
    busy.next_attempt_at = utcnow() + timedelta(minutes=5)
    db.session.add_all([lost, stale, busy])
    transaction.commit()

    execute(app, job_name(outbox.resend_overdue), ())

    assert sorted(to for to, _, _ in server.accepted) == ["a@example.org", "b@example.org"]
    assert [m.status for m in messages()] == [
        OutboxStatus.SENT,
        OutboxStatus.SENT,
        OutboxStatus.SENDING,
    ]


def test_old_sent_and_dead_mail_leaves_the_outbox(app):
    old = utcnow() - timedelta(days=app.config["MAIL_OUTBOX_RETENTION_DAYS"] + 1)
    for key, status, when in [
        ("old-sent", OutboxStatus.SENT, old),
        ("old-dead", OutboxStatus.DEAD, old),
        ("new-sent", OutboxStatus.SENT, utcnow()),
        ("old-pending", OutboxStatus.PENDING, old),
    ]:
        db.session.add(
            OutboxMessage(
                key=key,
                recipient="a@example.org",
                subject="A",
                body="",
                status=status,
                updated_at=when,
                next_attempt_at=utcnow() + timedelta(days=1),
            )
        )
    transaction.commit()

    execute(app, job_name(outbox.purge_old), ())

    assert [m.key for m in messages()] == ["new-sent", "old-pending"]


def test_deleting_an_account_takes_the_mail_to_its_address_out_of_the_outbox(app, forms, make_user):
    from tests.functional.test_accounts_data import delete_account

    make_user("steadyoak", email="Oak@example.org")
    for key, to, status in [
        ("sent-to-oak", "oak@example.org", OutboxStatus.SENT),
        ("dead-to-oak", "OAK@example.org", OutboxStatus.DEAD),
        ("sent-to-fern", "fern@example.org", OutboxStatus.SENT),
    ]:
        db.session.add(OutboxMessage(key=key, recipient=to, subject="A", body="", status=status))
    transaction.commit()
    forms.login("steadyoak")

    delete_account(forms, "keep")

    assert [m.key for m in messages()] == ["sent-to-fern"]
