"""Pages and JSON leave compressed when the client accepts it, and caches keep encodings apart."""

import pytest

from tests.functional.conftest import decoded_body


def decoded(response) -> str:
    return decoded_body(response).decode()


@pytest.mark.parametrize(("accepted", "expected"), [("gzip, deflate, br", "br"), ("gzip", "gzip")])
def test_pages_are_compressed_with_the_best_encoding_the_client_accepts(
    client, make_article, accepted, expected
):
    article = make_article("Would you friend your therapist?")

    page = client.get(f"/articles/{article.slug}", headers={"Accept-Encoding": accepted})

    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == expected
    assert "Accept-Encoding" in page.headers["Vary"]
    assert int(page.headers["Content-Length"]) == len(page.get_data())
    html = decoded(page)
    assert "Would you friend your therapist?" in html
    assert len(page.get_data()) < len(html.encode()) / 2


def test_a_client_that_accepts_no_encoding_gets_plain_html_and_the_same_vary(client, make_article):
    make_article("Gifts at the last session")

    page = client.get("/", headers={"Accept-Encoding": "identity"})

    assert "Content-Encoding" not in page.headers
    assert "Gifts at the last session" in page.get_data(as_text=True)
    assert "Accept-Encoding" in page.headers["Vary"]


def test_api_json_is_compressed(client, make_article):
    for number in range(5):
        make_article(f"Question number {number} about a boundary")

    response = client.get("/api/v1/articles", headers={"Accept-Encoding": "br"})

    assert response.headers["Content-Encoding"] == "br"
    assert response.mimetype == "application/json"
    assert "Question number 4 about a boundary" in decoded(response)


def test_feed_is_compressed(client, make_article):
    for number in range(3):
        make_article(f"Feed entry {number}")

    feed = client.get("/feed.atom", headers={"Accept-Encoding": "gzip"})

    assert feed.headers["Content-Encoding"] == "gzip"
    assert "Feed entry 2" in decoded(feed)
