"""Every device: pages that fit a 320 px screen in English and in Spanish (whose words are the
longer), long threads that fold on a phone, and articles and insights that print cleanly in
either theme."""

import re

import pytest
from playwright.sync_api import expect

from app import transaction
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import browser_as, demo_site
from tests.factories import make_comment

NARROWEST = {"width": 320, "height": 640}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Buttons, labels and tabs whose words stick out of them (a long word that cannot wrap).
STICKING_OUT = """() => [...document.querySelectorAll(
  'button, .button, label, summary, legend, .site-nav a, .mod-nav a, .tabs a')]
  .filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
  .map(e => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 40)}": ` +
    `${e.scrollWidth} px of words in ${e.clientWidth} px`)"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_kind_of_page_fits_a_320_px_screen(
    browser, live_server, fresh_page_cache, app, language
):
    pages = demo_site()
    browsers = {}
    too_wide = []
    for kind, (path, username) in pages.items():
        if username not in browsers:
            browsers[username] = browser_as(browser, live_server, "light", username, language)
        page = browsers[username]
        page.set_viewport_size(NARROWEST)
        page.goto(path)
        assert page.evaluate("document.documentElement.lang") == language, kind
        overflow = page.evaluate(SIDEWAYS)
        if overflow > 0:
            too_wide.append(f"{kind} ({path}) scrolls sideways by {overflow} px")
        too_wide += [f"{kind} ({path}): {what}" for what in page.evaluate(STICKING_OUT)]
    for page in browsers.values():
        page.context.close()
    assert not too_wide, "\n".join(too_wide)


def test_replies_below_the_third_level_fold_into_their_thread_on_a_phone(
    page, make_article, make_user
):
    article = make_article("Would you hug your therapist?")
    voices = [make_user("quietfern", role="client"), make_user("riverstone", role="client")]
    chain = [make_comment(article, voices[0], "Level 0: a hug at the last session?")]
    for level in range(1, 5):
        chain.append(
            make_comment(
                article, voices[level % 2], f"Level {level}: it depends who asks.", parent=chain[-1]
            )
        )
    slug, folded_at = article.slug, chain[2].id
    transaction.commit()

    page.goto(f"/articles/{slug}")
    expect(page.get_by_text("Level 4:")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Continue this thread"))).to_have_count(0)

    page.set_viewport_size(PHONE)
    expect(page.get_by_text("Level 2:")).to_be_visible()
    expect(page.get_by_text("Level 3:")).to_be_hidden()
    more = page.get_by_role("link", name="Continue this thread (2 replies) →")
    expect(more).to_be_visible()
    more.click()
    expect(page).to_have_url(re.compile(rf"/comments/{folded_at}#c{folded_at}$"))
    expect(page.get_by_text("Level 4:")).to_be_visible()


def test_an_article_and_its_insights_print_in_light_colours_without_controls(
    browser, live_server, fresh_page_cache, app
):
    pages = demo_site()
    page = browser_as(browser, live_server, "dark", None)
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="print", color_scheme="dark")
    colours = (
        "() => [getComputedStyle(document.body).backgroundColor, "
        "getComputedStyle(document.body).color]"
    )

    page.goto(pages["article with poll and deep discussion"][0])
    assert page.evaluate(colours) == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".poll .chart").first).to_be_visible()
    surface = page.locator(".poll").evaluate("poll => getComputedStyle(poll).backgroundColor")
    assert surface == "rgb(255, 255, 255)", "the dark theme's colours reached the paper"
    expect(page.get_by_role("button", name="Vote")).to_be_hidden()
    expect(page.locator("article.comment").first).to_be_visible()
    expect(page.get_by_role("button", name="Reply").first).to_be_hidden()
    expect(page.get_by_role("button", name="Report").first).to_be_hidden()

    page.goto(pages["insights of a poll"][0])
    assert page.evaluate(colours) == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    expect(page.get_by_role("group", name="Whose votes to count")).to_be_hidden()
    expect(page.get_by_role("heading", name="Download the results")).to_be_hidden()
    # The table behind "Ballots per period as a table" prints without being opened.
    for table in ("Ballots cast in each period", "Votes by community role"):
        expect(page.get_by_role("table", name=re.compile(table))).to_be_visible()
    page.context.close()
