"""The frame every page shares: header and navigation, security headers, error pages."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import abort
from sqlalchemy import text

from app.extensions import db
from app.models import utcnow
from app.models.notifications import Notification, NotificationKind
from app.services.accounts import sessions
from app.templating import pluralize, time_ago, time_tag

CSRF_META = re.compile(r'<meta name="csrf-token" content="[^"]{20,}"')
# Pages for anonymous readers start no session: site.js fetches the token when a form is used.
DEFERRED_CSRF_META = '<meta name="csrf-token" content="" data-token-url="/csrf-token">'
SITE_CSS_LINK = re.compile(r'<link rel="stylesheet" href="/static/dist/site\.[0-9a-f]{10}\.css">')


def log_in_as(client, user):
    """Start a session for `user` directly: these tests are about the frame, not the form."""
    token = sessions.start_session(user.id, "pytest")
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


@pytest.fixture
def failing_app(app):
    """The app with routes that fail, and errors handled as in production."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("the view broke")

    def broken_query():
        db.session.execute(text("SELECT * FROM no_such_table"))
        return "unreachable"

    def forbidden():
        abort(403, "Only moderators can see this queue.")

    def accept_post():
        return "accepted"

    app.add_url_rule("/test-explodes", "test_explodes", explode)
    app.add_url_rule("/test-broken-query", "test_broken_query", broken_query)
    app.add_url_rule("/api/v1/test-explodes", "test_api_explodes", explode)
    app.add_url_rule("/test-forbidden", "test_forbidden", forbidden)
    app.add_url_rule("/test-form", "test_form", accept_post, methods=["POST"])
    return app


def test_pages_carry_csrf_meta_and_the_site_frame(client, make_article):
    article = make_article("Would you friend your therapist on Facebook?")
    for url in [
        "/",
        "/articles",
        f"/articles/{article.slug}",
        "/search?q=therapist",
        "/no-such-page",
        # The accounts pages start a session, as their forms need it.
        "/account/login",
        "/account/register",
    ]:
        html = client.get(url).get_data(as_text=True)
        if url.startswith("/account/"):
            assert CSRF_META.search(html), url
        else:
            assert DEFERRED_CSRF_META in html, url
        assert '<a class="skip-link" href="#main">' in html, url
        assert 'id="main"' in html, url
        assert SITE_CSS_LINK.search(html), url


def test_security_headers_forbid_inline_code_and_framing(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_templates_use_no_inline_script_or_style(client, make_article):
    article = make_article()
    for url in ["/", f"/articles/{article.slug}", "/account/register", "/no-such-page"]:
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def test_visitor_sees_log_in_and_join(client):
    html = client.get("/articles").get_data(as_text=True)
    assert '<a href="/account/login?next=/articles">Log in</a>' in html
    html = client.get("/search?q=gift").get_data(as_text=True)
    assert '<a href="/account/login?next=/search?q%3Dgift">Log in</a>' in html
    assert '<a href="/account/register">Join</a>' in html
    assert '<a href="/insights/">Insights</a>' in html
    assert "Log out" not in html
    assert ">Inbox" not in html


def test_member_sees_their_name_inbox_and_log_out_form(client, make_user):
    member = make_user("quietfern")
    log_in_as(client, member)
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/account/settings" class="nav-user">quietfern</a>' in html
    assert '<a href="/inbox/">Inbox</a>' in html
    assert re.search(
        r'<form method="post" action="/account/logout" class="inline-form">\s*'
        r'<input type="hidden" name="csrf_token" value="[^"]+">\s*'
        r'<button type="submit" class="link-button">Log out</button>',
        html,
    )
    assert ">Log in</a>" not in html
    assert ">Editor</a>" not in html


def test_inbox_link_shows_the_unread_count(client, make_user):
    member = make_user("manyreplies")
    for _ in range(3):
        db.session.add(Notification(recipient_id=member.id, kind=NotificationKind.REPLY))
    db.session.add(
        Notification(recipient_id=member.id, kind=NotificationKind.REPLY, read_at=utcnow())
    )
    db.session.commit()
    log_in_as(client, member)
    html = client.get("/").get_data(as_text=True)
    assert re.search(
        r'Inbox <span class="nav-count">3<span class="visually-hidden"> unread</span></span>', html
    )


def test_editor_sees_the_editor_link(client, make_user):
    log_in_as(client, make_user("deskeditor", staff="editor"))
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/editor/">Editor</a>' in html


def test_moderator_does_not_see_the_editor_link(client, make_user):
    log_in_as(client, make_user("deskmoderator", staff="moderator"))
    assert ">Editor</a>" not in client.get("/").get_data(as_text=True)


def test_current_section_is_marked_in_the_navigation(client):
    html = client.get("/search").get_data(as_text=True)
    assert re.search(r'<a href="/search" aria-current="page">Search</a>', html)
    assert 'aria-current="page">Articles' not in html


def test_pages_have_canonical_link_and_opengraph_defaults(client):
    html = client.get("/articles?page=1").get_data(as_text=True)
    assert html.count('rel="canonical"') == 1
    assert '<link rel="canonical" href="http://localhost/articles">' in html
    assert '<meta property="og:site_name" content="Boundaries">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:url" content="http://localhost/articles">' in html


def test_article_page_overrides_the_opengraph_defaults_once(client, make_article):
    article = make_article("When a client brings a gift")
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    url = f"http://localhost/articles/{article.slug}"
    assert html.count('rel="canonical"') == 1
    assert f'<link rel="canonical" href="{url}">' in html
    assert html.count('property="og:type"') == 1
    assert '<meta property="og:type" content="article">' in html
    assert html.count('property="og:title"') == 1
    assert '<meta property="og:title" content="When a client brings a gift">' in html


def test_listing_pages_have_one_canonical_link(client, make_article):
    make_article()
    for url in ["/", "/articles", "/search"]:
        html = client.get(url).get_data(as_text=True)
        assert html.count('rel="canonical"') == 1, url


def test_unknown_url_gets_the_custom_404_page(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We couldn’t find that page" in html
    assert 'class="site-header"' in html
    assert 'role="search"' in html
    assert 'href="/">Go to the home page</a>' in html


def test_unknown_api_url_gets_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_exception_in_a_view_gets_the_custom_500_page(failing_app):
    response = failing_app.test_client().get("/test-explodes")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert SITE_CSS_LINK.search(html)
    assert "the view broke" not in html
    assert "Traceback" not in html


def test_500_page_renders_after_a_failed_query_for_a_logged_in_member(failing_app, make_user):
    client = failing_app.test_client()
    log_in_as(client, make_user("brokenquery"))
    response = client.get("/test-broken-query")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    # The session was rolled back: the next request works normally.
    assert client.get("/").status_code == 200


def test_exception_under_api_gets_json(failing_app):
    response = failing_app.test_client().get("/api/v1/test-explodes")
    assert response.status_code == 500
    assert response.get_json() == {
        "error": {"status": 500, "message": "Something went wrong on our side."}
    }


def test_forbidden_page_shows_heading_and_reason(failing_app):
    response = failing_app.test_client().get("/test-forbidden")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You don’t have access to this" in html
    assert "Only moderators can see this queue." in html
    assert 'class="site-header"' in html


def test_wrong_method_gets_a_friendly_405_page(failing_app):
    response = failing_app.test_client().get("/test-form")
    assert response.status_code == 405
    assert "That action isn’t available here" in response.get_data(as_text=True)


def test_missing_csrf_token_gives_a_clear_400_page(failing_app, make_user):
    client = failing_app.test_client()
    # Anonymous readers are asked to confirm instead (tests/functional/test_page_cache.py).
    log_in_as(client, make_user("tokenless"))
    response = client.post("/test-form", data={"comment": "hello"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That request didn’t work" in html
    assert "Your session expired or the form was tampered with" in html
    assert CSRF_META.search(html)


def test_valid_csrf_token_is_accepted(failing_app, make_user):
    client = failing_app.test_client()
    token = client.get("/csrf-token").get_json()["csrf_token"]
    assert client.post("/test-form", data={"csrf_token": token}).data == b"accepted"
    log_in_as(client, make_user("withtoken"))
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    assert client.post("/test-form", data={"csrf_token": token}).data == b"accepted"


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 comments"), (1, "1 comment"), (2, "2 comments"), (1200, "1,200 comments")],
)
def test_pluralize(count, expected):
    assert pluralize(count, "comment") == expected


def test_pluralize_irregular():
    assert pluralize(3, "reply", "replies") == "3 replies"


def test_time_ago_reads_naturally():
    now = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
    assert time_ago(now - timedelta(seconds=20), now) == "just now"
    assert time_ago(now - timedelta(minutes=1), now) == "1 minute ago"
    assert time_ago(now - timedelta(hours=5), now) == "5 hours ago"
    assert time_ago(now - timedelta(days=9), now) == "1 week ago"
    assert time_ago(now - timedelta(days=400), now) == "1 year ago"
    assert time_ago(now.replace(tzinfo=None) - timedelta(days=2), now) == "2 days ago"


def test_time_tag_is_machine_readable():
    moment = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
    assert str(time_tag(moment)) == (
        '<time datetime="2025-03-02T09:30:00+00:00" title="2 March 2025, 09:30 UTC">'
        "2 March 2025</time>"
    )
