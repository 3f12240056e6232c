"""The whole 1,000-comment thread as JSON, beside Isso serving the same thread, in one run.

Isso (https://isso-comments.de), a self-hosted comment server, is the peer: it is installed
from PyPI into a virtualenv of its own (kept under ~/.cache/boundaries-benchmarks, made once),
with the same gunicorn as the site. One run:

1. generates discussions of 1,000 and 10,000 comments on the site (SQLite), and stores the
   1,000 comments (same texts, authors, times and replies) in Isso's SQLite database through
   Isso's own storage code (benchmarks/isso_load.py);
2. starts gunicorn with 2 sync workers three times: Flask's hello world
   (benchmarks/hello_app.py), Isso (`isso.run:application`) and the site as production runs
   it (a private redis-server);
3. measures, in turns for --rounds rounds:
   - hello world with `wrk -t2 -c4`, the yardstick of what the machine serves at all;
   - Isso's whole thread as its client asks for it when it shows every comment
     (`GET /?uri=…&sort=oldest&offset=0`, no `limit` and no `nested_limit`), by 4 clients
     that each ask again as soon as answered, for --isso-seconds. Isso takes about a second
     over each request, so each client's rate is counted between its own answers
     (benchmarks/harness.py, `steady_rate`), where wrk would leave out the requests in
     flight when it stops;
   - the site's whole thread, `GET /api/v1/articles/<slug>/comments?per_page=1000`, by the
     same 4 clients for --seconds, and by `wrk -t2 -c4`;
   the ratio to Isso is the site's rate over Isso's, both taken by the same clients;
4. walks the full tree of each discussion through the API as one reader (every page of up to
   1,000 threads, each answer parsed), --walks times in turns, and keeps the median of the
   time each walk took and of the time it spent on a CPU, in the reader's thread (reading
   and parsing the JSON) and in the gunicorn workers (serving it). While other processes
   hold the two cores, a walk whose bursts of work are long waits for them longer than one
   whose bursts are short, so its time grows faster than its work; its CPU time does not.

It prints each round, then the medians: the site's requests per second over Isso's (goal: at
least 50) and reading 10,000 comments over reading 1,000, in time and in CPU time (goal: at
most 10). Every request asks for the JSON as it is (`Accept-Encoding: identity`, or no header
from wrk): Isso never compresses, and the site, which does when asked, would be measured
compressing. Needs `wrk` and `redis-server`. With the defaults a run takes about
4 minutes once Isso is installed (`whole run` is printed at the end); every wait on a server
or a tool is bounded.

Run: .venv/bin/python -m benchmarks.isso_thread [--rounds 3] [--seconds 10]
     [--isso-seconds 30] [--walks 15]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.api.comments import MAX_PER_PAGE  # noqa: E402
from benchmarks.comments_page import prepare  # noqa: E402
from benchmarks.harness import (  # noqa: E402
    comments_in,
    gunicorn_processes,
    production_env,
    running_hello_world,
    steady_rate,
    walk_full_tree,
    wrk,
)
from tests.servers import free_port, running_gunicorn, running_redis, running_server  # noqa: E402

# The newest Isso on PyPI when this was written; it installs on Python 3.11.
ISSO_VERSION = "0.14.0"
WORKERS = 2
# Two waiting on each worker, so none waits for the next request.
CLIENTS = 2 * WORKERS
# The JSON as it is: Isso never compresses.
IDENTITY = {"Accept-Encoding": "identity"}
THREAD = 1_000
SIZES = (THREAD, 10_000)
GOAL_OVER_ISSO = 50
GOAL_GROWTH = 10
# Longest that setting up Isso's virtualenv or loading its thread may take.
SETUP_SECONDS = 600


def isso_python(isso_version: str) -> Path:
    """The Python of a virtualenv holding Isso and the site's gunicorn, made if missing."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    home = cache / "boundaries-benchmarks" / f"isso-{isso_version}"
    python = home / "bin" / "python"
    ready = home / "installed"
    if not ready.exists():
        print(f"installing Isso {isso_version} into {home}")
        subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(home)], check=True, timeout=SETUP_SECONDS
        )
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                f"isso=={isso_version}",
                f"gunicorn=={version('gunicorn')}",
            ],
            check=True,
            timeout=SETUP_SECONDS,
        )
        ready.touch()
    return python


def thread_of(database_url: str, slug: str) -> list[dict]:
    """The article's comments, parents first, as benchmarks/isso_load.py reads them."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Article, Comment, User
    from tests.conftest import _config_for

    app = create_app(_config_for(database_url))
    with app.app_context():
        rows = db.session.execute(
            select(Comment.id, Comment.parent_id, Comment.body_markdown, User, Comment.created_at)
            .join(Article, Article.id == Comment.article_id)
            .join(User, User.id == Comment.author_id)
            .where(Article.slug == slug)
            .order_by(Comment.id)
        ).all()
        comments = [
            {
                "id": comment_id,
                "parent_id": parent_id,
                "text": text,
                "author": author.username,
                # Each member writes from an address of their own.
                "address": f"10.{author.id // 250}.{author.id % 250}.7",
                "created": created_at.timestamp(),
            }
            for comment_id, parent_id, text, author, created_at in rows
        ]
        db.engine.dispose()
    return comments


def isso_settings(directory: Path) -> Path:
    """Isso's settings: its SQLite database, no moderation, and a site nobody serves."""
    settings = directory / "isso.cfg"
    # Isso asks the site it serves for a page when it starts; nothing listens on this port,
    # so it is told at once that the site is down, and says so in its log.
    settings.write_text(
        f"[general]\ndbpath = {directory / 'isso.db'}\n"
        f"host = http://127.0.0.1:{free_port()}/\n"
        "[moderation]\nenabled = false\n"
        "[guard]\nenabled = false\n"
    )
    return settings


def load_into_isso(python: Path, settings: Path, uri: str, comments: list[dict]) -> None:
    loaded = subprocess.run(
        [str(python), str(ROOT / "benchmarks" / "isso_load.py"), str(settings), uri, uri],
        input=json.dumps(comments),
        capture_output=True,
        text=True,
        check=True,
        timeout=SETUP_SECONDS,
    )
    assert int(loaded.stdout) == len(comments), loaded


def isso_thread_url(base: str, uri: str) -> str:
    """The whole thread, asked for as Isso's client does when it shows every comment."""
    return f"{base}/?{urlencode({'uri': uri, 'sort': 'oldest', 'offset': 0})}"


def received_from_isso(url: str) -> tuple[int, int]:
    """Comments in Isso's answer (top-level ones and their replies), and its bytes."""
    response = requests.get(url, headers=IDENTITY, timeout=600)
    response.raise_for_status()
    thread = response.json()
    comments = sum(1 + len(comment["replies"]) for comment in thread["replies"])
    return comments, len(response.content)


def received_from_site(url: str) -> tuple[int, int]:
    """Comments in the site's answer (replies at every depth), and its bytes."""
    response = requests.get(url, headers=IDENTITY, timeout=600)
    response.raise_for_status()
    page = response.json()
    assert page["pages"] == 1, "the whole thread comes in one answer"
    return comments_in(page["items"]), len(response.content)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="of each run but Isso's")
    parser.add_argument("--isso-seconds", type=int, default=30, help="of each run on Isso")
    parser.add_argument("--walks", type=int, default=15, help="full-tree walks of each size")
    parser.add_argument("--isso-version", default=ISSO_VERSION)
    args = parser.parse_args(argv)
    for tool in ("wrk", "redis-server"):
        assert shutil.which(tool), f"{tool} is needed: apt-get install {tool}"
    started = time.monotonic()

    python = isso_python(args.isso_version)
    with tempfile.TemporaryDirectory(prefix="isso-thread-bench-") as tmp:
        directory = Path(tmp)
        database_url = f"sqlite:///{directory / 'site.db'}"
        slugs = prepare(database_url, SIZES)
        uri = f"/articles/{slugs[THREAD]}"
        settings = isso_settings(directory)
        load_into_isso(python, settings, uri, thread_of(database_url, slugs[THREAD]))
        with (
            running_redis() as redis_url,
            running_hello_world(WORKERS) as hello,
            running_gunicorn(
                "isso.run:application",
                workers=WORKERS,
                python=python,
                cwd=directory,
                env={"ISSO_SETTINGS": str(settings)},
            ) as isso,
            running_server(
                database_url,
                workers=WORKERS,
                env=production_env(database_url, redis_url, LOG_LEVEL="WARNING"),
            ) as site,
        ):
            isso_url = isso_thread_url(isso, uri)
            site_url = f"{site}/api/v1/articles/{slugs[THREAD]}/comments?per_page={MAX_PER_PAGE}"
            sizes = {}
            for name, received in (
                ("Isso", received_from_isso(isso_url)),
                ("ours", received_from_site(site_url)),
            ):
                comments, sizes[name] = received
                assert comments == THREAD, f"{name} answered {comments} comments, not {THREAD}"
            wrk_time = f"{args.seconds}s"
            runs = {
                "hello world": lambda: (wrk(f"{hello}/", wrk_time, connections=CLIENTS), None),
                "Isso": lambda: steady_rate(isso_url, CLIENTS, args.isso_seconds, IDENTITY),
                "ours": lambda: steady_rate(site_url, CLIENTS, args.seconds, IDENTITY),
                "ours, wrk": lambda: (wrk(site_url, wrk_time, connections=CLIENTS), None),
            }
            rates = {name: [] for name in runs}
            answers = {name: [] for name in runs}
            for round_number in range(1, args.rounds + 1):
                for name, run in runs.items():
                    rate, counted = run()
                    rates[name].append(rate)
                    answers[name].append(counted)
                print(
                    f"round {round_number}: "
                    + ", ".join(f"{name} {rates[name][-1]:,.2f} req/s" for name in runs)
                    + f" (Isso answered {answers['Isso'][-1]} in the time counted); "
                    + f"ours/Isso {rates['ours'][-1] / rates['Isso'][-1]:,.1f}",
                    flush=True,
                )
            workers = gunicorn_processes(int(site.rsplit(":", 1)[1]))[1]
            walks = {size: [] for size in SIZES}
            for _ in range(args.walks):
                for size in SIZES:
                    walk = walk_full_tree(site, slugs[size], headers=IDENTITY, server_pids=workers)
                    walks[size].append(walk)

    report(args, rates, sizes, walks)
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")


def report(args, rates: dict, sizes: dict, walks: dict) -> None:
    median = {name: statistics.median(values) for name, values in rates.items()}
    over_isso = median["ours"] / median["Isso"]
    print(
        f"\ngunicorn {WORKERS} sync workers each; {CLIENTS} clients, median of {args.rounds} "
        f"rounds taken in turns ({args.isso_seconds} s on Isso, {args.seconds} s on the others)"
    )
    print(f"the whole thread of {THREAD:,} comments as JSON:")
    print(f"{'':<36}{'req/s':>10}{'bytes':>11}{'ours/Isso':>11}")
    rows = (
        ("Flask hello world (wrk)", "hello world"),
        (f"Isso {args.isso_version}", "Isso"),
        ("ours (the same clients as Isso)", "ours"),
        ("ours (wrk)", "ours, wrk"),
    )
    for label, name in rows:
        line = f"{label:<36}{median[name]:>10,.2f}"
        if name != "hello world":
            line += f"{sizes['ours' if name.startswith('ours') else name]:>11,}"
        if name.startswith("ours"):
            line += f"{median[name] / median['Isso']:>10,.1f}x"
        print(line)
    per_round = [ours / isso for ours, isso in zip(rates["ours"], rates["Isso"], strict=True)]
    verdict = "ok" if min(per_round) >= GOAL_OVER_ISSO else "below"
    each = ", ".join(f"{ratio:,.1f}x" for ratio in per_round)
    print(
        f"ours/Isso {over_isso:,.1f}x; in each round {each} (goal >= {GOAL_OVER_ISSO}x) {verdict}"
    )

    print(
        f"\nthe full tree through the API, one reader, median of {args.walks} walks in turns "
        "(CPU: time on a CPU, of the reader's thread and of the gunicorn workers):"
    )
    print(f"{'':<16}{'time ms':>10}{'CPU ms':>10}{'reader':>10}{'server':>10}{'requests':>10}")
    took = {}
    for size in SIZES:
        walk = walks[size][0]
        assert walk.comments == size, f"the walk of {size:,} received {walk.comments:,} comments"
        took[size] = {
            label: statistics.median(measure(walk) for walk in walks[size])
            for label, measure in (
                ("time", lambda walk: walk.seconds),
                ("CPU", lambda walk: walk.reader_cpu_seconds + walk.server_cpu_seconds),
                ("reader", lambda walk: walk.reader_cpu_seconds),
                ("server", lambda walk: walk.server_cpu_seconds),
            )
        }
        print(
            f"{size:>7,} comments"
            + "".join(f"{seconds * 1000:>10.1f}" for seconds in took[size].values())
            + f"{walk.pages:>10}"
        )
    for label in ("time", "CPU"):
        growth = took[10_000][label] / took[THREAD][label]
        verdict = "ok" if growth <= GOAL_GROWTH else "over"
        print(f"ratio 10,000/1,000, {label}: {growth:.2f} (goal <= {GOAL_GROWTH}) {verdict}")


if __name__ == "__main__":
    main()
