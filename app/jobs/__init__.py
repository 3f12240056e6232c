"""Background jobs: work that waits for the commit and runs off the request.

A job is a plain function marked `@job`, whose arguments are numbers and strings. It runs in
an application context of its own and in one transaction (`transaction.in_transaction`).
Code that causes work calls `enqueue(func, *args)`: the job is handed over once the current
transaction commits, and never if it rolls back.

Where jobs run is the setting JOBS_BACKEND (see `runners`): on Redis for the
`flask --app app worker` processes ("rq", production), on a small thread pool of this process
("threads", the embedded default), or at once in the committing thread ("inline", tests).
"""

import threading
from datetime import timedelta

from flask import current_app

from app.jobs.execution import job, job_name
from app.jobs.runners import Runner, make_runner
from app.models import utcnow
from app.transaction import after_commit

EXTENSION_KEY = "jobs"

__all__ = ["enqueue", "enqueue_in", "job", "register", "runner"]


def register(app) -> None:
    app.extensions[EXTENSION_KEY] = make_runner(app)
    if app.config["JOBS_BACKEND"] == "threads":
        _start_clock_with_first_request(app)


def runner() -> Runner:
    return current_app.extensions[EXTENSION_KEY]


def enqueue(func, *args) -> None:
    """Run `func(*args)` as a job once the current transaction commits; never if it rolls back."""
    name = job_name(func)
    jobs = runner()
    after_commit(lambda: jobs.submit(name, args))


def enqueue_in(seconds: float, func, *args) -> None:
    """As `enqueue`, no sooner than `seconds` after the commit."""
    name = job_name(func)
    jobs = runner()
    after_commit(lambda: jobs.submit(name, args, at=utcnow() + timedelta(seconds=seconds)))


def _start_clock_with_first_request(app) -> None:
    """Periodic jobs of the embedded site start with the first request this process serves.

    Not at import or in `create_app`: commands such as `db upgrade` build the app too, and
    must not start purging or sending in the background.
    """
    lock = threading.Lock()
    started = False

    @app.before_request
    def start_periodic_jobs():
        nonlocal started
        if started:
            return
        with lock:
            if started:
                return
            started = True
        from app.jobs import periodic

        periodic.start_in_process(app.extensions[EXTENSION_KEY])
