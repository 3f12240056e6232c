"""A member's settings, password change and password reset by e-mailed link."""

import logging
import re
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CommunityRole, Discipline, MailFrequency, User, VerificationStatus
from app.services.accounts import reset
from tests.conftest import FormClient
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "another long passphrase"


def member(username):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def error_next_to(html, field_id):
    match = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', html)
    return match.group(1) if match else None


def settings(**overrides):
    data = {
        "community_role": "client",
        "discipline": "",
        "credentials": "",
        "email": "",
        "reply_emails": "never",
        "follow_emails": "never",
    }
    data.update(overrides)
    return data


def test_settings_need_a_login(client):
    response = client.get("/account/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


def test_settings_show_the_current_choices(client, forms, make_user):
    make_user(
        "steadyoak",
        role="professional",
        discipline="psychologist",
        email="oak@example.org",
        credentials="PsyD",
    )
    forms.login("steadyoak")

    html = client.get("/account/settings").get_data(as_text=True)

    assert re.search(r'checked[^>]*value="professional"|value="professional"[^>]*checked', html)
    assert 'selected value="psychologist"' in html or 'value="psychologist" selected' in html
    assert 'value="PsyD"' in html
    assert 'value="oak@example.org"' in html
    assert "Not verified" in html
    assert "Download my data" in html


def test_settings_changes_are_saved(client, forms, make_user):
    make_user("steadyoak", role="client")
    forms.login("steadyoak")

    response = forms.submit(
        "/account/settings",
        settings(
            community_role="professional",
            discipline="social_worker",
            credentials="LCSW",
            email="Oak@Example.org",
            reply_emails="daily",
            follow_emails="weekly",
            show_role_badge="y",
            show_stance="y",
        ),
        follow_redirects=True,
    )

    assert "Your settings are saved" in response.get_data(as_text=True)
    user = member("steadyoak")
    assert user.community_role is CommunityRole.PROFESSIONAL
    assert user.discipline is Discipline.SOCIAL_WORKER
    assert user.credentials == "LCSW"
    # The new address waits for its mailed link (test_addresses.py); the rest is saved now.
    assert user.email is None
    assert "We sent a message to oak@example.org" in response.get_data(as_text=True)
    assert user.reply_emails is MailFrequency.DAILY
    assert user.follow_emails is MailFrequency.WEEKLY
    assert user.show_role_badge and user.show_stance
    assert user.show_verified_badge is False
    assert user.badge == "Professional"


def test_unticking_a_box_turns_the_preference_off(forms, make_user):
    make_user("steadyoak", show_role_badge=True, show_stance=True)
    forms.login("steadyoak")
    forms.submit("/account/settings", settings(community_role="reader"))
    user = member("steadyoak")
    assert not user.show_role_badge and not user.show_stance
    assert user.community_role is CommunityRole.READER


def test_a_verified_professional_may_hide_the_badge(client, forms, make_user):
    make_user("steadyoak", role="professional", discipline="counselor", verified=True)
    forms.login("steadyoak")
    assert "Verified professional" in client.get("/account/settings").get_data(as_text=True)

    forms.submit(
        "/account/settings", settings(community_role="professional", discipline="counselor")
    )

    user = member("steadyoak")
    assert user.is_verified_professional
    assert user.badge is None


def test_changing_discipline_ends_a_verification(forms, make_user):
    make_user("steadyoak", role="professional", discipline="counselor", verified=True)
    forms.login("steadyoak")
    forms.submit(
        "/account/settings",
        settings(community_role="professional", discipline="coach", show_verified_badge="y"),
    )
    user = member("steadyoak")
    assert user.discipline is Discipline.COACH
    assert user.verification_status is VerificationStatus.UNVERIFIED


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"community_role": "professional", "discipline": ""}, "discipline", "discipline"),
        ({"reply_emails": "immediately", "email": ""}, "email", "Add an e-mail address"),
        ({"follow_emails": "weekly", "email": ""}, "email", "Add an e-mail address"),
        ({"reply_emails": "hourly"}, "reply_emails", "Choose one of the options"),
        ({"follow_emails": ""}, "follow_emails", "Choose how often"),
        ({"email": "nope"}, "email", "e-mail address"),
        (
            {"credentials": "x" * 121, "community_role": "professional", "discipline": "coach"},
            "credentials",
            "120",
        ),
    ],
)
def test_bad_settings_are_refused_next_to_the_field(forms, make_user, data, field, message):
    make_user("someoneelse", email="taken@example.org")
    make_user("steadyoak", email="oak@example.org")
    forms.login("steadyoak")

    response = forms.submit("/account/settings", settings(**data))

    assert response.status_code == 200
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert member("steadyoak").email == "oak@example.org"


def test_password_change(client, forms, make_user):
    make_user("steadyoak")
    forms.login("steadyoak")

    response = forms.submit(
        "/account/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        follow_redirects=True,
    )

    assert "Your password is changed" in response.get_data(as_text=True)
    forms.logout()
    assert "Wrong username" in forms.login("steadyoak").get_data(as_text=True)
    assert forms.login("steadyoak", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"current_password": "not my password"}, "current_password", "not your current"),
        ({"new_password": "short", "confirm_password": "short"}, "new_password", "between 10"),
        ({"confirm_password": "something else entirely"}, "confirm_password", "do not match"),
    ],
)
def test_password_change_mistakes(forms, make_user, data, field, message):
    make_user("steadyoak")
    forms.login("steadyoak")
    payload = {
        "current_password": DEFAULT_PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
        **data,
    }

    response = forms.submit("/account/password", payload)

    assert message in error_next_to(response.get_data(as_text=True), field)
    assert member("steadyoak").check_password(DEFAULT_PASSWORD)


def reset_link_from(caplog):
    messages = "\n".join(record.getMessage() for record in caplog.records)
    match = re.search(r"http://localhost(/account/reset/[\w.-]+)", messages)
    assert match, messages
    return match.group(1), messages


@pytest.mark.parametrize("identifier", ["steadyoak", "OAK@example.org"])
def test_password_reset_end_to_end(client, forms, make_user, caplog, identifier):
    make_user("steadyoak", email="oak@example.org")
    caplog.set_level(logging.INFO)

    response = forms.submit("/account/reset", {"identifier": identifier}, follow_redirects=True)

    assert "we have sent it a link" in response.get_data(as_text=True)
    path, mail = reset_link_from(caplog)
    assert "To: oak@example.org" in mail
    assert "Reset your Boundaries password" in mail

    page = client.get(path).get_data(as_text=True)
    assert "steadyoak" in page and "Set new password" in page
    response = forms.submit(path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302

    assert forms.login("steadyoak", NEW_PASSWORD).status_code == 302
    forms.logout()
    used = client.get(path).get_data(as_text=True)
    assert "already been used" in used
    assert "Set new password" not in used


@pytest.mark.parametrize("identifier", ["nobodyhere", "nobody@example.org", "noemail"])
def test_reset_answers_the_same_whether_or_not_it_sends(forms, make_user, caplog, identifier):
    make_user("noemail")
    caplog.set_level(logging.INFO)

    response = forms.submit("/account/reset", {"identifier": identifier}, follow_redirects=True)

    assert "we have sent it a link" in response.get_data(as_text=True)
    assert "/account/reset/" not in caplog.text


def test_reset_links_expire_after_an_hour(client, make_user, monkeypatch):
    user = make_user("steadyoak", email="oak@example.org")
    now = time.time()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: now - 3601)
        token = reset.make_reset_token(user)

    html = client.get(f"/account/reset/{token}").get_data(as_text=True)

    assert "expired" in html
    assert "Set new password" not in html


def test_a_tampered_reset_link_is_refused(client, make_user):
    user = make_user("steadyoak", email="oak@example.org")
    token = reset.make_reset_token(user)
    html = client.get(f"/account/reset/{token[:-2]}xx").get_data(as_text=True)
    assert "not valid" in html


def test_reset_refuses_a_short_password(forms, make_user):
    user = make_user("steadyoak", email="oak@example.org")
    path = f"/account/reset/{reset.make_reset_token(user)}"
    response = forms.submit(path, {"new_password": "short", "confirm_password": "short"})
    assert "between 10" in error_next_to(response.get_data(as_text=True), "new_password")
    assert member("steadyoak").check_password(DEFAULT_PASSWORD)


def test_mail_goes_through_smtp_when_a_server_is_set(app, monkeypatch):
    from app.services.infra import mail

    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, username, password):
            sent.append(("login", username, password))

        def send_message(self, message):
            sent.append(("send", message["To"], message["Subject"], message.get_content()))

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(
        MAIL_SERVER="mail.example.org",
        MAIL_PORT=587,
        MAIL_USE_TLS=True,
        MAIL_USERNAME="site",
        MAIL_PASSWORD="secret",
    )

    mail.send_mail("oak@example.org", "Hello", "A body.")

    assert sent == [
        ("connect", "mail.example.org", 587),
        ("starttls",),
        ("login", "site", "secret"),
        ("send", "oak@example.org", "Hello", "A body.\n"),
    ]


def test_changing_the_password_ends_other_sessions(app, forms, make_user):
    make_user("two_devices", password="first password 123")
    forms.login("two_devices", "first password 123")
    other = FormClient(app.test_client())
    other.login("two_devices", "first password 123")
    assert "two_devices" in other.client.get("/").get_data(as_text=True)

    forms.submit(
        "/account/password",
        {
            "current_password": "first password 123",
            "new_password": "second password 456",
            "confirm_password": "second password 456",
        },
    )
    assert "two_devices" in forms.client.get("/").get_data(as_text=True)
    assert "two_devices" not in other.client.get("/").get_data(as_text=True)


def test_e_mail_is_chosen_per_kind_of_notice(client, forms, make_user):
    make_user("steadyoak", email="oak@example.org", follow_emails=MailFrequency.WEEKLY)
    forms.login("steadyoak")

    html = client.get("/account/settings").get_data(as_text=True)

    assert "<legend>E-mail me about replies to my comments</legend>" in html
    assert "<legend>E-mail me about new comments on articles I follow</legend>" in html
    for label in ("At once, one e-mail each", "In a daily digest", "In a weekly digest", "Never"):
        assert f">{label}</label>" in html
    assert re.search(r'<input checked id="reply_emails-\d" name="reply_emails" [^>]*"never"', html)
    assert re.search(
        r'<input checked id="follow_emails-\d" name="follow_emails" [^>]*"weekly"', html
    )
