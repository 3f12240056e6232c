"""Settings gunicorn reads from the project's root (`gunicorn 'app:create_app()'`).

The application is loaded once, in the master, before the workers are forked: they share its
memory pages until they write to them, and a worker that restarts is ready at once. Nothing in
create_app opens a database connection, and each worker drops the engine's pool after the
fork anyway, so no socket is ever shared between processes (Redis clients reconnect by
themselves when they notice the fork).
"""

import gc
import os
from pathlib import Path

preload_app = True


def on_starting(server):
    """Under several workers, Prometheus numbers live in files; a new server starts from zero."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()


def pre_fork(server, worker):
    """Objects loaded so far are never collected: the collector leaves their pages shared."""
    gc.freeze()


def post_fork(server, worker):
    """A fresh connection pool per worker: connections must not cross a fork."""
    from app.extensions import db

    application = server.app.wsgi()
    if "sqlalchemy" not in application.extensions:
        return  # another app served with these settings: the benchmarks' hello world
    with application.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def post_worker_init(worker):
    """Leave the loaded application out of the garbage collector's full passes.

    Its objects live as long as the worker; without this, every full pass walks all of
    them again, and a large response triggers several.
    """
    gc.freeze()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
