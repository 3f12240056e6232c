"""The comments API keeps its JSON as the article page is kept; what changes a thread shows at once.

Anonymous readers share one copy of each page of threads, served without the database and
byte for byte what rendering it again gives. The commit that changes what it shows (a comment
posted, approved, removed, featured, marked helpful, edited or deleted, an author's badge or
account, the article itself) renews it before the next request. Members get a copy of their
own and staff one rendered for them; what any of them asked for never reaches the others.
"""

import pytest
from sqlalchemy import select

from app.extensions import cache, db
from app.models import Comment, CommentStatus, utcnow
from tests.factories import DEFAULT_PASSWORD, make_comment
from tests.functional.test_page_cache import statements_during

PRIVATE = "private, no-cache"


@pytest.fixture
def article(make_article):
    return make_article("Would you friend your therapist?", slug="friend-your-therapist")


@pytest.fixture
def robin(make_user):
    return make_user("robin", role="client")


def thread_of(article, query="per_page=1000"):
    return f"/api/v1/articles/{article.slug}/comments?{query}"


def bodies(response) -> list[str]:
    """Every comment's text in the answer, replies at every depth included, in order."""
    found = []
    stack = list(reversed(response.get_json()["items"]))
    while stack:
        item = stack.pop()
        found.append(item["body_html"])
        stack.extend(reversed(item["replies"]))
    return found


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_the_second_reader_gets_the_thread_without_the_database_as_rendered(
    client, article, robin, make_user
):
    sam = make_user("sam", role="professional", show_role_badge=True)
    top = make_comment(article, robin, "Never on social media.")
    gone = make_comment(article, sam, "Deleted words", parent=top, status=CommentStatus.DELETED)
    make_comment(article, robin, "Under a deleted one", parent=gone)
    make_comment(article, sam, "Waiting for review", status=CommentStatus.PENDING)

    first_statements, first = statements_during(client, thread_of(article))
    second_statements, second = statements_during(client, thread_of(article))

    assert first_statements and second_statements == []
    assert second.data == first.data
    assert second.headers["Cache-Control"].startswith("public") and second.headers["ETag"]
    assert "Set-Cookie" not in second.headers
    assert bodies(second) == [
        "<p>Never on social media.</p>\n",
        None,
        "<p>Under a deleted one</p>\n",
    ]
    # Rendered again from the database, the thread is the same, byte for byte.
    cache.clear()
    rendered_statements, rendered = statements_during(client, thread_of(article))
    assert rendered_statements and rendered.data == first.data


def test_each_page_and_order_is_kept_apart(client, article, robin):
    for n in range(3):
        make_comment(article, robin, f"Thread {n}")

    oldest = bodies(client.get(thread_of(article, "per_page=2")))
    second_page = bodies(client.get(thread_of(article, "per_page=2&page=2")))
    newest = bodies(client.get(thread_of(article, "per_page=2&sort=newest")))

    assert oldest == ["<p>Thread 0</p>\n", "<p>Thread 1</p>\n"]
    assert second_page == ["<p>Thread 2</p>\n"]
    assert newest == ["<p>Thread 2</p>\n", "<p>Thread 1</p>\n"]
    assert bodies(client.get(thread_of(article, "per_page=2"))) == oldest


def test_a_reader_who_holds_the_thread_gets_304_until_a_comment_changes_it(
    client, article, robin, member_at
):
    make_comment(article, robin, "First!")
    etag = client.get(thread_of(article)).headers["ETag"]

    held = client.get(thread_of(article), headers={"If-None-Match": etag})
    assert held.status_code == 304 and held.data == b""

    member_at("robin").submit(
        f"/articles/{article.slug}",
        {"body": "A second thought."},
        f"/articles/{article.slug}/comments",
    )
    changed = client.get(thread_of(article), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "<p>A second thought.</p>\n" in bodies(changed)


def test_a_new_comment_and_a_reply_appear_at_once(client, article, robin, member_at):
    assert client.get(thread_of(article)).get_json()["items"] == []
    robin_forms = member_at("robin")
    page = f"/articles/{article.slug}"

    robin_forms.submit(page, {"body": "I would decline kindly."}, f"{page}/comments")
    [thread] = client.get(thread_of(article)).get_json()["items"]
    assert thread["body_html"] == "<p>I would decline kindly.</p>\n"

    member_at("sam").submit(page, {"body": "So would I."}, f"/comments/{thread['id']}/reply")
    [thread] = client.get(thread_of(article)).get_json()["items"]
    assert [reply["body_html"] for reply in thread["replies"]] == ["<p>So would I.</p>\n"]
    assert thread["replies"][0]["author"] == {"username": "sam"}


def test_a_comment_held_for_review_reaches_no_reader_until_approved(
    app, client, article, make_user, member_at
):
    app.config["PREMODERATE_FIRST_COMMENTS"] = 2
    make_user("newcomer")
    make_user("mod_maya", staff="moderator")
    newcomer = member_at("newcomer")
    page = f"/articles/{article.slug}"
    assert client.get(thread_of(article)).get_json()["items"] == []

    newcomer.submit(page, {"body": "My first comment here."}, f"{page}/comments")

    # Whoever asks first, the thread is what any reader sees: the comment is in none of them.
    as_author = newcomer.client.get(thread_of(article))
    moderator = member_at("mod_maya")
    as_moderator = moderator.client.get(thread_of(article))
    as_reader = client.get(thread_of(article))
    for response in (as_author, as_moderator, as_reader):
        assert "My first comment here." not in text_of(response)
    assert as_author.headers["Cache-Control"] == PRIVATE
    assert as_moderator.headers["Cache-Control"] == PRIVATE
    assert as_reader.headers["Cache-Control"].startswith("public")

    pending = db.session.scalar(select(Comment).where(Comment.status == CommentStatus.PENDING))
    moderator.submit(
        "/moderation/queue/pending", {}, action_url=f"/moderation/comments/{pending.id}/approve"
    )
    assert bodies(client.get(thread_of(article))) == ["<p>My first comment here.</p>\n"]
    assert bodies(newcomer.client.get(thread_of(article))) == ["<p>My first comment here.</p>\n"]


def test_a_removed_comment_loses_its_text_at_once_and_keeps_its_replies(
    client, article, robin, make_user, member_at
):
    harsh = make_comment(article, make_user("harsh"), "You are all idiots")
    make_comment(article, robin, "Please be kind.", parent=harsh)
    assert "You are all idiots" in text_of(client.get(thread_of(article)))

    make_user("mod_maya", staff="moderator")
    member_at("mod_maya").submit(
        "/moderation/queue/pending",
        {"rule": "Harassment or personal attacks", "note": "name-calling"},
        action_url=f"/moderation/comments/{harsh.id}/remove",
    )

    response = client.get(thread_of(article))
    [thread] = response.get_json()["items"]
    assert "You are all idiots" not in text_of(response) and "harsh" not in text_of(response)
    assert (thread["status"], thread["author"], thread["body_html"]) == ("removed", None, None)
    assert bodies(response) == [None, "<p>Please be kind.</p>\n"]


def test_an_edit_and_a_deletion_by_the_author_show_at_once(client, article, robin, member_at):
    kept = make_comment(article, robin, "First version", created_at=utcnow())
    dropped = make_comment(article, robin, "Something I regret", created_at=utcnow())
    assert bodies(client.get(thread_of(article))) == [
        "<p>First version</p>\n",
        "<p>Something I regret</p>\n",
    ]
    robin_forms = member_at("robin")

    robin_forms.submit(f"/comments/{kept.id}/edit", {"body": "Second version"})
    [thread, _] = client.get(thread_of(article)).get_json()["items"]
    assert thread["body_html"] == "<p>Second version</p>\n" and thread["edited_at"]

    robin_forms.submit(f"/comments/{dropped.id}/delete", {})
    response = client.get(thread_of(article))
    assert bodies(response) == ["<p>Second version</p>\n"]
    assert "Something I regret" not in text_of(response)


def test_a_helpful_mark_and_a_featured_comment_show_at_once(
    client, article, robin, make_user, member_at
):
    first = make_comment(article, robin, "First thought.")
    second = make_comment(article, make_user("sam"), "Second thought.")
    assert bodies(client.get(thread_of(article))) == [
        "<p>First thought.</p>\n",
        "<p>Second thought.</p>\n",
    ]

    member_at("robin").submit(
        f"/articles/{article.slug}", {"marked": "1"}, f"/comments/{second.id}/helpful"
    )
    items = client.get(thread_of(article)).get_json()["items"]
    assert [(item["id"], item["helpful_count"]) for item in items] == [
        (first.id, 0),
        (second.id, 1),
    ]

    make_user("mod_maya", staff="moderator")
    member_at("mod_maya").submit(
        "/moderation/queue/pending", {}, action_url=f"/moderation/comments/{second.id}/feature"
    )
    items = client.get(thread_of(article)).get_json()["items"]
    assert [(item["id"], item["featured"]) for item in items] == [
        (second.id, True),
        (first.id, False),
    ]


def test_a_deleted_account_takes_its_comments_out_at_once(
    client, article, robin, make_user, member_at
):
    own = make_comment(article, robin, "My therapist once saw me at the market.")
    make_comment(article, make_user("sam"), "That must have felt awkward.", parent=own)
    make_comment(article, robin, "A second thread of mine.")
    assert "market" in text_of(client.get(thread_of(article)))

    member_at("robin").submit(
        "/account/delete", {"comments": "remove", "password": DEFAULT_PASSWORD}
    )

    response = client.get(thread_of(article))
    [thread] = response.get_json()["items"]
    assert (thread["status"], thread["author"], thread["body_html"]) == ("deleted", None, None)
    assert bodies(response) == [None, "<p>That must have felt awkward.</p>\n"]
    assert "robin" not in text_of(response) and "market" not in text_of(response)


def test_a_badge_the_author_chooses_to_show_appears_at_once(client, article, robin, member_at):
    make_comment(article, robin, "Speaking as a client.")
    [thread] = client.get(thread_of(article)).get_json()["items"]
    assert thread["badge"] is None

    member_at("robin").submit(
        "/account/settings",
        {
            "community_role": "client",
            "discipline": "",
            "credentials": "",
            "email": "",
            "show_role_badge": "y",
        },
    )
    [thread] = client.get(thread_of(article)).get_json()["items"]
    assert thread["badge"] == "Client"


def test_an_unpublished_article_takes_its_thread_with_it_at_once(
    client, article, robin, make_user, member_at
):
    make_comment(article, robin, "Still here?")
    assert client.get(thread_of(article)).status_code == 200

    make_user("eddie", staff="editor")
    member_at("eddie").submit(
        f"/editor/articles/{article.id}/edit", {}, f"/editor/articles/{article.id}/unpublish"
    )

    response = client.get(thread_of(article))
    assert response.status_code == 404
    assert "Still here?" not in text_of(response)


def test_staff_and_members_get_their_own_answers_and_readers_the_shared_one(
    client, article, robin, make_user, member_at
):
    make_comment(article, robin, "Boundaries protect both sides.")
    make_user("mod_maya", staff="moderator")
    moderator = member_at("mod_maya").client
    member = member_at("robin").client
    member.get("/")  # shows the welcome message, which would make every answer theirs alone

    # Staff get the thread rendered for them each time, and leave nothing for anyone else.
    for _ in range(2):
        statements, as_moderator = statements_during(moderator, thread_of(article))
        assert statements and as_moderator.headers["Cache-Control"] == PRIVATE
        assert "ETag" not in as_moderator.headers
    reader_statements, as_reader = statements_during(client, thread_of(article))
    assert reader_statements, "the reader's copy is not the one rendered for staff"
    assert as_reader.headers["Cache-Control"].startswith("public")

    # A member's copy is kept for them alone; the reader's is never theirs.
    statements, as_member = statements_during(member, thread_of(article))
    assert statements and as_member.headers["Cache-Control"] == PRIVATE
    assert "ETag" not in as_member.headers
    again_statements, again = statements_during(member, thread_of(article))
    assert again.headers["Cache-Control"] == PRIVATE and again.data == as_member.data
    assert len(again_statements) < len(statements)
    # Every one of them reads the same thread.
    assert as_moderator.data == as_reader.data == as_member.data
