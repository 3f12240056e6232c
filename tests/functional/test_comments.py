"""Members discuss an article in threaded comments, through the page's real forms."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AccountStatus,
    Comment,
    CommentRevision,
    CommentStatus,
    Vote,
    VoteChoice,
    utcnow,
)
from tests.conftest import csrf_token
from tests.factories import make_comment


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def member(make_user):
    return make_user("robin", role="client")


def page_of(article):
    return f"/articles/{article.slug}"


def html_of(response):
    return response.get_data(as_text=True)


def post_comment(forms, article, body, **extra):
    return forms.submit(
        page_of(article), {"body": body, **extra}, f"/articles/{article.slug}/comments"
    )


def comment_ids_in(html):
    return [int(i) for i in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', html)]


def test_a_member_posts_a_comment_from_the_article_page(forms, client, article, member):
    forms.login("robin")
    page = html_of(client.get(page_of(article)))
    assert '<label for="comment-body">Comment</label>' in page
    assert "Post comment" in page

    response = post_comment(forms, article, "I would **never** add [my therapist](https://x.org).")

    assert response.status_code == 302
    comment = db.session.scalars(select(Comment)).one()
    assert response.headers["Location"].endswith(f"#c{comment.id}")
    page = html_of(client.get(response.headers["Location"]))
    assert f'id="c{comment.id}"' in page
    assert "<strong>never</strong>" in page
    assert 'rel="nofollow ugc noopener"' in page
    db.session.refresh(article)
    assert article.comment_count == 1
    assert comment.root_id == comment.id and comment.depth == 0


def test_readers_see_comments_but_are_asked_to_log_in(client, article, member):
    make_comment(article, member, "Visible to everyone")
    page = html_of(client.get(page_of(article)))
    assert "Visible to everyone" in page
    assert "to join the discussion" in page
    assert "Post comment" not in page


def test_a_reply_nests_under_its_parent(forms, client, article, member, make_user):
    parent = make_comment(article, make_user("sam"), "First thought")
    forms.login("robin")
    page = html_of(client.get(page_of(article)))
    assert f'<label for="reply-{parent.id}">Reply</label>' in page
    assert "Post reply" in page

    response = forms.submit(page_of(article), {"body": "Agreed"}, f"/comments/{parent.id}/reply")

    assert response.status_code == 302
    reply = db.session.scalars(select(Comment).where(Comment.parent_id == parent.id)).one()
    assert (reply.depth, reply.root_id) == (1, parent.id)
    page = html_of(client.get(page_of(article)))
    nested = re.search(
        rf'id="c{parent.id}".*?<ol class="comment-replies">.*?id="c{reply.id}"', page, re.S
    )
    assert nested, "the reply is not inside its parent's replies"
    assert "1 reply" in page


def test_threads_deeper_than_the_display_depth_continue_on_the_permalink_page(
    forms, client, article, member
):
    chain = [make_comment(article, member, "Level 0")]
    for level in range(1, 8):
        chain.append(make_comment(article, member, f"Level {level}", parent=chain[-1]))
    forms.login("robin")
    response = forms.submit(
        page_of(article), {"body": "Level 8 reply"}, f"/comments/{chain[-1].id}/reply"
    )
    assert response.status_code == 302
    deepest = db.session.scalars(select(Comment).where(Comment.depth == 8)).one()

    page = html_of(client.get(page_of(article)))
    assert "Level 5" in page
    assert "Level 6" not in page and "Level 8 reply" not in page
    continue_link = re.search(
        r'<a href="(/comments/(\d+))#c\d+">Continue this thread \(3 replies\)', page
    )
    assert continue_link and int(continue_link.group(2)) == chain[5].id

    thread = html_of(client.get(continue_link.group(1)))
    assert f'id="c{deepest.id}"' in thread
    assert "Level 8 reply" in thread
    assert "Earlier in this thread" in thread and "Level 0" in thread
    assert f'href="/articles/{article.slug}#discussion"' in thread


def test_a_permalink_shows_the_comment_with_its_ancestors_and_replies(client, article, member):
    top = make_comment(article, member, "The top")
    middle = make_comment(article, member, "The middle", parent=top)
    below = make_comment(article, member, "Below the middle", parent=middle)
    make_comment(article, member, "Another thread")

    page = html_of(client.get(f"/comments/{middle.id}"))

    assert "The top" in page and "Below the middle" in page
    assert "Another thread" not in page
    assert f'id="c{middle.id}"' in page and f'id="c{below.id}"' in page
    assert client.get("/comments/999999").status_code == 404


def test_above_a_reply_its_author_sees_their_removed_comment_as_everywhere_else(
    forms, client, article, member, make_user
):
    removed = make_comment(
        article,
        member,
        "Words a moderator took down",
        status=CommentStatus.REMOVED,
        removal_reason="Off-topic",
    )
    reply = make_comment(article, make_user("sam"), "A reply that stays", parent=removed)
    forms.login("robin")

    permalink = html_of(client.get(f"/comments/{reply.id}"))
    discussion = html_of(client.get(page_of(article)))

    assert "Earlier in this thread" in permalink and "A reply that stays" in permalink
    assert "Words a moderator took down" not in permalink
    assert "Words a moderator took down" not in discussion
    assert "Removed by a moderator" in permalink


def test_text_is_checked_and_kept_when_refused(forms, client, app, article, member):
    forms.login("robin")
    response = post_comment(forms, article, "   \n  ")
    assert response.status_code == 422
    assert "Write something before posting." in html_of(response)

    too_long = "word " * (app.config["COMMENT_MAX_LENGTH"] // 5 + 10)
    response = post_comment(forms, article, too_long)
    assert response.status_code == 422
    assert "at most 5,000 characters" in html_of(response)
    assert too_long.strip()[:200] in html_of(response)
    assert db.session.scalars(select(Comment)).all() == []


def test_a_locked_discussion_refuses_comments(forms, client, make_article, member):
    article = make_article(discussion_locked=True)
    make_comment(article, member, "Said before the lock")
    forms.login("robin")
    page = html_of(client.get(page_of(article)))
    assert "This discussion is locked" in page
    assert "Post comment" not in page and "Post reply" not in page
    assert "Said before the lock" in page

    token = csrf_token(page)
    response = client.post(
        f"/articles/{article.slug}/comments", data={"csrf_token": token, "body": "Let me in"}
    )
    assert response.status_code == 422
    assert "This discussion is locked" in html_of(response)
    assert db.session.scalar(select(Comment).where(Comment.body_markdown == "Let me in")) is None


def test_a_suspended_member_cannot_comment(forms, client, article, make_user):
    make_user(
        "sus",
        account_status=AccountStatus.SUSPENDED,
        suspended_until=utcnow() + timedelta(days=3),
    )
    forms.login("sus")
    page = html_of(client.get(page_of(article)))
    assert "Your account is restricted" in page
    response = client.post(
        f"/articles/{article.slug}/comments", data={"csrf_token": csrf_token(page), "body": "Hi"}
    )
    assert response.status_code == 422
    assert "restricted" in html_of(response)


def test_the_author_edits_within_the_window_and_the_old_text_is_kept(
    forms, client, article, member
):
    comment = make_comment(article, member, "First version", created_at=utcnow())
    forms.login("robin")
    page = html_of(client.get(page_of(article)))
    assert f'action="/comments/{comment.id}/edit"' in page

    response = forms.submit(f"/comments/{comment.id}/edit", {"body": "Second version"})

    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.body_markdown == "Second version" and comment.edited_at is not None
    revisions = db.session.scalars(select(CommentRevision)).all()
    assert [r.body_markdown for r in revisions] == ["First version"]
    page = html_of(client.get(page_of(article)))
    assert "Second version" in page and "First version" not in page
    assert "· edited" in page


def test_editing_closes_after_the_window(forms, client, article, member):
    comment = make_comment(
        article, member, "Old words", created_at=utcnow() - timedelta(minutes=16)
    )
    forms.login("robin")
    page = html_of(client.get(page_of(article)))
    assert f"/comments/{comment.id}/edit" not in page
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    response = client.post(
        f"/comments/{comment.id}/edit", data={"csrf_token": csrf_token(page), "body": "New"}
    )
    assert response.status_code == 403
    db.session.refresh(comment)
    assert comment.body_markdown == "Old words"


def test_others_cannot_edit_or_delete_a_comment(forms, client, article, member, make_user):
    comment = make_comment(article, member, "Mine", created_at=utcnow())
    make_user("mallory")
    forms.login("mallory")
    page = html_of(client.get(page_of(article)))
    assert f"/comments/{comment.id}/edit" not in page
    assert f"/comments/{comment.id}/delete" not in page
    token = csrf_token(page)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert (
        client.post(
            f"/comments/{comment.id}/edit", data={"csrf_token": token, "body": "Yours now"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/comments/{comment.id}/delete", data={"csrf_token": token}).status_code == 403
    )
    db.session.refresh(comment)
    assert (comment.body_markdown, comment.status) == ("Mine", CommentStatus.PUBLISHED)


def test_deleting_keeps_the_replies_under_a_placeholder(forms, client, article, member, make_user):
    comment = make_comment(article, member, "Regrettable words")
    reply = make_comment(article, make_user("sam"), "A reply worth keeping", parent=comment)
    forms.login("robin")
    page = html_of(client.get(page_of(article)))
    assert f'action="/comments/{comment.id}/delete"' in page

    confirm = html_of(client.get(f"/comments/{comment.id}/delete"))
    assert "Delete comment" in confirm
    response = forms.submit(f"/comments/{comment.id}/delete", {})

    assert response.status_code == 302
    db.session.refresh(comment)
    db.session.refresh(article)
    assert comment.status is CommentStatus.DELETED and comment.body_markdown == ""
    assert article.comment_count == 1
    page = html_of(client.get(page_of(article)))
    assert "Regrettable words" not in page
    assert "[deleted]" in page
    assert f'id="c{reply.id}"' in page and "A reply worth keeping" in page


def test_a_deleted_comment_without_replies_disappears(forms, client, article, member):
    comment = make_comment(article, member, "Gone soon")
    forms.login("robin")
    forms.submit(f"/comments/{comment.id}/delete", {})
    page = html_of(client.get(page_of(article)))
    assert f'id="c{comment.id}"' not in page and "[deleted]" not in page
    assert "No comments yet" in page


def test_removed_and_pending_comments(forms, client, article, member, make_user):
    removed = make_comment(article, make_user("sam"), "Rude", status=CommentStatus.REMOVED)
    make_comment(article, member, "Reply under a removed comment", parent=removed)
    pending = make_comment(article, member, "Waiting", status=CommentStatus.PENDING)

    page = html_of(client.get(page_of(article)))
    assert "Removed by a moderator" in page and "Rude" not in page
    assert "Reply under a removed comment" in page
    assert "Waiting" not in page and f'id="c{pending.id}"' not in page

    forms.login("robin")
    page = html_of(client.get(page_of(article)))
    assert "Waiting" in page and "Awaiting review" in page


def test_sorting_puts_featured_first_and_orders_the_rest(client, article, member):
    now = utcnow()
    old = make_comment(article, member, "Oldest one", created_at=now - timedelta(hours=3))
    helpful = make_comment(
        article, member, "Most helpful one", created_at=now - timedelta(hours=2), helpful_count=9
    )
    new = make_comment(article, member, "Newest one", created_at=now - timedelta(hours=1))
    featured = make_comment(
        article, member, "Featured one", created_at=now - timedelta(minutes=30), featured=True
    )

    def order(sort):
        return comment_ids_in(html_of(client.get(f"{page_of(article)}?sort={sort}")))

    assert order("oldest") == [featured.id, old.id, helpful.id, new.id]
    assert order("newest") == [featured.id, new.id, helpful.id, old.id]
    assert order("helpful") == [featured.id, helpful.id, old.id, new.id]
    assert "Featured</span>" in html_of(client.get(page_of(article)))


def test_top_level_comments_are_paginated_with_their_replies(client, app, article, member):
    app.config["COMMENTS_PER_PAGE"] = 2
    now = utcnow()
    tops = [
        make_comment(article, member, f"Thread {i}", created_at=now - timedelta(hours=10 - i))
        for i in range(5)
    ]
    reply = make_comment(article, member, "Reply in thread 3", parent=tops[3])

    first = html_of(client.get(page_of(article)))
    second = html_of(client.get(f"{page_of(article)}?page=2"))

    assert comment_ids_in(first) == [tops[0].id, tops[1].id]
    assert comment_ids_in(second) == [tops[2].id, tops[3].id, reply.id]
    assert "Page 2 of 3" in second
    assert f'href="/articles/{article.slug}?page=3#discussion"' in second
    assert "There are no comments on this page" in html_of(client.get(f"{page_of(article)}?page=9"))


def test_badges_show_only_as_their_authors_chose(client, article, make_user):
    make_comment(article, make_user("shy_client", role="client"), "From a quiet client")
    make_comment(
        article, make_user("open_client", role="client", show_role_badge=True), "From an open one"
    )
    make_comment(
        article, make_user("doc", role="professional", verified=True), "From a verified pro"
    )
    make_comment(
        article,
        make_user("quiet_doc", role="professional", verified=True, show_verified_badge=False),
        "From a verified pro who hides it",
    )
    page = html_of(client.get(page_of(article)))

    def badge_after(username):
        match = re.search(
            rf'comment-author">{username}</span>( <span class="badge[^"]*">([^<]+))?', page
        )
        assert match, username
        return match.group(2)

    assert badge_after("shy_client") is None
    assert badge_after("open_client") == "Client"
    assert badge_after("doc") == "Verified professional"
    assert badge_after("quiet_doc") is None


def test_role_filter_only_uses_roles_shown_publicly(client, article, make_user):
    shy = make_comment(article, make_user("shy", role="client"), "Quiet client")
    open_ = make_comment(
        article, make_user("open", role="client", show_role_badge=True), "Open client"
    )
    pro_parent = make_comment(article, make_user("reader1"), "A reader asks")
    pro = make_comment(
        article,
        make_user("pro", role="professional", verified=True),
        "A professional answers",
        parent=pro_parent,
    )

    clients = html_of(client.get(f"{page_of(article)}?role=clients"))
    professionals = html_of(client.get(f"{page_of(article)}?role=professionals"))

    assert comment_ids_in(clients) == [open_.id]
    assert shy.id not in comment_ids_in(clients)
    assert comment_ids_in(professionals) == [pro.id]
    assert "In reply to" in professionals and "reader1" in professionals


def test_stance_is_shown_and_filtered_only_for_authors_who_chose_it(
    client, make_article, make_user
):
    article = make_article(poll_question="Would you friend your therapist?")
    yes, no = article.poll.options
    shown = make_user("shows", show_stance=True)
    hidden = make_user("hides")
    for user, option in ((shown, no), (hidden, no)):
        db.session.add(
            Vote(
                poll_id=article.poll.id,
                user_id=user.id,
                voter_role=user.community_role,
                choices=[VoteChoice(option_id=option.id)],
            )
        )
    db.session.commit()
    visible = make_comment(article, shown, "I said no")
    make_comment(article, hidden, "I also said no")

    page = html_of(client.get(page_of(article)))
    assert page.count("voted: No") == 1
    filtered = html_of(client.get(f"{page_of(article)}?stance={no.id}"))
    assert comment_ids_in(filtered) == [visible.id]
    assert comment_ids_in(html_of(client.get(f"{page_of(article)}?stance={yes.id}"))) == []


def test_professionals_see_the_clinical_advice_reminder(forms, client, article, make_user):
    make_user("pro", role="professional")
    forms.login("pro")
    assert "not clinical advice" in html_of(client.get(page_of(article)))


def test_preview_returns_sanitised_html(forms, client, article, member):
    forms.login("robin")
    token = csrf_token(html_of(client.get(page_of(article))))
    response = client.post(
        "/comments/preview",
        data={"body": "**hi** <script>alert(1)</script> [x](javascript:alert(1))"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>hi</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html
    assert client.post("/comments/preview", data={"body": "x"}).status_code == 400
