"""A member follows a discussion and chooses a digest in a real browser, finding everything by
its accessible name; another member's comment then reaches the follower's inbox. The link that
stops e-mails works in a browser that is not logged in."""

import re

from playwright.sync_api import expect

from app import transaction
from app.models import MailFrequency, MailTopic
from app.services.accounts.unsubscribe import make_unsubscribe_token
from tests.browser.conftest import PHONE
from tests.factories import DEFAULT_PASSWORD, make_user

TITLE = "Would you friend your therapist on Facebook?"


def header(page):
    return page.get_by_role("navigation", name="Main")


def log_in(page, username):
    page.goto("/account/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(header(page).get_by_role("link", name=username)).to_be_visible()


def test_a_member_follows_a_discussion_chooses_a_digest_and_sees_new_comments(
    page, browser, live_server, screenshot, make_article
):
    slug = make_article(TITLE).slug
    make_user("robin", email="robin@example.org")
    make_user("sam")
    transaction.commit()

    log_in(page, "robin")
    page.goto(f"/articles/{slug}")
    discussion = page.get_by_role("region", name=re.compile("Discussion"))
    discussion.scroll_into_view_if_needed()
    screenshot("follow-discussion-before", full_page=False)
    discussion.get_by_role("button", name="Follow this discussion").click()
    expect(
        page.get_by_text("You follow this discussion: its new comments will reach")
    ).to_be_visible()
    expect(discussion.get_by_role("button", name="Stop following")).to_be_visible()
    discussion.scroll_into_view_if_needed()
    screenshot("follow-discussion", full_page=False)

    discussion.get_by_role("link", name="E-mail settings").click()
    followed = page.get_by_role("group", name="E-mail me about new comments on articles I follow")
    followed.get_by_role("radio", name="In a daily digest").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    expect(followed.get_by_role("radio", name="In a daily digest")).to_be_checked()
    screenshot("settings-email-choices")
    screenshot("settings-email-choices-phone", viewport=PHONE)

    other = browser.new_context(base_url=live_server)
    sam = other.new_page()
    log_in(sam, "sam")
    sam.goto(f"/articles/{slug}")
    sam.get_by_role("textbox", name="Comment").fill("Friends of friends would see it.")
    sam.get_by_role("button", name="Post comment").click()
    expect(sam.get_by_text("Your comment is posted.")).to_be_visible()
    other.close()

    header(page).get_by_role("link", name=re.compile("Inbox")).click()
    expect(page.get_by_text("sam commented on")).to_be_visible()
    expect(page.get_by_text("Friends of friends would see it.")).to_be_visible()
    page.get_by_role("link", name="Articles you follow").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()


def test_the_unsubscribe_link_works_without_logging_in(page, screenshot):
    robin = make_user("robin", email="robin@example.org", follow_emails=MailFrequency.DAILY)
    token = make_unsubscribe_token(robin, [MailTopic.FOLLOWS])
    transaction.commit()

    page.goto(f"/account/unsubscribe/{token}")
    expect(page.get_by_text("about new comments on articles you follow?")).to_be_visible()
    screenshot("unsubscribe-confirm")
    page.get_by_role("button", name="Stop these e-mails").click()

    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    screenshot("unsubscribe-done")
    page.goto("/account/unsubscribe/not-a-token")
    expect(page.get_by_text("This unsubscribe link is not valid.")).to_be_visible()
