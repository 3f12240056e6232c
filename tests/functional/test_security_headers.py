"""Strict-Transport-Security in production, no-store on private pages, the strict CSP everywhere."""

import pytest

from app import create_app
from config import ProductionConfig

ONE_YEAR = 365 * 24 * 3600


def production_app(database_url, **settings):
    config = type(
        "Config",
        (ProductionConfig,),
        {
            "SECRET_KEY": "production-test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "BASE_URL": "https://boundaries.example",
            # Production needs Redis for its limits; these tests count in memory.
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "RATELIMIT_STORAGE_URI": "memory://",
            # Jobs run in the test's thread: a pool of this process would start the periodic
            # jobs on the test's database while the test goes on, and outlive it.
            "JOBS_BACKEND": "inline",
            **settings,
        },
    )
    return create_app(config)


def test_production_asks_browsers_to_use_https_for_a_year(app, client, database_url):
    response = production_app(database_url).test_client().get("/robots.txt")

    assert response.headers["Strict-Transport-Security"] == (
        f"max-age={ONE_YEAR}; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/robots.txt").headers


def test_subdomains_and_preload_are_settings(app, database_url):
    client = production_app(
        database_url, HSTS_INCLUDE_SUBDOMAINS=False, HSTS_PRELOAD=True
    ).test_client()

    assert client.get("/robots.txt").headers["Strict-Transport-Security"] == (
        f"max-age={ONE_YEAR}; preload"
    )


@pytest.fixture
def staff(make_user, forms):
    make_user("ada_admin", staff="admin", email="ada@example.org")
    forms.login("ada_admin")


PRIVATE_PAGES = (
    "/inbox/",
    "/account/settings",
    "/account/password",
    "/account/verification",
    "/moderation/queue/pending",
    "/moderation/members",
    "/editor/",
    "/editor/articles/new",
)


def test_private_pages_are_never_stored_and_public_ones_may_be(client, staff, forms, make_article):
    for url in PRIVATE_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], url
    export = forms.submit("/account/settings", {}, action_url="/account/export")
    assert export.status_code == 200
    assert export.headers["Cache-Control"] == "no-store"

    article = make_article(slug="friend-your-therapist")
    for url in ("/", f"/articles/{article.slug}", "/feed.atom"):
        response = client.get(url)
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], url
