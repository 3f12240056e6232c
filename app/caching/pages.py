"""Pages kept for their readers: one copy for every anonymous reader, one for each member.

A view marked `@shared_page(...)` names the versions of what it shows
(app/services/infra/page_versions.py); app/caching/store.py keeps the page with them.

- An anonymous reader for whom the page is the same as for anyone (no message waiting, and no
  vote of theirs where the page shows polls) gets the copy kept for every anonymous reader.
  It carries no per-reader token, and is sent `Cache-Control: public` with an ETag; a request
  that already holds it gets a 304. It is kept compressed too, once (app/caching/store.py):
  each reader gets the copy their browser accepts, with that copy's own ETag.
- A member (not staff, whose pages show the moderation queue, and not restricted) gets a copy
  kept for them alone, which also follows their own version: their votes, helpful marks,
  notifications and account. Their CSRF token is put in when it is sent. It is `private`.
- Anyone else gets the page rendered for them, `private`.

A kept page is rendered again once one of its versions is renewed, after PAGE_CACHE_SECONDS,
and sooner when it says so (`keep_at_most`: poll results, an edit window) or when the clock will
change it (a scheduled article, a poll opening or closing).
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from flask_wtf.csrf import generate_csrf

from app import encodings, voters
from app.caching import store
from app.caching.store import keep_at_most
from app.i18n import current_language
from app.services.infra import page_versions

__all__ = ["keep_at_most", "shared_page"]

AUDIENCE_KEY = "kept_page_audience"
LOOKUP_KEY = "kept_page_lookup"
PRIVATE = "private, no-cache"
# What a session holds that changes nothing on a page: the CSRF token, and Flask-Login's
# record of the login (the member is known from it). A flashed message or a poll notice
# makes the page the reader's own.
LOGIN_SESSION_KEYS = frozenset(
    {"csrf_token", "_fresh", "_user_id", "_id", "_remember", "_remember_seconds"}
)


@dataclass(frozen=True)
class Audience:
    """Whom a kept page is for: every anonymous reader, or one member."""

    name: str
    versions: tuple[str, ...] = ()
    member_id: int | None = None

    @property
    def is_anyone(self) -> bool:
        return self.member_id is None


ANYONE = Audience("anyone")


def page_variation() -> str:
    """What, besides its address and audience, makes a page differ between readers: the
    language it is written in (app/i18n)."""
    return current_language()


@dataclass(frozen=True)
class KeptView:
    """What a view marked @shared_page shows, as page_versions names to format."""

    shows: tuple[str, ...]
    shows_votes: bool


@dataclass(frozen=True)
class Lookup:
    """This request's kept page: for whom, under which key, the versions now, the page.

    `encoding`: the one it is sent in, if it is kept so.
    """

    audience: Audience | None
    key: str | None = None
    versions: tuple[str, ...] | None = None
    kept: store.KeptPage | None = None
    encoding: str | None = None


def shared_page(*shows: str, shows_votes: bool = False):
    """Serve the view's page from the page cache to the readers it is kept for.

    `shows` are page_versions names, formatted with the view's arguments ("v:article:{slug}").
    `shows_votes`: the page shows polls, so an anonymous reader who voted (voter cookie) gets
    a page of their own, which shows their vote.
    A kept page is found by `serve_kept_page`, before the view; the view renders the others.
    """

    def decorate(view):
        @wraps(view)
        def render(**kwargs):
            found = g.pop(LOOKUP_KEY, None) or look_up(render.kept_view)
            if found.audience is None:
                return personal(make_response(view(**kwargs)))
            if found.kept is not None:
                return answer(found.audience, found.kept)
            setattr(g, AUDIENCE_KEY, found.audience)
            started = time.monotonic()
            response = make_response(view(**kwargs))
            if not _keepable(response):
                return personal(response if found.audience.is_anyone else _put_token(response))
            key = found.key if found.versions else None
            kept = store.keep(
                key,
                response,
                found.versions,
                started,
                compressed=found.audience.is_anyone,
                encoding=found.encoding,
            )
            return answer(found.audience, kept)

        render.kept_view = KeptView(shows, shows_votes)
        return render

    return decorate


def serve_kept_page():
    """Before every other request hook: a kept page, served at once if its versions are current.

    It skips the request checks and rate limits, which its address passed when it was
    rendered (only complete pages are kept), and which cost more than serving it.
    """
    view = current_app.view_functions.get(request.endpoint)
    kept_view = getattr(view, "kept_view", None)
    if kept_view is None or request.method not in ("GET", "HEAD"):
        return None
    found = look_up(kept_view)
    if found.kept is not None:
        return answer(found.audience, found.kept)
    setattr(g, LOOKUP_KEY, found)
    return None


def look_up(kept_view: KeptView) -> Lookup:
    audience = audience_of_request(shows_votes=kept_view.shows_votes)
    if audience is None:
        return Lookup(None)
    view_args = request.view_args or {}
    names = [name.format(**view_args) for name in kept_view.shows] + list(audience.versions)
    key = store.page_key(audience.name, page_variation())
    # A member's page is kept as rendered: their token goes in for each request.
    encoding = encodings.accepted(store.offered_encodings()) if audience.is_anyone else None
    versions, kept = store.lookup(key, names, encoding)
    return Lookup(audience, key, versions, kept, encoding)


def answer(audience: Audience, kept: store.KeptPage):
    return answer_anyone(kept) if audience.is_anyone else answer_member(kept)


def audience_of_request(*, shows_votes: bool) -> Audience | None:
    """Whom this request's page can be kept for, or None when it must be rendered for it."""
    cookies = request.cookies
    config = current_app.config
    has_session = config["SESSION_COOKIE_NAME"] in cookies
    if has_session and not set(session) <= LOGIN_SESSION_KEYS:
        return None  # a message or a notice waits for this reader
    remembered = config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in cookies
    if not remembered and not (has_session and "_user_id" in session):
        # Anonymous: the page anyone gets, unless it shows polls and this reader voted.
        return None if shows_votes and voters.VOTER_COOKIE in cookies else ANYONE
    return _member_audience() if config["KEEP_MEMBER_PAGES"] else None


def _member_audience() -> Audience | None:
    member = voters.member()
    if member is None or member.is_staff or member.is_restricted():
        # A login that has ended (or its remember-me cookie), or one whose pages change with
        # the moderation queue or a sanction.
        return None
    version = page_versions.member_pages(member.id)
    return Audience(f"member {member.id}", (version,), member.id)


def kept_for() -> Audience | None:
    """Whom the page being rendered will be kept for, if it will be kept."""
    return g.get(AUDIENCE_KEY)


def token_placeholder() -> str:
    """What stands for the member's CSRF token in a page kept for them.

    Derived from the secret key, so no text a member writes can contain it.
    """
    secret = current_app.config["SECRET_KEY"].encode()
    return "csrf-" + hmac.new(secret, b"kept-page-token", hashlib.sha256).hexdigest()[:32]


def personal(response):
    """A page rendered for this reader alone: no cache in front of the site may keep it."""
    response.headers.setdefault("Cache-Control", PRIVATE)
    response.vary.add("Cookie")
    return response


def answer_anyone(kept: store.KeptPage):
    """The page every anonymous reader gets, or a 304 when the request already holds it.

    In the encoding the reader accepts when it is kept so; Flask-Compress then leaves it be.
    """
    config = current_app.config
    response = current_app.response_class(kept.body, content_type=kept.content_type)
    if kept.encoding:
        response.headers["Content-Encoding"] = kept.encoding
    response.set_etag(kept.etag)
    response.headers["Cache-Control"] = (
        f"public, max-age={config['PUBLIC_MAX_AGE']}, s-maxage={config['PUBLIC_S_MAXAGE']}"
    )
    response.vary.update(("Cookie", "Accept-Encoding", "Accept-Language"))
    return response.make_conditional(request)


def answer_member(kept: store.KeptPage):
    """The member's kept page, with the token of this session of theirs."""
    response = current_app.response_class(kept.body, content_type=kept.content_type)
    return personal(_put_token(response))


def _put_token(response):
    """A page rendered to be kept for a member, with their token where it stood."""
    body = response.get_data().replace(token_placeholder().encode(), generate_csrf().encode())
    response.set_data(body)
    return response


def _keepable(response) -> bool:
    """A complete page, and nothing in rendering it started or changed a session."""
    return (
        response.status_code == 200
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not session.modified
    )
