"""Where kept pages live: the cache (Redis in production), and each process's recent bodies.

A page is kept under its audience, variation and address, together with the versions of what
it shows as they were read before it was rendered. Reading a page reads the current versions
in the same round trip; a page kept with other versions is stale and rendered again.

The body is kept apart, under its ETag (a hash of its bytes), and each process also holds the
bodies it served last (LOCAL_PAGE_BYTES in all): a body never changes under its hash, so a
page whose versions are current is served without its body crossing the network again.

A page for every anonymous reader is also kept compressed, once, in each encoding the site
offers (app/encodings.py), each copy under its own ETag: a reader gets the copy their browser
accepts, and only that one is read, so serving it costs no compression.
"""

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from flask import current_app, g, request
from redis.exceptions import RedisError

from app import encodings
from app.extensions import cache
from app.services.infra import page_versions

log = logging.getLogger(__name__)

LIFETIME_KEY = "kept_page_lifetime"


class KeptPage(NamedTuple):
    body: bytes  # in `encoding`
    content_type: str
    etag: str  # of this body: the page's, with the encoding after it
    # The versions of what it shows, read before it was rendered.
    versions: tuple[str, ...]
    encoding: str | None = None  # its Content-Encoding; None: as it was rendered


class PageEntry(NamedTuple):
    """What the cache holds under a page's key; the body is under "body:<etag>".

    Each compressed copy is under "body:<etag>:<encoding>".
    """

    content_type: str
    etag: str
    versions: tuple[str, ...]
    encodings: tuple[str, ...] = ()


class RecentBodies:
    """The bodies this process served last, by ETag, up to a number of bytes."""

    def __init__(self):
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(etag)
            if body is not None:
                self._bodies.move_to_end(etag)
            return body

    def add(self, etag: str, body: bytes, limit: int) -> None:
        if len(body) > limit:
            return
        with self._lock:
            if etag in self._bodies:
                return
            self._bodies[etag] = body
            self._size += len(body)
            while self._size > limit:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped)


_recent = RecentBodies()


def page_key(audience: str, variation: str) -> str:
    address = f"{audience} {variation} {request.host}{request.full_path}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def lookup(
    key: str, names: list[str], encoding: str | None = None
) -> tuple[tuple[str, ...] | None, KeptPage | None]:
    """The current versions of `names`, and the page kept with those versions if any.

    The page in `encoding` if it is kept so, else as it was rendered.
    """
    try:
        entry, *versions = cache.get_many(key, *names)
        if None in versions:
            # Never set, or evicted: start them afresh.
            current = page_versions.current(names)
            return (tuple(current) if current else None), None
        versions = tuple(versions)
        if entry is None or entry.versions != versions:
            return versions, None
        if encoding not in entry.encodings:
            encoding = None
        tag = encodings.representation_tag(entry.etag, encoding)
        body = _recent.get(tag)
        if body is None:
            body = cache.get(f"body:{tag}")
            if body is None:
                return versions, None
            _recent.add(tag, body, current_app.config["LOCAL_PAGE_BYTES"])
    except (RedisError, OSError):
        log.exception("Could not read a page from the cache")
        return None, None
    return versions, KeptPage(body, entry.content_type, tag, versions, encoding)


def keep(
    key: str | None,
    response,
    versions,
    started: float,
    *,
    compressed: bool = False,
    encoding: str | None = None,
) -> KeptPage:
    """Keep the page rendered since `started` (time.monotonic()) with `versions`.

    `compressed`: with a copy in each encoding the site offers. The page returned is in
    `encoding` if it was kept so.
    """
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    if key is None:
        # Not kept: sent as rendered, and compressed as it leaves like any other response.
        return KeptPage(body, response.content_type, etag, versions)
    copies = _compressed_copies(response) if compressed else {}
    entry = PageEntry(response.content_type, etag, versions, tuple(copies))
    bodies = {etag: body} | {
        encodings.representation_tag(etag, name): copy for name, copy in copies.items()
    }
    try:
        cache.set_many(
            {f"body:{tag}": data for tag, data in bodies.items()} | {key: entry},
            timeout=_lifetime(started),
        )
    except (RedisError, OSError):
        log.exception("Could not keep a page in the cache")
    if encoding not in copies:
        encoding = None
    tag = encodings.representation_tag(etag, encoding)
    _recent.add(tag, bodies[tag], current_app.config["LOCAL_PAGE_BYTES"])
    return KeptPage(bodies[tag], entry.content_type, tag, versions, encoding)


def offered_encodings() -> tuple[str, ...]:
    """The encodings pages are kept in: those of COMPRESS_ALGORITHM the site can make."""
    return tuple(
        name for name in current_app.config["COMPRESS_ALGORITHM"] if name in encodings.ENCODINGS
    )


def _compressed_copies(response) -> dict[str, bytes]:
    """The body in each encoding offered, when Flask-Compress would compress it at all."""
    config = current_app.config
    body = response.get_data()
    if response.mimetype not in config["COMPRESS_MIMETYPES"]:
        return {}
    if len(body) < config["COMPRESS_MIN_SIZE"]:
        return {}
    levels = {"br": config["KEPT_PAGE_BR_LEVEL"], "gzip": config["KEPT_PAGE_GZIP_LEVEL"]}
    return {name: encodings.compress(body, name, levels[name]) for name in offered_encodings()}


def keep_at_most(seconds: float) -> None:
    """The page being rendered goes stale within `seconds` (poll results, an edit window)."""
    setattr(g, LIFETIME_KEY, min(g.get(LIFETIME_KEY, seconds), seconds))


def _lifetime(started: float) -> int:
    """Whole seconds the page stays true, counted from when its rendering began."""
    seconds = min(current_app.config["PAGE_CACHE_SECONDS"], g.get(LIFETIME_KEY, math.inf))
    clock = page_versions.seconds_until_clock_change()
    if clock is not None:
        seconds = min(seconds, clock)
    return max(1, math.floor(seconds - (time.monotonic() - started)))
