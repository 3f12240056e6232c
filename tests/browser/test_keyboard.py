"""A member and a moderator with a keyboard alone: Tab to move, Space to choose, Enter to press,
letters to type. The member logs in, votes, comments, replies and reports; the moderator
approves the reported comment with the queue's shortcut. Every control that Tab reaches on
the way shows that it has focus."""

import re

from playwright.sync_api import expect

from app import transaction
from tests.factories import DEFAULT_PASSWORD, make_comment

TITLE = "Would you friend your therapist on Facebook?"
THEIRS = "I accepted my counselor's request and regretted it within a week."
MINE = "A private profile is still a profile: I would decline, kindly."
REPLY = "What made you regret it so quickly?"
# Where focus is and whether it shows: an outline, or a ring drawn as a box shadow.
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow !== "none";
  const name = element.getAttribute("aria-label") || element.innerText || element.name || "";
  return {visible: outline || ring, element: `${element.tagName} "${name.trim().slice(0, 40)}"`};
}"""


def press(page, key):
    assert key in ("Tab", "Enter", "Space"), f"{key} is not among the keys this walk allows"
    page.keyboard.press(key)


def tab_to(page, target, limit=300):
    """Tab until `target` has focus, checking on the way that every control shows focus."""
    for _ in range(limit):
        press(page, "Tab")
        focused = page.evaluate(FOCUS)
        if focused is None:  # past the last control, before the first one again
            continue
        assert focused["visible"], f"{focused['element']} has focus but does not show it"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def log_in(page, username):
    page.goto("/account/login")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(username)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(DEFAULT_PASSWORD)
    press(page, "Enter")
    expect(header(page).get_by_role("link", name=username)).to_be_visible()


def header(page):
    return page.get_by_role("navigation", name="Main")


def comment_with(page, text):
    return page.locator("article.comment", has=page.locator(".comment-body", has_text=text)).last


def test_vote_comment_reply_report_and_moderate_with_the_keyboard_alone(
    page, make_article, make_user
):
    article = make_article(
        TITLE, poll_question="Would you accept the request?", poll_options=("Yes", "No")
    )
    make_user("keyboard_member", role="client")
    make_user("keyboard_moderator", role="professional", staff="moderator")
    make_comment(article, make_user("other_voice", role="client"), THEIRS)
    slug = article.slug
    transaction.commit()

    log_in(page, "keyboard_member")
    page.goto(f"/articles/{slug}")
    poll = page.locator("[data-poll-panel]")
    tab_to(page, poll.get_by_role("radio", name="Yes"))
    press(page, "Space")
    expect(poll.get_by_role("radio", name="Yes")).to_be_checked()
    tab_to(page, poll.get_by_role("button", name="Vote"))
    press(page, "Enter")
    expect(page.locator(".poll-your-vote")).to_contain_text("Yes")

    tab_to(page, page.get_by_role("textbox", name="Comment"))
    page.keyboard.type(MINE)
    tab_to(page, page.get_by_role("button", name="Post comment"))
    press(page, "Enter")
    expect(comment_with(page, MINE)).to_be_visible()

    theirs = comment_with(page, THEIRS)
    tab_to(page, theirs.get_by_role("button", name="Reply"))
    press(page, "Enter")
    reply_box = theirs.get_by_role("textbox", name="Reply")
    expect(reply_box).to_be_focused()
    page.keyboard.type(REPLY)
    tab_to(page, theirs.get_by_role("button", name="Post reply"))
    press(page, "Enter")
    expect(comment_with(page, REPLY)).to_be_visible()
    replies = page.locator(f"#{theirs.get_attribute('id')} .comment-replies")
    expect(replies.locator(".comment-body", has_text=REPLY)).to_be_visible()

    theirs = comment_with(page, THEIRS)
    tab_to(page, theirs.get_by_role("button", name="Report").first)
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1, name=re.compile("Report"))).to_be_visible()
    reason = page.get_by_role("radio", name="Spam", exact=True)
    tab_to(page, reason)
    press(page, "Space")
    expect(reason).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Send report"))
    press(page, "Enter")
    expect(page.get_by_text("A moderator will look at this comment")).to_be_visible()

    tab_to(page, header(page).get_by_role("button", name="Log out"))
    press(page, "Enter")
    expect(header(page).get_by_role("link", name="Log in")).to_be_visible()
    log_in(page, "keyboard_moderator")
    page.goto("/moderation/queue/reported")
    shortcuts = page.locator("#shortcuts")
    expect(shortcuts).to_contain_text(re.compile(r"j\s*/\s*k next/previous item, a approve"))
    queue = page.locator("[data-queue]")
    expect(queue).to_have_accessible_description(re.compile("Keyboard shortcuts"))
    item = page.locator("li.queue-item", has_text=THEIRS)
    expect(item.get_by_role("button", name="Approve")).to_have_attribute("aria-keyshortcuts", "a")

    # Outside the queue the letters are left alone, for screen readers and the browser.
    page.keyboard.press("j")
    expect(item).not_to_be_focused()
    tab_to(page, item)
    page.keyboard.press("x")
    expect(item.get_by_role("checkbox")).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="Selected: Select comment")).to_be_attached()
    page.keyboard.press("x")
    expect(page.get_by_role("status").filter(has_text="Not selected:")).to_be_attached()
    page.keyboard.press("a")
    expect(page.get_by_text("Comment approved.")).to_be_visible()
    expect(page.locator("li.queue-item", has_text=THEIRS)).to_have_count(0)
