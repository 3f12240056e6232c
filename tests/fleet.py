"""The site as deploy/ runs it, on one machine: app servers and a job worker, one PostgreSQL
database and one Redis, and a browser that reaches the servers as nginx passes requests on.

Every run gets a PostgreSQL database of its own on the machine's server (made, migrated and
dropped again) and an unused database number on the machine's Redis (emptied afterwards).
The processes run with FLASK_CONFIG=production and each in a process group of its own, so a
test can kill a server with every worker it forked.
"""

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from uuid import uuid4

import redis
import requests
from flask import Flask
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.factories import DEFAULT_PASSWORD
from tests.servers import ROOT, free_port
from tests.smtp_sink import SmtpSink, running_smtp_sink

PG_URL_BASE = os.environ.get("PG_URL_BASE", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("TEST_FLEET_REDIS", "redis://127.0.0.1:6379")
SITE_ADDRESS = "https://boundaries.test"
REDIS_CLAIM = "boundaries-test-claim"
START_SECONDS = 90
REQUEST_SECONDS = 30
CSRF = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"'
)


@contextmanager
def fresh_postgres_database():
    """Yield the URL of a new, empty database on the machine's PostgreSQL; dropped afterwards."""
    name = f"boundaries_fleet_{os.getpid()}_{uuid4().hex[:8]}"
    admin = create_engine(f"{PG_URL_BASE}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_URL_BASE}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def empty_redis_database():
    """Yield the URL of a database number nobody uses on the machine's Redis; emptied after."""
    for number in range(15, 0, -1):
        client = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
        try:
            # Marked as taken, so that a run beside this one picks another number.
            if client.dbsize() == 0 and client.set(REDIS_CLAIM, os.getpid(), nx=True):
                break
        except redis.ResponseError:  # the server has fewer databases
            pass
        client.close()
    else:
        raise AssertionError(f"no empty database number left on {REDIS_SERVER}")
    try:
        yield f"{REDIS_SERVER}/{number}"
    finally:
        client.flushdb()
        client.close()


def production_settings(database_url: str, redis_url: str, mail_port: int) -> dict[str, str]:
    """What /etc/boundaries/env holds on every machine (deploy/boundaries.env.example)."""
    return {
        "FLASK_CONFIG": "production",
        "SECRET_KEY": uuid4().hex + uuid4().hex,
        "BASE_URL": SITE_ADDRESS,
        "PROXY_HOPS": "1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "MAIL_USE_TLS": "",
        "LOG_LEVEL": "WARNING",
    }


class Fleet:
    """App servers under gunicorn (the repository's gunicorn.conf.py) and one job worker;
    with `events`, the server of live discussion's event streams too (gunicorn_events.conf.py,
    one gevent worker)."""

    def __init__(
        self, settings: dict[str, str], *, servers: int = 2, workers: int = 2, events=False
    ):
        self.environment = {**os.environ, **settings}
        self.ports = [free_port() for _ in range(servers)]
        self.events_port = free_port() if events else None
        self.workers = workers
        self.processes: list[subprocess.Popen] = []

    @property
    def servers(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    @property
    def events_server(self) -> str:
        assert self.events_port is not None, "this fleet runs no event-stream server"
        return f"http://127.0.0.1:{self.events_port}"

    def run(self, *arguments: str) -> None:
        """A `flask --app app …` command with the site's settings, such as `db upgrade`."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", *arguments],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def start(self) -> None:
        """Start every server and the worker (again, after `kill`); wait until servers answer."""
        for port in self.ports:
            self._spawn(
                "-m",
                "gunicorn",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
                # Servers side by side on one machine would share the default socket's path.
                "--no-control-socket",
                "app:create_app()",
            )
        if self.events_port is not None:
            self._spawn(
                "-m",
                "gunicorn",
                "-c",
                "gunicorn_events.conf.py",
                "--bind",
                f"127.0.0.1:{self.events_port}",
                "--log-level",
                "warning",
                "app:create_app()",
            )
        self._spawn("-m", "flask", "--app", "app", "worker")
        for base in self.servers + ([self.events_server] if self.events_port else []):
            self._wait_until_healthy(base)

    def kill(self) -> None:
        """SIGKILL to every process, the gunicorn workers and RQ's scheduler included."""
        for process in self.processes:
            os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait()
        self.processes = []

    def stop(self) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def _spawn(self, *arguments: str) -> None:
        process = subprocess.Popen(
            [sys.executable, *arguments],
            cwd=ROOT,
            env=self.environment,
            start_new_session=True,
        )
        self.processes.append(process)

    def _wait_until_healthy(self, base: str) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args} exited with {process.returncode}")
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{base} was not healthy within {START_SECONDS} s")


@dataclass
class Site:
    fleet: Fleet
    mail: SmtpSink
    # The test's own connection to the site's database, to set up records and count them.
    app: Flask

    @property
    def servers(self) -> list[str]:
        return self.fleet.servers


@contextmanager
def running_site(*, mail_pause: float = 0.0, events: bool = False):
    """Yield a Site: migrated database, two app servers and a worker running, mail caught;
    with `events`, the event-stream server of live discussion too."""
    with ExitStack() as stack:
        database_url = stack.enter_context(fresh_postgres_database())
        redis_url = stack.enter_context(empty_redis_database())
        mail = stack.enter_context(running_smtp_sink(mail_pause))
        fleet = Fleet(production_settings(database_url, redis_url, mail.port), events=events)
        fleet.run("db", "upgrade")
        config = type(
            "FleetTestConfig",
            (TestingConfig,),
            {"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url},
        )
        app = create_app(config)
        stack.callback(_close_connections, app)
        stack.callback(fleet.stop)
        fleet.start()
        yield Site(fleet, mail, app)


def _close_connections(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Browser:
    """One person's browser, its requests passed on to an app server as nginx passes them.

    nginx says the request came over HTTPS (X-Forwarded-Proto) and from which address
    (X-Forwarded-For; the servers trust one proxy). Cookies do not depend on the port, so
    what one server sets goes to all of them, as it does behind one public address; the test
    chooses which server answers each request, as nginx's upstream would.
    """

    def __init__(self, address: str):
        self.address = address
        self.http = requests.Session()
        self.http.headers.update({"X-Forwarded-For": address, "X-Forwarded-Proto": "https"})
        self.csrf = ""

    def copy(self, address: str) -> "Browser":
        """Another browser holding this one's cookies, as someone who copied them would."""
        other = Browser(address)
        for cookie in self.http.cookies:
            other.http.cookies.set_cookie(cookie)
        other.csrf = self.csrf
        return other

    def get(self, url: str, **headers: str) -> requests.Response:
        response = self.http.get(
            url, headers=headers, allow_redirects=False, timeout=REQUEST_SECONDS
        )
        return self._over_tls(response)

    def post(self, url: str, **kwargs) -> requests.Response:
        # Sent from a page of the same site, over HTTPS as far as the server can tell.
        headers = {"Referer": "https://" + url.split("://", 1)[1], **kwargs.pop("headers", {})}
        response = self.http.post(
            url, headers=headers, allow_redirects=False, timeout=REQUEST_SECONDS, **kwargs
        )
        return self._over_tls(response)

    def _over_tls(self, response: requests.Response) -> requests.Response:
        # The browser sends its Secure cookies to nginx over HTTPS; this one reaches the
        # servers over plain HTTP, where requests would hold them back.
        for cookie in self.http.cookies:
            cookie.secure = False
        return response

    def submit(self, url: str, **fields) -> requests.Response:
        """Post a form with this browser's CSRF token."""
        return self.post(url, data={"csrf_token": self.csrf, **fields})

    def read_token(self, url: str) -> requests.Response:
        """Open a page and keep the CSRF token it carries."""
        page = self.get(url)
        match = CSRF.search(page.text)
        assert match, f"no CSRF token on {url} ({page.status_code})"
        self.csrf = match.group(1) or match.group(2)
        return page

    def log_in(self, base: str, username: str, *, remember: bool = False) -> requests.Response:
        self.read_token(f"{base}/account/login")
        fields = {"username": username, "password": DEFAULT_PASSWORD}
        if remember:
            fields["remember_me"] = "y"
        return self.submit(f"{base}/account/login", **fields)

    def close(self) -> None:
        self.http.close()
