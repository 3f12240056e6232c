"""axe-core on every kind of page of the demo site, in English and in Spanish, in the light and
the dark theme, at phone and desktop widths: no violation of WCAG 2.2 A and AA, nor of axe's
best practices.

The browser asks for Spanish as a reader's set to it would (its locale, hence its
`Accept-Language`). Spanish is judged at both widths in both themes, as English is.

axe-core is vendored (tests/browser/vendor/axe.min.js, axe-core 4.14.1 under the Mozilla Public
License 2.0, whose notice heads the file), so the test needs neither npm nor the network.
`benchmarks/judges.py` runs the longer outside judges (Lighthouse, the Nu checker) by hand.
"""

from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from app import transaction
from app.demo.data import STAFF_ACCOUNTS
from app.demo.seed import seed_demo
from app.extensions import db
from app.models import Article, Comment, CommentStatus, ReportReason, User
from app.services.discussion.notifications import notify_reply
from app.services.moderation.reports import report_comment
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import make_comment, make_user

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PASSWORDS = {username: password for username, password, *_ in STAFF_ACCOUNTS}
# The locale each language's browser is set to; Playwright sends it as Accept-Language.
BROWSER_LOCALES = {"en": "en-US", "es": "es-ES"}
RUN_AXE = """tags => axe.run(document, {runOnly: tags}).then(result => result.violations.map(
  v => `${v.id} (${v.impact}): ${v.help}; ` +
    v.nodes.slice(0, 4).map(node => node.target.join(" ")).join(", ")
))"""


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def demo_site():
    """The demo, plus what a fresh one lacks: items in the moderation queue and a reply in the
    member's inbox. Returns {page kind: (path, username or None)}."""
    seed_demo()
    transaction.commit()
    article = db.session.scalars(
        select(Article).where(Article.poll.has()).order_by(Article.comment_count.desc())
    ).first()
    deepest = db.session.scalars(
        select(Comment).where(Comment.article_id == article.id).order_by(Comment.depth.desc())
    ).first()
    member, newcomer = user("demo_member"), make_user("new_voice", role="client")
    make_comment(
        article,
        newcomer,
        "A friend request feels harmless if the profile is private.",
        status=CommentStatus.PENDING,
        pending_reason="a member's first comments are reviewed",
    )
    reported = db.session.scalars(
        select(Comment).where(Comment.article_id == article.id, Comment.depth == 0)
    ).first()
    report_comment(reported, member, ReportReason.OFF_TOPIC, "Drifts away from the article.")
    mine = make_comment(article, member, "My counselor explained her policy on the first day.")
    reply = make_comment(article, newcomer, "That saved you both the awkwardness.", parent=mine)
    notify_reply(reply)
    transaction.commit()
    assert db.session.scalar(select(func.count()).select_from(Comment)) > 50
    return {
        "home": ("/", None),
        "article with poll and deep discussion": (f"/articles/{article.slug}", None),
        "article, logged in": (f"/articles/{article.slug}", "demo_member"),
        "permalink": (f"/comments/{deepest.id}", None),
        "insights of a poll": (f"/insights/polls/{article.poll.id}", None),
        "site-wide insights": ("/insights/", None),
        "login": ("/account/login", None),
        "register": ("/account/register", None),
        "settings": ("/account/settings", "demo_member"),
        "inbox": ("/inbox/", "demo_member"),
        "moderation queue, pending": ("/moderation/queue/pending", "demo_moderator"),
        "moderation queue, reported": ("/moderation/queue/reported", "demo_moderator"),
        "editor": ("/editor/", "demo_editor"),
        "article editor": (f"/editor/articles/{article.id}/edit", "demo_editor"),
    }


def browser_as(browser, base_url, theme, username, language="en"):
    """A page in a browser set to `language`, logged in as `username` (None: not logged in)
    through the login form, found by its fields' ids, which no language changes."""
    # axe is added to the page as a script, which the site's CSP would refuse.
    context = browser.new_context(
        base_url=base_url,
        viewport=DESKTOP,
        color_scheme=theme,
        bypass_csp=True,
        locale=BROWSER_LOCALES[language],
    )
    page = context.new_page()
    if username:
        page.goto("/account/login")
        page.locator("#username").fill(username)
        page.locator("#password").fill(PASSWORDS[username])
        page.locator("#password").press("Enter")
        page.locator(".site-nav").get_by_role("link", name=username).wait_for()
    return page


def in_language(app, language, text):
    """`text` as the site words it in `language`."""
    with app.test_request_context(), force_locale(language):
        return gettext(text)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: {AXE} should be in the repository")
    return str(AXE)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_kind_of_page_passes_axe_core(
    browser, live_server, fresh_page_cache, app, axe_source, theme, language
):
    pages = demo_site()
    main_menu = in_language(app, language, "Main")
    browsers = {}
    found = []
    for kind, (path, username) in pages.items():
        if username not in browsers:
            browsers[username] = browser_as(browser, live_server, theme, username, language)
        page = browsers[username]
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            response = page.goto(path)
            assert response.status == 200, f"{kind}: {path} answered {response.status}"
            # The page is in the language asked for, words and all.
            assert page.evaluate("document.documentElement.lang") == language, kind
            assert page.get_by_role("navigation", name=main_menu).count() == 1, kind
            page.add_script_tag(path=axe_source)
            for violation in page.evaluate(RUN_AXE, TAGS):
                found.append(f"{kind} ({path}, {viewport['width']} px): {violation}")
    for page in browsers.values():
        page.context.close()
    assert not found, f"axe-core found in {language}, {theme} theme:\n" + "\n".join(found)
