"""Engine settings: SQLite gets WAL, a busy timeout, foreign keys and immediate writes."""

import math
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from flask import current_app, has_request_context, request
from sqlalchemy import event

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 15000
SQLITE_CACHE_KIB = 32 * 1024
SQLITE_MMAP_BYTES = 256 * 1024 * 1024

# Set while a command that may write runs (see `writing_command`).
_command_writes: ContextVar[bool] = ContextVar("command_writes", default=False)


def enable_migrations(app) -> None:
    """Bind Flask-Migrate to `app`: adds `flask db …` and lets code call `flask_migrate.upgrade()`.

    create_app does it for commands; tests and scripts that migrate a database themselves
    call it first. Imported here, not at start, because Alembic weighs about 10 MB.
    """
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from app.extensions import db

    Migrate(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        compare_type=True,
        render_as_batch=True,
        include_object=include_object,
    )


def configure_engines(db):
    for engine in db.engines.values():
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)


def reads_only(view):
    """Marks a view that answers POST without writing (logging in, sending a reset link).

    Its transaction stays deferred, so slow work such as checking a password does not hold
    SQLite's write lock while votes and comments wait for it.
    """
    view.reads_only = True
    return view


@contextmanager
def writing_command(writes: bool = True):
    """While a command runs: its transactions take the write lock at BEGIN if it `writes`.

    `transaction.in_transaction` enters this for every command; a command that only
    reads says so with `@reads_only`.
    """
    token = _command_writes.set(writes)
    try:
        yield
    finally:
        _command_writes.reset(token)


def _begins_writing() -> bool:
    """Requests and commands that may write take SQLite's write lock at BEGIN.

    A deferred transaction that reads and then writes can fail at once with
    "database is locked" when another writer got there first; taking the lock
    up front lets the busy timeout queue concurrent writers instead. Reading
    requests, and anything outside a request or a writing command (scripts),
    stay deferred, so a process that only reads never holds the write lock
    while the site is serving.
    """
    if not has_request_context():
        return _command_writes.get()
    if request.method in READ_ONLY_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, "reads_only", False)


def _configure_sqlite(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # Keep a large discussion's pages in memory rather than re-reading them.
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
        try:
            cursor.execute("SELECT sqrt(4)")
        except engine.dialect.loaded_dbapi.OperationalError:
            # SQLite has sqrt() only when built with its math functions; common ground uses it.
            dbapi_connection.create_function("sqrt", 1, _sqrt, deterministic=True)
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _begins_writing() else "BEGIN")


def _sqrt(value):
    return None if value is None or value < 0 else math.sqrt(value)


# Full-text search objects are made by hand in migrations (FTS5 tables and their shadow
# tables on SQLite, GIN expression indexes on PostgreSQL); autogenerate must not drop them.
SEARCH_OBJECT_PREFIXES = ("article_search", "comment_search")


def include_object(obj, name, type_, reflected, compare_to):
    return not (name or "").startswith(SEARCH_OBJECT_PREFIXES)
