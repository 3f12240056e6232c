"""GET /api/v1/articles and /api/v1/articles/<slug>: published articles as JSON."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import ArticleStatus, PollKind, ResultsVisibility, Tag, utcnow
from tests.factories import make_author


def iso(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def assert_json_error(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    return error["message"]


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, connection, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            self.count += 1


@pytest.fixture
def count_queries(app):
    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    yield counter
    event.remove(db.engine, "before_cursor_execute", counter)


def test_lists_live_articles_newest_first_with_teaser_fields(client, make_article, make_user):
    user = make_user("ines_lpc", role="professional", discipline="counselor")
    person = make_author("Ines Alvarez", user=user)
    older = make_article("Accepting gifts", published_at=utcnow() - timedelta(days=3))
    newer = make_article(
        "Texting between sessions",
        author=person,
        summary="Should therapists text?",
        poll_question="Should they?",
        published_at=utcnow() - timedelta(days=1),
        comment_count=4,
    )
    make_article("A draft", status=ArticleStatus.DRAFT)
    make_article(
        "Scheduled", status=ArticleStatus.SCHEDULED, published_at=utcnow() + timedelta(days=2)
    )

    response = client.get("/api/v1/articles")

    assert response.status_code == 200
    data = response.get_json()
    assert (data["page"], data["pages"], data["total"]) == (1, 1, 2)
    assert [item["slug"] for item in data["items"]] == [newer.slug, older.slug]
    first = data["items"][0]
    assert first == {
        "slug": newer.slug,
        "title": "Texting between sessions",
        "summary": "Should therapists text?",
        "language": "en",
        "author": {"username": "ines_lpc", "display_name": "Ines Alvarez"},
        "published_at": iso(newer.published_at),
        "comment_count": 4,
        "poll_id": newer.poll.id,
    }
    assert first["published_at"].endswith("Z")
    datetime.fromisoformat(first["published_at"])
    assert data["items"][1]["author"] == {
        "username": None,
        "display_name": "Riverside Counseling Collective",
    }
    assert data["items"][1]["poll_id"] is None


def test_paginates_and_answers_past_the_end_with_no_items(app, client, make_article):
    app.config["ARTICLES_PER_PAGE"] = 2
    articles = [make_article(f"Question {n}") for n in range(5)]

    first = client.get("/api/v1/articles").get_json()
    third = client.get("/api/v1/articles?page=3").get_json()
    beyond = client.get("/api/v1/articles?page=9")
    small = client.get("/api/v1/articles?page=2&per_page=4").get_json()

    assert (first["page"], first["pages"], first["total"]) == (1, 3, 5)
    assert [item["slug"] for item in first["items"]] == [a.slug for a in articles[:2]]
    assert [item["slug"] for item in third["items"]] == [articles[4].slug]
    assert beyond.status_code == 200
    assert beyond.get_json() == {"items": [], "page": 9, "pages": 3, "total": 5}
    assert (small["pages"], len(small["items"])) == (2, 1)


def test_empty_site_lists_nothing(client):
    assert client.get("/api/v1/articles").get_json() == {
        "items": [],
        "page": 1,
        "pages": 0,
        "total": 0,
    }


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=abc", "page=1.5", "page=", "per_page=0", "per_page=51"]
)
def test_bad_page_arguments_are_json_400s(client, make_article, query):
    make_article()

    message = assert_json_error(client.get(f"/api/v1/articles?{query}"), 400)

    assert "page" in message


def test_list_runs_the_same_number_of_queries_for_more_articles(
    client, make_article, count_queries
):
    for n in range(2):
        make_article(f"First batch {n}", poll_question="Yes or no?")
    client.get("/api/v1/articles")
    count_queries.count = 0
    client.get("/api/v1/articles")
    few = count_queries.count

    for n in range(6):
        make_article(f"Second batch {n}", poll_question="Yes or no?")
    count_queries.count = 0
    client.get("/api/v1/articles")

    assert count_queries.count == few


def test_detail_has_body_tags_author_and_poll(client, make_article):
    author = make_author(
        "Northbridge Counseling Collective",
        organisation="Northbridge Counseling Collective",
        location="Asheville, NC",
        credentials="LMHC, LPC, BCC",
    )
    closes = utcnow() + timedelta(days=7)
    article = make_article(
        "Would you friend your therapist on Facebook?",
        body="Two principles: **confidentiality** and *dual relationships*.",
        author=author,
        poll_question="Would you accept a friend request?",
        poll_options=("Yes", "Only after therapy", "No"),
        poll_kind=PollKind.MULTIPLE,
        allow_anonymous=True,
        results_visibility=ResultsVisibility.AFTER_VOTE,
    )
    article.tags = [Tag(name="Social media", slug="social-media")]
    article.poll.closes_at = closes
    db.session.commit()

    response = client.get(f"/api/v1/articles/{article.slug}")

    assert response.status_code == 200
    data = response.get_json()
    assert data["slug"] == article.slug
    assert data["title"] == "Would you friend your therapist on Facebook?"
    assert "<strong>confidentiality</strong>" in data["body_html"]
    assert data["tags"] == [{"name": "Social media", "slug": "social-media"}]
    assert data["author"]["display_name"] == "Northbridge Counseling Collective"
    assert data["author"]["organisation"] == "Northbridge Counseling Collective"
    assert data["author"]["location"] == "Asheville, NC"
    assert data["author"]["credentials"] == "LMHC, LPC, BCC"
    assert data["author"]["username"] is None
    assert data["published_at"] == iso(article.published_at)
    poll = data["poll"]
    assert data["poll_id"] == poll["id"] == article.poll.id
    assert poll["question"] == "Would you accept a friend request?"
    assert poll["kind"] == "multiple"
    assert poll["status"] == "open"
    assert poll["closes_at"] == iso(closes)
    assert [option["label"] for option in poll["options"]] == ["Yes", "Only after therapy", "No"]
    assert all(isinstance(option["id"], int) for option in poll["options"])
    assert (poll["allow_anonymous"], poll["results_visibility"]) == (True, "after-vote")


def test_detail_of_an_article_without_poll_has_null_poll(client, make_article):
    article = make_article()

    data = client.get(f"/api/v1/articles/{article.slug}").get_json()

    assert data["poll"] is None
    assert data["poll_id"] is None
    assert data["tags"] == []


def test_closed_poll_reports_closed(client, make_article):
    article = make_article(poll_question="Yes or no?")
    article.poll.closed_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    poll = client.get(f"/api/v1/articles/{article.slug}").get_json()["poll"]

    assert poll["status"] == "closed"
    assert poll["closes_at"] == iso(article.poll.closed_at)


def test_unknown_draft_and_future_slugs_are_json_404s(client, make_article):
    draft = make_article(status=ArticleStatus.DRAFT)
    future = make_article(
        status=ArticleStatus.SCHEDULED, published_at=utcnow() + timedelta(hours=3)
    )

    for slug in ("no-such-article", draft.slug, future.slug):
        message = assert_json_error(client.get(f"/api/v1/articles/{slug}"), 404)
        assert slug in message


def test_other_api_errors_are_json(client, make_article):
    article = make_article()

    assert_json_error(client.get("/api/v1/no-such-thing"), 404)
    assert_json_error(client.post("/api/v1/articles"), 405)
    assert_json_error(client.delete(f"/api/v1/articles/{article.slug}"), 405)


def test_the_largest_page_the_document_allows_is_the_largest_the_route_serves(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/articles"]["get"]["parameters"]
    largest = next(p for p in parameters if p["name"] == "page")["schema"]["maximum"]

    assert client.get(f"/api/v1/articles?page={largest}").status_code == 200
    too_far = client.get(f"/api/v1/articles?page={largest + 1}")
    assert too_far.status_code == 400 and "at most" in too_far.get_json()["error"]["message"]
