"""Pages kept for anonymous readers are kept compressed too: a hit costs no compression.

A browser asks for Brotli or gzip; it gets the copy compressed when the page was kept, with an
ETag of its own, and a 304 when it already holds that copy. What changes the page renews
every copy.
"""

import gzip

import brotli
import pytest

from app.extensions import db
from app.models import ResultsVisibility
from tests.conftest import csrf_token
from tests.functional.conftest import decoded_body

ENCODINGS = ("br", "gzip")


@pytest.fixture
def site(app, make_article):
    """An article with an anonymous poll whose results everyone sees."""
    article = make_article(
        "Would you friend your therapist?",
        slug="friend-your-therapist",
        poll_question="Would you accept the request?",
        poll_options=("Yes", "No"),
        allow_anonymous=True,
        results_visibility=ResultsVisibility.ALWAYS,
    )
    db.session.commit()
    return article


@pytest.fixture
def compressions(monkeypatch):
    """How many bodies were compressed, by encoding, by the app or by Flask-Compress."""
    counts = dict.fromkeys(ENCODINGS, 0)

    def counting(encoding, compress):
        def compress_and_count(*args, **kwargs):
            counts[encoding] += 1
            return compress(*args, **kwargs)

        return compress_and_count

    monkeypatch.setattr(brotli, "compress", counting("br", brotli.compress))
    monkeypatch.setattr(gzip, "compress", counting("gzip", gzip.compress))
    return counts


def page_of(article):
    return f"/articles/{article.slug}"


def fetch(client, url, accepted, **headers):
    return client.get(url, headers={"Accept-Encoding": accepted, **headers})


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_browser_gets_the_page_compressed_as_it_accepts(client, site, encoding):
    plain = fetch(client, page_of(site), "identity")
    assert "Content-Encoding" not in plain.headers

    page = fetch(client, page_of(site), encoding)

    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == encoding
    assert int(page.headers["Content-Length"]) == len(page.get_data())
    assert len(page.get_data()) < len(plain.get_data()) / 2
    assert decoded_body(page) == plain.get_data()
    assert "Would you accept the request?" in decoded_body(page).decode()
    assert page.headers["Cache-Control"].startswith("public")
    assert {"Cookie", "Accept-Encoding"} <= {
        name.strip() for name in page.headers["Vary"].split(",")
    }
    # Each copy is its own representation, with a strong validator of its own.
    assert page.headers["ETag"] == plain.headers["ETag"][:-1] + f':{encoding}"'
    assert not page.headers["ETag"].startswith("W/")


def test_a_browser_offering_several_encodings_gets_brotli(client, site):
    page = fetch(client, page_of(site), "gzip, deflate, br, zstd")
    assert page.headers["Content-Encoding"] == "br"
    assert "Would you accept the request?" in decoded_body(page).decode()


def test_later_readers_get_the_copies_kept_without_compressing_again(client, site, compressions):
    firsts = {encoding: fetch(client, page_of(site), encoding) for encoding in ENCODINGS}
    # Rendered once, and compressed then, once in each encoding.
    assert compressions == {"br": 1, "gzip": 1}

    for _ in range(3):
        for encoding in ENCODINGS:
            again = fetch(client, page_of(site), encoding)
            assert again.headers["Content-Encoding"] == encoding
            assert again.get_data() == firsts[encoding].get_data()
            assert again.headers["ETag"] == firsts[encoding].headers["ETag"]
        assert "Content-Encoding" not in fetch(client, page_of(site), "identity").headers
    assert compressions == {"br": 1, "gzip": 1}


def test_a_reader_who_holds_the_compressed_page_gets_304_until_it_changes(
    client, site, member_at, compressions
):
    first = fetch(client, page_of(site), "br")
    etag = first.headers["ETag"]

    again = fetch(client, page_of(site), "br", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"].startswith("public")
    assert "Content-Length" not in again.headers
    # The same page in another encoding is another representation: sent whole.
    other = fetch(client, page_of(site), "gzip", **{"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "gzip"
    assert compressions == {"br": 1, "gzip": 1}

    member_at("robin").submit(
        page_of(site), {"body": "A new point of view."}, f"/articles/{site.slug}/comments"
    )
    changed = fetch(client, page_of(site), "br", **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "A new point of view." in decoded_body(changed).decode()


def test_a_new_comment_renews_every_encoding(client, site, member_at, compressions):
    before = {
        encoding: fetch(client, page_of(site), encoding) for encoding in (*ENCODINGS, "identity")
    }
    for page in before.values():
        assert "Boundaries protect both sides." not in decoded_body(page).decode()

    response = member_at("robin").submit(
        page_of(site), {"body": "Boundaries protect both sides."}, f"/articles/{site.slug}/comments"
    )
    assert response.status_code == 302
    counted = dict(compressions)

    for encoding, old in before.items():
        page = fetch(client, page_of(site), encoding)
        assert page.headers.get("Content-Encoding", "identity") == encoding
        assert "Boundaries protect both sides." in decoded_body(page).decode(), encoding
        assert page.headers["ETag"] != old.headers["ETag"]
    # The new page was compressed once in each encoding, when it was kept.
    assert compressions == {encoding: counted[encoding] + 1 for encoding in ENCODINGS}


def test_a_members_page_is_their_own_compressed_for_them(client, site, member_at):
    fetch(client, page_of(site), "br")  # the anonymous copies are kept

    robin = member_at("robin").client
    page = fetch(robin, page_of(site), "br")

    html = decoded_body(page).decode()
    assert page.headers["Content-Encoding"] == "br"
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert "robin" in html and "Post comment" in html and "Log in</a>" not in html
    assert csrf_token(html)  # their own token, put in for this request


def test_a_feed_is_kept_compressed_too(client, make_article, compressions):
    for number in range(3):
        make_article(f"Feed entry {number}")

    first = fetch(client, "/feed.atom", "gzip")
    again = fetch(client, "/feed.atom", "gzip")

    assert again.headers["Content-Encoding"] == "gzip"
    assert again.mimetype == "application/atom+xml"
    assert "Feed entry 2" in decoded_body(again).decode()
    assert again.get_data() == first.get_data()
    assert compressions["gzip"] == 1
