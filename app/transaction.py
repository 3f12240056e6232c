"""One transaction per request or command: committed when it succeeds, rolled back when it fails.

Views, commands and services never commit. A request that changes something (any method but
GET, HEAD and OPTIONS) is committed when it answers below 400 and rolled back otherwise; a
request that only reads is always rolled back, so nothing is written on a GET. A command is
committed when it returns and rolled back when it raises.

Work that must wait for the commit (mail, cache purges, jobs) is registered with
`after_commit` by the code that causes it: it runs once the transaction is committed, and is
dropped if the transaction is rolled back, so a failed request leaves nothing behind.
"""

from collections.abc import Callable
from functools import wraps

from flask import request

from app.database import writing_command
from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PENDING_KEY = "after_commit"


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` after the current transaction commits; never if it rolls back."""
    db.session.info.setdefault(PENDING_KEY, []).append(callback)


def commit() -> None:
    """End the transaction with a commit, then run what was waiting for it.

    The demo seeder and the load generator also call this to commit in batches.
    """
    db.session.commit()
    for callback in db.session.info.pop(PENDING_KEY, []):
        callback()


def rollback() -> None:
    db.session.info.pop(PENDING_KEY, None)
    db.session.rollback()


def register(app) -> None:
    @app.after_request
    def end_request_transaction(response):
        if request.method not in SAFE_METHODS and response.status_code < 400:
            commit()
        else:
            rollback()
        return response

    @app.teardown_request
    def roll_back_unfinished(error):
        # An exception no handler turned into a response skips after_request.
        if error is not None:
            rollback()


def in_transaction(command):
    """A command's transaction: committed when it returns, rolled back when it raises.

    Its transactions take SQLite's write lock at BEGIN, as writing requests do, unless
    the command is marked `@reads_only` (from app.database, put below this decorator).
    """
    writes = not getattr(command, "reads_only", False)

    @wraps(command)
    def run(*args, **kwargs):
        with writing_command(writes):
            try:
                result = command(*args, **kwargs)
            except BaseException:
                rollback()
                raise
            commit()
        return result

    return run
