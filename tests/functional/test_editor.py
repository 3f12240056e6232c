"""Editors write, publish, schedule and unpublish articles with their polls, and manage authors."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Article,
    ArticleStatus,
    AuthorProfile,
    CommunityRole,
    PollKind,
    ResultsVisibility,
    Vote,
    VoteChoice,
    utcnow,
)
from tests.factories import make_author


@pytest.fixture
def editor(make_user, forms):
    user = make_user("editor1", staff="editor")
    forms.login("editor1")
    return user


@pytest.fixture
def author(app):
    return make_author("Riverside Counseling Collective", slug="riverside")


def article_form(profile, **overrides):
    data = {
        "title": "Would you friend your therapist?",
        "slug": "",
        "summary": "Two principles meet on social media.",
        "body": "A counselor asks.\n\nWhat do you think?",
        "author": str(profile.id),
        "tags": "social media, confidentiality",
        "poll_question": "Would you accept a friend request from your therapist?",
        "poll_options": "Yes\nNo\nIt depends",
        "poll_results": "after-vote",
        "poll_anonymous": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_errors(response):
    """Error messages shown next to fields, by field id."""
    html = response.get_data(as_text=True)
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error">([^<]*)</p>', html))


def flashes(response):
    return re.findall(r'class="flash[^"]*"[^>]*>([^<]+)<', response.get_data(as_text=True))


def stored(title):
    db.session.expire_all()
    return db.session.scalar(select(Article).where(Article.title == title))


def test_visitors_are_sent_to_log_in(client):
    for url in ("/editor/", "/editor/articles/new", "/editor/authors"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]


def test_members_and_moderators_are_refused(make_user, forms, client):
    make_user("plainmember")
    forms.login("plainmember")
    assert client.get("/editor/").status_code == 403
    assert client.get("/editor/authors").status_code == 403


def test_moderator_is_refused(make_user, forms, client):
    make_user("mod", staff="moderator")
    forms.login("mod")
    assert client.get("/editor/articles/new").status_code == 403


def test_admin_may_edit(make_user, forms, client):
    make_user("boss", staff="admin")
    forms.login("boss")
    assert client.get("/editor/").status_code == 200


def test_create_article_with_poll_saves_a_draft(editor, author, forms, client):
    response = forms.submit("/editor/articles/new", article_form(author))

    assert response.status_code == 302
    article = stored("Would you friend your therapist?")
    assert response.headers["Location"].endswith(f"/editor/articles/{article.id}/edit")
    assert article.status is ArticleStatus.DRAFT
    assert article.slug == "would-you-friend-your-therapist"
    assert article.author.id == author.id
    assert [tag.name for tag in article.tags] == ["confidentiality", "social media"]
    poll = article.poll
    assert poll.question == "Would you accept a friend request from your therapist?"
    assert [option.label for option in poll.options] == ["Yes", "No", "It depends"]
    assert poll.kind is PollKind.SINGLE
    assert poll.allow_anonymous is True
    assert poll.results_visibility is ResultsVisibility.AFTER_VOTE
    # Drafts stay out of readers' sight.
    assert client.get(f"/articles/{article.slug}").status_code == 404
    listing = client.get("/editor/").get_data(as_text=True)
    assert "Would you friend your therapist?" in listing and "Draft" in listing


def test_article_without_question_has_no_poll(editor, author, forms):
    forms.submit("/editor/articles/new", article_form(author, poll_question="", poll_options=""))
    assert stored("Would you friend your therapist?").poll is None


def test_poll_times_are_utc(editor, author, forms):
    forms.submit(
        "/editor/articles/new",
        article_form(
            author,
            poll_multiple="y",
            poll_opens_at="2031-03-01T09:30",
            poll_closes_at="2031-03-15T18:00",
        ),
    )
    poll = stored("Would you friend your therapist?").poll
    assert poll.kind is PollKind.MULTIPLE
    assert poll.opens_at.isoformat() == "2031-03-01T09:30:00+00:00"
    assert poll.closes_at.isoformat() == "2031-03-15T18:00:00+00:00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter a title"),
        ({"title": "x" * 201}, "title", "longer than 200"),
        ({"summary": "s" * 501}, "summary", "longer than 500"),
        ({"slug": "s" * 101}, "slug", "longer than 100"),
        ({"poll_question": "q" * 301}, "poll_question", "longer than 300"),
        ({"poll_options": "Only one"}, "poll_options", "between 2 and 10"),
        (
            {"poll_options": "\n".join(f"Option {n}" for n in range(11))},
            "poll_options",
            "between 2 and 10",
        ),
        ({"poll_options": "Yes\nyes\nNo"}, "poll_options", "must be different"),
        ({"poll_options": "Yes\n" + "n" * 121}, "poll_options", "under 120"),
        (
            {"poll_opens_at": "2031-03-02T10:00", "poll_closes_at": "2031-03-01T10:00"},
            "poll_closes_at",
            "close after it opens",
        ),
        ({"poll_opens_at": "next tuesday"}, "poll_opens_at", "Not a valid"),
        ({"poll_question": "", "poll_options": "Yes\nNo"}, "poll_question", "Add a question"),
        ({"tags": "ok, " + "t" * 41}, "tags", "under 40"),
        ({"author": "99999"}, "author", "Not a valid choice"),
    ],
)
def test_invalid_input_is_shown_next_to_the_field(editor, author, forms, overrides, field, message):
    response = forms.submit("/editor/articles/new", article_form(author, **overrides))

    assert response.status_code == 200
    errors = field_errors(response)
    assert message in errors.get(field, ""), errors
    assert db.session.scalar(select(Article.id)) is None
    # What the editor typed is still in the form.
    assert "A counselor asks." in response.get_data(as_text=True)


def test_taken_slug_is_refused_next_to_the_field(editor, author, forms, make_article):
    make_article("Existing", slug="taken")
    response = forms.submit("/editor/articles/new", article_form(author, slug="taken"))
    assert "already uses this slug" in field_errors(response)["slug"]


def test_edit_article(editor, author, forms, make_article):
    article = make_article("Old title", author=author, poll_question="Old question?")

    page = forms.client.get(f"/editor/articles/{article.id}/edit").get_data(as_text=True)
    assert 'value="Old title"' in page and "Old question?" in page

    response = forms.submit(
        f"/editor/articles/{article.id}/edit",
        article_form(author, title="New title", poll_options="Agree\nDisagree"),
    )

    assert response.status_code == 302
    assert flashes(forms.client.get(response.headers["Location"])) == ["Changes saved."]
    edited = stored("New title")
    assert edited.id == article.id
    assert edited.slug == article.slug  # the address does not move on a title change
    assert [option.label for option in edited.poll.options] == ["Agree", "Disagree"]


def test_options_cannot_change_once_someone_voted(editor, author, forms, make_article, make_user):
    article = make_article("Voted on", author=author, poll_question="Q?", slug="voted-on")
    voter = make_user("voter")
    option = article.poll.options[0]
    db.session.add(
        Vote(
            poll_id=article.poll.id,
            user_id=voter.id,
            voter_role=CommunityRole.CLIENT,
            choices=[VoteChoice(option_id=option.id)],
        )
    )
    db.session.commit()
    url = f"/editor/articles/{article.id}/edit"

    changed = forms.submit(
        url,
        article_form(author, title="Voted on", poll_question="Q?", poll_options="Yes\nNo\nMaybe"),
    )
    removed = forms.submit(
        url, article_form(author, title="Voted on", poll_question="", poll_options="")
    )
    reworded = forms.submit(
        url,
        article_form(author, title="Voted on", poll_question="Q, again?", poll_options="Yes\nNo"),
    )

    assert "options can no longer change" in field_errors(changed)["poll_options"]
    assert "can no longer be removed" in field_errors(removed)["poll_question"]
    assert reworded.status_code == 302
    poll = stored("Voted on").poll
    assert poll.question == "Q, again?"
    assert [o.label for o in poll.options] == ["Yes", "No"]


def test_publish_now(editor, author, forms, client, make_article):
    article = make_article("Ready", author=author, status=ArticleStatus.DRAFT, slug="ready")
    edit_url = f"/editor/articles/{article.id}/edit"

    response = forms.submit(
        edit_url, {}, action_url=f"/editor/articles/{article.id}/publish", follow_redirects=True
    )

    assert "Published. Readers can see it now." in flashes(response)
    assert client.get("/articles/ready").status_code == 200
    assert "Ready" in client.get("/").get_data(as_text=True)


def test_schedule_in_the_future(editor, author, forms, client, make_article):
    article = make_article("Later", author=author, status=ArticleStatus.DRAFT, slug="later")
    edit_url = f"/editor/articles/{article.id}/edit"
    when = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")

    response = forms.submit(
        edit_url, {"publish_at": when}, action_url=f"/editor/articles/{article.id}/schedule"
    )

    assert response.status_code == 302
    scheduled = stored("Later")
    assert scheduled.status is ArticleStatus.SCHEDULED
    assert client.get("/articles/later").status_code == 404
    assert "Scheduled" in client.get("/editor/").get_data(as_text=True)

    # Its time comes.
    scheduled.published_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/articles/later").status_code == 200
    assert "Later" in client.get("/articles").get_data(as_text=True)


@pytest.mark.parametrize(
    ("publish_at", "message"),
    [("2001-01-01T10:00", "must be in the future"), ("", "Choose when"), ("soon", "Not a valid")],
)
def test_schedule_refuses_bad_times(editor, author, forms, make_article, publish_at, message):
    article = make_article("Later", author=author, status=ArticleStatus.DRAFT)

    response = forms.submit(
        f"/editor/articles/{article.id}/edit",
        {"publish_at": publish_at},
        action_url=f"/editor/articles/{article.id}/schedule",
    )

    assert message in field_errors(response)["publish_at"]
    assert stored("Later").status is ArticleStatus.DRAFT


def test_unpublish(editor, author, forms, client, make_article):
    article = make_article("Withdrawn", author=author, slug="withdrawn")
    assert client.get("/articles/withdrawn").status_code == 200

    response = forms.submit(
        f"/editor/articles/{article.id}/edit",
        {},
        action_url=f"/editor/articles/{article.id}/unpublish",
        follow_redirects=True,
    )

    assert "Unpublished. The article is a draft again." in flashes(response)
    assert client.get("/articles/withdrawn").status_code == 404


def test_publishing_twice_is_explained(editor, author, forms, make_article):
    article = make_article("Live one", author=author)
    response = forms.submit(
        f"/editor/articles/{article.id}/edit",
        {},
        action_url=f"/editor/articles/{article.id}/publish",
        follow_redirects=True,
    )
    assert "The article is already published." in flashes(response)


def test_editor_previews_a_draft(editor, author, client, make_article):
    article = make_article("Secret draft", author=author, status=ArticleStatus.DRAFT)

    response = client.get(f"/editor/articles/{article.id}/preview")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview — not published" in html and "Secret draft" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_publication_actions_need_the_csrf_token(editor, client, make_article):
    article = make_article("Guarded", status=ArticleStatus.DRAFT)
    response = client.post(f"/editor/articles/{article.id}/publish")
    assert response.status_code == 400
    assert stored("Guarded").status is ArticleStatus.DRAFT


def test_unknown_article_in_the_editor_is_404(editor, client):
    assert client.get("/editor/articles/4242/edit").status_code == 404
    assert client.get("/editor/?page=abc").status_code == 404


# Authors ---------------------------------------------------------------------


def test_create_and_list_an_author(editor, forms, client):
    response = forms.submit(
        "/editor/authors/new",
        {
            "display_name": "Lakeside Counseling",
            "slug": "",
            "organisation": "Lakeside Counseling Group",
            "location": "Duluth, Minnesota",
            "credentials": "BCC, CPC, LMHC, LPC",
            "bio": "A practice on the lake.\r\n\r\nWe train new counselors.",
        },
    )

    assert response.status_code == 302
    author = db.session.scalar(select(AuthorProfile))
    assert author.slug == "lakeside-counseling"
    assert author.credentials == "BCC, CPC, LMHC, LPC"
    assert "Lakeside Counseling" in client.get("/editor/authors").get_data(as_text=True)
    profile = client.get("/authors/lakeside-counseling").get_data(as_text=True)
    assert "<p>A practice on the lake.</p>" in profile
    assert "<p>We train new counselors.</p>" in profile


def test_edit_an_author(editor, forms, author):
    response = forms.submit(
        f"/editor/authors/{author.id}/edit",
        {
            "display_name": "Riverside Collective",
            "slug": "riverside",
            "organisation": "",
            "location": "",
            "credentials": "LPC",
            "bio": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(AuthorProfile, author.id)
    assert edited.display_name == "Riverside Collective"
    assert edited.credentials == "LPC"
    assert edited.location is None


def test_author_validation(editor, forms, author):
    empty = forms.submit("/editor/authors/new", {"display_name": " "})
    long = forms.submit("/editor/authors/new", {"display_name": "x" * 121})
    taken = forms.submit("/editor/authors/new", {"display_name": "Other", "slug": "riverside"})

    assert "Enter the name" in field_errors(empty)["display_name"]
    assert "longer than 120" in field_errors(long)["display_name"]
    assert "already uses this slug" in field_errors(taken)["slug"]
    assert len(db.session.scalars(select(AuthorProfile)).all()) == 1


def test_delete_author_only_without_articles(editor, forms, make_article):
    busy = make_author("Busy author")
    make_article(author=busy)
    idle = make_author("Idle author")
    busy_id, idle_id = busy.id, idle.id

    refused = forms.submit(
        f"/editor/authors/{busy.id}/edit",
        {},
        action_url=f"/editor/authors/{busy.id}/delete",
        follow_redirects=True,
    )
    deleted = forms.submit(
        f"/editor/authors/{idle.id}/edit",
        {},
        action_url=f"/editor/authors/{idle.id}/delete",
        follow_redirects=True,
    )

    assert "This author has articles." in " ".join(flashes(refused))
    assert "Author “Idle author” deleted." in flashes(deleted)
    db.session.expire_all()
    assert db.session.get(AuthorProfile, busy_id) is not None
    assert db.session.get(AuthorProfile, idle_id) is None


def test_new_article_form_without_authors_points_to_adding_one(editor, client):
    html = client.get("/editor/articles/new").get_data(as_text=True)
    assert 'href="/editor/authors/new"' in html
