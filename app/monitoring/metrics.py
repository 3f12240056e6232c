"""Prometheus metrics for the operator: request latency by route, job queue depth, cache hits.

Only an operator holding METRICS_TOKEN may read /metrics (`Authorization: Bearer <token>`);
without the setting the address answers 404, nothing is recorded and prometheus_client is
never imported. Under several gunicorn workers set PROMETHEUS_MULTIPROC_DIR to an empty
directory: each worker then writes its numbers there and a scrape, whichever worker answers
it, adds them all up (gunicorn.conf.py empties the directory when the server starts).

Other modules count cache lookups with `cache_lookup("page", hit=True)`, whether or not
metrics are on.
"""

import hmac
import os
import time
from functools import cache

from flask import abort, current_app, g, request

# Seconds; from a cached page (a few ms) to the slowest full thread through the API.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
RQ_QUEUES = "rq:queues"  # the set of queue keys RQ keeps, each a list of waiting job ids
RQ_QUEUE_PREFIX = "rq:queue:"
# Set once an app with METRICS_TOKEN starts: this process records from then on.
_recording = False


@cache
def _instruments():
    """The metrics of this process, made once: prometheus_client refuses a second registration."""
    from prometheus_client import Counter, Histogram

    return {
        "latency": Histogram(
            "boundaries_request_duration_seconds",
            "Time to answer a request, by route (the endpoint's name), method and status.",
            ["endpoint", "method", "status"],
            buckets=LATENCY_BUCKETS,
        ),
        "cache": Counter(
            "boundaries_cache_lookups",
            "Lookups in the app's caches, by cache and result (hit or miss).",
            ["cache", "result"],
        ),
    }


def cache_lookup(cache_name: str, *, hit: bool) -> None:
    """Count one lookup in a cache; the hit ratio is hits / (hits + misses).

    Does nothing until an app with METRICS_TOKEN has started recording.
    """
    if _recording:
        _instruments()["cache"].labels(cache_name, "hit" if hit else "miss").inc()


def observe_request(response):
    started = g.get("request_started")  # set by app/monitoring/request_log.py
    if started is not None:
        _instruments()["latency"].labels(
            request.endpoint or "unmatched", request.method, str(response.status_code)
        ).observe(time.perf_counter() - started)
    return response


class QueueDepth:
    """Jobs waiting in each RQ queue, read from Redis when Prometheus scrapes."""

    def __init__(self, redis_client):
        self.redis = redis_client

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        family = GaugeMetricFamily(
            "boundaries_job_queue_depth", "Jobs waiting in each queue.", labels=["queue"]
        )
        try:
            keys = sorted(key.decode() for key in self.redis.smembers(RQ_QUEUES))
            for key in keys:
                family.add_metric([key.removeprefix(RQ_QUEUE_PREFIX)], self.redis.llen(key))
        except OSError:
            pass  # /healthz says Redis is down; a scrape still returns the other metrics
        else:
            yield family


def _authorised() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    return given.startswith("Bearer ") and hmac.compare_digest(
        given.removeprefix("Bearer ").encode(), token.encode()
    )


def metrics_view():
    if not current_app.config.get("METRICS_TOKEN"):
        abort(404)
    if not _authorised():
        response = current_app.response_class(
            "A bearer token is required.\n", status=401, mimetype="text/plain"
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        response.headers["Cache-Control"] = "no-store"
        return response

    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    redis_client = current_app.extensions.get("monitoring_redis")
    if redis_client is not None:
        registry.register(QueueDepth(redis_client))
    response = current_app.response_class(generate_latest(registry), mimetype=None)
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    response.headers["Cache-Control"] = "no-store"
    return response


class _Forward:
    """This process's own metrics, inside the scrape's registry next to the queue depth."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


def register(app) -> None:
    """Adds /metrics; with a token, also the timing of every request."""
    global _recording
    app.add_url_rule("/metrics", "metrics", metrics_view)
    if app.config.get("METRICS_TOKEN"):
        _instruments()
        _recording = True
        # Last of the after-request functions, with the status the client will get.
        app.after_request_funcs.setdefault(None, []).insert(0, observe_request)
