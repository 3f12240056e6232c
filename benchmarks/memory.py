"""Memory of each gunicorn worker, read from /proc, as a 10,000-comment discussion is served.

gunicorn starts as production runs it (FLASK_CONFIG=production, sync workers, the app
preloaded by gunicorn.conf.py, Redis for the limits), on a fresh database holding one article
with 10,000 comments and one poll with votes. Each worker's memory is read at four moments:

1. idle, before any request;
2. after the article page (first page of threads with their subtrees), served by every worker;
3. after the full tree through the API: every page of /api/v1/articles/<slug>/comments;
4. after a poll's results (the API's and the insights page), which plan the small-cell
   suppression with NumPy and HiGHS.

VmRSS is what the goal counts (the resident memory of the process, shared pages included);
RssAnon is the part that is the process's own heap, Pss shares every shared page out among the
processes that map it (the master and the workers share what the preloaded app loaded).

Run: .venv/bin/python -m benchmarks.memory [--workers 2] [--database-url URL]
(a fresh SQLite file by default; the database given is emptied first).
"""

import argparse
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import (  # noqa: E402
    add_members,
    fresh_database,
    gunicorn_processes,
    production_env,
    walk_full_tree,
)
from tests.servers import running_redis, running_server  # noqa: E402

COMMENTS = 10_000
VOTES = 2_000
MEMBERS = 200
GOALS_MB = {"idle": 90, "after the article page": 130, "after the full tree (API)": 130}


def prepare(database_url: str) -> tuple[str, int]:
    """An empty database with the discussion and the poll: (article slug, poll id)."""
    from app.cli.load import _load_author, create_poll_article, generate_votes
    from app.demo.load import generate_comments
    from app.extensions import db
    from tests.factories import make_article

    with fresh_database(database_url):
        member_ids = add_members(MEMBERS)
        article = make_article(f"A discussion of {COMMENTS:,} comments", slug="bench-memory")
        started = time.perf_counter()
        generate_comments(article.id, member_ids, COMMENTS, random.Random(1))
        db.session.commit()
        print(f"generated {COMMENTS:,} comments in {time.perf_counter() - started:.1f} s")
        rng = random.Random(2)
        poll_article = create_poll_article(_load_author(), rng, 0)
        db.session.commit()
        generate_votes(poll_article.poll.id, [], VOTES, rng)
        db.session.commit()
        return article.slug, poll_article.poll.id


def _status(pid: int) -> dict[str, int]:
    """VmRSS, RssAnon and RssFile from /proc/<pid>/status, Pss from smaps_rollup, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            values[key] = int(rest.split()[0])
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            values["Pss"] = int(line.split()[1])
    return values


def wait_for_workers(port: int, count: int, timeout: float = 60.0) -> tuple[int, list[int]]:
    """The master and its workers once every worker has booted: its memory stopped growing."""
    deadline = time.monotonic() + timeout
    previous: dict[int, int] = {}
    while time.monotonic() < deadline:
        time.sleep(1.0)
        master, workers = gunicorn_processes(port)
        current = {pid: _status(pid)["VmRSS"] for pid in workers}
        if len(workers) == count and all(
            abs(current[pid] - previous.get(pid, 0)) < 64 for pid in workers
        ):
            return master, workers
        previous = current
    raise RuntimeError(f"{count} workers did not settle within {timeout}s")


def in_every_worker(urls: list[str], workers: int, rounds: int = 4) -> None:
    """Each URL requested by as many clients at once as there are workers, several times over:
    a sync worker serves one request at a time, so every worker gets its share."""

    def fetch(url):
        with requests.Session() as session:
            session.get(url, timeout=120).raise_for_status()

    with ThreadPoolExecutor(workers) as pool:
        for _ in range(rounds):
            for url in urls:
                list(pool.map(fetch, [url] * workers))


def measure(database_url: str, redis_url: str, workers: int) -> dict[str, list[dict]]:
    """Readings of every worker at each moment; "master" holds the master's when idle."""
    slug, poll_id = prepare(database_url)
    env = production_env(database_url, redis_url, LOG_LEVEL="WARNING")
    readings = {}
    with running_server(database_url, workers=workers, env=env) as base:
        port = int(base.rsplit(":", 1)[1])
        master, pids = wait_for_workers(port, workers)
        readings["master"] = [_status(master)]
        readings["idle"] = [_status(pid) for pid in pids]

        in_every_worker([f"{base}/articles/{slug}"], workers)
        readings["after the article page"] = [_status(pid) for pid in pids]

        with ThreadPoolExecutor(workers) as pool:
            for _ in range(3):
                walks = list(pool.map(lambda _: walk_full_tree(base, slug), range(workers)))
        received = [walk.comments for walk in walks]
        assert set(received) == {COMMENTS}, received
        readings["after the full tree (API)"] = [_status(pid) for pid in pids]

        in_every_worker(
            [f"{base}/api/v1/polls/{poll_id}/results", f"{base}/insights/polls/{poll_id}"],
            workers,
        )
        readings["after a poll's results"] = [_status(pid) for pid in pids]
        assert gunicorn_processes(port)[1] == pids, "a worker restarted during the run"
    return readings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp, running_redis() as redis:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        readings = measure(url, redis, args.workers)

    database = url.split(":", 1)[0].split("+")[0]
    master = readings.pop("master")[0]
    print(
        f"\nWorker memory, gunicorn with {args.workers} sync workers, FLASK_CONFIG=production, "
        f"{database}; the master (which loaded the app) {master['VmRSS'] / 1024:.1f} MB"
    )
    print(f"{'':28} {'VmRSS MB (each worker)':>24} {'RssAnon':>8} {'Pss':>7} {'goal':>9}")
    for stage, values in readings.items():
        rss = [v["VmRSS"] / 1024 for v in values]
        goal = GOALS_MB.get(stage)
        verdict = "" if goal is None else ("ok" if max(rss) <= goal else "OVER")
        print(
            f"{stage:28} {' / '.join(f'{mb:.1f}' for mb in rss):>24} "
            f"{max(v['RssAnon'] for v in values) / 1024:>8.1f} "
            f"{max(v['Pss'] for v in values) / 1024:>7.1f} "
            f"{'' if goal is None else f'<= {goal}':>6} {verdict}"
        )


if __name__ == "__main__":
    main()
