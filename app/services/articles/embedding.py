"""The partner sites that may embed an article's poll: their origins, checked and kept.

An origin is what a browser compares before it lets a page frame ours: a scheme, a host and
a port, nothing else. Each one listed goes into the embed page's Content-Security-Policy
(`frame-ancestors`), so what is kept here is checked strictly: https only, except plain http
for this computer (localhost, 127.0.0.1, [::1]) while a partner builds their page; no paths,
no user names, and no wildcards: `https://*.example.org` would let every subdomain frame the
poll, including ones the partner hands to others (blogs, customer pages), so each site is
listed by name.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Article, EmbedOrigin, Poll
from app.models.articles import MAX_ORIGIN_LENGTH
from app.services.articles import ArticleError

FIELD = "embed_origins"
MAX_EMBED_ORIGINS = 20
DEFAULT_PORTS = {"https": 443, "http": 80}
LOCAL_NAMES = frozenset({"localhost"})
# What an origin may contain once an international name is in its ASCII (xn--) form.
ORIGIN_CHARACTERS = re.compile(r"^[A-Za-z0-9.:/@\[\]-]+$")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
EXAMPLE = "https://www.example.org"


def parse_origins(lines: list[str]) -> list[str]:
    """The origins written one per line, each as a browser writes it; duplicates once.

    ArticleError names the first line that is not an origin, and why.
    """
    origins = list(dict.fromkeys(parse_origin(line) for line in lines if line.strip()))
    if len(origins) > MAX_EMBED_ORIGINS:
        raise ArticleError(_("List at most %(most)s sites.", most=MAX_EMBED_ORIGINS), FIELD)
    return origins


def parse_origin(text: str) -> str:
    """`https://host[:port]`, lower-case and without the default port, from what was typed."""
    text = text.strip()
    if "*" in text:
        _refuse(
            text,
            _(
                "Wildcards are not allowed, because they would let every matching site frame "
                "the poll: list each site, such as %(example)s.",
                example=EXAMPLE,
            ),
        )
    scheme, rest = _scheme(text)
    try:
        ascii_text = f"{scheme}://{_ascii_host_part(rest)}"
    except UnicodeError:
        _refuse(text, _("The site's name is not a valid domain name."))
    if not ORIGIN_CHARACTERS.match(ascii_text) or len(ascii_text) > MAX_ORIGIN_LENGTH:
        _refuse(text, _("Give only the site's address, such as %(example)s.", example=EXAMPLE))
    try:
        parts = urlsplit(ascii_text)
    except ValueError:
        _refuse(text, _("The address in brackets is not an IPv6 address."))
    if parts.path not in ("", "/") or "?" in text or "#" in text:
        _refuse(
            text,
            _(
                "Give the site without a path, such as %(example)s, not a page on it.",
                example=EXAMPLE,
            ),
        )
    host = _host(text, parts)
    port = _port(text, parts)
    if scheme == "http" and not _is_this_computer(host):
        _refuse(text, _("Use https://; plain http:// is only for a site on this computer."))
    shown_host = f"[{host}]" if ":" in host else host
    shown_port = f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{shown_host}{shown_port}"


def _scheme(text: str) -> tuple[str, str]:
    scheme, separator, rest = text.partition("://")
    if not separator:
        _refuse(text, _("Start with https://, as in %(example)s.", example=EXAMPLE))
    if scheme.lower() not in DEFAULT_PORTS:
        _refuse(text, _("Use https:// (or http:// for a site on this computer, http://localhost)."))
    return scheme.lower(), rest


def _port(text: str, parts) -> int | None:
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        _refuse(text, _("The port must be a number from 1 to 65535."))
    return port


def _refuse(text: str, why: str):
    shown = text if len(text) <= 80 else text[:77] + "…"
    raise ArticleError(f"“{shown}”: {why}", FIELD)


def _ascii_host_part(rest: str) -> str:
    """The text after the scheme, with an international host name in its xn-- form."""
    host_end = len(rest)
    for stop in "/?#":
        if stop in rest:
            host_end = min(host_end, rest.index(stop))
    authority, tail = rest[:host_end], rest[host_end:]
    if authority.isascii() or "@" in authority or authority.startswith("["):
        return rest
    name, colon, port = authority.rpartition(":") if ":" in authority else (authority, "", "")
    return name.encode("idna").decode("ascii") + colon + port + tail


def _host(text: str, parts) -> str:
    if "@" in parts.netloc:
        _refuse(text, _("An origin has no user name or password."))
    host = parts.hostname or ""
    if not host:
        _refuse(
            text, _("Give the site's name after the scheme, as in %(example)s.", example=EXAMPLE)
        )
    if parts.netloc.startswith("["):
        try:
            return ipaddress.IPv6Address(host).compressed
        except ValueError:
            _refuse(text, _("The address in brackets is not an IPv6 address."))
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if not all(HOST_LABEL.match(label) for label in labels) or len(host) > 253:
        _refuse(text, _("The site's name is not a valid domain name."))
    if len(labels) < 2 and host not in LOCAL_NAMES:
        _refuse(text, _("Give the site's full name, such as %(example)s.", example=EXAMPLE))
    if labels[-1].isdigit():
        _refuse(text, _("The site's name is not a valid domain name or IPv4 address."))
    return ".".join(labels)


def _is_this_computer(host: str) -> bool:
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def set_embed_origins(article: Article, origins: list[str]) -> None:
    """Keep exactly `origins` (already parsed) as the sites that may embed the poll."""
    wanted = list(dict.fromkeys(origins))
    for row in [row for row in article.embed_origins if row.origin not in wanted]:
        article.embed_origins.remove(row)
    kept = {row.origin for row in article.embed_origins}
    article.embed_origins.extend(
        EmbedOrigin(origin=origin) for origin in wanted if origin not in kept
    )


def framing_origins(poll_id: int) -> list[str]:
    """The origins that may frame the embedded poll `poll_id`, in a stable order."""
    return list(
        db.session.scalars(
            select(EmbedOrigin.origin)
            .join(Poll, Poll.article_id == EmbedOrigin.article_id)
            .where(Poll.id == poll_id)
            .order_by(EmbedOrigin.origin)
        )
    )
