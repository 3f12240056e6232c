"""The site as the benchmarks set it up and read it: data, production settings, clients.

- `fresh_database`: an emptied, migrated database and the app to fill it with;
- `add_members`: the generated members who write the discussions;
- `production_env`: gunicorn's environment for the site as production runs it;
- `running_hello_world`: Flask's hello world under gunicorn, the yardstick;
- `gunicorn_processes`: the pids of a gunicorn master and its workers;
- `walk_full_tree`: one reader taking a whole discussion through the API, and what it cost;
- `wrk`: requests per second from wrk, refusing any answer that is not a success;
- `steady_rate`: requests per second of a server that takes long over each request.
"""

import http.client
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import requests

from app.api.comments import MAX_PER_PAGE
from tests.servers import running_gunicorn

HERE = Path(__file__).resolve().parent

WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_TIMEOUTS = re.compile(r"Socket errors:.*timeout (\d+)")


@contextmanager
def fresh_database(database_url: str):
    """Inside the app's context: the database emptied and migrated to the newest schema."""
    from flask_migrate import upgrade

    from app import create_app
    from app.database import enable_migrations
    from app.extensions import db
    from tests.conftest import _config_for, _drop_everything

    app = create_app(_config_for(database_url))
    enable_migrations(app)
    with app.app_context():
        _drop_everything()
        upgrade()
        yield app
        db.engine.dispose()


def add_members(count: int, prefix: str = "bench", *, show_badges: bool = False) -> list[int]:
    """`count` members of every community role in turn, committed; their ids.

    With `show_badges`, every other one shows their role beside their comments.
    """
    from app.extensions import db
    from app.models import CommunityRole, User

    roles = list(CommunityRole)
    members = [
        User(
            username=f"{prefix}{i}",
            password_hash="!",
            community_role=roles[i % 3],
            **({"show_role_badge": i % 2 == 0} if show_badges else {}),
        )
        for i in range(count)
    ]
    db.session.add_all(members)
    db.session.commit()
    return [member.id for member in members]


def production_env(database_url: str, redis_url: str, **settings: str) -> dict[str, str]:
    """What gunicorn needs to run the site with production settings, and any others given."""
    return {
        "FLASK_CONFIG": "production",
        "SECRET_KEY": "benchmark-only-secret",
        "BASE_URL": "http://127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        **settings,
    }


@contextmanager
def running_hello_world(workers: int):
    """Yield the base URL of gunicorn serving Flask's hello world (benchmarks/hello_app.py).

    It runs from this directory: the project's gunicorn.conf.py prepares the site's database
    in each worker, which hello world does not have.
    """
    with running_gunicorn("hello_app:app", workers=workers, cwd=HERE) as base_url:
        yield base_url


def comments_in(threads: list[dict]) -> int:
    """The comments of threads as the API nests them, replies at every depth included."""
    stack, count = list(threads), 0
    while stack:
        item = stack.pop()
        count += 1
        stack.extend(item["replies"])
    return count


def gunicorn_processes(port: int) -> tuple[int, list[int]]:
    """The master's pid and its workers', found by the address they were started on."""
    bind = f"127.0.0.1:{port}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"gunicorn" in command and bind in command.split(b"\0"):
                pids.append(int(entry.name))
    parents = {pid: _parent(pid) for pid in pids}
    masters = [pid for pid in pids if parents[pid] not in pids]
    assert len(masters) == 1, f"expected one gunicorn master on {port}, found {masters}"
    return masters[0], sorted(pid for pid in pids if parents[pid] == masters[0])


def _parent(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    return 0


class Walk(NamedTuple):
    """One reader's walk through a whole discussion."""

    seconds: float
    pages: int
    comments: int
    # Time on a CPU, which unlike `seconds` does not grow while other processes hold the
    # CPUs: the reader's thread (reading and parsing the JSON), and the server processes'.
    reader_cpu_seconds: float = 0.0
    server_cpu_seconds: float = 0.0


def walk_full_tree(
    base: str,
    slug: str,
    per_page: int = MAX_PER_PAGE,
    headers: dict[str, str] | None = None,
    server_pids: list[int] = (),
) -> Walk:
    """One reader taking every page of the discussion, as its JSON arrives and is parsed.

    What is measured starts after a first request, which opens the connection. `headers`
    replace the client's own (requests asks for br, gzip and deflate unless told otherwise).
    `server_pids` are the processes whose CPU time counts as the server's (its workers).
    """
    server = [task for pid in server_pids for task in Path(f"/proc/{pid}/task").iterdir()]
    with requests.Session() as session:
        session.headers.update(headers or {})
        url = f"{base}/api/v1/articles/{slug}/comments?per_page={per_page}"
        session.get(url, timeout=120).raise_for_status()
        reader_cpu, server_cpu = time.thread_time(), _cpu_seconds(server)
        started = time.perf_counter()
        page, pages, comments = 1, 1, 0
        while page <= pages:
            response = session.get(f"{url}&page={page}", timeout=120)
            response.raise_for_status()
            data = response.json()
            pages = data["pages"]
            comments += comments_in(data["items"])
            page += 1
        seconds = time.perf_counter() - started
        reader_cpu = time.thread_time() - reader_cpu
        server_cpu = _cpu_seconds(server) - server_cpu
        return Walk(seconds, pages, comments, reader_cpu, server_cpu)


def _cpu_seconds(tasks: list[Path]) -> float:
    """Seconds the threads (/proc/<pid>/task/<tid>) have run on a CPU, to the nanosecond."""
    return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks) / 1e9


def wrk(
    url: str,
    duration: str,
    *,
    connections: int = 16,
    headers: dict[str, str] | None = None,
    timeout: str | None = None,
) -> float:
    """Requests per second wrk (2 threads) measured; fails on an error answer or a timeout."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}"]
    if timeout:
        command.append(f"--timeout={timeout}")
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=_seconds(duration) + 60
    ).stdout
    errors = WRK_ERRORS.search(output)
    assert not errors, f"{url} answered {errors.group(1)} errors:\n{output}"
    timeouts = WRK_TIMEOUTS.search(output)
    assert not timeouts or timeouts.group(1) == "0", f"{url} timed out:\n{output}"
    return float(WRK_RATE.search(output).group(1))


def steady_rate(
    url: str, clients: int, seconds: float, headers: dict[str, str] | None = None
) -> tuple[float, int]:
    """Requests per second from `clients` that each ask again as soon as they are answered.

    Each client counts from its first answer to its last: the time between two of its answers
    is exactly one request's, so no request is cut off at either end, where wrk's count over
    a fixed time leaves out those in flight when it stops (a large share when each takes a
    second). The clients' rates add up to the server's. They go on after `seconds` until each
    has had 3 answers, and only answers that came while all of them were asking are counted.
    They read with http.client, whose reading a body costs little next to serving it.
    Returns the rate and how many answers were counted.
    """
    address = urlsplit(url)
    path = f"{address.path}?{address.query}" if address.query else address.path
    started = time.monotonic()
    answered: list[list[float]] = [[] for _ in range(clients)]
    stopped_at: list[float] = []

    def client(index: int) -> None:
        while not stopped_at:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
            try:
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                response.read()
                assert response.status == 200, f"{url} answered {response.status}"
            finally:
                connection.close()
            now = time.monotonic()
            answered[index].append(now)
            if now - started >= seconds and all(len(times) >= 3 for times in answered):
                stopped_at.append(now)
            assert now - started < 20 * seconds, f"{url}: too few answers in {20 * seconds} s"

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    counted = [[moment for moment in times if moment <= stopped_at[0]] for times in answered]
    rate = sum((len(times) - 1) / (times[-1] - times[0]) for times in counted)
    return rate, sum(len(times) - 1 for times in counted)


def _seconds(duration: str) -> float:
    """wrk's duration ("10s", "2m", "1h", or seconds) in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1] in units:
        return float(duration[:-1]) * units[duration[-1]]
    return float(duration)
