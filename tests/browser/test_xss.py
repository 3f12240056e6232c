"""Comments cannot carry script: a corpus of attacks is posted, then read back as HTML and in
a real browser, which must run nothing and keep no unsafe markup.

xss_payloads.txt holds one payload per entry, entries separated by a line holding only "%%"
(so payloads may span lines). Payloads that would run try to set `window.__xss` or open a
dialog.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app import transaction
from app.extensions import db
from app.models import CommentStatus
from app.services.discussion.comments import post_comment
from tests.factories import DEFAULT_PASSWORD

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
PAYLOADS = PAYLOAD_FILE.read_text(encoding="utf-8").rstrip("\n").split("\n%%\n")

FORBIDDEN_ELEMENTS = set(
    [
        "script",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "style",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "base",
        "meta",
        "link",
        "frame",
        "frameset",
        "applet",
        "img",
        "video",
        "audio",
        "source",
        "template",
    ]
)
URL_ATTRIBUTES = set(
    [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "background",
        "poster",
        "srcset",
        "srcdoc",
        "ping",
    ]
)
UNSAFE_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
REQUIRED_REL = {"nofollow", "ugc", "noopener"}
PREVIEW_BATCH = 4


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 100
    joined = "\n".join(PAYLOADS).lower()
    tricks = [
        "<script",
        "onerror=",
        "javascript:",
        "data:",
        "vbscript:",
        "<svg",
        "<iframe",
        "<object",
        "<embed",
        "expression(",
        "](<javascript:",
        "jav&#x09;ascript",
        "{{7*7}}",
        "&#106;",
        "javascript:window",
    ]
    for trick in tricks:
        assert trick in joined, trick
    assert "]: javascript:" in joined and "java\nscript:" in joined


def unsafe_scheme(value: str) -> bool:
    """Browsers drop ASCII tabs and newlines inside URLs and leading spaces or controls."""
    cleaned = re.sub(r"[\t\n\r]", "", value).lstrip("".join(chr(c) for c in range(0x21)))
    return bool(UNSAFE_SCHEME.match(cleaned))


class UnsafeMarkup(HTMLParser):
    """Collects what must never appear in a comment body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"{name} on <{tag}>")
            elif name in ("style", "id", "name", "class", "target"):
                self.problems.append(f"{name} attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and unsafe_scheme(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "a":
            rel = set((dict(attrs).get("rel") or "").split())
            if not rel >= REQUIRED_REL:
                self.problems.append(f"link without rel nofollow ugc noopener: {attrs!r}")

    handle_startendtag = handle_starttag


def problems_in(body_html: str) -> list[str]:
    parser = UnsafeMarkup()
    parser.feed(body_html)
    parser.close()
    return parser.problems


@pytest.fixture
def corpus(app, make_article, make_user):
    """Every payload as a comment, two in three as replies (threads three deep)."""
    article = make_article("Boundaries under attack")
    # Trusted writers, so nothing waits for a moderator and everything is on the page.
    writers = [
        make_user(name, role="client", approved_comment_count=50, trust_score=50)
        for name in ("mallory", "trudy")
    ]
    comments = []
    for i, payload in enumerate(PAYLOADS):
        parent = comments[-1] if i % 3 else None
        comments.append(post_comment(article, writers[i % 2], payload, parent=parent))
    db.session.flush()
    for comment in comments:
        # A payload that a safety rule holds back is still rendered for its author and,
        # once approved, for everyone: read it as readers would.
        comment.status = CommentStatus.PUBLISHED
    transaction.commit()
    slug, ids = article.slug, [c.id for c in comments]
    transaction.commit()
    return slug, ids


def api_bodies(client, slug):
    bodies = {}
    page, pages = 1, 1
    while page <= pages:
        data = client.get(f"/api/v1/articles/{slug}/comments?per_page=100&page={page}").get_json()
        pages = data["pages"]
        stack = list(data["items"])
        while stack:
            item = stack.pop()
            bodies[item["id"]] = item["body_html"]
            stack.extend(item["replies"])
        page += 1
    return bodies


def test_the_api_serves_no_unsafe_markup(client, corpus):
    slug, ids = corpus

    bodies = api_bodies(client, slug)

    assert sorted(bodies) == sorted(ids)
    problems = {i: problems_in(html) for i, html in bodies.items() if problems_in(html)}
    assert problems == {}
    injected = [html for html in bodies.values() if "{{7*7}}" in html]
    assert injected and all("49" not in html for html in injected)


def test_the_checks_catch_what_a_broken_sanitiser_would_let_through():
    assert problems_in('<p><a href="https://x.org" rel="nofollow ugc noopener">ok</a></p>') == []
    assert problems_in("<img src=x onerror=alert(1)>")
    assert problems_in('<a href=" java\tscript:alert(1)" rel="nofollow ugc noopener">x</a>')
    assert problems_in('<a href="https://x.org">no rel</a>')
    assert problems_in("<svg><script>alert(1)</script></svg>")


# What the browser finds inside comment bodies (and the live preview).
DOM_PROBLEMS = """
({forbidden, urlAttributes}) => {
  const problems = [];
  const scheme = /^(javascript|data|vbscript):/i;
  const unsafe = (value) =>
    scheme.test(value.replace(/[\\t\\n\\r]/g, "").replace(/^[\\x00-\\x20]+/, ""));
  for (const body of document.querySelectorAll(".comment-body, .comment-preview")) {
    for (const el of body.querySelectorAll("*")) {
      const tag = el.localName;
      if (forbidden.includes(tag)) problems.push(`<${tag}> in ${body.closest("[id]")?.id}`);
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) problems.push(`${name} on <${tag}>`);
        if (urlAttributes.includes(name) && unsafe(attr.value)) {
          problems.push(`${name}=${attr.value} on <${tag}>`);
        }
      }
      if (tag === "a") {
        const rel = (el.getAttribute("rel") || "").split(/\\s+/);
        for (const needed of ["nofollow", "ugc", "noopener"]) {
          if (!rel.includes(needed)) problems.push(`link ${el.href} lacks rel ${needed}`);
        }
      }
    }
  }
  return problems;
}
"""


class ScriptWatch:
    """Fails on anything a payload could make the browser do: dialogs, errors, the marker."""

    def __init__(self, page):
        self.page = page
        self.events = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))

    def _dialog(self, dialog):
        self.events.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if message.type == "error":
            self.events.append(f"console error: {message.text}")

    def check(self, where):
        marker = self.page.evaluate(
            "() => typeof window.__xss === 'undefined' ? null : String(window.__xss)"
        )
        problems = self.page.evaluate(
            DOM_PROBLEMS,
            {"forbidden": sorted(FORBIDDEN_ELEMENTS), "urlAttributes": sorted(URL_ATTRIBUTES)},
        )
        assert marker is None, f"window.__xss was set on {where}"
        assert problems == [], f"unsafe markup on {where}: {problems}"
        assert self.events == [], f"on {where}: {self.events}"

    def poke(self):
        """Hover and focus what the comments hold, to fire any handler that slipped through."""
        for body in self.page.locator(".comment-body").all():
            body.hover()
        for link in self.page.locator(".comment-body a").all():
            link.focus()


def test_the_pages_run_none_of_the_payloads(page, corpus):
    slug, ids = corpus
    watch = ScriptWatch(page)

    page.goto(f"/articles/{slug}")
    pages = 1
    pager = page.get_by_text(re.compile(r"Page 1 of \d+"))
    if pager.count():
        pages = int(re.search(r"of (\d+)", pager.first.inner_text()).group(1))
    seen = set()
    for number in range(1, pages + 1):
        page.goto(f"/articles/{slug}?page={number}")
        page.wait_for_load_state("load")
        watch.poke()
        watch.check(f"page {number} of the discussion")
        anchors = page.locator("article.comment").evaluate_all("els => els.map(e => e.id)")
        seen.update(int(anchor[1:]) for anchor in anchors)
    assert set(ids) <= seen, "some payload comments were not on the article pages"

    for comment_id in ids:
        page.goto(f"/comments/{comment_id}")
        page.wait_for_load_state("load")
        watch.check(f"the permalink of comment {comment_id}")


def log_in(page, username):
    page.goto("/account/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_comment_form_and_its_preview_run_none_of_the_payloads(page, make_article, make_user):
    article = make_article("Previews under attack")
    make_user("mallory", role="client", approved_comment_count=50, trust_score=50)
    slug = article.slug
    transaction.commit()
    watch = ScriptWatch(page)
    log_in(page, "mallory")
    page.goto(f"/articles/{slug}")
    textarea = page.get_by_role("textbox", name="Comment")

    # A few payloads per preview keeps the test quick; each one is stored on its own elsewhere.
    for start in range(0, len(PAYLOADS), PREVIEW_BATCH):
        text = "\n\n".join(PAYLOADS[start : start + PREVIEW_BATCH])
        with page.expect_response(re.compile(r"/comments/preview$")):
            textarea.fill(text)
        page.wait_for_timeout(50)
        watch.check(f"the preview of payloads {start} to {start + PREVIEW_BATCH - 1}")

    for payload in PAYLOADS[:12]:
        page.get_by_role("textbox", name="Comment").fill(payload)
        # Wait for the page the post leads to, not for the one already loaded.
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Post comment").click()
        watch.check(f"the page after posting {payload!r}")
    assert page.locator("article.comment").count() == 12
