"""Anonymous readers share cached pages; what changes them shows at once, votes within a lag.

A reader without cookies gets public pages that set no cookie, carry an ETag and answer a
repeated request with 304. Members get private pages. The forms on shared pages get their
CSRF token when used (/csrf-token), or, without JavaScript, on a page that asks to confirm.
"""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app import transaction
from app.extensions import db
from app.models import ResultsVisibility, Tag, Vote, utcnow
from app.services.polls.voting import cast_vote
from tests.conftest import csrf_token
from tests.factories import make_author, make_comment, make_user

PUBLIC = re.compile(r"public, max-age=(\d+), s-maxage=(\d+)")


@pytest.fixture
def site(app, make_article):
    """An article with an anonymous poll whose results everyone sees, by an author, tagged."""
    author = make_author("Lakeside Therapy", slug="lakeside")
    article = make_article(
        "Would you friend your therapist?",
        slug="friend-your-therapist",
        author=author,
        poll_question="Would you accept the request?",
        poll_options=("Yes", "No"),
        allow_anonymous=True,
        results_visibility=ResultsVisibility.ALWAYS,
    )
    article.tags.append(Tag(name="Social media", slug="social-media"))
    db.session.commit()
    return article


def page_of(article):
    return f"/articles/{article.slug}"


def text_of(response):
    return response.get_data(as_text=True)


def statements_during(client, url):
    """The SQL statements the request sent, and its response."""
    statements = []

    def note(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return statements, response


def seed_votes(poll, answer, count):
    option_id = next(option.id for option in poll.options if option.label == answer)
    for n in range(count):
        cast_vote(poll, [option_id], voter_token=f"seed-{answer}-{n}", role="client")
    transaction.commit()


def option_id(article, label):
    return next(option.id for option in article.poll.options if option.label == label)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles",
        "/articles/friend-your-therapist",
        "/tags/social-media",
        "/authors/lakeside",
        "/search?q=therapist",
        "/insights/",
        "/insights/polls/{poll}",
        "/feed.atom",
        "/sitemap.xml",
    ],
)
def test_anonymous_pages_set_no_cookie_and_are_public(app, client, site, url):
    response = client.get(url.format(poll=site.poll.id))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert PUBLIC.fullmatch(response.headers["Cache-Control"]).groups() == (
        str(app.config["PUBLIC_MAX_AGE"]),
        str(app.config["PUBLIC_S_MAXAGE"]),
    )
    assert response.headers["ETag"]
    assert "Cookie" in response.headers["Vary"]
    assert client.get_cookie("session") is None


def test_the_article_page_carries_no_token_and_starts_no_session(client, site):
    html = text_of(client.get(page_of(site)))
    assert '<meta name="csrf-token" content="" data-token-url="/csrf-token">' in html
    assert '<input type="hidden" name="csrf_token" value="">' in html  # the vote form


def test_a_reader_who_holds_the_page_gets_304_until_it_changes(client, site, member_at):
    first = client.get(page_of(site))
    etag = first.headers["ETag"]
    again = client.get(page_of(site), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"].startswith("public")

    member_at("robin").submit(
        page_of(site), {"body": "A new point of view."}, f"/articles/{site.slug}/comments"
    )
    changed = client.get(page_of(site), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "A new point of view." in text_of(changed)


def test_a_second_anonymous_reader_is_served_without_the_database(client, site):
    first, _ = statements_during(client, page_of(site))
    second, response = statements_during(client, page_of(site))
    assert first and second == []
    assert response.status_code == 200 and "Would you accept the request?" in text_of(response)


def test_logged_in_pages_are_private_and_never_from_the_anonymous_cache(client, site, member_at):
    anonymous = client.get(page_of(site))
    assert "Log in" in text_of(anonymous)

    robin = member_at("robin").client
    response = robin.get(page_of(site))
    html = text_of(response)
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response.headers
    assert "robin" in html and "Post comment" in html and "Log in</a>" not in html
    assert csrf_token(html)  # members' forms keep their token in the page
    for url in ("/", "/insights/", f"/insights/polls/{site.poll.id}", "/csrf-token"):
        cache_control = robin.get(url).headers["Cache-Control"]
        assert cache_control in ("private, no-cache", "no-store"), url
    # Pages that were not to be kept at all stay so.
    assert robin.get("/account/settings").headers["Cache-Control"] == "no-store"
    # And what the member saw never reaches anonymous readers.
    assert "robin" not in text_of(client.get(page_of(site)))


def test_a_comment_posted_by_a_member_appears_for_anonymous_readers_at_once(
    client, site, member_at
):
    assert "0 comments" in text_of(client.get("/"))
    assert "Boundaries protect both sides." not in text_of(client.get(page_of(site)))

    response = member_at("robin").submit(
        page_of(site), {"body": "Boundaries protect both sides."}, f"/articles/{site.slug}/comments"
    )
    assert response.status_code == 302

    assert "Boundaries protect both sides." in text_of(client.get(page_of(site)))
    assert "1 comment" in text_of(client.get("/"))
    assert "1 comment" in text_of(client.get("/tags/social-media"))


def test_a_helpful_mark_and_a_badge_shown_by_choice_appear_at_once(client, site, member_at):
    author = make_user("olga", role="client")
    comment = make_comment(site, author, "Say no kindly.")
    html = text_of(client.get(page_of(site)))
    assert "Helpful (0)" in html and '<span class="badge">Client</span>' not in html

    member_at("robin").submit(page_of(site), {"marked": "1"}, f"/comments/{comment.id}/helpful")
    assert "Helpful (1)" in text_of(client.get(page_of(site)))

    member_at("olga").submit(
        "/account/settings",
        {
            "community_role": "client",
            "discipline": "",
            "credentials": "",
            "email": "",
            "show_role_badge": "y",
        },
    )
    assert '<span class="badge">Client</span>' in text_of(client.get(page_of(site)))


def test_a_vote_appears_within_the_freshness_setting(app, client, site):
    app.config["POLL_RESULTS_LAG"] = 1
    seed_votes(site.poll, "Yes", 6)
    assert "6 voters" in text_of(client.get(page_of(site)))
    assert "6 voters" in text_of(client.get("/insights/"))

    voter = app.test_client()
    token = voter.get("/csrf-token").get_json()["csrf_token"]
    response = voter.post(
        f"/api/v1/polls/{site.poll.id}/votes",
        json={"option_ids": [option_id(site, "No")], "role": "client"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code in (200, 201)

    deadline = time.monotonic() + app.config["POLL_RESULTS_LAG"] + 0.5
    while "7 voters" not in text_of(client.get(page_of(site))):
        assert time.monotonic() < deadline, "the vote did not show within the lag"
        time.sleep(0.1)
    while "7 voters" not in text_of(client.get("/insights/")):
        assert time.monotonic() < deadline, "the vote did not show within the lag"
        time.sleep(0.1)


def test_pages_with_a_poll_are_kept_no_longer_than_the_lag(app, client, site):
    """Without the lag the page would be kept PAGE_CACHE_SECONDS, whatever the votes."""
    app.config["POLL_RESULTS_LAG"] = 1
    seed_votes(site.poll, "Yes", 6)
    assert "6 voters" in text_of(client.get(page_of(site)))
    # A vote written without any request, so nothing but the page's age can reveal it.
    cast_vote(site.poll, [option_id(site, "No")], voter_token="quiet", role="client")
    transaction.commit()
    assert "6 voters" in text_of(client.get(page_of(site)))  # kept, as the lag allows
    time.sleep(1.1)
    assert "7 voters" in text_of(client.get(page_of(site)))


def test_an_edited_article_shows_at_once_everywhere(client, site, member_at):
    for url in ("/", "/articles", page_of(site), "/feed.atom", "/authors/lakeside"):
        assert "Would you friend your therapist?" in text_of(client.get(url))

    editor = member_at("eddie", staff="editor")
    response = editor.submit(
        f"/editor/articles/{site.id}/edit",
        {
            "title": "Should your therapist follow you?",
            "slug": site.slug,
            "summary": "A question about boundaries.",
            "body": "A counselor asks.",
            "author": str(site.author_id),
            "tags": "social media",
            "poll_question": "Would you accept the request?",
            "poll_options": "Yes\nNo",
            "poll_results": "always",
            "poll_anonymous": "y",
        },
    )
    assert response.status_code == 302

    for url in ("/", "/articles", page_of(site), "/feed.atom", "/authors/lakeside"):
        html = text_of(client.get(url))
        assert "Should your therapist follow you?" in html, url


def test_a_locked_discussion_and_a_closed_poll_show_at_once(client, site, member_at):
    html = text_of(client.get(page_of(site)))
    assert "This discussion is locked" not in html and "This poll is closed" not in html

    moderator = member_at("mod_maya", staff="moderator")
    moderator.submit("/moderation/articles", {}, f"/moderation/articles/{site.id}/lock")
    assert "This discussion is locked" in text_of(client.get(page_of(site)))

    moderator.submit("/moderation/articles", {}, f"/moderation/polls/{site.poll.id}/close")
    assert "This poll is closed" in text_of(client.get(page_of(site)))


def test_an_unpublished_article_leaves_the_lists_at_once(client, site, member_at):
    assert "Would you friend your therapist?" in text_of(client.get("/"))
    editor = member_at("eddie", staff="editor")
    editor.submit(f"/editor/articles/{site.id}/edit", {}, f"/editor/articles/{site.id}/unpublish")
    assert "Would you friend your therapist?" not in text_of(client.get("/"))
    assert client.get(page_of(site)).status_code == 404


def test_a_scheduled_article_appears_when_its_time_comes(client, make_article):
    make_article("Already out")
    soon = make_article(
        "Coming soon", status="scheduled", published_at=utcnow() + timedelta(seconds=1)
    )
    assert "Coming soon" not in text_of(client.get("/"))
    time.sleep(1.2)
    assert "Coming soon" in text_of(client.get("/")), soon.slug


def test_the_token_endpoint_starts_the_session_for_a_form(client, site):
    response = client.get("/csrf-token")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Set-Cookie"].startswith("session=")
    token = response.get_json()["csrf_token"]
    assert token and client.get("/csrf-token").get_json()["csrf_token"] == token

    vote = client.post(
        f"/api/v1/polls/{site.poll.id}/votes",
        json={"option_ids": [option_id(site, "Yes")], "role": "professional"},
        headers={"X-CSRFToken": token},
    )
    assert vote.status_code in (200, 201)
    assert db.session.scalar(select(func.count(Vote.id))) == 1


def test_without_javascript_a_vote_is_confirmed_with_what_was_sent(client, site):
    page = text_of(client.get(page_of(site)))
    assert '<input type="hidden" name="csrf_token" value="">' in page
    sent = {"csrf_token": "", "option_ids": str(option_id(site, "No")), "role": "professional"}

    asked = client.post(f"/polls/{site.poll.id}/vote", data=sent)
    html = text_of(asked)
    assert asked.status_code == 400
    assert asked.headers["Cache-Control"] == "no-store"
    assert asked.headers["Set-Cookie"].startswith("session=")
    assert "Please confirm" in html
    assert "<dt>Would you accept the request?</dt>" in html and "<dd>No</dd>" in html
    assert "<dd>Professional</dd>" in html
    assert db.session.scalar(select(func.count(Vote.id))) == 0

    form = html[html.index('<form method="post" action="/polls/') :]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    assert fields["option_ids"] == sent["option_ids"] and fields["role"] == "professional"
    assert fields["csrf_token"]

    done = client.post(f"/polls/{site.poll.id}/vote", data=fields, follow_redirects=True)
    assert done.status_code == 200
    page = text_of(done)
    assert "Thank you: your vote is counted." in page
    assert "You voted: <strong>No</strong>" in page
    assert done.headers["Cache-Control"] == "private, no-cache"
    [vote] = db.session.scalars(select(Vote)).all()
    assert vote.voter_role.value == "professional"


def test_a_voter_sees_their_vote_while_others_get_the_shared_page(app, client, site):
    token = client.get("/csrf-token").get_json()["csrf_token"]
    client.post(
        f"/polls/{site.poll.id}/vote",
        data={"csrf_token": token, "option_ids": option_id(site, "Yes"), "role": "client"},
    )
    mine = client.get(page_of(site))
    assert "You voted: <strong>Yes</strong>" in text_of(mine)
    assert mine.headers["Cache-Control"] == "private, no-cache"

    other = app.test_client().get(page_of(site))
    assert "You voted" not in text_of(other)
    assert other.headers["Cache-Control"].startswith("public")
    # Pages that show no poll are still shared with the voter.
    assert client.get("/articles").headers["Cache-Control"].startswith("public")


def test_the_page_key_takes_the_variation_from_one_place(app, client, site, monkeypatch):
    from app.caching import pages

    english = text_of(client.get("/"))
    monkeypatch.setattr(pages, "page_variation", lambda: "other")
    statements, response = statements_during(client, "/")
    assert statements, "a page of another variation was served from the first one's entry"
    assert text_of(response) == english
