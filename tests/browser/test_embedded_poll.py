"""A partner site on another origin frames the poll with the oEmbed iframe; a reader votes in it."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import ResultsVisibility, Vote
from app.services.articles.embedding import set_embed_origins
from app.services.polls.voting import cast_vote
from app.voters import new_voter_token
from tests.browser.conftest import DESKTOP, SCREENSHOTS
from tests.servers import free_port

QUESTION = "Would you accept a friend request from your therapist?"


@contextmanager
def partner_site(body: str, port: int | None = None):
    """A page at http://localhost:<port>: another site than the app at 127.0.0.1."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            content = (
                "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                "<title>Riverside Counselling Association</title></head><body>"
                "<h1>Riverside Counselling Association</h1>"
                f"<p>What our members think, in a poll from a partner:</p>{body}</body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args):
            pass

    port = port or free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def votes() -> int:
    db.session.rollback()  # see what the server committed
    return db.session.scalar(select(func.count(Vote.id)))


@pytest.fixture
def reader(browser):
    context = browser.new_context(viewport={**DESKTOP, "height": 1000})
    yield context.new_page()
    context.close()


def test_a_reader_votes_in_the_poll_framed_by_a_partner_site(
    reader, live_server, fresh_page_cache, make_article
):
    article = make_article(
        "Would you friend your therapist?",
        poll_question=QUESTION,
        poll_options=("Yes", "No", "Only after therapy ends"),
        allow_anonymous=True,
        results_visibility=ResultsVisibility.AFTER_VOTE,
    )
    others = {"Yes": 6, "No": 5, "Only after therapy ends": 5}
    for option in article.poll.options:
        for _ in range(others[option.label]):
            cast_vote(article.poll, [option.id], voter_token=new_voter_token(), role="reader")
    article_url = f"{live_server}/articles/{article.slug}"
    port = free_port()
    set_embed_origins(article, [f"http://localhost:{port}"])
    db.session.commit()
    answer = requests.get(f"{live_server}/oembed", params={"url": article_url}, timeout=30)
    assert answer.status_code == 200, answer.text
    iframe = answer.json()["html"]  # what the partner's system pastes into its page

    with partner_site(iframe, port) as partner_url:
        reader.goto(partner_url)
        frame = reader.frame_locator("iframe")
        expect(frame.get_by_role("heading", name=QUESTION)).to_be_visible()
        expect(frame.get_by_text("Results appear once you have voted")).to_be_visible()

        frame.get_by_label("Only after therapy ends").check()
        frame.get_by_label("Neither").check()
        frame.get_by_role("button", name="Vote").click()

        expect(frame.get_by_text("Thank you: your vote is counted.")).to_be_visible()
        expect(frame.get_by_text("You voted:")).to_contain_text("Only after therapy ends")
        expect(frame.get_by_text("17 voters")).to_be_visible()
        expect(frame.locator(".results li").last).to_contain_text("Only after therapy ends 35%")
        assert reader.url == partner_url + "/"  # the partner's page stayed; the frame voted
        assert votes() == 17
        # Nothing was stored in the browser: blocking third-party cookies changes nothing.
        assert reader.context.cookies() == []
        SCREENSHOTS.mkdir(exist_ok=True)
        reader.screenshot(path=str(SCREENSHOTS / "embedded-poll-on-a-partner-site.png"))

        # The discussion opens on the site itself, in a window of its own.
        with reader.expect_popup() as opened:
            frame.get_by_role("link", name="Join the discussion").click()
        discussion = opened.value
        discussion.wait_for_load_state()
        assert discussion.url == f"{article_url}#discussion"
        discussion.close()


def test_a_site_that_is_not_listed_cannot_frame_the_poll(
    reader, live_server, fresh_page_cache, make_article
):
    article = make_article(poll_question=QUESTION, allow_anonymous=True)
    set_embed_origins(article, ["https://counselling.example.org"])
    db.session.commit()
    iframe = (
        f'<iframe src="{live_server}/embed/polls/{article.poll.id}" width="480" height="500" '
        'title="Poll"></iframe>'
    )
    with partner_site(iframe) as unlisted:
        reader.goto(unlisted)
        reader.wait_for_load_state("load")
        [framed] = [frame for frame in reader.frames if frame != reader.main_frame]
        # Chromium refused to show it (frame-ancestors): an error page stands in its place.
        assert not framed.url.startswith(live_server)
        expect(reader.frame_locator("iframe").get_by_role("heading", name=QUESTION)).to_have_count(
            0
        )
