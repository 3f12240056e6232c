"""Links that leave the site come from BASE_URL, and proxy headers count only behind proxies."""

import logging
import re

import pytest

from app import create_app
from config import ProductionConfig, TestingConfig

BASE = "https://boundaries.example.org"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}


@pytest.fixture
def canonical(app):
    app.config["BASE_URL"] = BASE
    return BASE


def test_a_reset_link_ignores_forged_host_headers(app, client, forms, make_user, caplog, canonical):
    make_user("steadyoak", email="oak@example.org")
    caplog.set_level(logging.INFO)
    page = client.get("/account/reset").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    # The session cookie belongs to the real host, so the forgery travels in proxy headers.
    response = client.post(
        "/account/reset",
        data={"csrf_token": token, "identifier": "steadyoak"},
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
    )
    assert response.status_code == 302

    mail = "\n".join(record.getMessage() for record in caplog.records)
    assert f"{BASE}/account/reset/" in mail
    assert "evil.example" not in mail


def test_feeds_sitemap_and_page_metadata_use_the_canonical_address(client, make_article, canonical):
    article = make_article(title="Would you friend your therapist?")
    for path in ("/feed.atom", "/sitemap.xml", "/robots.txt", f"/articles/{article.slug}"):
        body = client.get(path, headers=FORGED).get_data(as_text=True)
        assert f"{BASE}/" in body, path
        assert "evil.example" not in body, path


def _address_app(database_url, hops):
    config = type(
        "Config",
        (TestingConfig,),
        {"SQLALCHEMY_DATABASE_URI": database_url, "PROXY_HOPS": hops},
    )
    app = create_app(config)

    @app.get("/_test/address")
    def address():
        from flask import request

        return request.remote_addr or ""

    return app


@pytest.mark.parametrize(
    ("hops", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.7")]
)
def test_forwarded_addresses_count_only_for_the_configured_proxies(database_url, hops, seen):
    client = _address_app(database_url, hops).test_client()
    response = client.get(
        "/_test/address",
        headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.get_data(as_text=True) == seen


def test_production_refuses_to_start_without_a_base_url(monkeypatch):
    config = type("Config", (ProductionConfig,), {"SECRET_KEY": "s", "BASE_URL": None})
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(config)
