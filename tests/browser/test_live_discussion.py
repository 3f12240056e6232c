"""A second browser watches a comment arrive: "1 new comment — show", then the comment in place.

The site runs as the event-stream server of deploy/ does (gunicorn_events.conf.py: gevent's
workers, two of them), with Redis between the workers, so the comment posted through one
worker reaches a page listening on the other as it would between servers.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import DEFAULT_PASSWORD, make_article, make_comment, make_user
from tests.servers import running_server

FIRST = "A friend request from a client is a conversation to have in session."
ARRIVING = "I declined, and we talked about why. It helped us both."
DRAFT = "I am still thinking about what I would say"


@pytest.fixture(scope="module")
def live_site(database_url, page_cache_url):
    env = {
        "TEST_CACHE_REDIS_URL": page_cache_url,
        "REDIS_URL": page_cache_url,
        "PREMODERATE_FIRST_COMMENTS": "0",
    }
    options = ("-c", "gunicorn_events.conf.py")
    with running_server(database_url, workers=2, env=env, options=options) as url:
        yield url


@pytest.fixture
def open_page(browser, live_site, fresh_page_cache, app):
    contexts = []

    def open_():
        context = browser.new_context(base_url=live_site, viewport=DESKTOP)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def log_in(page, username):
    page.goto("/account/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name=username)
    ).to_be_visible()


def open_listening(page, slug):
    """Open the article and wait until its page listens for arriving comments."""
    with page.expect_response(re.compile(r"/events\?after=\d+$")) as stream:
        page.goto(f"/articles/{slug}")
    assert stream.value.status == 200
    assert stream.value.headers["content-type"].startswith("text/event-stream")


def shoot(page, name, viewport, shown):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(viewport)
    shown.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_a_second_browser_watches_a_comment_arrive(open_page):
    author = make_user("steadyoak", approved_comment_count=10)
    make_user("quietfern", approved_comment_count=10)
    article = make_article("Would you accept a friend request from a client?")
    make_comment(article, author, FIRST)

    watcher = open_page()
    log_in(watcher, "quietfern")
    open_listening(watcher, article.slug)
    # The watcher has begun a comment of their own, and will not lose it.
    watcher.get_by_role("textbox", name="Comment").fill(DRAFT)
    watcher.evaluate("window.sameDocument = true")

    poster = open_page()
    log_in(poster, "steadyoak")
    poster.goto(f"/articles/{article.slug}")
    poster.get_by_role("textbox", name="Comment").fill(ARRIVING)
    poster.get_by_role("button", name="Post comment").click()
    expect(poster.locator(".comment-body", has_text=ARRIVING)).to_be_visible()

    show = watcher.get_by_role("button", name="1 new comment — show")
    expect(show).to_be_visible()
    expect(watcher.get_by_role("status").filter(has=show)).to_have_count(1)
    expect(watcher.get_by_text(ARRIVING)).to_have_count(0)
    shoot(watcher, "live-new-comment-desktop", DESKTOP, show)
    shoot(watcher, "live-new-comment-phone", PHONE, show)
    watcher.set_viewport_size(DESKTOP)

    show.click()

    arrived = watcher.locator("article.comment", has_text=ARRIVING)
    expect(arrived).to_be_visible()
    expect(arrived).to_be_focused()
    expect(show).to_have_count(0)
    expect(watcher.get_by_role("textbox", name="Comment")).to_have_value(DRAFT)
    expect(watcher.locator(".discussion-count")).to_have_text("2 comments")
    assert watcher.evaluate("window.sameDocument") is True
    shoot(watcher, "live-comment-shown-desktop", DESKTOP, arrived)
