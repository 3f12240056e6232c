"""A real `flask --app app worker` on Redis runs a queued mail job and a periodic purge."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
import redis
from rq import Queue
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from app import transaction
from app.extensions import db
from app.jobs import periodic
from app.jobs.runners import RedisRunner
from app.models import OutboxMessage, OutboxStatus, Vote, utcnow
from app.services.infra.mail import queue_mail
from app.services.polls.voting import cast_vote
from tests.factories import make_article, make_user
from tests.servers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.real_commits]

# The machine's Redis; each run has a queue of its own, so runs side by side keep apart.
REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def queue_name(app):
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()
    name = f"boundaries-test-{uuid.uuid4().hex[:12]}"
    app.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=name)
    app.extensions["jobs"] = RedisRunner(app)
    yield name
    for key in connection.scan_iter(f"*{name}*"):
        connection.delete(key)


def run_worker(database_url, queue_name):
    env = {
        **os.environ,
        "FLASK_CONFIG": "testing",
        "TEST_DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": queue_name,
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )


def test_the_worker_sends_queued_mail_and_runs_the_periodic_purge(app, database_url, queue_name):
    article = make_article(poll_question="Friend request?")
    vote = cast_vote(article.poll, [article.poll.options[0].id], user=make_user())
    vote.address_hash = "an address hash"
    vote.updated_at = utcnow() - timedelta(days=40)
    queue_mail("fern@example.org", "Confirm your address", "Open this link.")
    purge = periodic.BY_NAME["purge-voter-addresses"]
    periodic.schedule(purge, utcnow() - timedelta(minutes=1))  # an occurrence now due
    transaction.commit()
    assert db.session.scalar(select(OutboxMessage.status)) is OutboxStatus.PENDING

    worker = run_worker(database_url, queue_name)

    assert worker.returncode == 0, worker.stdout
    assert "app.jobs.periodic.tick('purge-voter-addresses',)" in worker.stdout
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage.status)) is OutboxStatus.SENT
    assert db.session.scalar(select(Vote.address_hash)) is None
    # Each periodic job's next occurrence waits in Redis, once however often workers start.
    queue = Queue(queue_name, connection=redis.Redis.from_url(REDIS_URL))
    scheduled = ScheduledJobRegistry(queue=queue).get_job_ids()
    upcoming = purge.key(purge.next_due(utcnow()))
    assert f"{queue_name}-{upcoming}" in scheduled
    assert len(scheduled) == len(periodic.PERIODIC)

    assert run_worker(database_url, queue_name).returncode == 0
    assert len(ScheduledJobRegistry(queue=queue).get_job_ids()) == len(periodic.PERIODIC)
