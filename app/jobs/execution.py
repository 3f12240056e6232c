"""What a job is and how one runs, the same way on every backend.

A job is named by its function's dotted path, so a name read back from Redis leads only to a
function of this app that was marked `@job`. Each run gets an application context of its own,
hence its own database session, and one transaction that commits when the job returns.
"""

import importlib

from flask import Flask, current_app, has_app_context

from app.transaction import in_transaction

# When a job raises, it is tried again after each of these delays, in seconds.
DEFAULT_RETRY_DELAYS = (10, 60, 300)
DEFAULT_TIMEOUT_SECONDS = 180

_worker_apps: list[Flask] = []


def job(func=None, *, retry_delays=DEFAULT_RETRY_DELAYS, timeout=DEFAULT_TIMEOUT_SECONDS):
    """Mark a function as a job.

    `retry_delays=()` is for work that must not run twice, such as generating load; `timeout`
    (seconds) is how long the RQ worker lets it run.
    """

    def mark(function):
        function.job_retry_delays = tuple(retry_delays)
        function.job_timeout = timeout
        return function

    return mark(func) if func is not None else mark


def job_name(func) -> str:
    if not hasattr(func, "job_retry_delays"):
        raise TypeError(f"{func.__qualname__} is not marked @job")
    return f"{func.__module__}.{func.__name__}"


def resolve(name: str):
    """The job function called `name`; a LookupError for anything that is not one."""
    module, _, attribute = name.rpartition(".")
    if not module.startswith("app."):
        raise LookupError(f"no job called {name!r}")
    function = getattr(importlib.import_module(module), attribute, None)
    if not hasattr(function, "job_retry_delays"):
        raise LookupError(f"no job called {name!r}")
    return function


def execute(app: Flask, name: str, args) -> None:
    """Run one job in a fresh application context: its own session, its own transaction."""
    function = resolve(name)
    with app.app_context():
        in_transaction(function)(*args)


def run(name: str, *args) -> None:
    """What the RQ worker calls for every job of this app."""
    execute(_worker_app(), name, args)


def _worker_app() -> Flask:
    # `flask --app app worker` runs jobs inside its own app context; a plain `rq worker`
    # builds the app once per process.
    if has_app_context():
        return current_app._get_current_object()
    if not _worker_apps:
        from app import create_app

        _worker_apps.append(create_app())
    return _worker_apps[0]
