"""The site as the benchmarks set it up and read it: data, production settings, clients.

- `fresh_database`: an emptied, migrated database and the app to fill it with;
- `add_members`: the generated members who write the discussions;
- `production_env`: gunicorn's environment for the site as production runs it;
- `running_hello_world`: Flask's hello world under gunicorn, the yardstick;
- `walk_full_tree`: one reader taking a whole discussion through the API;
- `wrk`: requests per second from wrk, refusing any answer that is not a success.
"""

import re
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

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


def walk_full_tree(base: str, slug: str, per_page: int = MAX_PER_PAGE) -> tuple[float, int, int]:
    """One reader taking every page of the discussion, as its JSON arrives and is parsed.

    Returns the seconds it took (after a first request that opens the connection), the
    pages fetched and the comments received.
    """
    with requests.Session() as session:
        url = f"{base}/api/v1/articles/{slug}/comments?per_page={per_page}"
        session.get(url, timeout=120).raise_for_status()
        started = time.perf_counter()
        page, pages, comments = 1, 1, 0
        while page <= pages:
            response = session.get(f"{url}&page={page}", timeout=120)
            response.raise_for_status()
            data = response.json()
            pages = data["pages"]
            comments += comments_in(data["items"])
            page += 1
        return time.perf_counter() - started, pages, comments


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


def _seconds(duration: str) -> float:
    """wrk's duration ("10s", "2m", "1h", or seconds) in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1] in units:
        return float(duration[:-1]) * units[duration[-1]]
    return float(duration)
