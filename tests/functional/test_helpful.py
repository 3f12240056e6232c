"""Marking comments helpful: one mark per member, toggled by a form or by the page's script."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AccountStatus, Comment, HelpfulMark, utcnow
from app.services.discussion import helpful as helpful_service
from tests.conftest import csrf_token
from tests.factories import make_comment


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def robin(make_user):
    return make_user("robin", role="client")


@pytest.fixture
def comment(article, robin):
    return make_comment(article, robin, "Confidentiality matters more than convenience.")


def article_page(article):
    return f"/articles/{article.slug}"


def mark(forms, article, comment, marked=None, follow_redirects=False):
    data = {"next": article_page(article)}
    if marked is not None:
        data["marked"] = "1" if marked else "0"
    return forms.submit(
        article_page(article), data, f"/comments/{comment.id}/helpful", follow_redirects
    )


def count_of(comment):
    db.session.expire_all()
    return db.session.get(Comment, comment.id).helpful_count


def marks_on(comment):
    return db.session.scalar(
        select(func.count(HelpfulMark.id)).where(HelpfulMark.comment_id == comment.id)
    )


def helpful_button(html, comment):
    """The pressed state and the count shown on the comment's Helpful button."""
    match = re.search(
        rf'action="/comments/{comment.id}/helpful".*?aria-pressed="(true|false)">.*?'
        r'Helpful \(<span class="helpful-count">(\d+)</span>\)',
        html,
        re.S,
    )
    assert match, "no Helpful button on the comment"
    return match.group(1) == "true", int(match.group(2))


def test_a_member_marks_a_comment_helpful_and_takes_it_back(
    forms, client, make_user, article, comment
):
    make_user("sam")
    forms.login("sam")
    assert helpful_button(client.get(article_page(article)).get_data(as_text=True), comment) == (
        False,
        0,
    )

    response = mark(forms, article, comment, marked=True)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{article_page(article)}#c{comment.id}"
    assert count_of(comment) == 1 and marks_on(comment) == 1
    page = client.get(article_page(article)).get_data(as_text=True)
    assert helpful_button(page, comment) == (True, 1)
    assert 'name="marked" value="0"' in page

    mark(forms, article, comment, marked=False)

    assert count_of(comment) == 0 and marks_on(comment) == 0
    assert helpful_button(client.get(article_page(article)).get_data(as_text=True), comment) == (
        False,
        0,
    )


def test_the_count_is_exact_with_several_members(forms, make_user, article, comment):
    for name in ("ash", "bo", "cy"):
        make_user(name)
        forms.login(name)
        mark(forms, article, comment, marked=True)
        forms.logout()
    forms.login("bo")
    mark(forms, article, comment, marked=False)

    assert count_of(comment) == 2 and marks_on(comment) == 2


def test_posting_the_same_mark_twice_counts_once(forms, make_user, article, comment):
    make_user("sam")
    forms.login("sam")

    mark(forms, article, comment, marked=True)
    mark(forms, article, comment, marked=True)

    assert count_of(comment) == 1 and marks_on(comment) == 1
    mark(forms, article, comment, marked=False)
    mark(forms, article, comment, marked=False)
    assert count_of(comment) == 0 and marks_on(comment) == 0


def test_without_a_state_the_button_toggles(forms, make_user, article, comment):
    make_user("sam")
    forms.login("sam")

    mark(forms, article, comment)
    assert count_of(comment) == 1
    mark(forms, article, comment)
    assert count_of(comment) == 0 and marks_on(comment) == 0


def test_a_mark_inserted_by_a_racing_request_is_not_counted_twice(
    app, monkeypatch, make_user, comment
):
    sam = make_user("sam")
    helpful_service.set_helpful(comment, sam, marked=True)
    db.session.commit()
    # The second request looked before the first one inserted its row.
    monkeypatch.setattr(helpful_service, "has_marked", lambda comment, member: False)

    state = helpful_service.set_helpful(comment, sam, marked=True)
    db.session.commit()

    assert state.marked and state.helpful_count == 1
    assert count_of(comment) == 1 and marks_on(comment) == 1


def test_members_cannot_mark_their_own_comment(forms, client, article, comment):
    forms.login("robin")
    page = client.get(article_page(article)).get_data(as_text=True)
    assert f'action="/comments/{comment.id}/helpful"' not in page
    assert "Helpful (0)" in page

    response = mark(forms, article, comment, marked=True, follow_redirects=True)

    assert "You cannot mark your own comment as helpful." in response.get_data(as_text=True)
    assert count_of(comment) == 0 and marks_on(comment) == 0


def test_restricted_members_cannot_mark(forms, make_user, article, comment):
    make_user(
        "muted",
        account_status=AccountStatus.SUSPENDED,
        suspended_until=utcnow() + timedelta(days=3),
    )
    forms.login("muted")

    response = mark(forms, article, comment, marked=True, follow_redirects=True)

    assert "restricted" in response.get_data(as_text=True)
    assert count_of(comment) == 0


def test_readers_see_the_count_and_are_sent_to_log_in(forms, client, make_user, article, comment):
    sam = make_user("sam")
    helpful_service.set_helpful(comment, sam, marked=True)
    db.session.commit()

    page = client.get(article_page(article)).get_data(as_text=True)
    assert re.search(
        r'<a class="comment-action helpful-login" '
        rf'href="/account/login\?next=[^"]+%23c{comment.id}">'
        r"Helpful \(1\)<span class=\"visually-hidden\"> — log in to mark helpful",
        page,
    )

    response = mark(forms, article, comment, marked=True)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    assert count_of(comment) == 1


def test_the_script_gets_json_back(forms, client, make_user, article, comment):
    make_user("sam")
    forms.login("sam")
    token = csrf_token(client.get(article_page(article)).get_data(as_text=True))
    headers = {"X-CSRFToken": token, "Accept": "application/json"}

    response = client.post(f"/comments/{comment.id}/helpful", data={"marked": "1"}, headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"marked": True, "helpful_count": 1}

    response = client.post(f"/comments/{comment.id}/helpful", data={"marked": "0"}, headers=headers)
    assert response.get_json() == {"marked": False, "helpful_count": 0}


def test_the_script_gets_refusals_as_json(forms, client, article, comment):
    forms.login("robin")
    token = csrf_token(client.get(article_page(article)).get_data(as_text=True))

    response = client.post(
        f"/comments/{comment.id}/helpful",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )

    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == "You cannot mark your own comment as helpful."


def test_marking_needs_the_csrf_token(forms, client, make_user, comment):
    make_user("sam")
    forms.login("sam")

    assert client.post(f"/comments/{comment.id}/helpful", data={"marked": "1"}).status_code == 400
    assert count_of(comment) == 0


@pytest.mark.parametrize(
    "elsewhere",
    ["https://elsewhere.example/phish", "//elsewhere.example/phish", "/\\elsewhere.example/phish"],
)
def test_the_redirect_stays_on_this_site(forms, make_user, article, comment, elsewhere):
    make_user("sam")
    forms.login("sam")

    response = forms.submit(
        article_page(article),
        {"marked": "1", "next": elsewhere},
        f"/comments/{comment.id}/helpful",
    )

    assert response.headers["Location"] == f"{article_page(article)}#c{comment.id}"


def test_deleted_comments_cannot_be_marked(forms, make_user, article, comment):
    comment.status = "deleted"
    db.session.commit()
    make_user("sam")
    forms.login("sam")

    response = mark(forms, article, comment, marked=True, follow_redirects=True)

    assert "This comment cannot be marked as helpful." in response.get_data(as_text=True)
    assert count_of(comment) == 0
