"""Pages anonymous readers share: kept in the page cache and sent with HTTP caching headers.

A view marked `@shared_page(...)` names the versions of what it shows
(app/services/infra/page_versions.py). A reader for whom the page would be the same as for
anyone else (no login, no message waiting, and no vote of theirs where the page shows polls)
gets the page kept under its address, its variation and those versions; on a miss it is
rendered without any per-reader token and kept until one of those versions is renewed, for
PAGE_CACHE_SECONDS at most, less when it shows poll results (`keep_at_most`) or when the clock
will change it (a scheduled article, a poll opening or closing). These answers are
`Cache-Control: public` with an ETag, and a request that already holds the page gets a 304.
Every other reader gets the page rendered for them, `private`.
"""

import hashlib
import logging
from functools import wraps
from typing import NamedTuple

from flask import current_app, g, make_response, request, session
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from redis.exceptions import RedisError

from app.extensions import cache
from app.services.infra import page_versions
from app.voters import VOTER_COOKIE

log = logging.getLogger(__name__)

SHARED_KEY = "shared_page"
LIFETIME_KEY = "shared_page_lifetime"
PRIVATE = "private, no-cache"
# A session that holds only a CSRF token (and Flask-Login's note that nobody logged in
# freshly) changes nothing on a page.
IMPERSONAL_SESSION_KEYS = frozenset({"csrf_token", "_fresh"})


class KeptPage(NamedTuple):
    body: bytes
    content_type: str
    etag: str


def page_variation() -> str:
    """What, besides its address, makes a page differ between anonymous readers.

    Nothing yet; the one place where a language or a theme would join the page's key.
    """
    return "-"


def shared_page(*shows: str, shows_votes: bool = False):
    """Serve the view's page from the shared cache to readers it does not personalise.

    `shows` are page_versions names, formatted with the view's arguments ("v:article:{slug}").
    `shows_votes`: the page shows polls, so a reader who voted (voter cookie) sees their vote.
    """

    def decorate(view):
        @wraps(view)
        def serve(**kwargs):
            if not reader_is_anyone(shows_votes=shows_votes):
                return personal(make_response(view(**kwargs)))
            names = [name.format(**kwargs) for name in shows]
            versions = page_versions.current(names)
            key = _page_key(versions) if versions is not None else None
            kept = _cached(key)
            if kept is None:
                g.setdefault(SHARED_KEY, True)
                response = make_response(view(**kwargs))
                if not _shareable(response):
                    return personal(response)
                kept = _keep(key, response)
            return answer(kept)

        return serve

    return decorate


def reader_is_anyone(*, shows_votes: bool) -> bool:
    """Whether this reader would see the page as any anonymous reader does."""
    cookies = request.cookies
    if current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in cookies:
        return False
    if shows_votes and VOTER_COOKIE in cookies:
        return False
    if current_app.config["SESSION_COOKIE_NAME"] in cookies:
        # Logged in, a flashed message or a poll notice waiting: the page is theirs.
        return set(session) <= IMPERSONAL_SESSION_KEYS
    return True


def is_shared_page() -> bool:
    """Whether the page being rendered is kept for every anonymous reader."""
    return g.get(SHARED_KEY, False)


def keep_at_most(seconds: int) -> None:
    """The page being rendered goes stale within `seconds` (it shows poll results)."""
    setattr(g, LIFETIME_KEY, min(g.get(LIFETIME_KEY, seconds), seconds))


def personal(response):
    """A page rendered for this reader: never kept by a shared cache."""
    response.headers.setdefault("Cache-Control", PRIVATE)
    response.vary.add("Cookie")
    return response


def answer(kept: KeptPage):
    """The kept page, or a 304 when the request already holds it."""
    config = current_app.config
    response = current_app.response_class(kept.body, content_type=kept.content_type)
    response.set_etag(kept.etag)
    response.headers["Cache-Control"] = (
        f"public, max-age={config['PUBLIC_MAX_AGE']}, s-maxage={config['PUBLIC_S_MAXAGE']}"
    )
    response.vary.add("Cookie")
    return response.make_conditional(request)


def _page_key(versions: list[str]) -> str:
    address = f"{page_variation()} {request.host}{request.full_path} {' '.join(versions)}"
    return "page:" + hashlib.sha256(address.encode()).hexdigest()


def _cached(key: str | None) -> KeptPage | None:
    if key is None:
        return None
    try:
        return cache.get(key)
    except (RedisError, OSError):
        log.exception("Could not read a page from the cache")
        return None


def _shareable(response) -> bool:
    """A page fit for everyone: complete, and nothing in it started or changed a session."""
    return (
        response.status_code == 200
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not session.modified
    )


def _keep(key: str | None, response) -> KeptPage:
    body = response.get_data()
    kept = KeptPage(body, response.content_type, hashlib.blake2b(body, digest_size=16).hexdigest())
    if key is not None:
        try:
            cache.set(key, kept, timeout=_lifetime())
        except (RedisError, OSError):
            log.exception("Could not keep a page in the cache")
    return kept


def _lifetime() -> int:
    """Seconds the page stays true, whatever commits meanwhile."""
    seconds = min(current_app.config["PAGE_CACHE_SECONDS"], g.get(LIFETIME_KEY, float("inf")))
    clock = page_versions.seconds_until_clock_change()
    if clock is not None:
        seconds = min(seconds, clock)
    return max(1, int(seconds))
