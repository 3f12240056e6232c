"""Common ground in a browser: the mark that brings the badge, the block above the discussion,
the sort control and the page that explains them."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from app import transaction
from app.models import utcnow
from app.services.discussion import helpful as helpful_service
from tests.browser.conftest import PHONE
from tests.factories import DEFAULT_PASSWORD, make_comment, make_user

TITLE = "Would you friend your therapist on Facebook?"
BADGE = "Found helpful by clients and professionals"


def test_the_kth_client_brings_the_badge_and_readers_sort_by_common_ground(
    page, screenshot, app, make_article
):
    k = app.config["MIN_GROUP_SIZE"]
    article = make_article(TITLE)
    author = make_user("olga", role="professional", show_role_badge=True)
    now = utcnow()
    older = make_comment(
        article,
        author,
        "I keep my profiles private and say so at intake.",
        created_at=now - timedelta(hours=2),
    )
    shared = make_comment(
        article,
        make_user("robin", role="client", show_role_badge=True),
        "Ask about the social media policy in the first session. It saved us both an "
        "awkward moment, and it made clear the boundary protects me too.",
        created_at=now - timedelta(hours=1),
    )
    for i in range(k - 1):
        helpful_service.set_helpful(shared, make_user(f"client{i}", role="client"), marked=True)
    for i in range(k):
        member = make_user(f"pro{i}", role="professional")
        helpful_service.set_helpful(shared, member, marked=True)
    transaction.commit()
    make_user("lastclient", role="client")

    page.goto(f"/articles/{article.slug}")
    expect(page.get_by_text(BADGE)).to_have_count(0)

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill("lastclient")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/articles/{article.slug}")
    comment = page.locator(f"#c{shared.id}")
    comment.get_by_role("button", name=re.compile("Helpful")).click()
    expect(comment.get_by_role("button", name=re.compile("Helpful"))).to_have_attribute(
        "aria-pressed", "true"
    )

    page.reload()
    expect(comment.get_by_role("link", name=BADGE)).to_be_visible()
    block = page.get_by_role("region", name=BADGE)
    expect(block).to_be_visible()
    expect(block.get_by_role("listitem")).to_have_count(1)
    expect(block).to_contain_text("Ask about the social media policy")
    screenshot("common-ground-article")
    screenshot("common-ground-article-phone", viewport=PHONE)

    page.get_by_label("Sort").select_option(label="Common ground")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sort=common_ground"))
    ids = page.locator("ol.comment-list > li > article.comment").evaluate_all(
        "nodes => nodes.map(n => n.id)"
    )
    assert ids == [f"c{shared.id}", f"c{older.id}"]

    comment.get_by_role("link", name=BADGE).click()
    expect(page.get_by_role("heading", name="How common ground works", level=1)).to_be_visible()
    expect(page.get_by_text(f"at least {k} clients and at least {k} professionals")).to_be_visible()
    screenshot("common-ground-explained")
