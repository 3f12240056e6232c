"""Command: `worker`, which runs the job queue (RQ on Redis) and its scheduler.

Start as many as the work needs, on any machine that reaches the database and Redis. Each one
also runs RQ's scheduler, which hands over the jobs that wait for a time (retries with backoff,
periodic jobs); RQ lets one scheduler at a time do so, through a lock in Redis.
"""

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.jobs import EXTENSION_KEY, periodic
from app.jobs.runners import RedisRunner


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs that are due now, then exit.")
@with_appcontext
def worker_command(burst):
    """Run background jobs from Redis (REDIS_URL): mail, notifications, periodic purges."""
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set. Without Redis there is nothing to start: jobs run inside "
            "the web process after each commit."
        )
    # Jobs that queue more work (a retry, the next periodic run) queue it on Redis too.
    runner = app.extensions[EXTENSION_KEY] = RedisRunner(app)
    runner.queue.connection.ping()
    periodic.schedule_all()
    # RQ forks its scheduler; the child must not touch the parent's database connections.
    engines = list(db.engines.values())
    os.register_at_fork(after_in_child=lambda: [e.dispose(close=False) for e in engines])
    # Jobs run in this process, one after another: the app and its connection pool are made
    # once, rather than in a fork for every job.
    worker = SimpleWorker(
        [runner.queue], connection=runner.queue.connection, serializer=JSONSerializer
    )
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")


def register(app):
    app.cli.add_command(worker_command)
