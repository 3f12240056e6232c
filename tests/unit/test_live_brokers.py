"""The brokers of live discussion: this process's streams, and Redis between processes."""

import pytest
import redis

from app.live.brokers import BACKLOG_LIMIT, LocalBroker, RedisBroker
from tests.servers import running_redis

# Long enough for a message to cross a local Redis; the tests wait for it, never on it.
DELIVERY_SECONDS = 10


def test_a_comment_reaches_the_streams_of_its_article_only():
    broker = LocalBroker()
    here, also_here = broker.subscribe(1), broker.subscribe(1)
    elsewhere = broker.subscribe(2)

    broker.publish(1, 10)
    broker.publish(1, 11)

    assert here.wait(0) == [10, 11]
    assert also_here.wait(0) == [10, 11]
    assert elsewhere.wait(0) == []


def test_a_closed_stream_hears_nothing_more():
    broker = LocalBroker()
    stream = broker.subscribe(1)
    stream.close()
    broker.publish(1, 10)
    assert stream.wait(0) == []
    assert broker.open_streams() == 0


def test_a_stream_that_falls_far_behind_is_ended_after_what_it_was_given():
    broker = LocalBroker()
    stream = broker.subscribe(1)
    for comment_id in range(BACKLOG_LIMIT + 1):
        broker.publish(1, comment_id)
    assert stream.wait(0) == list(range(BACKLOG_LIMIT))
    assert stream.wait(0) is None


@pytest.fixture(scope="module")
def redis_url():
    with running_redis() as url:
        yield url


@pytest.fixture
def brokers():
    started = []

    def start(url):
        broker = RedisBroker(url)
        started.append(broker)
        return broker

    yield start
    for broker in started:
        broker.stop()


def test_a_comment_published_by_one_process_reaches_the_streams_of_another(redis_url, brokers):
    publisher, listener = brokers(redis_url), brokers(redis_url)
    stream = listener.subscribe(7)

    publisher.publish(7, 70)
    publisher.publish(8, 80)

    assert stream.wait(DELIVERY_SECONDS) == [70]


def test_sites_on_other_database_numbers_do_not_hear_each_other(redis_url, brokers):
    other_site = brokers(redis_url.rsplit("/", 1)[0] + "/5")
    listener = brokers(redis_url)
    stream = listener.subscribe(7)

    other_site.publish(7, 70)
    brokers(redis_url).publish(7, 71)

    assert stream.wait(DELIVERY_SECONDS) == [71]


def test_streams_end_when_the_listener_loses_redis_and_new_ones_hear_again(redis_url, brokers):
    listener = brokers(redis_url)
    stream = listener.subscribe(7)
    client = redis.Redis.from_url(redis_url)

    # Messages published while the connection is down would be lost: the streams end, and
    # each browser reconnects and counts from the database what it missed.
    client.client_kill_filter(_type="pubsub")

    assert stream.wait(DELIVERY_SECONDS) is None
    again = listener.subscribe(7)
    brokers(redis_url).publish(7, 71)
    assert again.wait(DELIVERY_SECONDS) == [71]
    client.close()
