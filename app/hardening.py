"""Malformed requests are refused before any view reads them; private pages are not cached.

A number no database column can hold, a NUL character, JSON nested without end or a body
larger than the site accepts is answered with a 400, 404 or 413 and a message, instead of
reaching the database or the JSON parser and failing there with a 500.
"""

import re
from collections.abc import Iterable

from flask import abort, current_app, request
from flask_babel import gettext
from werkzeug.routing import IntegerConverter

from app.views import LARGEST_ID, LARGEST_PAGE, whole_number

MAX_JSON_DEPTH = 20
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
JSON_BRACKET = re.compile(rb"[\[\]{}]")
# Numbers of the query string that lists read, on pages and in Flask-SQLAlchemy's paginate.
PAGE_ARGS = ("page", "per_page")
# Pages about one member or for staff only: never kept by a browser or a shared cache.
PRIVATE_BLUEPRINTS = frozenset({"accounts", "notifications", "moderation", "editor"})
PRIVATE_ENDPOINTS = frozenset({"safety.verification", "safety.appeal", "safety.report"})
# Every page: no inline script or style, nothing from elsewhere.
POLICY_WITHOUT_FRAMING = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
NO_FRAMING = "frame-ancestors 'none'"


def content_security_policy(frame_ancestors: Iterable[str] = ()) -> str:
    """The site's policy; only the origins in `frame_ancestors` may frame the page."""
    sources = " ".join(frame_ancestors)
    framing = f"frame-ancestors {sources}" if sources else NO_FRAMING
    return "; ".join([*POLICY_WITHOUT_FRAMING, framing])


# Every page but an embedded poll's: no site may frame it.
CONTENT_SECURITY_POLICY = content_security_policy()


def frames_refused(policy: str) -> bool:
    return NO_FRAMING in (directive.strip() for directive in policy.split(";"))


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number larger than any id matches no route (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app) -> None:
    """Before the blueprints: their rules take the converter when they are added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_malformed_requests)
    app.after_request(set_transport_and_cache_headers)


def refuse_malformed_requests():
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        abort(
            413,
            description=gettext(
                "The request is too large: at most %(size)s KB.", size=limit // 1024
            ),
        )
    if any(_has_nul(value) for value in (request.view_args or {}).values()):
        abort(404)
    if request.blueprint == "api":
        # The API checks the arguments it documents and ignores any other.
        _check_json_depth()
        return
    if any(_has_nul(key) or _has_nul(value) for key, value in request.args.items(multi=True)):
        abort(
            400,
            description=gettext(
                "The address contains a NUL character (%(nul)s), which no field takes.", nul="%00"
            ),
        )
    if any(_has_nul(key) or _has_nul(value) for key, value in request.form.items(multi=True)):
        abort(400, description=gettext("The form contains a NUL character, which no field takes."))
    for name in PAGE_ARGS:
        value = request.args.get(name, "").strip()
        if value.isdecimal() and whole_number(value, LARGEST_PAGE) is None:
            abort(404, description=gettext("There is no such page."))


def _has_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def _check_json_depth() -> None:
    if (
        request.is_json
        and json_depth(request.get_data(cache=True), MAX_JSON_DEPTH) > MAX_JSON_DEPTH
    ):
        abort(
            400,
            description=gettext(
                "The JSON body is nested too deeply: at most %(levels)s levels of arrays and "
                "objects.",
                levels=MAX_JSON_DEPTH,
            ),
        )


def json_depth(data: bytes, stop_above: int) -> int:
    """How deeply arrays and objects nest in `data`, counted without parsing it.

    Brackets inside strings do not count. Counting stops once it passes `stop_above`.
    """
    depth = deepest = 0
    for bracket in JSON_BRACKET.finditer(JSON_STRING.sub(b"", data)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_above:
                break
        else:
            depth -= 1
    return deepest


def set_transport_and_cache_headers(response):
    config = current_app.config
    if config.get("HSTS_SECONDS"):
        value = f"max-age={config['HSTS_SECONDS']}"
        if config.get("HSTS_INCLUDE_SUBDOMAINS"):
            value += "; includeSubDomains"
        if config.get("HSTS_PRELOAD"):
            value += "; preload"
        response.headers.setdefault("Strict-Transport-Security", value)
    if is_private_page():
        response.headers["Cache-Control"] = "no-store"
    return response


def is_private_page() -> bool:
    """A page about one member or for staff only (see PRIVATE_BLUEPRINTS)."""
    return request.blueprint in PRIVATE_BLUEPRINTS or request.endpoint in PRIVATE_ENDPOINTS
