"""`/healthz` for load balancers and operators: is the database, Redis and the job queue there?

200 with {"status": "ok", "checks": {...}} when all is well; 503 naming what is down. Only
the name and "ok" or "down" are shown (the reason goes to the log), and the answer is never
cached. Redis and the queue are checked when REDIS_URL is set; jobs run in-process otherwise.
"""

import logging

from flask import current_app, jsonify
from sqlalchemy import text

from app.extensions import db

logger = logging.getLogger(__name__)


def _database() -> None:
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _redis() -> None:
    current_app.extensions["monitoring_redis"].ping()


def _queue() -> None:
    # The job queue lives in Redis: reachable when its registry of queues can be read.
    current_app.extensions["monitoring_redis"].scard("rq:queues")


def checks() -> dict:
    found = {"database": _database}
    if current_app.extensions.get("monitoring_redis") is not None:
        found |= {"redis": _redis, "queue": _queue}
    return found


def healthz():
    results = {}
    for name, check in checks().items():
        try:
            check()
        except Exception:  # anything that stops the check means the part is down
            logger.warning("health check %s failed", name, exc_info=True)
            results[name] = "down"
        else:
            results[name] = "ok"
    down = [name for name, result in results.items() if result != "ok"]
    body = {"status": "down" if down else "ok", "checks": results}
    if down:
        body["down"] = down
    response = jsonify(body)
    response.status_code = 503 if down else 200
    response.headers["Cache-Control"] = "no-store"
    return response
