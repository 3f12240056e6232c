"""Only paths on this site are followed after logging in."""

import pytest

from app.accounts.redirects import safe_next_url


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/articles/would-you-friend-your-therapist",
        "/articles/x?sort=newest#c12",
        "/search?q=boundaries",
        "/articles/x?",
    ],
)
def test_local_paths_are_kept(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "http://evil.example",
        "//evil.example",
        "//evil.example/account/login",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        "articles/relative",
        "https:/evil.example",
        "///evil.example",
    ],
)
def test_other_sites_and_odd_urls_are_refused(target):
    assert safe_next_url(target) is None
