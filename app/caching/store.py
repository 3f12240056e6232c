"""Where kept pages live: the cache (Redis in production), and each process's recent bodies.

A page is kept under its audience, variation and address, together with the versions of what
it shows as they were read before it was rendered. Reading a page reads the current versions
in the same round trip; a page kept with other versions is stale and rendered again.

The body is kept apart, under its ETag (a hash of its bytes), and each process also holds the
bodies it served last (LOCAL_PAGE_BYTES in all): a body never changes under its hash, so a
page whose versions are current is served without its body crossing the network again.
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

from app.extensions import cache
from app.services.infra import page_versions

log = logging.getLogger(__name__)

LIFETIME_KEY = "kept_page_lifetime"


class KeptPage(NamedTuple):
    body: bytes
    content_type: str
    etag: str
    # The versions of what it shows, read before it was rendered.
    versions: tuple[str, ...]


class PageEntry(NamedTuple):
    """What the cache holds under a page's key; the body is under "body:<etag>"."""

    content_type: str
    etag: str
    versions: tuple[str, ...]


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


def lookup(key: str, names: list[str]) -> tuple[tuple[str, ...] | None, KeptPage | None]:
    """The current versions of `names`, and the page kept with those versions if any."""
    try:
        entry, *versions = cache.get_many(key, *names)
        if None in versions:
            # Never set, or evicted: start them afresh.
            current = page_versions.current(names)
            return (tuple(current) if current else None), None
        versions = tuple(versions)
        if entry is None or entry.versions != versions:
            return versions, None
        body = _recent.get(entry.etag)
        if body is None:
            body = cache.get(f"body:{entry.etag}")
            if body is None:
                return versions, None
            _recent.add(entry.etag, body, current_app.config["LOCAL_PAGE_BYTES"])
    except (RedisError, OSError):
        log.exception("Could not read a page from the cache")
        return None, None
    return versions, KeptPage(body, entry.content_type, entry.etag, versions)


def keep(key: str | None, response, versions, started: float) -> KeptPage:
    """Keep the page rendered since `started` (time.monotonic()) with `versions`."""
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    kept = KeptPage(body, response.content_type, etag, versions)
    if key is not None:
        entry = PageEntry(kept.content_type, etag, versions)
        try:
            cache.set_many({f"body:{etag}": body, key: entry}, timeout=_lifetime(started))
        except (RedisError, OSError):
            log.exception("Could not keep a page in the cache")
        _recent.add(etag, body, current_app.config["LOCAL_PAGE_BYTES"])
    return kept


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
