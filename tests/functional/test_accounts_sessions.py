"""Sessions that end: logging out, out everywhere, or by a password change, reset or sanction.

Each login is a record on the server; its cookies are refused once it has ended, whichever
app server they are replayed on.
"""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from app import create_app
from app.extensions import db
from app.models import MemberSession, User, utcnow
from app.services.accounts import reset
from tests.conftest import FormClient, IsolatedClient, _config_for
from tests.factories import DEFAULT_PASSWORD

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
NEW_PASSWORD = "a brand new passphrase 2026"
STAFF_PAGE = "/moderation/members"


def browser(app, user_agent=FIREFOX_ON_WINDOWS) -> FormClient:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return FormClient(client)


def is_logged_in(client, username) -> bool:
    page = client.get("/").get_data(as_text=True)
    return f">{username}</a>" in page and "Log out" in page


def opens_staff_page(client) -> bool:
    return client.get(STAFF_PAGE).status_code == 200


def copy_of(client, *names):
    """A second browser holding copies of the named cookies, as a thief would."""
    thief = client.application.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie to copy"
        thief.set_cookie(name, cookie.value)
    return thief


def live_sessions(user):
    db.session.expire_all()
    return db.session.scalars(
        select(MemberSession).where(
            MemberSession.user_id == user.id, MemberSession.ended_at.is_(None)
        )
    ).all()


# --- logging out ------------------------------------------------------------------------------


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_cookies_copied_before_logout_are_refused_after_it(app, make_user, cookie):
    make_user("ada_admin", staff="admin")
    admin = browser(app)
    admin.login("ada_admin", remember=True)
    thief = copy_of(admin.client, cookie)
    assert opens_staff_page(thief), "the copy should work while the admin is logged in"

    admin.logout()

    response = thief.get(STAFF_PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert not is_logged_in(thief, "ada_admin")


def test_logging_out_on_one_app_server_ends_the_session_on_another(app, database_url, make_user):
    make_user("ada_admin", staff="admin")
    admin = browser(app)
    admin.login("ada_admin", remember=True)

    other_server = create_app(_config_for(database_url))
    other_server.test_client_class = IsolatedClient
    on_other_server = other_server.test_client()
    for name in ("session", "remember_token"):
        on_other_server.set_cookie(name, admin.client.get_cookie(name).value)
    try:
        assert opens_staff_page(on_other_server)
        FormClient(on_other_server).logout()
    finally:
        with other_server.app_context():
            db.engine.dispose()

    assert not opens_staff_page(admin.client)
    assert not opens_staff_page(copy_of(admin.client, "remember_token"))


def test_login_renews_the_session(app, make_user):
    make_user("steadyoak")
    member = browser(app)
    member.client.get("/account/login")
    with member.client.session_transaction() as session:
        session["planted"] = "set before the login, perhaps by someone else"
        session["_user_id"] = "1.a-token-chosen-by-someone-else-before-login"
        token_before = session["csrf_token"]

    member.login("steadyoak")

    with member.client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != token_before
        login_token = session["_user_id"]
    assert login_token != "1.a-token-chosen-by-someone-else-before-login"
    assert is_logged_in(member.client, "steadyoak")

    member.logout()
    member.login("steadyoak")
    with member.client.session_transaction() as session:
        assert session["_user_id"] != login_token


def test_tokens_that_name_no_live_session_are_anonymous(app, client, make_user):
    user = make_user("steadyoak")
    for token in (
        f"{user.id}.{user.session_fingerprint}",  # what the cookies carried before
        "99999999999999999999999999.forged-secret-of-enough-length",
        "1.not-the-secret-of-session-one-at-all",
        "",
    ):
        with client.session_transaction() as session:
            session["_user_id"] = token
        assert client.get("/").status_code == 200
        assert not is_logged_in(client, "steadyoak")


def test_a_session_unused_for_a_month_is_refused(app, make_user):
    make_user("steadyoak")
    member = browser(app)
    member.login("steadyoak", remember=True)
    db.session.execute(update(MemberSession).values(last_seen_at=utcnow() - timedelta(days=31)))
    db.session.commit()

    assert not is_logged_in(member.client, "steadyoak")
    assert not is_logged_in(copy_of(member.client, "remember_token"), "steadyoak")


# --- seeing and ending one's sessions ---------------------------------------------------------


def test_the_sessions_page_lists_devices_and_ends_one(app, make_user):
    user = make_user("two_devices")
    laptop = browser(app, FIREFOX_ON_WINDOWS)
    laptop.login("two_devices")
    phone = browser(app, SAFARI_ON_IPHONE)
    phone.login("two_devices")

    page = laptop.client.get("/account/sessions").get_data(as_text=True)
    assert "2 active sessions" in page
    assert "Firefox on Windows" in page and "Safari on iPhone" in page
    assert page.count("This device") == 1
    assert "Logged in" in page and "last seen" in page
    phone_session = next(s for s in live_sessions(user) if s.device == "Safari on iPhone")
    action = f"/account/sessions/{phone_session.id}/end"
    assert f'action="{action}"' in page
    assert re.search(r"End<span class=\"visually-hidden\"> the session on Safari on iPhone", page)

    response = laptop.submit("/account/sessions", {}, action_url=action, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "That session is ended" in html
    assert "1 active session" in html and "Safari on iPhone" not in html
    assert not is_logged_in(phone.client, "two_devices")
    assert is_logged_in(laptop.client, "two_devices")


def test_a_member_cannot_end_someone_elses_session(app, make_user):
    victim = make_user("victim")
    make_user("meddler")
    victims_browser = browser(app)
    victims_browser.login("victim")
    meddler = browser(app)
    meddler.login("meddler")
    (victims_session,) = live_sessions(victim)

    response = meddler.submit(
        "/account/sessions",
        {},
        action_url=f"/account/sessions/{victims_session.id}/end",
        follow_redirects=True,
    )

    assert "That session has already ended" in response.get_data(as_text=True)
    assert is_logged_in(victims_browser.client, "victim")


@pytest.mark.parametrize("session_id", ["0", "9223372036854775808", "99999999999999999999"])
def test_ending_a_session_that_does_not_exist_is_a_message_not_an_error(app, make_user, session_id):
    make_user("steadyoak")
    member = browser(app)
    member.login("steadyoak")
    response = member.submit(
        "/account/sessions", {}, action_url=f"/account/sessions/{session_id}/end"
    )
    assert response.status_code in (302, 404)
    assert is_logged_in(member.client, "steadyoak")


def test_ending_this_devices_session_from_the_list_logs_out(app, make_user):
    user = make_user("steadyoak")
    member = browser(app)
    member.login("steadyoak")
    (this_session,) = live_sessions(user)

    member.submit("/account/sessions", {}, action_url=f"/account/sessions/{this_session.id}/end")

    assert not is_logged_in(member.client, "steadyoak")
    assert live_sessions(user) == []


def test_log_out_everywhere_from_the_settings_page(app, make_user):
    user = make_user("two_devices")
    laptop = browser(app)
    laptop.login("two_devices")
    phone = browser(app, SAFARI_ON_IPHONE)
    phone.login("two_devices", remember=True)
    stolen = copy_of(phone.client, "remember_token")

    settings = laptop.client.get("/account/settings").get_data(as_text=True)
    assert 'action="/account/sessions/end-all"' in settings
    assert "Log out everywhere" in settings
    response = laptop.submit(
        "/account/settings", {}, action_url="/account/sessions/end-all", follow_redirects=True
    )

    assert "You are logged out everywhere" in response.get_data(as_text=True)
    for client in (laptop.client, phone.client, stolen):
        assert not is_logged_in(client, "two_devices")
    assert live_sessions(user) == []


# --- passwords and sanctions ------------------------------------------------------------------


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, make_user):
    user = make_user("two_devices")
    laptop = browser(app)
    laptop.login("two_devices", remember=True)
    copy_from_before = copy_of(laptop.client, "session", "remember_token")
    phone = browser(app, SAFARI_ON_IPHONE)
    phone.login("two_devices", remember=True)

    response = laptop.submit(
        "/account/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )

    assert any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
    assert is_logged_in(laptop.client, "two_devices")
    assert is_logged_in(copy_of(laptop.client, "remember_token"), "two_devices")
    assert not is_logged_in(phone.client, "two_devices")
    assert not is_logged_in(copy_from_before, "two_devices")
    assert [s.device for s in live_sessions(user)] == ["Firefox on Windows"]


def test_a_password_reset_ends_every_session(app, make_user):
    user = make_user("forgetful", email="forgetful@example.org")
    laptop = browser(app)
    laptop.login("forgetful", remember=True)
    path = f"/account/reset/{reset.make_reset_token(user)}"

    stranger = browser(app, SAFARI_ON_IPHONE)
    stranger.submit(path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})

    assert not is_logged_in(laptop.client, "forgetful")
    assert not is_logged_in(copy_of(laptop.client, "remember_token"), "forgetful")
    assert live_sessions(user) == []
    assert laptop.login("forgetful", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("suspend", {"reason": "Repeated insults", "days": 7}),
        ("ban", {"reason": "Spam account"}),
    ],
)
def test_a_suspension_or_a_ban_ends_the_members_sessions(app, make_user, action, data):
    member = make_user("trouble")
    make_user("mod_maya", staff="moderator")
    members_browser = browser(app)
    members_browser.login("trouble", remember=True)
    stolen = copy_of(members_browser.client, "remember_token")
    moderator = browser(app)
    moderator.login("mod_maya")
    if "days" in data:
        data = {
            "reason": data["reason"],
            "until": (utcnow() + timedelta(days=data["days"])).date().isoformat(),
        }

    moderator.submit(
        f"/moderation/members/{member.id}",
        data,
        action_url=f"/moderation/members/{member.id}/{action}",
    )

    assert not is_logged_in(members_browser.client, "trouble")
    assert not is_logged_in(stolen, "trouble")
    assert live_sessions(member) == []
    assert is_logged_in(moderator.client, "mod_maya")


# --- last seen, export and erasure ------------------------------------------------------------


def test_page_views_note_last_seen_at_most_every_few_minutes(app, make_user):
    user = make_user("steadyoak")
    member = browser(app)
    member.login("steadyoak")
    updates = []

    def count_updates(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE MEMBER_SESSIONS"):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", count_updates)
    try:
        for _ in range(3):
            member.client.get("/")
        assert updates == []

        an_hour_ago = utcnow() - timedelta(hours=1)
        db.session.execute(update(MemberSession).values(last_seen_at=an_hour_ago))
        db.session.commit()
        updates.clear()
        for _ in range(3):
            member.client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", count_updates)

    assert len(updates) == 1
    (session,) = live_sessions(user)
    assert session.last_seen_at > utcnow() - timedelta(minutes=1)


def test_export_includes_the_members_sessions(app, make_user):
    make_user("steadyoak")
    old_browser = browser(app, SAFARI_ON_IPHONE)
    old_browser.login("steadyoak")
    old_browser.logout()
    member = browser(app)
    member.login("steadyoak")

    response = member.submit("/account/settings", {}, action_url="/account/export")

    sessions = json.loads(response.get_data(as_text=True))["sessions"]
    assert [s["device"] for s in sessions] == ["Safari on iPhone", "Firefox on Windows"]
    assert sessions[0]["ended_at"] is not None and sessions[1]["ended_at"] is None
    assert set(sessions[0]) == {"device", "started_at", "last_seen_at", "ended_at"}


def test_deleting_the_account_deletes_its_sessions(app, make_user):
    user = make_user("leaving")
    user_id = user.id
    phone = browser(app, SAFARI_ON_IPHONE)
    phone.login("leaving", remember=True)
    member = browser(app)
    member.login("leaving")

    member.submit("/account/delete", {"password": DEFAULT_PASSWORD, "comments": "remove"})

    db.session.expire_all()
    remaining = db.session.scalars(
        select(MemberSession).where(MemberSession.user_id == user_id)
    ).all()
    assert remaining == []
    assert not is_logged_in(phone.client, "leaving")


@pytest.mark.real_commits
def test_a_login_starts_its_session_while_others_write(app, make_user, monkeypatch):
    """The password is checked in a transaction that only reads; a write committed by someone
    else meanwhile (a vote, a comment) must not make the login fail on SQLite."""
    make_user("steadyoak")
    make_user("busy_voter")
    checked = User.check_password

    def check_while_someone_writes(user, password):
        result = checked(user, password)
        with db.engine.begin() as other_connection:
            other_connection.execute(
                update(User).where(User.username == "busy_voter").values(trust_score=1)
            )
        return result

    monkeypatch.setattr(User, "check_password", check_while_someone_writes)
    member = browser(app)

    response = member.login("steadyoak")

    assert response.status_code == 302
    monkeypatch.undo()
    assert is_logged_in(member.client, "steadyoak")
