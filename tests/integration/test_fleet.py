"""Two app servers and a job worker on one PostgreSQL and one Redis act as one site.

Probed from outside, over HTTP, as nginx would pass a browser's requests to either server:
a login on one is a login on the other, a logout on one ends it on both, limits are counted
once for both, each mail job queued through either is done once by the worker, a comment
posted through one renews the page that anonymous readers share on both, and reaches every
page listening on the event-stream server, whose one gevent worker holds them all while they
wait.
"""

import re
import socket
import time
from collections import Counter
from datetime import timedelta
from itertools import cycle

import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, OutboxStatus, utcnow
from tests.factories import make_article, make_user
from tests.fleet import REQUEST_SECONDS, SITE_ADDRESS, Browser, running_site

pytestmark = pytest.mark.slow

LOGIN_LIMIT = 10  # LIMIT_LOGIN_PER_ADDRESS in production: 10 per minute
MAIL_SECONDS = 60
# Open article pages listening at once, each from an address of its own.
LISTENING_PAGES = 300


@pytest.fixture(scope="module")
def site():
    with running_site(events=True) as site:
        with site.app.app_context():
            # Established members: their comments appear without review, as on a live site.
            for name in ("fernhill", "quietbrook", "steadyoak"):
                make_user(name, created_at=utcnow() - timedelta(days=60), approved_comment_count=10)
            for n in range(6):
                make_user(f"forgetful{n}", email=f"forgetful{n}@example.org")
            make_article(slug="friend-requests", poll_question="Would you accept?")
        yield site


@pytest.fixture
def browsers():
    opened = []

    def open_browser(address):
        browser = Browser(address)
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        browser.close()


def shows_member(browser, base, username) -> bool:
    """Whether `base` takes the browser for the member: their settings page, not the login."""
    page = browser.get(f"{base}/account/settings")
    if page.status_code == 302:
        assert "/account/login" in page.headers["Location"]
        return False
    assert page.status_code == 200
    return username in page.text


def test_a_login_through_one_server_is_a_login_on_the_other(site, browsers):
    one, other = site.servers
    browser = browsers("198.51.100.10")

    assert browser.log_in(one, "fernhill").status_code == 302

    assert shows_member(browser, other, "fernhill")
    assert shows_member(browser, one, "fernhill")


def test_logging_out_on_one_server_ends_the_login_on_the_other(site, browsers):
    one, other = site.servers
    browser = browsers("198.51.100.20")
    assert browser.log_in(one, "quietbrook", remember=True).status_code == 302
    # Someone holds a copy of the session and remember-me cookies, from elsewhere.
    stolen = browser.copy("203.0.113.20")
    assert shows_member(stolen, other, "quietbrook")

    browser.read_token(f"{one}/account/settings")
    assert browser.submit(f"{one}/account/logout").status_code == 302

    assert not shows_member(browser, one, "quietbrook")
    assert not shows_member(stolen, other, "quietbrook")
    assert not shows_member(stolen, one, "quietbrook")


def test_failed_logins_through_both_servers_count_against_one_limit(site, browsers):
    one, other = site.servers
    browser = browsers("198.51.100.30")
    browser.read_token(f"{one}/account/login")

    def guess(base):
        return browser.submit(
            f"{base}/account/login", username="steadyoak", password="guessing wrongly"
        ).status_code

    # Each server sees half of the attempts; both refuse once the site has seen them all.
    first = [guess(base) for base, _ in zip(cycle([one, other]), range(LOGIN_LIMIT))]
    assert first == [200] * LOGIN_LIMIT
    assert [guess(one), guess(other)] == [429, 429]
    # Another address is not held back.
    assert browsers("198.51.100.31").log_in(other, "steadyoak").status_code == 302


def test_mail_queued_through_either_server_is_delivered_once(site, browsers):
    one, other = site.servers
    addresses = [f"forgetful{n}@example.org" for n in range(6)]
    for n, (base, address) in enumerate(zip(cycle([one, other]), addresses)):
        browser = browsers(f"198.51.100.{40 + n}")
        browser.read_token(f"{base}/account/reset")
        assert browser.submit(f"{base}/account/reset", identifier=address).status_code == 302

    with site.app.app_context():
        deadline = time.monotonic() + MAIL_SECONDS
        while time.monotonic() < deadline and any(
            status is not OutboxStatus.SENT
            for status in db.session.scalars(select(OutboxMessage.status))
        ):
            db.session.rollback()
            time.sleep(0.2)
        keys = db.session.scalars(select(OutboxMessage.key)).all()
    # Time for a second delivery of any message, were one to come.
    time.sleep(2)

    received = site.mail.received
    assert len(keys) == len(addresses)
    assert sorted(message.recipient for message in received) == sorted(addresses)
    assert Counter(message.message_id for message in received) == {
        f"<{key}@boundaries.invalid>": 1 for key in keys
    }
    # Links in mail lead to the public address, whichever server the request reached.
    assert all(f"{SITE_ADDRESS}/account/reset/" in message.body for message in received)


def test_a_comment_through_one_server_renews_the_page_readers_share_on_the_other(site, browsers):
    one, other = site.servers
    reader = browsers("198.51.100.60")
    page = reader.get(f"{other}/articles/friend-requests")
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in page.headers
    kept = page.headers["ETag"]
    # The page is kept once for the site: either server answers that the copy is current.
    assert (
        reader.get(f"{other}/articles/friend-requests", **{"If-None-Match": kept}).status_code
        == 304
    )
    assert (
        reader.get(f"{one}/articles/friend-requests", **{"If-None-Match": kept}).status_code == 304
    )

    member = browsers("198.51.100.61")
    assert member.log_in(one, "steadyoak").status_code == 302
    member.read_token(f"{one}/articles/friend-requests")
    comment = "A friend request from a client stays unanswered until we talk about it."
    posted = member.submit(f"{one}/articles/friend-requests/comments", body=comment)
    assert posted.status_code == 302

    page = reader.get(f"{other}/articles/friend-requests", **{"If-None-Match": kept})
    assert page.status_code == 200
    assert comment in page.text
    assert page.headers["ETag"] != kept
    assert page.headers["Cache-Control"].startswith("public")


class ListeningPage:
    """An article page's event stream, as nginx passes it on: a socket read as it comes."""

    def __init__(self, base: str, path: str, address: str):
        host, port = base.removeprefix("http://").split(":")
        self.socket = socket.create_connection((host, int(port)), timeout=REQUEST_SECONDS)
        request = (
            f"GET {path} HTTP/1.1\r\nHost: boundaries.test\r\nAccept: text/event-stream\r\n"
            f"X-Forwarded-For: {address}\r\nX-Forwarded-Proto: https\r\n\r\n"
        )
        self.socket.sendall(request.encode())
        self.received = b""

    def read_until(self, text: str) -> str:
        while text.encode() not in self.received:
            chunk = self.socket.recv(65536)
            assert chunk, f"the stream ended before {text!r}: {self.received!r}"
            self.received += chunk
        return self.received.decode()

    def close(self) -> None:
        self.socket.close()


def test_a_comment_through_an_app_server_reaches_every_page_listening(site, browsers):
    one, other = site.servers
    events = site.fleet.events_server
    path = "/articles/friend-requests/events?after=0"
    pages = [
        ListeningPage(events, path, f"10.20.{n // 200}.{n % 200 + 1}")
        for n in range(LISTENING_PAGES)
    ]
    try:
        for page in pages:
            assert page.read_until("\r\n\r\n").startswith("HTTP/1.1 200")
            page.read_until("retry: ")
        # The one worker holding them all answers at once: waiting pages hold no worker.
        assert requests.get(f"{events}/healthz", timeout=REQUEST_SECONDS).status_code == 200
        # An app server's sync workers would be held: there the answer is complete at once,
        # and the browser asks again half a minute later.
        polled = browsers("198.51.100.70").get(f"{other}{path}")
        assert polled.status_code == 200
        assert int(re.search(r"retry: (\d+)", polled.text).group(1)) >= 30_000

        member = browsers("198.51.100.71")
        assert member.log_in(one, "fernhill").status_code == 302
        member.read_token(f"{one}/articles/friend-requests")
        posted = member.submit(
            f"{one}/articles/friend-requests/comments", body="I ask clients not to send them."
        )
        assert posted.status_code == 302
        comment_id = int(posted.headers["Location"].rsplit("#c", 1)[1])

        for page in pages:
            page.read_until(f'data: {{"comment": {comment_id}}}')
    finally:
        for page in pages:
            page.close()
