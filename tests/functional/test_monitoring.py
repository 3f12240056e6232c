"""What operators see: /healthz, /metrics behind a bearer token, one log line per request."""

import logging
import re

import pytest
import redis

from app import create_app
from app.extensions import db
from app.monitoring import metrics
from config import TestingConfig
from tests.servers import free_port, running_redis

TOKEN = "operator-secret-0123456789"


@pytest.fixture
def app_with(database_url):
    """Apps with settings of their own; their connections are closed when the test ends."""
    made = []

    def make(url=database_url, **settings):
        config = type("Config", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, **settings})
        made.append(create_app(config))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def redis_url():
    with running_redis() as url:
        yield url


def unreachable_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


# /healthz


def test_health_is_ok_with_the_database_alone_and_never_cached(app_with):
    response = app_with().test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_health_checks_redis_and_the_queue_when_redis_is_configured(app_with, redis_url):
    client = app_with(REDIS_URL=redis_url).test_client()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok", "queue": "ok"}


def test_health_names_redis_and_the_queue_when_redis_is_down(app_with, caplog):
    client = app_with(REDIS_URL=unreachable_redis()).test_client()

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "down"
    assert body["down"] == ["redis", "queue"]
    assert body["checks"]["database"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"
    assert "health check redis failed" in caplog.text


def test_health_names_the_database_when_it_cannot_be_reached(app_with, tmp_path):
    missing = f"sqlite:///{tmp_path / 'no-such-folder' / 'site.db'}"

    response = app_with(missing).test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "down",
        "checks": {"database": "down"},
        "down": ["database"],
    }
    assert "no-such-folder" not in response.get_data(as_text=True)


# /metrics


def test_metrics_are_not_found_without_a_token_configured(app_with):
    client = app_with().test_client()

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_metrics_need_the_operator_token(app_with):
    client = app_with(METRICS_TOKEN=TOKEN).test_client()

    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "boundaries_" not in response.get_data(as_text=True)


def scrape(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def sample(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(part in line for part in wanted.split(",")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_time_each_request_by_route_not_by_address(app_with, make_article):
    client = app_with(METRICS_TOKEN=TOKEN).test_client()
    first, second = make_article("One question"), make_article("Another question")
    labels = {"endpoint": "articles.article", "method": "GET", "status": "200"}
    before = sample(scrape(client), "boundaries_request_duration_seconds_count", **labels)

    client.get(f"/articles/{first.slug}")
    client.get(f"/articles/{second.slug}")
    client.get("/no-such-page")
    text = scrape(client)

    assert sample(text, "boundaries_request_duration_seconds_count", **labels) == before + 2
    assert first.slug not in text and second.slug not in text
    assert sample(
        text, "boundaries_request_duration_seconds_count", endpoint="unmatched", status="404"
    )
    assert sample(text, "boundaries_request_duration_seconds_bucket", le="+Inf", **labels) >= 2


def test_cache_lookups_are_counted_for_the_hit_ratio(app_with):
    client = app_with(METRICS_TOKEN=TOKEN).test_client()
    before = scrape(client)

    metrics.cache_lookup("page", hit=True)
    metrics.cache_lookup("page", hit=True)
    metrics.cache_lookup("page", hit=False)
    after = scrape(client)

    def delta(result):
        name = "boundaries_cache_lookups_total"
        return sample(after, name, cache="page", result=result) - sample(
            before, name, cache="page", result=result
        )

    assert (delta("hit"), delta("miss")) == (2, 1)


def test_queue_depth_is_read_from_redis(app_with, redis_url):
    client = app_with(METRICS_TOKEN=TOKEN, REDIS_URL=redis_url).test_client()
    store = redis.Redis.from_url(redis_url)
    store.sadd("rq:queues", "rq:queue:default", "rq:queue:mail")
    store.rpush("rq:queue:default", "job-1", "job-2", "job-3")
    store.rpush("rq:queue:mail", "job-4")
    try:
        text = scrape(client)
    finally:
        store.flushdb()

    assert sample(text, "boundaries_job_queue_depth", queue="default") == 3
    assert sample(text, "boundaries_job_queue_depth", queue="mail") == 1


# Request ids and the request log


def test_every_response_carries_a_request_id_and_one_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="boundaries.requests")

    response = client.get("/articles?page=1&q=private")

    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [r.getMessage() for r in caplog.records if r.name == "boundaries.requests"]
    assert len(lines) == 1
    assert lines[0].startswith(f"request_id={request_id} method=GET path=/articles ")
    assert "endpoint=articles.index status=200 duration_ms=" in lines[0]
    assert "private" not in lines[0]
    assert "127.0.0.1" not in lines[0]


def test_a_safe_incoming_request_id_is_kept(client, caplog):
    caplog.set_level(logging.INFO, logger="boundaries.requests")
    given = "7f3a9c1e-proxy.id_42"

    response = client.get("/", headers={"X-Request-ID": given})

    assert response.headers["X-Request-ID"] == given
    assert f"request_id={given} " in caplog.text


@pytest.mark.parametrize(
    "given", ["", "x" * 65, "two words", "ok request_id=forged", "ünïcode", "a;b"]
)
def test_an_unsafe_incoming_request_id_is_replaced(client, caplog, given):
    caplog.set_level(logging.INFO, logger="boundaries.requests")

    response = client.get("/", headers={"X-Request-ID": given})

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert "forged" not in caplog.text


def test_a_path_carrying_a_secret_is_logged_as_its_route(client, caplog):
    caplog.set_level(logging.INFO, logger="boundaries.requests")

    client.get("/account/reset/some-secret-reset-token")

    assert "some-secret-reset-token" not in caplog.text
    assert "path=/account/reset/<token>" in caplog.text


def test_errors_are_logged_with_their_final_status(client, caplog):
    caplog.set_level(logging.INFO, logger="boundaries.requests")

    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert f"request_id={response.headers['X-Request-ID']}" in caplog.text
    assert "endpoint=- status=404" in caplog.text
