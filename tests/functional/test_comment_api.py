"""GET /api/v1/articles/<slug>/comments: whole threads, a page of top-level comments at a time."""

from datetime import timedelta

from app.models import CommentStatus, utcnow
from tests.factories import make_comment


def test_threads_come_nested_with_what_readers_may_see(client, make_article, make_user):
    article = make_article()
    author = make_user("robin", role="professional", verified=True)
    now = utcnow()
    top = make_comment(article, author, "**Top**", created_at=now - timedelta(hours=2))
    gone = make_comment(
        article,
        make_user("sam"),
        "Secret",
        parent=top,
        status=CommentStatus.DELETED,
        created_at=now - timedelta(hours=1),
    )
    under = make_comment(article, author, "Under a deleted one", parent=gone)
    make_comment(article, author, "Pending", status=CommentStatus.PENDING)

    response = client.get(f"/api/v1/articles/{article.slug}/comments")

    assert response.status_code == 200
    data = response.get_json()
    assert (data["page"], data["pages"], data["total"]) == (1, 1, 1)
    [item] = data["items"]
    assert item["id"] == top.id and item["parent_id"] is None
    assert item["author"] == {"username": "robin"}
    assert item["badge"] == "Verified professional"
    assert item["body_html"] == "<p><strong>Top</strong></p>\n"
    assert item["status"] == "published" and item["featured"] is False
    assert item["created_at"].endswith("Z") and item["edited_at"] is None
    [placeholder] = item["replies"]
    assert placeholder["id"] == gone.id and placeholder["status"] == "deleted"
    assert placeholder["author"] is None and placeholder["body_html"] is None
    assert [r["id"] for r in placeholder["replies"]] == [under.id]
    assert "Secret" not in response.get_data(as_text=True)
    assert "Pending" not in response.get_data(as_text=True)


def test_sort_and_pages(client, make_article, make_user):
    article = make_article()
    author = make_user()
    now = utcnow()
    ids = [
        make_comment(article, author, f"c{i}", created_at=now - timedelta(hours=5 - i)).id
        for i in range(5)
    ]
    url = f"/api/v1/articles/{article.slug}/comments"

    newest = client.get(f"{url}?sort=newest&per_page=2&page=2").get_json()

    assert [item["id"] for item in newest["items"]] == [ids[2], ids[1]]
    assert (newest["page"], newest["pages"], newest["total"]) == (2, 3, 5)
    assert client.get(f"{url}?page=9").get_json()["items"] == []


def test_a_reader_takes_the_whole_discussion_in_pages_of_up_to_1000_threads(
    client, make_article, make_user
):
    article = make_article()
    authors = [make_user(f"member{i}") for i in range(3)]
    tops = [make_comment(article, authors[i % 3], f"thread {i}") for i in range(30)]
    make_comment(article, authors[1], "a reply", parent=tops[-1])
    url = f"/api/v1/articles/{article.slug}/comments"

    data = client.get(f"{url}?per_page=1000").get_json()

    assert (data["pages"], data["total"], len(data["items"])) == (1, 30, 30)
    assert [item["author"]["username"] for item in data["items"][:4]] == [
        "member0",
        "member1",
        "member2",
        "member0",
    ]
    assert data["items"][-1]["replies"][0]["author"] == {"username": "member1"}


def test_errors_are_json(client, make_article):
    article = make_article()
    url = f"/api/v1/articles/{article.slug}/comments"
    missing = client.get("/api/v1/articles/no-such-article/comments")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404
    for bad in ("sort=loudest", "page=0", "page=x", "per_page=1001"):
        response = client.get(f"{url}?{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["message"]


def test_the_openapi_document_describes_the_comments_route(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/articles/{slug}/comments"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"slug", "sort", "page", "per_page"}
    assert "Comment" in document["components"]["schemas"]


def test_empty_arguments_are_refused_like_any_other_value_not_listed(client, make_article):
    # The document gives `sort` as one of three words and the pages as integers: an empty
    # value is none of them, so it is refused rather than read as the default.
    url = f"/api/v1/articles/{make_article().slug}/comments"
    for empty in ("sort=", "page=", "per_page="):
        response = client.get(f"{url}?{empty}")
        assert response.status_code == 400, empty
        assert empty.rstrip("=") in response.get_json()["error"]["message"]


def test_the_document_gives_the_last_page_number_the_route_accepts(client, make_article):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/articles/{slug}/comments"]["get"]
    [page] = [p for p in operation["parameters"] if p["name"] == "page"]
    largest = page["schema"]["maximum"]
    url = f"/api/v1/articles/{make_article().slug}/comments"

    assert client.get(f"{url}?page={largest}").get_json()["items"] == []
    too_far = client.get(f"{url}?page={largest + 1}")
    assert too_far.status_code == 400
    assert f"{largest:,}" in too_far.get_json()["error"]["message"]
