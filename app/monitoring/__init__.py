"""What operators see: /healthz, /metrics (Prometheus) and one log line per request."""

from app.monitoring import health, metrics, request_log


def register(app) -> None:
    """After every other extension: the request log runs first and last around a request."""
    from app.extensions import limiter

    if url := app.config.get("REDIS_URL"):
        import redis

        app.extensions["monitoring_redis"] = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=2
        )
    app.add_url_rule("/healthz", "healthz", health.healthz)
    metrics.register(app)
    for endpoint in ("healthz", "metrics"):
        limiter.exempt(app.view_functions[endpoint])
    # First before the others and last after them (after metrics), so the line times the
    # whole request and sees the final status.
    app.before_request_funcs.setdefault(None, []).insert(0, request_log.begin_request)
    app.after_request_funcs.setdefault(None, []).insert(0, request_log.finish_request)
