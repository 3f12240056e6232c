"""One log line per request, under a request id that the response carries back.

An X-Request-ID from the proxy (nginx's $request_id) is kept when it is a short token of
letters, digits, `.`, `_` and `-`; anything else is replaced, so a client cannot write into
the log. The line names the route, status and time taken; it leaves out the query string,
the client's address and who is logged in, and shows a route's pattern instead of its path
when the path carries a secret (a password-reset link).
"""

import logging
import re
import secrets
import time

from flask import g, request

logger = logging.getLogger("boundaries.requests")
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
SECRET_ARGUMENTS = frozenset({"token"})


def request_id() -> str | None:
    """The current request's id, for log lines written elsewhere during the request."""
    return g.get("request_id")


def begin_request() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if SAFE_REQUEST_ID.fullmatch(given) else secrets.token_hex(16)
    g.request_started = time.perf_counter()


def _logged_path() -> str:
    if request.url_rule is not None and SECRET_ARGUMENTS & set(request.view_args or {}):
        return request.url_rule.rule
    return request.path


def finish_request(response):
    rid = g.get("request_id") or secrets.token_hex(16)
    response.headers["X-Request-ID"] = rid
    started = g.get("request_started")
    elapsed_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    logger.info(
        "request_id=%s method=%s path=%s endpoint=%s status=%d duration_ms=%.1f",
        rid,
        request.method,
        _logged_path(),
        request.endpoint or "-",
        response.status_code,
        elapsed_ms,
    )
    return response
