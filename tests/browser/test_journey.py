"""A reader's first visit in a real browser: read an article, join, log out, log back in."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

TITLE = "Would you friend your therapist on Facebook?"
PASSWORD = "a long and memorable passphrase"


def both_widths(screenshot, name):
    screenshot(f"{name}-phone", PHONE)
    screenshot(f"{name}-desktop", DESKTOP)


def header(page):
    return page.get_by_role("navigation", name="Main")


def test_reader_reads_registers_logs_out_and_logs_in(page, screenshot, make_article, make_user):
    make_article(TITLE, summary="Confidentiality and dual relationships meet social media.")
    make_user("takenname")

    page.goto("/")
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(header(page).get_by_role("link", name="Log in")).to_be_visible()
    both_widths(screenshot, "home")

    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page).to_have_title(re.compile(re.escape(TITLE)))
    both_widths(screenshot, "article")

    header(page).get_by_role("link", name="Join").click()
    fill_registration(page, "takenname")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("button", name="Create account")).to_be_visible()
    expect(page.get_by_text(re.compile("taken|already", re.I)).first).to_be_visible()
    expect(header(page).get_by_role("link", name="Log in")).to_be_visible()
    both_widths(screenshot, "register-error")

    fill_registration(page, "quietfern")
    page.get_by_role("button", name="Create account").click()
    expect(header(page).get_by_role("link", name="quietfern")).to_be_visible()
    expect(header(page).get_by_role("link", name="Log in")).to_have_count(0)

    header(page).get_by_role("button", name="Log out").click()
    expect(header(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(header(page).get_by_role("link", name="quietfern")).to_have_count(0)

    header(page).get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("quietfern")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(header(page).get_by_role("link", name="quietfern")).to_be_visible()
    expect(header(page).get_by_role("button", name="Log out")).to_be_visible()

    page.goto("/")
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    both_widths(screenshot, "home-logged-in")


def fill_registration(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_role("radio", name=re.compile("client", re.I)).check()
