"""Brokers that carry "comment C arrived on article A" to the event streams open on A.

`LocalBroker` reaches the streams of this process: the embedded site is one process.
`RedisBroker` publishes on a Redis channel, so a comment committed by any app server reaches
the streams held by any other; a process that holds streams listens with one connection and
hands each message to its own streams through the same local fan-out.

Written against `threading`, which gevent's workers patch: under them a waiting stream and the
listener are greenlets, not threads.
"""

import logging
import threading
import time
from collections import deque

import redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# A stream that falls this far behind is ended; its browser reconnects and catches up from
# the database.
BACKLOG_LIMIT = 200
# How long a new stream waits for the listener to be subscribed before giving up.
SUBSCRIBE_WAIT_SECONDS = 5
LISTENER_RETRY_SECONDS = (0.5, 1, 2, 5, 10)
# The listener checks its connection this often while no comment arrives, and whether it
# should stop every second.
LISTENER_PING_SECONDS = 30
LISTENER_POLL_SECONDS = 1


class BrokerUnavailable(Exception):
    """No stream can be promised the comments that arrive (Redis cannot be reached)."""


class Subscription:
    """What one open stream hears: the comments that arrived on its article since it asked."""

    def __init__(self, broker: "LocalBroker", article_id: int):
        self.article_id = article_id
        self._broker = broker
        self._arrived: deque[int] = deque()
        self._changed = threading.Condition()
        self._ended = False

    def deliver(self, comment_id: int) -> None:
        with self._changed:
            if len(self._arrived) >= BACKLOG_LIMIT:
                self._ended = True
            else:
                self._arrived.append(comment_id)
            self._changed.notify()

    def end(self) -> None:
        """No more comments will be delivered: the stream should close."""
        with self._changed:
            self._ended = True
            self._changed.notify()

    def wait(self, timeout: float) -> list[int] | None:
        """Ids delivered since the last call, after waiting up to `timeout` seconds for one.

        An empty list when none came in time; None once the subscription has ended and
        everything delivered before was taken.
        """
        with self._changed:
            if not self._arrived and not self._ended:
                self._changed.wait(timeout)
            if self._arrived:
                arrived = list(self._arrived)
                self._arrived.clear()
                return arrived
            return None if self._ended else []

    def close(self) -> None:
        self._broker.unsubscribe(self)


class LocalBroker:
    """The streams of this process, by article."""

    def __init__(self):
        self._streams: dict[int, set[Subscription]] = {}
        self._lock = threading.Lock()

    def publish(self, article_id: int, comment_id: int) -> None:
        self.deliver(article_id, comment_id)

    def deliver(self, article_id: int, comment_id: int) -> None:
        with self._lock:
            listening = list(self._streams.get(article_id, ()))
        for subscription in listening:
            subscription.deliver(comment_id)

    def subscribe(self, article_id: int) -> Subscription:
        subscription = Subscription(self, article_id)
        with self._lock:
            self._streams.setdefault(article_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            streams = self._streams.get(subscription.article_id)
            if streams is not None:
                streams.discard(subscription)
                if not streams:
                    del self._streams[subscription.article_id]

    def end_all(self) -> None:
        with self._lock:
            everyone = [s for streams in self._streams.values() for s in streams]
        for subscription in everyone:
            subscription.end()

    def open_streams(self) -> int:
        with self._lock:
            return sum(len(streams) for streams in self._streams.values())


class RedisBroker(LocalBroker):
    """Comments published on one Redis channel; a listener hands them to this process's streams.

    Pub/sub ignores database numbers, so the channel names the database of REDIS_URL: sites
    sharing one Redis server on different numbers do not hear each other. The listener starts
    with the first stream (app servers that only publish never run one). When its connection
    fails, every stream is ended: messages may have been lost meanwhile, and each browser
    reconnects and counts from the database what it missed.
    """

    def __init__(self, url: str):
        super().__init__()
        self._redis = redis.Redis.from_url(
            url, socket_keepalive=True, health_check_interval=LISTENER_PING_SECONDS
        )
        database = self._redis.connection_pool.connection_kwargs.get("db", 0)
        self.channel = f"boundaries:comments-arrived:{database}"
        self._listening = threading.Event()
        self._listener: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._stopping = threading.Event()

    def publish(self, article_id: int, comment_id: int) -> None:
        self._redis.publish(self.channel, f"{article_id}:{comment_id}")

    def subscribe(self, article_id: int) -> Subscription:
        self._start_listening()
        if not self._listening.wait(SUBSCRIBE_WAIT_SECONDS):
            raise BrokerUnavailable("Redis cannot be reached to hear arriving comments.")
        return super().subscribe(article_id)

    def stop(self) -> None:
        """Stop listening (within a second) and end this process's streams."""
        self._stopping.set()
        if self._listener is not None:
            self._listener.join()
        self.end_all()
        self._redis.close()

    def _start_listening(self) -> None:
        with self._start_lock:
            if self._listener is None:
                self._listener = threading.Thread(
                    target=self._listen, name="live-listener", daemon=True
                )
                self._listener.start()

    def _listen(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            pubsub = self._redis.pubsub()
            try:
                pubsub.subscribe(self.channel)
                self._await_subscription(pubsub)
                self._listening.set()
                failures = 0
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=LISTENER_POLL_SECONDS)
                    if message is not None and message["type"] == "message":
                        self._hand_on(message["data"])
            except (RedisError, OSError):
                self._listening.clear()
                self.end_all()
                delay = LISTENER_RETRY_SECONDS[min(failures, len(LISTENER_RETRY_SECONDS) - 1)]
                failures += 1
                log.warning(
                    "Listening for arriving comments failed; again in %s s", delay, exc_info=True
                )
                self._stopping.wait(delay)
            finally:
                pubsub.close()
        self._listening.clear()

    def _await_subscription(self, pubsub) -> None:
        """Until Redis confirms the subscription, a comment published could miss this process."""
        deadline = time.monotonic() + SUBSCRIBE_WAIT_SECONDS
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=1)
            if message is not None and message["type"] == "subscribe":
                return
        raise redis.ConnectionError("Redis did not confirm the subscription")

    def _hand_on(self, data: bytes) -> None:
        article, _, comment = data.decode("ascii", "replace").partition(":")
        if article.isdecimal() and comment.isdecimal():
            self.deliver(int(article), int(comment))
