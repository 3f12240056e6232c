"""Origins editors list for embedding are kept as browsers write them, or refused with a reason."""

import pytest

from app.services.articles import ArticleError
from app.services.articles.embedding import MAX_EMBED_ORIGINS, parse_origin, parse_origins


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://Partner.Example.org", "https://partner.example.org"),
        ("  https://partner.example.org/  ", "https://partner.example.org"),
        ("https://partner.example.org:443", "https://partner.example.org"),
        ("https://partner.example.org:8443", "https://partner.example.org:8443"),
        ("HTTPS://bücher.example", "https://xn--bcher-kva.example"),
        ("https://203.0.113.7", "https://203.0.113.7"),
        ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.2:5001", "http://127.0.0.2:5001"),
        ("http://[::1]:80", "http://[::1]"),
    ],
)
def test_an_origin_is_kept_as_a_browser_writes_it(typed, kept):
    assert parse_origin(typed) == kept


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("https://*.example.org", "Wildcards are not allowed"),
        ("*", "Wildcards are not allowed"),
        ("'self'", "Start with https://"),
        ("partner.example.org", "Start with https://"),
        ("javascript://partner.example.org", "Use https://"),
        ("http://partner.example.org", "plain http:// is only for a site on this computer"),
        ("http://10.0.0.5", "plain http:// is only for a site on this computer"),
        ("https://partner.example.org/embed", "without a path"),
        ("https://partner.example.org?ref=1", "give only the site's address"),
        ("https://partner.example.org#poll", "give only the site's address"),
        ("https://partner.example.org https://other.example.org", "give only the site's address"),
        ("https://partner.example.org;frame-src *", "Wildcards are not allowed"),
        ("https://partner.example.org,https://x.org", "give only the site's address"),
        ("https://ann:secret@partner.example.org", "no user name or password"),
        ("https://partner.example.org:0", "from 1 to 65535"),
        ("https://partner.example.org:65536", "from 1 to 65535"),
        ("https://partner", "the site's full name"),
        ("https://-partner.example.org", "not a valid domain name"),
        ("https://300.1.1.1", "not a valid domain name or IPv4 address"),
        ("https://[not-ipv6]", "not an IPv6 address"),
        ("https://", "give the site's name"),
    ],
)
def test_what_is_not_an_origin_is_refused_with_the_reason(typed, reason):
    with pytest.raises(ArticleError) as refused:
        parse_origin(typed)
    assert refused.value.field == "embed_origins"
    assert reason.lower() in refused.value.message.lower()
    assert refused.value.message.startswith(f"“{typed.strip()[:77]}")


def test_a_list_skips_blank_lines_keeps_each_origin_once_and_has_a_limit():
    typed = ["https://a.example.org", "", "https://A.example.org/", "http://localhost:3000"]
    assert parse_origins(typed) == ["https://a.example.org", "http://localhost:3000"]
    too_many = [f"https://site{n}.example.org" for n in range(MAX_EMBED_ORIGINS + 1)]
    with pytest.raises(ArticleError, match=f"at most {MAX_EMBED_ORIGINS} sites"):
        parse_origins(too_many)
