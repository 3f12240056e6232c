"""Time to serve a discussion of 100, 1,000 and 10,000 comments, under gunicorn.

Two measurements per size:
- the article page (first page of top-level comments with their whole subtrees), requested
  by several client threads at once: median and 95th-percentile latency, requests/second;
- the full tree through the API: one reader walking every page of
  /api/v1/articles/<slug>/comments in the largest pages the API serves, as a client reading
  the whole discussion would. The walks of all sizes take turns, round after round, so a
  burst of noise from other processes falls on every size alike; the median is kept.

Run: .venv/bin/python -m benchmarks.comments_page [--requests 200] [--concurrency 4]
     [--per-page N] [--database-url URL]
(a fresh SQLite file by default; the database is emptied first).
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.api.comments import MAX_PER_PAGE  # noqa: E402
from benchmarks.harness import add_members, fresh_database, walk_full_tree  # noqa: E402
from tests.servers import running_server  # noqa: E402

SIZES = (100, 1_000, 10_000)
MEMBERS = 200
# Rounds of full-tree walks (one per size each round); the median per size is reported.
WALKS = 15


def prepare(database_url: str, sizes=SIZES) -> dict[int, str]:
    """An empty database with one article per size; returns {size: slug}."""
    from app.demo.load import generate_comments
    from app.extensions import db
    from tests.factories import make_article

    slugs = {}
    with fresh_database(database_url):
        member_ids = add_members(MEMBERS, show_badges=True)
        for size in sizes:
            article = make_article(f"A discussion of {size:,} comments", slug=f"bench-{size}")
            started = time.perf_counter()
            generate_comments(article.id, member_ids, size, random.Random(size))
            db.session.commit()
            print(f"generated {size:>6,} comments in {time.perf_counter() - started:.2f}s")
            slugs[size] = article.slug
    return slugs


def timed_get(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    response = session.get(url, timeout=60)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def page_load(url: str, total: int, concurrency: int) -> tuple[list[float], float]:
    """Latencies of `total` GETs of url from `concurrency` threads, and the wall time."""
    per_thread = total // concurrency

    def worker(_):
        with requests.Session() as session:
            timed_get(session, url)  # warm the connection and the worker
            return [timed_get(session, url) for _ in range(per_thread)]

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = [t for chunk in pool.map(worker, range(concurrency)) for t in chunk]
    return latencies, time.perf_counter() - started


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--per-page", type=int, default=MAX_PER_PAGE, help="threads per API page in the walk"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="comments-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        slugs = prepare(url)
        results = {}
        with running_server(url, workers=args.workers) as base:
            page_loads = {
                size: page_load(f"{base}/articles/{slugs[size]}", args.requests, args.concurrency)
                for size in SIZES
            }
            walks = {size: [] for size in SIZES}
            for _ in range(WALKS):
                for size in SIZES:
                    walks[size].append(walk_full_tree(base, slugs[size], args.per_page))
            for size in SIZES:
                latencies, wall = page_loads[size]
                api_seconds = statistics.median(walk.seconds for walk in walks[size])
                requests_made, received = walks[size][0].pages, walks[size][0].comments
                results[size] = (latencies, wall, api_seconds, requests_made, received)

    print(
        f"\nArticle page (first page of threads), {args.requests} requests, "
        f"{args.concurrency} client threads, gunicorn with {args.workers} workers:"
    )
    print(
        f"{'comments':>9} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} "
        f"{'API walk ms':>12} {'API pages':>10} {'received':>9}"
    )
    print(
        f"(full tree through the API in pages of up to {args.per_page:,} threads, "
        f"median of {WALKS} walks)"
    )
    for size, (latencies, wall, api_seconds, pages, received) in results.items():
        ordered = sorted(latencies)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"{size:>9,} {statistics.median(ordered) * 1000:>10.1f} {p95 * 1000:>8.1f} "
            f"{len(ordered) / wall:>8.1f} {api_seconds * 1000:>12.1f} {pages:>10} {received:>9,}"
        )
    page_ratio = statistics.median(results[10_000][0]) / statistics.median(results[1_000][0])
    api_ratio = results[10_000][2] / results[1_000][2]
    print(
        f"\nratio 10,000/1,000: article page {page_ratio:.2f}, full tree via API {api_ratio:.2f} "
        "(goal: at most 10)"
    )


if __name__ == "__main__":
    main()
