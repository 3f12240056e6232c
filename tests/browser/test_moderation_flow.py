"""A moderator's day in a real browser, every control found by its accessible name.

Three members report a comment and it disappears; a professional asks to be verified; the
moderator restores the comment from the queue, features another, bans a spammer, verifies the
professional, and finds each of those steps in the audit log.
"""

import re

from playwright.sync_api import expect

from app import transaction
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import DEFAULT_PASSWORD, make_comment

TITLE = "Would you friend your therapist on Facebook?"
CHATTY = "My therapist lives two streets away from me and I keep seeing her at the gym."
THOUGHTFUL = "Confidentiality protects both of us, so I keep my feeds and my sessions apart."
SPAM = "Cheap pills, fast delivery, no prescription needed."
REASONS = {
    "reporter_ann": "Spam",
    "reporter_ben": "Harassment or abuse",
    "reporter_cy": "Off-topic",
}
BAN_REASON = "Advertising pills in every discussion."


def header(page):
    return page.get_by_role("navigation", name="Main")


def moderation_nav(page):
    return page.get_by_role("navigation", name="Moderation")


def log_in(page, username):
    page.goto("/")
    header(page).get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(header(page).get_by_role("link", name=username)).to_be_visible()


def log_out(page):
    header(page).get_by_role("button", name="Log out").click()
    expect(header(page).get_by_role("link", name="Log in")).to_be_visible()


def comment_with(page, text):
    return page.locator("article.comment", has=page.locator(".comment-body", has_text=text))


def queue_item(page, text):
    return page.locator("li.queue-item", has_text=text)


def control(scope, name):
    """A link or a button: the design names the control, not its element."""
    return scope.get_by_role("link", name=name).or_(scope.get_by_role("button", name=name))


def report(page, slug, text, reason):
    page.goto(f"/articles/{slug}")
    control(comment_with(page, text), "Report").click()
    page.get_by_role("radio", name=reason, exact=True).check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("A moderator will look at this comment")).to_be_visible()


def both_widths(screenshot, name):
    screenshot(f"{name}-desktop", DESKTOP)
    screenshot(f"{name}-phone", PHONE)


def seed(make_article, make_user):
    article = make_article(TITLE, summary="Confidentiality and dual relationships online.")
    for username, text in (("chatty", CHATTY), ("thoughtful", THOUGHTFUL), ("spambot", SPAM)):
        comment = make_comment(article, make_user(username, role="client"), text)
        comment.root_id = comment.id
    for username in REASONS:
        make_user(username)
    make_user("dr_pat", role="professional", discipline="psychologist", credentials="PhD")
    make_user("mod_maya", staff="moderator")
    slug = article.slug
    # Outside a request every transaction takes SQLite's write lock: release it for the server.
    transaction.commit()
    return slug


def test_a_moderator_works_reports_members_and_verification_and_the_log_shows_it(
    page, screenshot, make_article, make_user
):
    slug = seed(make_article, make_user)

    for reports, (username, reason) in enumerate(REASONS.items(), start=1):
        log_in(page, username)
        report(page, slug, CHATTY, reason)
        # The report lands back on the article: the comment stays until the third report.
        expect(comment_with(page, CHATTY)).to_have_count(1 if reports < 3 else 0)
        if username == "reporter_cy":
            report(page, slug, THOUGHTFUL, "Off-topic")
        log_out(page)

    page.goto(f"/articles/{slug}")
    expect(comment_with(page, THOUGHTFUL)).to_be_visible()
    expect(page.get_by_text(CHATTY)).to_have_count(0)

    log_in(page, "dr_pat")
    page.goto("/account/verification")
    page.get_by_label("Licence or credential type").fill("Licensed psychologist")
    page.get_by_label("Licence number").fill("PSY 31337")
    page.get_by_label("Jurisdiction").fill("Oregon")
    page.get_by_role("button", name="Ask to be verified").click()
    expect(page.get_by_text("A moderator will review your credentials")).to_be_visible()
    log_out(page)

    log_in(page, "mod_maya")
    header(page).get_by_role("link", name="Moderation").click()
    moderation_nav(page).get_by_role("link", name="Reported").click()
    hidden = queue_item(page, CHATTY)
    expect(hidden).to_be_visible()
    for username, reason in REASONS.items():
        expect(hidden.get_by_text(f"{reason} — {username}")).to_be_visible()
    expect(hidden.get_by_role("button", name="Approve")).to_be_visible()
    expect(hidden.get_by_role("button", name="Remove")).to_be_visible()
    both_widths(screenshot, "moderation-queue-reported")
    page.set_viewport_size(DESKTOP)

    hidden.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("Comment restored.")).to_be_visible()
    expect(queue_item(page, CHATTY)).to_have_count(0)
    page.goto(f"/articles/{slug}")
    expect(comment_with(page, CHATTY)).to_be_visible()

    header(page).get_by_role("link", name="Moderation").click()
    moderation_nav(page).get_by_role("link", name="Reported").click()
    queue_item(page, THOUGHTFUL).get_by_role("button", name="Feature").click()
    expect(page.get_by_text("Comment featured.")).to_be_visible()
    page.goto(f"/articles/{slug}")
    first = page.locator("article.comment").first
    expect(first.locator(".comment-body")).to_contain_text(THOUGHTFUL)
    expect(first.get_by_text("Featured", exact=True)).to_be_visible()

    header(page).get_by_role("link", name="Moderation").click()
    moderation_nav(page).get_by_role("link", name="Members").click()
    page.get_by_role("link", name="spambot", exact=True).click()
    page.get_by_label("Reason for the ban").fill(BAN_REASON)
    page.get_by_role("button", name="Ban", exact=True).click()
    expect(page.get_by_text("Member banned.")).to_be_visible()
    expect(page.get_by_text(f"banned — {BAN_REASON}")).to_be_visible()

    moderation_nav(page).get_by_role("link", name="Verification").click()
    page.get_by_role("button", name="Approve dr_pat").click()
    expect(page.get_by_text("dr_pat is now a verified professional.")).to_be_visible()

    moderation_nav(page).get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1, name="Audit log")).to_be_visible()
    log = page.get_by_role("table", name="Staff actions")
    for action, target, reason in (
        ("restore", "comment", ""),
        ("feature", "comment", ""),
        ("ban", "member", BAN_REASON),
        ("verify", "verification", ""),
    ):
        row = log.get_by_role("row").filter(has=page.get_by_role("cell", name=action, exact=True))
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell", name="mod_maya", exact=True)).to_be_visible()
        expect(row.get_by_role("cell", name=re.compile(f"^{target}\\b"))).to_be_visible()
        if reason:
            expect(row.get_by_role("cell", name=reason, exact=True)).to_be_visible()
    both_widths(screenshot, "moderation-audit-log")
