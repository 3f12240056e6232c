"""Joining, logging in and out through the real forms, with their CSRF tokens."""

import re

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import CommunityRole, Discipline, User
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD

PASSWORD = "a long and memorable passphrase"


def registration(username="quietfern", **overrides):
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "password": PASSWORD,
        "community_role": "client",
    }
    data.update(overrides)
    return data


def member(username):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def logged_in_as(client, username):
    page = client.get("/").get_data(as_text=True)
    return f">{username}</a>" in page and "Log out" in page


def error_next_to(html, field_id):
    match = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', html)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    ("role", "extra"),
    [
        ("client", {}),
        ("professional", {"discipline": "psychologist", "credentials": "PsyD"}),
        ("reader", {}),
    ],
)
def test_joining_with_each_community_role_logs_the_member_in(client, forms, role, extra):
    response = forms.submit(
        "/account/register", registration(community_role=role, **extra), follow_redirects=True
    )

    assert response.status_code == 200
    assert "Welcome, quietfern" in response.get_data(as_text=True)
    assert logged_in_as(client, "quietfern")
    user = member("quietfern")
    assert user.community_role is CommunityRole(role)
    # The address is the member's once they open the link mailed to it (test_addresses.py).
    assert user.email is None
    assert "We sent a message to quietfern@example.org" in response.get_data(as_text=True)
    assert user.show_role_badge is False
    assert user.password_hash != PASSWORD and user.check_password(PASSWORD)
    if role == "professional":
        assert user.discipline is Discipline.PSYCHOLOGIST
        assert user.credentials == "PsyD"
    else:
        assert user.discipline is None


def test_discipline_and_credentials_are_ignored_for_non_professionals(forms):
    forms.submit(
        "/account/register",
        registration(community_role="client", discipline="coach", credentials="LMHC"),
    )
    user = member("quietfern")
    assert user.discipline is None and user.credentials is None


def test_email_is_optional_and_role_badge_is_opt_in(forms):
    forms.submit(
        "/account/register", registration(email="", show_role_badge="y", community_role="client")
    )
    user = member("quietfern")
    assert user.email is None
    assert user.badge == "Client"


def test_the_register_page_explains_pseudonyms_and_the_form(client):
    html = client.get("/account/register").get_data(as_text=True)
    assert "do not use your real name" in html
    assert ">Email (optional)</label>" in html
    assert "I am or have been a client" in html
    assert "I am a professional" in html
    assert "Neither" in html
    assert "Professionals only" in html
    assert "Create account</button>" in html


def test_username_taken_in_any_case_is_refused_and_input_kept(forms, make_user):
    make_user("QuietFern")

    response = forms.submit(
        "/account/register",
        registration(
            "quietfern", community_role="professional", discipline="coach", credentials="ICF"
        ),
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "taken" in error_next_to(html, "username")
    assert 'value="quietfern@example.org"' in html
    assert 'value="ICF"' in html
    assert 'value="coach" selected' in html or 'selected value="coach"' in html
    assert PASSWORD not in html
    assert db.session.scalars(select(User)).all() == [member("QuietFern")]


def test_email_used_by_another_account_is_not_given_to_the_new_one(forms, make_user):
    """Joining does not say whose address is whose (test_addresses.py has the mails)."""
    make_user("firstone", email="shared@example.org")

    response = forms.submit(
        "/account/register",
        registration("secondone", email="Shared@Example.org"),
        follow_redirects=True,
    )

    html = response.get_data(as_text=True)
    assert "We sent a message to shared@example.org" in html
    assert "already used" not in html
    assert member("secondone").email is None
    assert member("firstone").email == "shared@example.org"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "", "Choose a username"),
        ("username", "ab", "between 3 and 30"),
        ("username", "x" * 31, "between 3 and 30"),
        ("username", "quiet fern!", "letters, digits"),
        ("password", "", "Choose a password"),
        ("password", "too-short", "between 10 and 128"),
        ("password", "p" * 129, "between 10 and 128"),
        ("email", "not-an-address", "e-mail address"),
        ("email", "a" * 250 + "@example.org", "too long"),
        ("credentials", "L" * 121, "120 characters"),
        ("community_role", "", "Choose the description"),
        ("community_role", "admin", "Not a valid choice"),
        ("discipline", "", "Choose your discipline"),
        ("discipline", "astrologer", "Not a valid choice"),
    ],
)
def test_bad_registration_shows_the_error_next_to_the_field(forms, field, value, message):
    data = registration(
        "steadyoak", community_role="professional", discipline="counselor", credentials="LPC"
    )
    data[field] = value

    response = forms.submit("/account/register", data)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = error_next_to(html, field)
    assert error is not None and message.lower() in error.lower(), error
    if field != "username":
        assert 'value="steadyoak"' in html
    assert member("steadyoak") is None


def test_a_professional_must_choose_a_discipline(forms):
    response = forms.submit(
        "/account/register", registration(community_role="professional", discipline="")
    )
    assert "Choose your discipline" in error_next_to(response.get_data(as_text=True), "discipline")
    assert member("quietfern") is None


def test_registration_follows_a_local_next(forms):
    response = forms.submit("/account/register?next=/articles/some-article", registration())
    assert response.status_code == 302
    assert response.headers["Location"] == "/articles/some-article"


def test_registration_without_csrf_token_is_refused(client):
    response = client.post("/account/register", data=registration())
    assert response.status_code == 400
    assert member("quietfern") is None


def test_login_and_logout(client, forms, make_user):
    make_user("steadyoak")

    response = forms.login("steadyoak")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert logged_in_as(client, "steadyoak")

    response = forms.logout()
    assert response.status_code == 302
    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are logged out" in home
    assert not logged_in_as(client, "steadyoak")


def test_login_ignores_the_case_of_the_username(client, forms, make_user):
    make_user("SteadyOak")
    forms.login("steadyoak")
    assert logged_in_as(client, "SteadyOak")


@pytest.mark.parametrize(
    ("username", "password"),
    [("steadyoak", "not the right password"), ("nobodyhere", DEFAULT_PASSWORD)],
)
def test_wrong_password_and_unknown_user_get_the_same_answer(
    client, forms, make_user, username, password
):
    make_user("steadyoak")

    response = forms.login(username, password)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wrong username or password" in html
    assert f'value="{username}"' in html
    assert not logged_in_as(client, "steadyoak")


def test_empty_login_fields_are_named(forms):
    response = forms.submit("/account/login", {"username": "", "password": ""})
    html = response.get_data(as_text=True)
    assert "Enter your username" in error_next_to(html, "username")
    assert "Enter your password" in error_next_to(html, "password")


def test_remember_me_sets_a_lasting_cookie(client, forms, make_user):
    make_user("steadyoak")

    forgetful = forms.login("steadyoak")
    assert "remember_token" not in forgetful.headers.get("Set-Cookie", "")
    forms.logout()

    response = forms.login("steadyoak", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [cookie for cookie in cookies if cookie.startswith("remember_token=")]
    assert remember and "Expires=" in remember[0] and "HttpOnly" in remember[0]


def test_remember_cookie_keeps_the_member_logged_in_without_a_session(
    app, client, forms, make_user
):
    make_user("steadyoak")
    forms.login("steadyoak", remember=True)
    client.delete_cookie("session")
    assert logged_in_as(client, "steadyoak")


def test_login_follows_a_local_next(forms, make_user):
    make_user("steadyoak")
    response = forms.submit(
        "/account/login?next=/articles/x%3Fsort%3Dnewest",
        {"username": "steadyoak", "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/articles/x?sort=newest"


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example", "/\\evil.example", "https:evil.example"]
)
def test_login_never_redirects_off_site(forms, make_user, target):
    make_user("steadyoak")
    response = forms.submit(
        "/account/login?" + f"next={target}",
        {"username": "steadyoak", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logged_in_members_are_sent_on_from_login_and_register(client, forms, make_user):
    make_user("steadyoak")
    forms.login("steadyoak")
    assert client.get("/account/login").status_code == 302
    assert client.get("/account/register").status_code == 302


def test_logout_needs_post_and_a_csrf_token(client, forms, make_user):
    make_user("steadyoak")
    forms.login("steadyoak")

    assert client.get("/account/logout").status_code == 405
    assert client.post("/account/logout").status_code == 400
    assert logged_in_as(client, "steadyoak")

    page = client.get("/").get_data(as_text=True)
    client.post("/account/logout", data={"csrf_token": csrf_token(page)})
    assert not logged_in_as(client, "steadyoak")


def test_too_many_login_attempts_get_a_friendly_429(forms, make_user):
    make_user("steadyoak")
    for _ in range(10):
        assert forms.login("steadyoak", "guessing wrongly").status_code == 200

    response = forms.login("steadyoak")

    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many requests" in html
    assert "Please wait a minute" in html


# Inside a savepoint a request issues no BEGIN, which is what this test watches.
@pytest.mark.real_commits
def test_logging_in_does_not_hold_the_write_lock_that_registering_takes(forms, make_user):
    """On SQLite a writing request begins with BEGIN IMMEDIATE; a login only reads."""
    make_user("sam")
    begins = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("BEGIN"):
            begins.append(statement.strip().upper())

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        forms.login("sam")
        login_begins = list(begins)
        forms.logout()
        begins.clear()
        forms.submit("/account/register", registration("newcomer"))
        register_begins = list(begins)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)

    assert member("newcomer") is not None
    assert "BEGIN IMMEDIATE" not in login_begins
    if db.engine.dialect.name == "sqlite":
        assert "BEGIN IMMEDIATE" in register_begins
