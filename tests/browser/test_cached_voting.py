"""An anonymous reader votes on an article page served from the shared cache."""

import requests
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import ResultsVisibility, Vote
from tests.browser.conftest import DESKTOP

QUESTION = "Would you accept a friend request from your therapist?"


def cached_article(make_article, live_server):
    """An article with an anonymous poll, whose page anonymous readers already share."""
    article = make_article(
        "Would you friend your therapist?",
        poll_question=QUESTION,
        poll_options=("Yes", "No"),
        allow_anonymous=True,
        results_visibility=ResultsVisibility.ALWAYS,
    )
    url = f"{live_server}/articles/{article.slug}"
    first = requests.get(url, timeout=30)
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=30)
    assert first.headers["Cache-Control"].startswith("public")
    assert again.status_code == 304
    return article


def votes():
    # A new transaction, to see what the server committed since the last read.
    db.session.rollback()
    return db.session.scalar(select(func.count(Vote.id)))


def test_an_anonymous_reader_votes_with_javascript_on_a_cached_page(
    page, browser, live_server, make_article
):
    article = cached_article(make_article, live_server)

    page.goto(f"/articles/{article.slug}")
    assert page.context.cookies() == []
    token = page.locator('meta[name="csrf-token"]')
    expect(token).to_have_attribute("content", "")

    poll = page.locator("[data-poll-panel]")
    poll.get_by_label("Yes").check()
    poll.get_by_label("I am or have been a client in counseling or therapy").check()
    expect(token).not_to_have_attribute("content", "")  # fetched when the form was first used
    poll.get_by_role("button", name="Vote").click()

    panel = page.locator("[data-poll-panel]")
    expect(panel.get_by_text("Thank you: your vote is counted.")).to_be_visible()
    expect(panel.get_by_text("You voted:")).to_contain_text("Yes")
    assert page.url.endswith(f"/articles/{article.slug}")  # no page was loaded to vote
    assert votes() == 1
    assert {cookie["name"] for cookie in page.context.cookies()} == {"session", "voter"}

    page.reload()
    expect(page.locator(".poll-your-vote")).to_contain_text("Yes")

    other = browser.new_context(base_url=live_server, viewport=DESKTOP).new_page()
    other.goto(f"/articles/{article.slug}")
    expect(other.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(other.locator(".poll-your-vote")).to_have_count(0)
    other.context.close()


def test_without_javascript_the_reader_confirms_the_vote_once(
    browser, live_server, fresh_page_cache, make_article
):
    article = cached_article(make_article, live_server)
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/articles/{article.slug}")
    poll = page.locator("[data-poll-panel]")
    poll.get_by_label("No").check()
    poll.get_by_label("Neither").check()
    poll.get_by_role("button", name="Vote").click()

    expect(page.get_by_role("heading", name="Please confirm")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    assert votes() == 0
    page.get_by_role("button", name="Confirm and send").click()

    expect(page.get_by_text("Thank you: your vote is counted.")).to_be_visible()
    expect(page.locator(".poll-your-vote")).to_contain_text("No")
    assert votes() == 1
    context.close()
