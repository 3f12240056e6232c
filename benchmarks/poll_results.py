"""Poll results latency at 1,000 and 1,000,000 votes, and vote write throughput.

Run from the repository root: .venv/bin/python benchmarks/poll_results.py
It builds its own temporary SQLite database; with BENCH_DATABASE_URL set (a PostgreSQL URL
whose database may be emptied) it measures PostgreSQL as well. BENCH_LARGE_POLL changes the
size of the large poll (default 1,000,000 votes).
"""

import os
import random
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402
from tqdm import tqdm  # noqa: E402

from app import create_app  # noqa: E402
from app.cli.load import _load_author, create_poll_article, generate_votes  # noqa: E402
from app.database import enable_migrations  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Poll  # noqa: E402
from app.services.polls.results import build_results  # noqa: E402
from config import TestingConfig  # noqa: E402
from tests.servers import running_server  # noqa: E402

SMALL_POLL = 1_000
LARGE_POLL = int(os.environ.get("BENCH_LARGE_POLL", 1_000_000))
READS = 200
WORKERS = 4
WRITERS = 16
WRITES_PER_WRITER = 100
GOAL_RATIO = 1.5
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def make_app(url):
    config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    return create_app(config)


def prepare(url) -> dict:
    """A fresh schema with a small poll, a large poll and an empty poll for writes."""
    app = make_app(url)
    enable_migrations(app)
    polls = {}
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        rng = random.Random(1)
        author = _load_author()
        for number, size in enumerate((SMALL_POLL, LARGE_POLL, 0)):
            article = create_poll_article(author, rng, number)
            db.session.commit()
            started = time.perf_counter()
            with tqdm(total=size, unit="vote", desc=f"{size:>9,} votes", disable=not size) as bar:
                generate_votes(article.poll.id, [], size, rng, bar.update)
            if size:
                print(f"  generated {size:,} votes in {time.perf_counter() - started:.1f} s")
            polls[size] = (article.poll.id, article.slug)
        db.engine.dispose()
    return polls


def median_ms(samples) -> float:
    return statistics.median(samples) * 1000


def in_process_latency(url, poll_id) -> float:
    app = make_app(url)
    with app.app_context(), app.test_request_context():
        poll = db.session.get(Poll, poll_id)
        for _ in range(5):
            build_results(poll)
        samples = []
        for _ in range(READS):
            started = time.perf_counter()
            build_results(poll)
            samples.append(time.perf_counter() - started)
        db.engine.dispose()
    return median_ms(samples)


def http_latency(base, poll_id) -> float:
    session = requests.Session()
    url = f"{base}/api/v1/polls/{poll_id}/results"
    for _ in range(10):
        session.get(url, timeout=30).raise_for_status()
    samples = []
    for _ in range(READS):
        started = time.perf_counter()
        session.get(url, timeout=30).raise_for_status()
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def write_throughput(base, poll_id, slug) -> tuple[float, int]:
    """Anonymous readers voting and changing their votes as fast as the server takes them."""
    options = requests.get(f"{base}/api/v1/polls/{poll_id}", timeout=30).json()["options"]
    option_ids = [option["id"] for option in options]

    def writer(number):
        session = requests.Session()
        page = session.get(f"{base}/articles/{slug}", timeout=30).text
        token = CSRF_META.search(page).group(1)
        failures = 0
        for n in range(WRITES_PER_WRITER):
            response = session.post(
                f"{base}/api/v1/polls/{poll_id}/votes",
                json={"option_ids": [option_ids[(number + n) % len(option_ids)]], "role": "reader"},
                headers={"X-CSRFToken": token},
                timeout=60,
            )
            failures += response.status_code != 200
        return failures

    started = time.perf_counter()
    with ThreadPoolExecutor(WRITERS) as pool:
        failures = sum(pool.map(writer, range(WRITERS)))
    elapsed = time.perf_counter() - started
    return WRITERS * WRITES_PER_WRITER / elapsed, failures


def measure(name, url) -> None:
    print(f"\n== {name} ==")
    polls = prepare(url)
    small_id, large_id = polls[SMALL_POLL][0], polls[LARGE_POLL][0]
    in_small = in_process_latency(url, small_id)
    in_large = in_process_latency(url, large_id)
    env = {"ANONYMOUS_VOTE_RATE_LIMIT": "1000000 per hour"}
    with running_server(url, workers=WORKERS, env=env) as base:
        http_small = http_latency(base, small_id)
        http_large = http_latency(base, large_id)
        rate, failures = write_throughput(base, *polls[0])
    print(
        f"results latency, median of {READS} (small: {SMALL_POLL:,} votes, large: {LARGE_POLL:,})"
    )
    print(
        f"  build_results in-process  small {in_small:7.2f} ms   large {in_large:7.2f} ms"
        f"   ratio {in_large / in_small:.2f}"
    )
    print(
        f"  GET /results via gunicorn small {http_small:7.2f} ms   large {http_large:7.2f} ms"
        f"   ratio {http_large / http_small:.2f}  (goal <= {GOAL_RATIO})"
    )
    print(
        f"vote writes: {rate:,.0f} votes/s with {WORKERS} gunicorn workers and {WRITERS} "
        f"concurrent voters ({WRITERS * WRITES_PER_WRITER:,} votes, {failures} failed)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="boundaries-bench-") as tmp:
        measure("SQLite", f"sqlite:///{tmp}/bench.db")
    if os.environ.get("BENCH_DATABASE_URL"):
        measure("PostgreSQL", os.environ["BENCH_DATABASE_URL"])


if __name__ == "__main__":
    main()
