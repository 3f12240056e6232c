"""A member's pages are kept for them alone, and change at once with what is theirs."""

import re
import time

import pytest
from sqlalchemy import event

from app.caching import pages
from app.extensions import db
from app.models import ResultsVisibility
from tests.conftest import csrf_token
from tests.factories import make_comment, make_user


@pytest.fixture
def article(make_article):
    return make_article(
        "Would you friend your therapist?",
        poll_question="Would you accept the request?",
        poll_options=("Yes", "No"),
        results_visibility=ResultsVisibility.ALWAYS,
    )


def logged_in(member_at, username, **fields):
    """A member's browser, past the page that welcomes them back (a message is never kept)."""
    forms = member_at(username, **fields)
    forms.client.get("/")
    return forms


def page_of(article):
    return f"/articles/{article.slug}"


def text_of(response):
    return response.get_data(as_text=True)


def reads_comments(client, url) -> tuple[bool, str]:
    """Whether the request read the discussion from the database, and the page."""
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return any("FROM comments" in statement for statement in statements), text_of(response)


def test_a_members_page_is_kept_for_them_alone(app, article, member_at):
    robin = logged_in(member_at, "robin")
    assert reads_comments(robin.client, page_of(article))[0]
    rendered, html = reads_comments(robin.client, page_of(article))
    assert not rendered
    assert "robin" in html and "Post comment" in html
    response = robin.client.get(page_of(article))
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response.headers

    sam_page = text_of(logged_in(member_at, "sam").client.get(page_of(article)))
    assert "sam" in sam_page and ">robin<" not in sam_page
    assert ">robin<" not in text_of(app.test_client().get(page_of(article)))


def test_each_session_gets_its_own_token_in_the_kept_page(app, article, member_at):
    first = logged_in(member_at, "robin").client
    second = logged_in(member_at, "robin").client
    tokens = []
    for client in (first, second, first):
        html = text_of(client.get(page_of(article)))
        tokens.append(csrf_token(html))
        assert pages.token_placeholder() not in html
    # A token is the session's secret signed with the second it was made: compare secrets.
    secrets = [token.split(".")[0] for token in tokens]
    assert secrets[0] == secrets[2] != secrets[1]

    posted = second.post(
        f"/articles/{article.slug}/comments",
        data={"csrf_token": tokens[1], "body": "From my other browser."},
    )
    assert posted.status_code == 302
    assert "From my other browser." in text_of(first.get(page_of(article)))


def test_a_members_own_vote_shows_at_once(article, member_at):
    robin = logged_in(member_at, "robin")
    assert "You voted" not in text_of(robin.client.get(page_of(article)))
    yes = next(option.id for option in article.poll.options if option.label == "Yes")
    robin.submit(page_of(article), {"option_ids": str(yes)}, f"/polls/{article.poll.id}/vote")
    robin.client.get(page_of(article))  # the page that shows the "thank you" message
    assert "You voted: <strong>Yes</strong>" in text_of(robin.client.get(page_of(article)))


def test_a_reply_shows_in_the_inbox_count_at_once(article, member_at, make_article):
    # On another article: nothing on this page changes but the member's inbox count.
    mine = make_comment(make_article(), make_user("robin"), "I never would.")
    robin = logged_in(member_at, "robin")
    assert "unread" not in text_of(robin.client.get(page_of(article)))

    reply_page = f"/comments/{mine.id}/reply"
    logged_in(member_at, "olga").submit(reply_page, {"body": "Why not, if it is private?"})
    html = text_of(robin.client.get(page_of(article)))
    assert re.search(r'class="nav-count">1<span class="visually-hidden"> unread', html)


def test_a_helpful_mark_shows_on_the_markers_kept_page(article, member_at):
    comment = make_comment(article, make_user("olga"), "Say no kindly.")
    robin = logged_in(member_at, "robin")
    assert 'aria-pressed="false"' in text_of(robin.client.get(page_of(article)))
    robin.submit(page_of(article), {"marked": "1"}, f"/comments/{comment.id}/helpful")
    html = text_of(robin.client.get(page_of(article)))
    assert 'aria-pressed="true"' in html and "Helpful (<span" in html
    robin.submit(page_of(article), {"marked": "0"}, f"/comments/{comment.id}/helpful")
    assert 'aria-pressed="true"' not in text_of(robin.client.get(page_of(article)))


def test_a_flashed_message_is_shown_once_and_never_kept(article, member_at):
    robin = logged_in(member_at, "robin")
    robin.client.get(page_of(article))
    robin.submit(
        page_of(article), {"body": "My first thought."}, f"/articles/{article.slug}/comments"
    )
    assert "Your comment is posted." in text_of(robin.client.get(page_of(article)))
    assert "Your comment is posted." not in text_of(robin.client.get(page_of(article)))


def test_the_edit_button_goes_when_the_edit_window_closes(app, article, member_at):
    app.config["COMMENT_EDIT_WINDOW_MINUTES"] = 0.02  # 1.2 seconds
    robin = logged_in(member_at, "robin")
    robin.submit(page_of(article), {"body": "Quick to edit."}, f"/articles/{article.slug}/comments")
    robin.client.get(page_of(article))  # the message
    assert ">Edit</button>" in text_of(robin.client.get(page_of(article)))
    time.sleep(1.3)
    assert ">Edit</button>" not in text_of(robin.client.get(page_of(article)))


def test_staff_pages_are_rendered_each_time(article, member_at):
    moderator = logged_in(member_at, "mod_maya", staff="moderator")
    moderator.client.get(page_of(article))
    assert reads_comments(moderator.client, page_of(article))[0]


def test_member_pages_can_be_rendered_each_time(app, article, member_at):
    app.config["KEEP_MEMBER_PAGES"] = False
    robin = logged_in(member_at, "robin")
    robin.client.get(page_of(article))
    assert reads_comments(robin.client, page_of(article))[0]
