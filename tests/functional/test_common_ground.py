"""Common ground: the badge, the order and the block of comments both groups found helpful.

Groups of members mark comments helpful; what they see is read back from the article page
and from GET /api/v1/articles/<slug>/comments.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import transaction
from app.extensions import db
from app.models import Comment, CommentStatus, CommunityRole, HelpfulMark, utcnow
from app.services.discussion import common_ground
from app.services.discussion import helpful as helpful_service
from app.services.polls.stats import wilson_interval
from tests.factories import make_comment, make_user

BADGE = "Found helpful by clients and professionals"


@pytest.fixture
def k(app):
    return app.config["MIN_GROUP_SIZE"]


@pytest.fixture
def article(make_article):
    return make_article(slug="friend-your-therapist")


@pytest.fixture
def author():
    return make_user("olga", role="reader")


def members(role, n, prefix=None):
    return [make_user(f"{prefix or role}{i}", role=role) for i in range(n)]


def mark(comment, people):
    for member in people:
        helpful_service.set_helpful(comment, member, marked=True)
    transaction.commit()


def page(client, article, query=""):
    response = client.get(f"/articles/{article.slug}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def comment_html(html, comment):
    """The HTML of one top-level comment (without replies) on the page."""
    start = html.index(f'id="c{comment.id}"')
    end = html.find('<article class="comment', start)
    return html[start : end if end != -1 else len(html)]


def has_badge(html, comment):
    return BADGE in comment_html(html, comment)


def api_items(client, article, query=""):
    response = client.get(f"/api/v1/articles/{article.slug}/comments{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def api_badge(client, article, comment):
    [item] = [i for i in api_items(client, article) if i["id"] == comment.id]
    return item["common_ground"]


def top_level_order(html):
    """Ids of the comments of the discussion in the page's order (top-level ones where no
    thread has replies)."""
    listing = html[html.index('<ol class="comment-list">') :]
    return [
        int(i) for i in re.findall(r'<li>\s*<article class="comment[^"]*" id="c(\d+)"', listing)
    ]


def top_block(html):
    """Ids the "Found helpful by clients and professionals" block links to, in order."""
    match = re.search(r'<section class="common-ground".*?</section>', html, re.S)
    if match is None:
        return None
    return [int(i) for i in re.findall(r'href="/comments/(\d+)#c\d+"', match.group(0))]


@pytest.mark.parametrize(
    ("clients", "professionals", "readers", "badge"),
    [
        ("k-1", "k", 0, False),
        ("k", "k-1", 0, False),
        ("k-1", "k-1", 10, False),
        ("k", "k", 0, True),
    ],
)
def test_the_badge_needs_k_marks_from_each_group(
    client, k, article, author, clients, professionals, readers, badge
):
    comment = make_comment(article, author, "Say no kindly, and explain why.")
    count = {"k": k, "k-1": k - 1}
    mark(comment, members("client", count[clients]))
    mark(comment, members("professional", count[professionals]))
    mark(comment, members("reader", readers))

    html = page(client, article)

    assert has_badge(html, comment) is badge
    assert f"Helpful ({count[clients] + count[professionals] + readers})" in html
    assert api_badge(client, article, comment) is badge
    assert (top_block(html) == [comment.id]) is badge


def test_the_kth_mark_of_the_second_group_brings_the_badge_on_the_shared_page(
    client, k, article, author, member_at
):
    comment = make_comment(article, author, "Say no kindly, and explain why.")
    mark(comment, members("client", k))
    mark(comment, members("professional", k - 1))
    assert not has_badge(page(client, article), comment)  # the anonymous readers' copy

    last = member_at("lastpro", role="professional")
    response = last.submit(
        f"/articles/{article.slug}", {"marked": "1"}, f"/comments/{comment.id}/helpful"
    )
    assert response.status_code == 302

    html = page(client, article)
    assert has_badge(html, comment)
    assert top_block(html) == [comment.id]

    last.submit(f"/articles/{article.slug}", {"marked": "0"}, f"/comments/{comment.id}/helpful")
    html = page(client, article)
    assert not has_badge(html, comment) and top_block(html) is None


def test_a_mark_keeps_the_role_its_member_had_when_they_marked(client, k, article, author):
    comment = make_comment(article, author, "Say no kindly, and explain why.")
    clients = members("client", k)
    mark(comment, clients)
    mark(comment, members("professional", k))
    assert has_badge(page(client, article), comment)

    # A client becomes a professional: their mark still counts as a client's.
    changed = clients[0]
    changed.community_role = CommunityRole.PROFESSIONAL
    transaction.commit()
    assert has_badge(page(client, article), comment)
    marker_role = db.session.scalar(
        select(HelpfulMark.marker_role).where(HelpfulMark.user_id == changed.id)
    )
    assert marker_role is CommunityRole.CLIENT

    # Taking the mark back takes back a client's mark, so clients fall below k.
    helpful_service.set_helpful(comment, changed, marked=False)
    transaction.commit()
    assert not has_badge(page(client, article), comment)
    assert not api_badge(client, article, comment)

    # Marking again now counts as a professional's mark.
    mark(comment, [changed])
    assert not has_badge(page(client, article), comment)
    stored = db.session.get(Comment, comment.id)
    db.session.refresh(stored)
    assert (stored.client_helpful_count, stored.professional_helpful_count) == (k - 1, k + 1)


def test_a_groups_markers_are_the_members_who_marked_anything_in_the_discussion(
    article, author, make_article
):
    def markers(role):
        return db.session.scalar(select(common_ground.markers(article.id, role)))

    first, second = (make_comment(article, author, text) for text in ("One", "Two"))
    elsewhere = make_comment(make_article(), author, "Three")
    [ana] = members("client", 1)
    mark(first, [ana])
    mark(second, [ana])
    mark(elsewhere, members("client", 2, "other-"))
    assert (markers(CommunityRole.CLIENT), markers(CommunityRole.PROFESSIONAL)) == (1, 0)

    helpful_service.set_helpful(first, ana, marked=False)
    transaction.commit()
    assert markers(CommunityRole.CLIENT) == 1  # still marks the second comment
    helpful_service.set_helpful(second, ana, marked=False)
    transaction.commit()
    assert markers(CommunityRole.CLIENT) == 0


@pytest.fixture
def discussion(k, article, author):
    """Four threads, oldest first: D (no marks), C (most marks, too few clients), B, A.

    Ten clients and ten professionals mark comments in this discussion. A: 9 of each.
    B: all 10 clients but 5 professionals. C: 4 clients, 10 professionals, 6 readers.
    """
    assert k == 5, "the numbers below are chosen for the default MIN_GROUP_SIZE"
    now = utcnow()
    d, c, b, a = (
        make_comment(article, author, text, created_at=now - timedelta(hours=4 - i))
        for i, text in enumerate(
            (
                "I keep my profiles private.",
                "A friend request puts the therapist in a bind.",
                "Ask about the social media policy at the first session.",
                "Talk about it in session; the relationship is the work.",
            )
        )
    )
    clients = members("client", 10)
    professionals = members("professional", 10)
    readers = members("reader", 6)
    mark(a, clients[:9] + professionals[:9])
    mark(b, clients + professionals[:5])
    mark(c, clients[:4] + professionals + readers)
    return {"A": a, "B": b, "C": c, "D": d}


def test_the_score_is_the_lower_of_the_two_groups_wilson_lower_bounds(k, article, discussion):
    scores = dict(
        db.session.execute(
            select(Comment.id, common_ground.score(article.id, k)).where(
                Comment.article_id == article.id
            )
        ).all()
    )

    def lower_of_the_bounds(clients, professionals):  # out of the 10 of each who marked
        return min(wilson_interval(clients, 10)[0], wilson_interval(professionals, 10)[0])

    assert scores[discussion["A"].id] == pytest.approx(lower_of_the_bounds(9, 9))
    assert scores[discussion["B"].id] == pytest.approx(lower_of_the_bounds(10, 5))
    assert scores[discussion["C"].id] == scores[discussion["D"].id] == common_ground.NO_SCORE


def test_sorting_by_common_ground_on_the_page(client, article, discussion):
    order = {name: comment.id for name, comment in discussion.items()}

    html = page(client, article, "?sort=common_ground")

    assert top_level_order(html) == [order[n] for n in "ABCD"]
    assert '<option value="common_ground" selected>Common ground</option>' in html
    assert [has_badge(html, discussion[n]) for n in "ABCD"] == [True, True, False, False]
    # The other orders for comparison: most helpful puts C first, oldest D.
    assert top_level_order(page(client, article, "?sort=helpful"))[0] == order["C"]
    assert top_level_order(page(client, article))[0] == order["D"]


def test_sorting_by_common_ground_in_the_api_with_pages(client, article, discussion):
    order = {name: comment.id for name, comment in discussion.items()}
    url = f"/api/v1/articles/{article.slug}/comments?sort=common_ground&per_page=2"

    first = client.get(url).get_json()
    second = client.get(f"{url}&page=2").get_json()

    assert [i["id"] for i in first["items"]] == [order["A"], order["B"]]
    assert [i["id"] for i in second["items"]] == [order["C"], order["D"]]
    assert (second["page"], second["pages"], second["total"]) == (2, 2, 4)
    assert [i["common_ground"] for i in first["items"] + second["items"]] == [
        True,
        True,
        False,
        False,
    ]
    assert "client_helpful_count" not in client.get(url).get_data(as_text=True)


def test_the_page_sorted_by_common_ground_has_pages(app, client, article, discussion):
    app.config["COMMENTS_PER_PAGE"] = 3
    order = {name: comment.id for name, comment in discussion.items()}

    assert top_level_order(page(client, article, "?sort=common_ground")) == [
        order[n] for n in "ABC"
    ]
    html = page(client, article, "?sort=common_ground&page=2")
    assert top_level_order(html) == [order["D"]]
    assert 'href="/articles/friend-your-therapist?sort=common_ground#discussion"' in html


def test_replies_within_a_thread_follow_the_same_order(client, k, article, author):
    top = make_comment(article, author, "Where do you draw the line?")
    plain = make_comment(article, author, "Nowhere online.", parent=top)
    shared = make_comment(article, author, "Where both can keep their privacy.", parent=top)
    mark(shared, members("client", k) + members("professional", k))

    [thread] = api_items(client, article, "?sort=common_ground")

    assert [r["id"] for r in thread["replies"]] == [shared.id, plain.id]
    assert [r["common_ground"] for r in thread["replies"]] == [True, False]


def test_the_article_shows_its_top_common_ground_comments_above_the_discussion(
    client, k, article, author, discussion
):
    reply = make_comment(article, author, "Agreed, and **write it down**.", parent=discussion["D"])
    mark(reply, members("client", k, "c2-") + members("professional", k, "p2-"))

    html = page(client, article)

    block = top_block(html)
    assert block[:2] == [discussion["A"].id, discussion["B"].id] and len(block) == 3
    assert reply.id in block  # a reply can be common ground too
    assert html.index('class="common-ground"') < html.index('id="discussion"')
    section = re.search(r'<section class="common-ground".*?</section>', html, re.S).group(0)
    assert '<h2 id="common-ground-heading">Found helpful by clients and professionals' in section
    assert "Agreed, and write it down." in section  # plain text, not the HTML
    assert 'href="/common-ground"' in section


def test_a_removed_comment_leaves_the_badge_and_the_block(client, article, discussion):
    comment = db.session.get(Comment, discussion["A"].id)
    comment.status = CommentStatus.REMOVED
    transaction.commit()

    html = page(client, article)

    assert top_block(html) == [discussion["B"].id]
    assert not any(i["id"] == comment.id for i in api_items(client, article))


def test_the_explanation_is_linked_from_the_badge_and_the_sort_control(
    client, k, article, discussion
):
    html = page(client, article)

    badge = comment_html(html, discussion["A"])
    assert f'<a class="badge badge-common-ground" href="/common-ground">{BADGE}</a>' in badge
    controls = re.search(r'<form method="get"[^>]*class="comment-controls">.*?</form>', html, re.S)
    assert 'href="/common-ground">How common ground works</a>' in controls.group(0)

    explained = client.get("/common-ground")
    assert explained.status_code == 200
    text = explained.get_data(as_text=True)
    assert "<h1>How common ground works</h1>" in text
    assert f"at least {k} clients and at least {k} professionals" in text
    assert "Wilson" in text


def test_the_badge_shows_on_the_comments_own_page(client, article, discussion):
    response = client.get(f"/comments/{discussion['A'].id}")

    assert response.status_code == 200
    assert has_badge(response.get_data(as_text=True), discussion["A"])
    assert not has_badge(
        client.get(f"/comments/{discussion['C'].id}").get_data(as_text=True), discussion["C"]
    )


def test_a_sort_the_api_does_not_know_is_a_400_that_names_common_ground(client, article):
    response = client.get(f"/api/v1/articles/{article.slug}/comments?sort=agreement")

    assert response.status_code == 400
    assert "common_ground" in response.get_json()["error"]["message"]
