"""Two members discuss an article in a real browser, finding everything by its accessible name:
comment, reply, the reply notification, Helpful, edit and delete; then a deep thread at phone
and desktop widths."""

import re

import pytest
from playwright.sync_api import expect

from app import transaction
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import make_comment
from tests.servers import running_server

TITLE = "Would you friend your therapist on Facebook?"
PASSWORD = "a long and memorable passphrase"


@pytest.fixture(scope="module")
def open_site(database_url, page_cache_url):
    """The site configured to publish a member's first comments without review.

    Its two workers share their page cache, as in production: with a cache in each process, a
    page one worker keeps would not learn of a comment posted through the other.
    """
    env = {"PREMODERATE_FIRST_COMMENTS": "0", "TEST_CACHE_REDIS_URL": page_cache_url}
    with running_server(database_url, workers=2, env=env) as url:
        yield url


@pytest.fixture
def site(browser, open_site, fresh_page_cache, app):
    context = browser.new_context(base_url=open_site, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def shoot(page, name, viewport):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(viewport)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def header(page):
    return page.get_by_role("navigation", name="Main")


def register(page, username):
    page.goto("/account/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("radio", name=re.compile("client", re.I)).check()
    page.get_by_role("button", name="Create account").click()
    expect(header(page).get_by_role("link", name=username)).to_be_visible()


def log_out(page):
    header(page).get_by_role("button", name="Log out").click()
    expect(header(page).get_by_role("link", name="Log in")).to_be_visible()


def log_in(page, username):
    header(page).get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(header(page).get_by_role("link", name=username)).to_be_visible()


def comment_with(page, text):
    """The innermost comment element whose own body holds the text."""
    body = page.locator(".comment-body", has_text=text).last
    return page.locator("article.comment", has=body).last


def own_action(comment, role, name):
    """A control of this comment itself, not of a reply nested inside it."""
    return comment.get_by_role(role, name=name).first


def test_members_comment_reply_get_notified_mark_helpful_edit_and_delete(site, make_article):
    page = site
    slug = make_article(TITLE).slug
    transaction.commit()

    register(page, "quietfern")
    page.goto(f"/articles/{slug}")
    page.get_by_role("textbox", name="Comment").fill("I would **never** add my therapist.")
    page.get_by_role("button", name="Post comment").click()
    first = comment_with(page, "I would never add my therapist.")
    expect(first).to_be_visible()
    first_id = first.get_attribute("id")
    assert re.fullmatch(r"c\d+", first_id)

    log_out(page)
    register(page, "riverstone")
    page.goto(f"/articles/{slug}")
    first = page.locator(f"#{first_id}")
    first.get_by_role("button", name="Reply").first.click()
    first.get_by_role("textbox", name="Reply").fill("Why not, if the profile is private?")
    first.get_by_role("button", name="Post reply").click()
    reply = comment_with(page, "Why not, if the profile is private?")
    expect(reply).to_be_visible()
    reply_id = reply.get_attribute("id")
    expect(page.locator(f"#{first_id} #{reply_id}")).to_have_count(1)
    expect(header(page).get_by_role("link", name=re.compile("unread"))).to_have_count(0)

    log_out(page)
    log_in(page, "quietfern")
    inbox_link = header(page).get_by_role("link", name=re.compile(r"Inbox\s*1\s*unread"))
    expect(inbox_link).to_be_visible()
    inbox_link.click()
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    shoot(page, "inbox-desktop", DESKTOP)
    shoot(page, "inbox-phone", PHONE)
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name=re.compile("Read the reply from riverstone")).click()
    expect(page).to_have_url(re.compile(rf"/comments/{reply_id[1:]}#{reply_id}$"))
    expect(page.locator(f"#{reply_id}")).to_contain_text("Why not, if the profile is private?")
    expect(header(page).get_by_role("link", name=re.compile("unread"))).to_have_count(0)

    page.goto(f"/articles/{slug}")
    reply = page.locator(f"#{reply_id}")
    helpful = own_action(reply, "button", re.compile("Helpful"))
    expect(helpful).to_have_attribute("aria-pressed", "false")
    expect(helpful).to_contain_text("0")
    helpful.click()
    helpful = own_action(page.locator(f"#{reply_id}"), "button", re.compile("Helpful"))
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(helpful).to_contain_text("1")
    first = page.locator(f"#{first_id}")
    # Only the reply nested inside has a Helpful button: nobody marks their own comment.
    expect(first.get_by_role("button", name=re.compile("Helpful"))).to_have_count(1)

    own_action(first, "button", "Edit").click()
    page.get_by_role("textbox", name="Comment").fill("I would never add my therapist, or a client.")
    page.get_by_role("button", name="Save changes").click()
    first = page.locator(f"#{first_id}")
    expect(first).to_contain_text("I would never add my therapist, or a client.")
    expect(first.locator(".comment-header").first).to_contain_text("edited")

    own_action(first, "button", "Delete").click()
    page.get_by_role("button", name=re.compile("Delete")).click()
    first = page.locator(f"#{first_id}")
    expect(first).to_contain_text("[deleted]")
    expect(first).not_to_contain_text("or a client")
    expect(page.locator(f"#{first_id} #{reply_id}")).to_contain_text(
        "Why not, if the profile is private?"
    )


def test_a_deep_thread_reads_well_on_a_phone_and_a_desktop(site, make_article, make_user):
    page = site
    article = make_article(TITLE)
    voices = [make_user("quietfern", role="client"), make_user("riverstone", role="client")]
    chain = [make_comment(article, voices[0], "Where do you draw the line online?")]
    for level in range(1, 10):
        chain.append(
            make_comment(
                article,
                voices[level % 2],
                f"Level {level}: I see it differently, because a shared photo can reveal "
                "who my therapist sees on Thursdays.",
                parent=chain[-1],
            )
        )
    slug, deepest_id, continue_from = article.slug, chain[-1].id, chain[5].id
    transaction.commit()

    page.goto(f"/articles/{slug}#discussion")
    expect(page.get_by_text("Level 5:")).to_be_visible()
    expect(page.get_by_text("Level 6:")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Continue this thread"))).to_be_visible()
    shoot(page, "deep-thread-desktop", DESKTOP)
    shoot(page, "deep-thread-phone", PHONE)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the phone layout scrolls sideways by {overflow}px"

    # A phone folds the thread earlier (tests/browser/test_devices.py); this is the desktop's.
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name=re.compile("Continue this thread")).click()
    expect(page).to_have_url(re.compile(rf"/comments/{continue_from}"))
    expect(page.locator(f"#c{deepest_id}")).to_be_visible()
    shoot(page, "deep-thread-continued-phone", PHONE)
    shoot(page, "deep-thread-continued-desktop", DESKTOP)
