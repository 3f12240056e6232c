"""Live discussion: an open article page hears which readable comments arrive, and no others.

The stream is read the way EventSource reads it: its `id:` lines are where a reconnecting
browser continues from (Last-Event-ID), and each `comment` event names one comment readers
can now read.
"""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ArticleStatus, Comment, CommentStatus, StaffLevel, utcnow
from tests.factories import make_comment

# The test client is no server; these tests say whether a stream is kept open.
HOLD = {"LIVE_STREAM_MODE": "hold"}


@pytest.fixture
def app_settings():
    return HOLD


@pytest.fixture
def article(app, make_article):
    # Newcomers' first comments wait for review; established members post at once.
    app.config["PREMODERATE_FIRST_COMMENTS"] = 2
    return make_article(slug="friend-requests")


@pytest.fixture
def regular(make_user):
    return make_user("regular", approved_comment_count=10)


def parse(text: str) -> list[dict]:
    """The messages of an event stream, each as its fields; comments (heartbeats) as ":"."""
    messages = []
    for block in text.split("\n\n"):
        if not block:
            continue
        fields = {}
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
        messages.append(fields)
    return messages


def arrived(messages: list[dict]) -> list[int]:
    return [json.loads(m["data"])["comment"] for m in messages if m.get("event") == "comment"]


class Stream:
    """An event stream as a browser holds it: read one chunk at a time, closed when done."""

    def __init__(self, client, url, **headers):
        self.response = client.get(url, headers=headers, buffered=False)
        assert self.response.status_code == 200, self.response.get_data(as_text=True)
        self._chunks = iter(self.response.response)

    def next(self) -> list[dict]:
        return parse(next(self._chunks).decode())

    def rest(self) -> list[dict]:
        return parse(b"".join(self._chunks).decode())

    def close(self):
        self.response.close()


@pytest.fixture
def open_stream(client):
    opened = []

    def open_(url, **headers):
        stream = Stream(client, url, **headers)
        opened.append(stream)
        return stream

    yield open_
    for stream in opened:
        stream.close()


def post(forms, article, text):
    page = f"/articles/{article.slug}"
    response = forms.submit(page, {"body": text}, action_url=f"{page}/comments")
    assert response.status_code == 302
    return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()


def test_an_open_page_hears_a_published_comment_and_not_a_pending_one(
    app, member_at, make_user, article, regular, open_stream
):
    first = make_comment(article, regular, "I keep my profiles private.")
    stream = open_stream(f"/articles/{article.slug}/events?after={first.id}")
    opening = stream.next()
    assert opening[0]["retry"].isdecimal()
    assert opening[0]["id"] == str(first.id)
    assert arrived(opening) == []

    pending = post(member_at("newcomer"), article, "My first comment here.")
    assert pending.status is CommentStatus.PENDING
    published = post(member_at("regular", "10.0.0.2"), article, "I would decline it kindly.")

    event = stream.next()
    assert arrived(event) == [published.id]
    assert event[0]["id"] == str(published.id)
    # Nothing but the comment's id: not its text, author or article.
    assert json.loads(event[0]["data"]) == {"comment": published.id}


def test_a_comment_arrives_when_a_moderator_approves_it(
    app, member_at, make_user, article, open_stream
):
    make_user("moderator", staff=StaffLevel.MODERATOR)
    pending = post(member_at("newcomer"), article, "Is it ever fine to accept?")
    stream = open_stream(f"/articles/{article.slug}/events?after=0")
    assert arrived(stream.next()) == []

    moderator = member_at("moderator", "10.0.0.3")
    approved = moderator.submit(
        "/moderation/queue/pending", {}, action_url=f"/moderation/comments/{pending.id}/approve"
    )
    assert approved.status_code == 302

    assert arrived(stream.next()) == [pending.id]


def test_a_page_hears_only_its_own_article(member_at, make_article, article, regular, open_stream):
    other = make_article(slug="gifts")
    stream = open_stream(f"/articles/{article.slug}/events?after=0")
    stream.next()
    member = member_at("regular")
    elsewhere = post(member, other, "There, not here.")
    here = post(member, article, "Here, not there.")

    assert elsewhere.id < here.id
    assert arrived(stream.next()) == [here.id]


@pytest.mark.parametrize("app_settings", [{"LIVE_STREAM_MODE": "poll"}])
def test_a_reconnecting_page_is_told_the_readable_comments_it_missed(
    client, article, regular, make_user
):
    seen = make_comment(article, regular, "Seen before the connection dropped.")
    newcomer = make_user("newcomer")
    missed = make_comment(article, regular, "Missed one.")
    make_comment(article, newcomer, "Still waiting for review.", status=CommentStatus.PENDING)
    removed = make_comment(article, regular, "Removed.", status=CommentStatus.REMOVED)
    also_missed = make_comment(article, regular, "Missed two.")

    response = client.get(
        f"/articles/{article.slug}/events?after=0", headers={"Last-Event-ID": str(seen.id)}
    )

    messages = parse(response.get_data(as_text=True))
    assert arrived(messages) == [missed.id, also_missed.id]
    assert removed.id < also_missed.id
    assert {m["id"] for m in messages} == {str(also_missed.id)}
    # Where streams are not kept open, the answer is complete at once and the browser asks
    # again after LIVE_POLL_SECONDS.
    assert int(messages[0]["retry"]) >= 30_000


@pytest.mark.parametrize("app_settings", [{"LIVE_STREAM_MODE": "poll"}])
def test_without_an_id_a_page_continues_from_the_newest_readable_comment(
    client, article, regular, make_user
):
    newest = make_comment(article, regular)
    make_comment(article, make_user("newcomer"), "Waiting.", status=CommentStatus.PENDING)

    messages = parse(client.get(f"/articles/{article.slug}/events").get_data(as_text=True))

    assert arrived(messages) == []
    assert messages[0]["id"] == str(newest.id)


def test_the_article_page_says_where_to_listen_from(client, article, regular, make_user):
    newest = make_comment(article, regular)
    make_comment(article, make_user("newcomer"), "Waiting.", status=CommentStatus.PENDING)

    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)

    assert f'data-live-url="/articles/{article.slug}/events"' in html
    assert f'data-live-after="{newest.id}"' in html


def test_a_locked_discussion_is_not_followed(client, make_article):
    locked = make_article(slug="locked", discussion_locked=True)
    assert "data-live-url" not in client.get(f"/articles/{locked.slug}").get_data(as_text=True)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ArticleStatus.DRAFT},
        {"status": ArticleStatus.SCHEDULED, "published_at": utcnow() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_articles_readers_cannot_see_have_no_stream(client, make_article, fields):
    hidden = make_article(slug="not-yet", **fields)
    assert client.get(f"/articles/{hidden.slug}/events").status_code == 404
    assert client.get("/articles/no-such-article/events").status_code == 404


@pytest.mark.parametrize("value", ["yesterday", "-1", str(2**63)])
def test_an_id_that_is_no_comment_id_is_refused_with_a_message(client, article, value):
    for response in (
        client.get(f"/articles/{article.slug}/events?after={value}"),
        client.get(f"/articles/{article.slug}/events", headers={"Last-Event-ID": value}),
    ):
        assert response.status_code == 400
        assert "comment id" in response.get_data(as_text=True)


def test_a_stream_starts_no_session_and_nothing_keeps_or_compresses_it(
    client, forms, article, regular, open_stream
):
    url = f"/articles/{article.slug}/events?after=0"
    for who in ("anonymous", "member"):
        if who == "member":
            forms.login("regular")
        stream = open_stream(url, **{"Accept-Encoding": "br, gzip"})
        headers = stream.response.headers
        assert headers["Content-Type"].startswith("text/event-stream")
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Accel-Buffering"] == "no"
        assert "Set-Cookie" not in headers
        assert "Content-Encoding" not in headers
        stream.close()


@pytest.mark.parametrize(
    "app_settings",
    [{**HOLD, "LIVE_HEARTBEAT_SECONDS": 0.01, "LIVE_STREAM_SECONDS": 0.2}],
)
def test_a_quiet_stream_says_it_is_there_and_ends_by_itself(app, article, open_stream):
    stream = open_stream(f"/articles/{article.slug}/events?after=0")
    stream.next()
    assert app.extensions["live"].open_streams() == 1

    rest = stream.rest()

    assert rest and all(message == {"": "still here"} for message in rest)
    stream.close()
    assert app.extensions["live"].open_streams() == 0


def test_a_page_that_leaves_stops_listening(app, article, open_stream):
    stream = open_stream(f"/articles/{article.slug}/events?after=0")
    assert app.extensions["live"].open_streams() == 1
    stream.close()
    assert app.extensions["live"].open_streams() == 0


@pytest.mark.parametrize("app_settings", [{"LIVE_STREAM_MODE": "auto"}])
def test_streams_are_kept_open_only_where_waiting_holds_no_worker(client, article):
    url = f"/articles/{article.slug}/events?after=0"
    # A worker of gunicorn's sync class would be held: the answer ends at once.
    response = client.get(url, buffered=False)
    assert list(response.response)
    response.close()
    # The embedded server (`flask run`) gives each request a thread of its own.
    embedded = {"SERVER_SOFTWARE": "Werkzeug/3.1.9"}
    response = client.get(url, buffered=False, multithread=True, environ_base=embedded)
    assert client.application.extensions["live"].open_streams() == 1
    response.close()


@pytest.mark.parametrize("app_settings", [{**HOLD, "LIMIT_LIVE_STREAMS_PER_ADDRESS": "2/minute"}])
def test_streams_from_one_address_are_limited(client, article):
    url = f"/articles/{article.slug}/events?after=0"
    answers = []
    for _ in range(3):
        response = client.get(url, buffered=False)
        answers.append(response.status_code)
        response.close()
    assert answers == [200, 200, 429]
