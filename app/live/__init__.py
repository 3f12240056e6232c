"""Live discussion: pages open on an article hear that a comment arrived, without reloading.

When a comment becomes readable (posted without review, or approved), the code that made it so
calls `comment_arrived`; once the transaction commits, the broker (`brokers`: Redis pub/sub
with REDIS_URL, else this process alone) tells the event streams open on that article
(`stream`, served at /articles/<slug>/events). The message says which comment arrived and
nothing else: the page fetches the discussion itself when its reader asks to see it.
"""

import logging
from functools import partial

from flask import current_app
from redis.exceptions import RedisError

from app.live.brokers import BrokerUnavailable, LocalBroker, RedisBroker, Subscription
from app.transaction import after_commit

__all__ = ["BrokerUnavailable", "Subscription", "broker", "comment_arrived", "register"]

EXTENSION_KEY = "live"
# LIVE_STREAM_MODE: keep streams open where waiting is cheap (auto), always, or never.
STREAM_MODES = ("auto", "hold", "poll")

log = logging.getLogger(__name__)


def register(app) -> None:
    if app.config["LIVE_STREAM_MODE"] not in STREAM_MODES:
        raise RuntimeError(f"LIVE_STREAM_MODE must be one of {', '.join(STREAM_MODES)}.")
    url = app.config.get("REDIS_URL")
    app.extensions[EXTENSION_KEY] = RedisBroker(url) if url else LocalBroker()


def broker() -> LocalBroker:
    return current_app.extensions[EXTENSION_KEY]


def comment_arrived(article_id: int, comment_id: int) -> None:
    """Readers can now read this comment: tell the pages open on its article after the commit."""
    after_commit(partial(_announce, broker(), article_id, comment_id))


def _announce(to: LocalBroker, article_id: int, comment_id: int) -> None:
    try:
        to.publish(article_id, comment_id)
    except (RedisError, OSError):
        # The comment is committed; open pages show it when next loaded.
        log.exception("Could not announce comment %s on article %s", comment_id, article_id)
