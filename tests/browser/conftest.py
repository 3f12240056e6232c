"""Headless Chromium, driven by Playwright, against the app served by gunicorn."""

import os
import shutil
from pathlib import Path

import pytest
import redis

from tests.servers import running_redis, running_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # gunicorn serves the pages from its own connections: data must be committed.
            item.add_marker(pytest.mark.real_commits)


@pytest.fixture(scope="session")
def chromium_path():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    pytest.fail(f"Chromium is required for the browser tests but {CHROMIUM} is missing")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def page_cache_url():
    """One page cache for both workers and the tests, as Redis is in production."""
    with running_redis() as url:
        yield url


@pytest.fixture
def app_settings(page_cache_url):
    # What the tests write renews the pages the workers keep.
    return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": page_cache_url}


@pytest.fixture(scope="session")
def live_server(database_url, page_cache_url):
    # Every test logs in from the same address within minutes; the login limits have tests
    # of their own (tests/functional/test_limits.py).
    env = {
        "TEST_CACHE_REDIS_URL": page_cache_url,
        "LIMIT_LOGIN_PER_ADDRESS": "1000 per minute",
        "LIMIT_LOGIN_PER_ACCOUNT": "1000 per hour",
    }
    with running_server(database_url, workers=2, env=env) as base_url:
        yield base_url


@pytest.fixture
def fresh_page_cache(page_cache_url, app):
    """The page cache starts empty, as the database does: pages kept for the previous test's
    data, emptied by statements the page versions do not follow, must not reach this one."""
    redis.Redis.from_url(page_cache_url).flushdb()


@pytest.fixture
def page(browser, live_server, fresh_page_cache, app):
    """A fresh browser context per test; `app` empties the database afterwards."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name, viewport=None, full_page=True):
        if viewport:
            page.set_viewport_size(viewport)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
