"""The event stream an open article page listens to (Server-Sent Events).

`GET /articles/<slug>/events` answers `text/event-stream`:

    retry: 4200             how long the browser waits before it reconnects, in ms
    id: 41                  where it continues from (EventSource sends it back as Last-Event-ID)

    event: comment          one for each readable comment that arrived, oldest first
    id: 43
    data: {"comment": 43}

    : still here            every LIVE_HEARTBEAT_SECONDS while nothing arrives

The page asks with `?after=<the newest readable comment it shows>`; a browser that reconnects
sends Last-Event-ID instead. Either way it is first told the readable comments after that id,
from the database: the one lookup a stream makes, before it waits. Where waiting costs no
worker (gevent's workers, the embedded server's threads), the stream stays open for about
LIVE_STREAM_SECONDS, then ends and the browser reconnects; anywhere else (gunicorn's sync
workers) it answers at once and the browser asks again after LIVE_POLL_SECONDS, so a reader
never holds a worker. The answer starts no session, and no cache or proxy keeps or buffers it.
"""

import json
import random
import sys
import time

from flask import abort, current_app, request
from flask_babel import gettext as _

from app import live
from app.services.discussion.arrivals import Arrivals, arrivals_after
from app.views import LARGEST_ID, whole_number

HEARTBEAT = ": still here\n\n"


def requested_after() -> int | None:
    """The comment id the page continues from: Last-Event-ID on a reconnection, else ?after=."""
    for raw in (request.headers.get("Last-Event-ID"), request.args.get("after")):
        if raw is not None:
            after = whole_number(raw, LARGEST_ID)
            if after is None:
                abort(400, description=_("after and Last-Event-ID take a comment id."))
            return after
    return None


def holds_connection() -> bool:
    """Whether this server keeps the stream open (LIVE_STREAM_MODE), or answers at once."""
    mode = current_app.config["LIVE_STREAM_MODE"]
    if mode == "auto":
        return waiting_is_cheap(request.environ)
    return mode == "hold"


def waiting_is_cheap(environ) -> bool:
    """A waiting stream costs a greenlet (gevent) or a thread of the embedded server's own."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        return True
    # `flask run` starts a thread for each request; gunicorn's threads are a fixed pool.
    return bool(environ.get("wsgi.multithread")) and environ.get("SERVER_SOFTWARE", "").startswith(
        "Werkzeug/"
    )


def open_stream(article_id: int, after: int | None):
    """The response that tells a page of the comments arriving on the article."""
    config = current_app.config
    subscription = None
    if holds_connection():
        try:
            # Before the lookup: a comment committed after it is heard, none falls between.
            subscription = live.broker().subscribe(article_id)
        except live.BrokerUnavailable:
            abort(503, description=_("New comments cannot be followed at the moment."))
    try:
        arrivals = arrivals_after(article_id, after)
    except BaseException:
        if subscription is not None:
            subscription.close()
        raise
    if subscription is None:
        retry = config["LIVE_POLL_SECONDS"] * random.uniform(1.0, 1.25)
        body = _opening(arrivals, retry)
    else:
        retry = config["LIVE_RETRY_SECONDS"] * random.uniform(1.0, 2.0)
        # Streams opened together (after a restart) end at different times.
        lifetime = config["LIVE_STREAM_SECONDS"] * random.uniform(0.75, 1.0)
        body = _held(arrivals, subscription, retry, config["LIVE_HEARTBEAT_SECONDS"], lifetime)
    response = current_app.response_class(body, mimetype="text/event-stream")
    if subscription is not None:
        # Also when the stream never starts (a HEAD request) or the reader leaves.
        response.call_on_close(subscription.close)
    response.headers["Cache-Control"] = "no-store"
    # nginx passes each event on as it comes instead of filling its buffer first.
    response.headers["X-Accel-Buffering"] = "no"
    return response


def _opening(arrivals: Arrivals, retry_seconds: float) -> str:
    opening = f"retry: {round(retry_seconds * 1000)}\nid: {arrivals.last_id}\n\n"
    return opening + "".join(_event(comment_id, arrivals.last_id) for comment_id in arrivals.ids)


def _held(arrivals: Arrivals, subscription: live.Subscription, retry, heartbeat, lifetime):
    yield _opening(arrivals, retry)
    told = set(arrivals.ids)
    last_id = arrivals.last_id
    deadline = time.monotonic() + lifetime
    while (left := deadline - time.monotonic()) > 0:
        arrived = subscription.wait(min(heartbeat, left))
        if arrived is None:
            return  # the broker lost messages or the reader fell behind: reconnect, catch up
        if not arrived:
            yield HEARTBEAT
            continue
        events = []
        for comment_id in arrived:
            if comment_id not in told:
                told.add(comment_id)
                last_id = max(last_id, comment_id)
                events.append(_event(comment_id, last_id))
        if events:
            yield "".join(events)


def _event(comment_id: int, last_id: int) -> str:
    # A comment approved late has an older id; the page continues from the newest.
    return f"event: comment\nid: {last_id}\ndata: {json.dumps({'comment': comment_id})}\n\n"
