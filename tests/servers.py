"""Run the application under gunicorn against a test database, as production does."""

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on {port} within {timeout}s")


@contextmanager
def running_server(
    database_url: str,
    *,
    workers: int = 2,
    threads: int = 1,
    env=None,
    app="app:create_app()",
    options=(),
):
    """Yield the base URL of gunicorn serving the app on database_url (or another `app`).

    `options` go to gunicorn before the app, e.g. ("-c", "gunicorn_events.conf.py").
    """
    process_env = {"FLASK_CONFIG": "testing", "TEST_DATABASE_URL": database_url, **(env or {})}
    with running_gunicorn(
        app, workers=workers, threads=threads, env=process_env, options=options
    ) as base_url:
        yield base_url


@contextmanager
def running_gunicorn(
    app: str,
    *,
    workers: int = 2,
    threads: int = 1,
    env=None,
    options=(),
    python=sys.executable,
    cwd=ROOT,
):
    """Yield the base URL of gunicorn serving the WSGI `app`, run by `python` from `cwd`.

    gunicorn reads the gunicorn.conf.py of `cwd`: the project's, unless another directory is
    given (a peer installed in its own virtualenv, say). `options` go to gunicorn before the app.
    """
    port = free_port()
    command = [
        str(python),
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--graceful-timeout",
        "5",
        *options,
        app,
    ]
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})})
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_redis():
    """Yield the URL of a private, empty Redis server that stops afterwards."""
    import redis

    server = shutil.which("redis-server")
    # Production keeps limits, caches and jobs in Redis, so the suite needs it.
    assert server is not None, "redis-server is needed for this test: install Debian's redis"
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)
