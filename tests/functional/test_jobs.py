"""Background jobs: after the commit, in a transaction of their own; periodic jobs; the worker
command; and the in-process runner the embedded site uses without Redis."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app import jobs, transaction
from app.extensions import db
from app.jobs import periodic
from app.jobs.execution import job_name, resolve
from app.jobs.runners import ThreadRunner
from app.models import Article, OutboxMessage, OutboxStatus, Vote, utcnow
from app.services.infra import mail
from app.services.polls import rebuild
from app.services.polls.voting import cast_vote, purge_voter_addresses
from tests.conftest import FormClient


def voted_long_ago(article, make_user, days):
    vote = cast_vote(article.poll, [article.poll.options[0].id], user=make_user())
    vote.address_hash = "an address hash"
    vote.updated_at = utcnow() - timedelta(days=days)
    transaction.commit()
    return vote.id


def address_hash(vote_id):
    db.session.expire_all()
    return db.session.get(Vote, vote_id).address_hash


def test_a_job_runs_only_once_its_transaction_commits(app, make_article, make_user):
    article = make_article(poll_question="Friend request?")
    old = voted_long_ago(article, make_user, days=40)

    jobs.enqueue(purge_voter_addresses)
    assert address_hash(old) == "an address hash"
    transaction.rollback()
    assert address_hash(old) == "an address hash"

    jobs.enqueue(purge_voter_addresses)
    transaction.commit()
    assert address_hash(old) is None


def test_only_functions_marked_as_jobs_can_be_run_by_name():
    with pytest.raises(TypeError):
        job_name(time.sleep)
    with pytest.raises(LookupError):
        resolve("app.services.polls.voting.cast_vote")
    with pytest.raises(LookupError):
        resolve("os.system")


def test_periodic_jobs_fall_due_at_the_same_times_on_every_machine():
    purge = periodic.BY_NAME["purge-voter-addresses"]
    sweep = periodic.BY_NAME["resend-overdue-mail"]
    morning = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)

    assert purge.next_due(morning) == datetime(2026, 11, 30, 3, 17, tzinfo=UTC)
    assert purge.next_due(morning.replace(hour=3, minute=17)) == datetime(
        2026, 12, 1, 3, 17, tzinfo=UTC
    )
    assert sweep.next_due(morning.replace(minute=3, second=20)) == morning.replace(minute=5)
    assert purge.key(datetime(2026, 12, 1, 3, 17, tzinfo=UTC)) == (
        "periodic-purge-voter-addresses-20261201T031700Z"
    )


def test_the_daily_purge_runs_as_a_periodic_job_and_schedules_the_next(
    app, make_article, make_user
):
    article = make_article(poll_question="Friend request?")
    old = voted_long_ago(article, make_user, days=40)
    recent = voted_long_ago(article, make_user, days=2)

    jobs.runner().submit(job_name(periodic.tick), ("purge-voter-addresses",))

    assert address_hash(old) is None and address_hash(recent) == "an address hash"
    [following] = jobs.runner().scheduled
    assert following.name == job_name(periodic.tick)
    assert following.args == ("purge-voter-addresses",)
    assert following.at == periodic.BY_NAME["purge-voter-addresses"].next_due(utcnow())


def test_the_worker_command_exists_and_needs_redis(runner):
    help_text = runner.invoke(args=["worker", "--help"]).output
    assert "--burst" in help_text

    result = runner.invoke(args=["worker", "--burst"])

    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_rebuilding_tallies_and_generating_load_can_be_queued(runner, make_article, make_user):
    from app.models.polls import OptionTally

    article = make_article(poll_question="Friend request?")
    cast_vote(article.poll, [article.poll.options[0].id], user=make_user())
    transaction.commit()
    db.session.execute(db.update(OptionTally).values(count=40))
    transaction.commit()

    rebuilt = runner.invoke(args=["rebuild-tallies", "--enqueue"])
    generated = runner.invoke(
        args=["generate-load", "--enqueue", "--members", "3", "--votes", "5", "--seed", "2"]
    )

    assert rebuilt.exit_code == 0 and "Queued" in rebuilt.output
    db.session.expire_all()
    tallies = select(OptionTally.count).where(OptionTally.poll_id == article.poll.id)
    assert db.session.scalars(tallies).all() == [1]
    assert generated.exit_code == 0 and "Queued" in generated.output
    assert db.session.scalar(select(db.func.count(Article.id))) == 2


@pytest.fixture
def in_process(app):
    """The embedded site's runner: a thread pool of this process."""
    threads = ThreadRunner(app, 1)
    app.extensions["jobs"] = threads
    yield threads
    threads._executor().shutdown(wait=True)


def wait_until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the job did not finish in time"
        time.sleep(0.02)


@pytest.mark.real_commits
def test_without_redis_mail_leaves_from_a_thread_of_the_web_process(app, in_process, monkeypatch):
    sent = []
    monkeypatch.setattr(
        mail,
        "send_mail",
        lambda to, subject, body, key, headers=None: sent.append(
            (to, threading.current_thread().name)
        ),
    )
    forms = FormClient(app.test_client())

    response = forms.submit(
        "/account/register",
        {
            "username": "quietfern",
            "password": "a long and memorable passphrase",
            "email": "fern@example.org",
            "community_role": "reader",
        },
    )

    assert response.status_code == 302
    wait_until(lambda: sent)
    assert sent[0][0] == "fern@example.org" and sent[0][1].startswith("job")
    wait_until(lambda: outbox_status() is OutboxStatus.SENT)


def outbox_status():
    db.session.rollback()  # see what the job's own transaction committed
    return db.session.scalar(select(OutboxMessage.status))


@pytest.mark.real_commits
def test_in_process_jobs_are_retried_after_a_failure(app, in_process, monkeypatch):
    monkeypatch.setattr(rebuild.rebuild_tallies, "job_retry_delays", (0.05,))
    calls = []

    def fails_the_first_time(poll_id):
        calls.append(poll_id)
        if len(calls) == 1:
            raise RuntimeError("database went away")

    monkeypatch.setattr(rebuild, "forget_snapshots", fails_the_first_time)

    in_process.submit(job_name(rebuild.rebuild_tallies), (None,))

    wait_until(lambda: len(calls) == 2)
    assert calls == [None, None]
