"""Static files: one stylesheet and one script of our own per page, named by their content,
cached for a year; and an article page that stays small on the wire."""

import gzip
import re
import secrets
from pathlib import Path

import brotli
import pytest

from app import assets
from app.demo.content import load_articles
from app.extensions import db
from app.models import StaffLevel
from app.services.polls.voting import cast_vote
from tests.factories import make_comment, make_user

OWN_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+)"')
OWN_SCRIPT = re.compile(r'<script src="(/static/[^"]+)"')
ANY_STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
HASHED = re.compile(r"/static/dist/[\w/.-]+\.[0-9a-f]{10}\.\w+")
ARTICLE_BUDGET = 30 * 1024


def own_files(html: str) -> tuple[list[str], list[str]]:
    return OWN_STYLESHEET.findall(html), OWN_SCRIPT.findall(html)


@pytest.fixture
def site(client, make_article, member_at):
    """A page of every kind, as an anonymous reader, a member, a moderator and an editor see it."""
    article = make_article(poll_question="Would you?", allow_anonymous=True)
    reader = make_user("reader_one")
    comment = make_comment(article, reader, "A first thought.")
    member = member_at("member_one")
    moderator = member_at("moderator_one", staff=StaffLevel.MODERATOR)
    editor = member_at("editor_one", staff=StaffLevel.EDITOR)
    anonymous = [
        "/",
        "/articles",
        f"/articles/{article.slug}",
        f"/authors/{article.author.slug}",
        "/search?q=therapist",
        "/insights/",
        f"/insights/polls/{article.poll.id}",
        f"/comments/{comment.id}",
        f"/polls/{article.poll.id}/panel",
        "/account/login",
        "/account/register",
        "/account/reset",
        "/no-such-page",
    ]
    return {
        client: anonymous,
        member.client: [
            f"/articles/{article.slug}",
            f"/comments/{comment.id}/reply",
            "/account/settings",
            "/account/sessions",
            "/account/password",
            "/account/delete",
            "/inbox/",
        ],
        moderator.client: [
            "/moderation/queue/pending",
            "/moderation/log",
            "/moderation/members",
            "/moderation/words",
        ],
        editor.client: ["/editor/", "/editor/articles/new", "/editor/authors"],
    }


def test_every_kind_of_page_loads_one_stylesheet_and_one_script_of_our_own(site):
    seen = 0
    for client, urls in site.items():
        for url in urls:
            response = client.get(url)
            html = response.get_data(as_text=True)
            assert response.status_code in (200, 404), f"{url} answered {response.status_code}"
            if url.endswith("/panel"):  # a fragment the voting script swaps in: no links at all
                assert ANY_STATIC.findall(html) == [], url
                continue
            stylesheets, scripts = own_files(html)
            assert len(stylesheets) == 1 and len(scripts) == 1, (url, stylesheets, scripts)
            for link in ANY_STATIC.findall(html):
                assert HASHED.fullmatch(link), f"{url} links {link} without a content hash"
            seen += 1
    assert seen == 26


def test_hashed_files_are_cached_for_a_year_and_compressed(client):
    html = client.get("/").get_data(as_text=True)
    (stylesheet,), (script,) = own_files(html)
    source = Path(client.application.static_folder)

    css = client.get(stylesheet, headers={"Accept-Encoding": "br, gzip"})
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in css.headers["Vary"]
    text = brotli.decompress(css.get_data()).decode()
    for part in assets.BUNDLES["site.css"]:
        assert (source / part).read_text().strip() in text, part

    js = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert js.headers["Content-Encoding"] == "gzip"
    assert js.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "window.confirm" in gzip.decompress(js.get_data()).decode()

    plain = client.get(script)
    assert "Content-Encoding" not in plain.headers
    assert plain.get_data(as_text=True) == gzip.decompress(js.get_data()).decode()

    again = client.get(
        stylesheet, headers={"Accept-Encoding": "br", "If-None-Match": css.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_name_from_an_older_deployment_is_not_found_and_sources_stay_uncached(client):
    assert client.get("/static/dist/site.0123456789.css").status_code == 404
    source = client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert source.status_code == 200
    assert source.headers["Cache-Control"] == "no-cache"
    assert gzip.decompress(source.get_data()).startswith(b"/*")
    assert client.get("/static/css/no-such.css").status_code == 404
    assert client.get("/static/%2e%2e/config.py").status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path):
    for part in (*assets.BUNDLES["site.css"], *assets.BUNDLES["site.js"]):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part).write_text(f"/* {part} */\n")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.svg").write_text("<svg/>")
    before = assets.build(tmp_path)

    (tmp_path / "css" / "comments.css").write_text(".comment { color: red; }\n")
    after = assets.build(tmp_path)

    assert after["site.css"].path != before["site.css"].path
    assert after["site.js"].path == before["site.js"].path
    assert after["img/logo.svg"].path == before["img/logo.svg"].path
    assert re.fullmatch(r"dist/img/logo\.[0-9a-f]{10}\.svg", after["img/logo.svg"].path)
    assert "css/comments.css" not in after  # reached through the bundle only


def test_build_assets_writes_every_hashed_file_with_its_compressed_copies(app, runner, tmp_path):
    app.static_folder = str(tmp_path)
    app.extensions["assets"] = assets.build(Path(__file__).resolve().parents[2] / "static")

    result = runner.invoke(args=["build-assets"])

    assert result.exit_code == 0, result.output
    css = app.extensions["assets"]["site.css"]
    written = tmp_path / css.path
    assert written.read_bytes() == css.content
    assert gzip.decompress((tmp_path / (css.path + ".gz")).read_bytes()) == css.content
    assert brotli.decompress((tmp_path / (css.path + ".br")).read_bytes()) == css.content
    assert css.path in result.output


def test_the_article_page_without_comments_stays_under_30_kb_compressed(client, make_article):
    """The longest demo article, its poll with results broken down by group, and our CSS and JS."""
    longest = max(load_articles(), key=lambda demo: len(demo.body))
    article = make_article(
        longest.title,
        body=longest.body,
        summary=longest.summary,
        poll_question="Would you accept a friend request from your therapist?",
        poll_options=("Yes", "Only after therapy ends", "No", "It depends on the therapist"),
        allow_anonymous=True,
    )
    for number in range(60):
        option = article.poll.options[number % 4]
        role = ("client", "professional", "reader")[number % 3]
        cast_vote(article.poll, [option.id], voter_token=secrets.token_urlsafe(12), role=role)
    db.session.commit()

    page = client.get(f"/articles/{article.slug}", headers={"Accept-Encoding": "gzip"})
    html = gzip.decompress(page.get_data()).decode()
    assert "Only after therapy ends" in html and "60 voters" in html
    stylesheets, scripts = own_files(html)
    weights = {"page": len(page.get_data())}
    for url in stylesheets + scripts:
        weights[url] = len(client.get(url, headers={"Accept-Encoding": "gzip"}).get_data())

    assert sum(weights.values()) < ARTICLE_BUDGET, weights
