"""The article page beside Flask's hello world, for anonymous readers and for a member.

In one run, with the same gunicorn (2 sync workers) and wrk (-t2 -c16 -d10s) settings:
- Flask's hello world (benchmarks/hello_app.py), the yardstick;
- the article page with its poll and 100 comments as anonymous readers get it (no cookie:
  the copy every anonymous reader shares, kept in Redis as in production);
- the same page for a logged-in member (wrk sends the member's session cookie): the copy kept
  for that member, and, from a second server started with KEEP_MEMBER_PAGES=0, the page
  rendered for each request, which is what a member's first view of a page costs.
Each is measured for every Accept-Encoding in --encodings (`br` and `gzip`, which browsers
send, and none: the body as rendered), hello world with the same header. They take turns for
--rounds rounds and the median of each is kept; the ratios to hello world with the same header
are printed beside the goals (anonymous at least 25%, member at least 5%).

Then how long a change takes to reach anonymous readers: a comment posted by the member (it
renews the page's version when it commits), and an anonymous vote (pages that show a poll are
kept at most POLL_RESULTS_LAG seconds).

The site runs as production does (FLASK_CONFIG=production, a private redis-server, SQLite in a
temporary directory). Needs `wrk` and `redis-server` (Debian: apt-get install wrk redis-server).

Run: .venv/bin/python -m benchmarks.http_cache [--rounds 3] [--duration 10s]
     [--encodings br,gzip,none]
"""

import argparse
import random
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import production_env  # noqa: E402
from tests.servers import running_redis, running_server  # noqa: E402

COMMENTS = 100
AUTHORS = 50
SEED_VOTES = 40
WORKERS = 2
MEMBER = "bench_reader"
SLUG = "friend-your-therapist"
QUESTION = "Would you accept a friend request from your therapist?"
# The member's login is bound to the browser it started in (Flask-Login's session protection):
# every request of this script and of wrk says it comes from the same one.
USER_AGENT = "boundaries-benchmark"
GOALS = {"anonymous": 0.25, "member": 0.05}
# "none" sends no Accept-Encoding: the page as rendered, as the first benchmark measured it.
NO_ENCODING = "none"
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
VOTERS = re.compile(r"([\d,]+) voters")
COUNT = re.compile(r'class="discussion-count">(\d+) comments')
POLL = re.compile(r'data-panel-url="/polls/(\d+)/panel"')
OPTION = re.compile(r'name="option_ids"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="option_ids"')


def prepare(database_url: str) -> None:
    """A migrated database with the article, its poll, 100 comments, votes and the member."""
    from flask_migrate import upgrade

    from app import create_app, transaction
    from app.database import enable_migrations
    from app.demo.load import generate_comments
    from app.extensions import db
    from app.models import CommunityRole, ResultsVisibility, User, utcnow
    from app.services.polls.voting import cast_vote
    from tests.conftest import _config_for, _drop_everything
    from tests.factories import make_article, make_user

    app = create_app(_config_for(database_url))
    enable_migrations(app)
    with app.app_context():
        _drop_everything()
        upgrade()
        roles = list(CommunityRole)
        authors = [
            User(username=f"author{i}", password_hash="!", community_role=roles[i % 3])
            for i in range(AUTHORS)
        ]
        db.session.add_all(authors)
        # An established member, whose comments appear without waiting for review.
        make_user(
            MEMBER,
            role="client",
            approved_comment_count=10,
            trust_score=10,
            created_at=utcnow() - timedelta(days=90),
        )
        article = make_article(
            "Would you friend your therapist?",
            slug=SLUG,
            poll_question=QUESTION,
            poll_options=("Yes", "No", "It depends"),
            allow_anonymous=True,
            results_visibility=ResultsVisibility.ALWAYS,
        )
        rng = random.Random(12)
        generate_comments(article.id, [a.id for a in authors], COMMENTS, rng)
        options = [option.id for option in article.poll.options]
        for n in range(SEED_VOTES):
            cast_vote(article.poll, [rng.choice(options)], voter_token=f"seed-{n}", role="client")
        transaction.commit()
        db.engine.dispose()


def get(url: str, cookie: str | None = None) -> requests.Response:
    """A GET from the benchmark's browser, with no cookie but the one given."""
    return _send("GET", url, cookie)


def post(url: str, cookie: str | None = None, **kwargs) -> requests.Response:
    return _send("POST", url, cookie, **kwargs)


def _send(method: str, url: str, cookie: str | None, headers=None, **kwargs):
    # Cookies are sent by hand: production marks the session cookie Secure, and no cookie of
    # one request may reach the anonymous ones.
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    if cookie:
        headers["Cookie"] = cookie
    return requests.request(
        method, url, headers=headers, allow_redirects=False, timeout=30, **kwargs
    )


def session_cookie(response: requests.Response, default: str | None = None) -> str | None:
    return f"session={response.cookies['session']}" if "session" in response.cookies else default


def log_in(base: str) -> str:
    """The member's session cookie, as `name=value`, once their session has settled."""
    from tests.conftest import csrf_token
    from tests.factories import DEFAULT_PASSWORD

    page = get(f"{base}/account/login")
    response = post(
        f"{base}/account/login",
        session_cookie(page),
        data={
            "csrf_token": csrf_token(page.text),
            "username": MEMBER,
            "password": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 302, f"login answered {response.status_code}"
    cookie = session_cookie(response)
    # The first page shows the welcome message and puts the member's CSRF token in the
    # session, as a browser keeps it; from then on the cookie stays the same.
    for _ in range(2):
        cookie = session_cookie(get(f"{base}/articles/{SLUG}", cookie), cookie)
    settled = get(f"{base}/articles/{SLUG}", cookie)
    assert "Set-Cookie" not in settled.headers, "the member's session keeps changing"
    return cookie


def accepting(encoding: str) -> dict[str, str]:
    """The request header that asks for `encoding`; none at all for NO_ENCODING."""
    return {} if encoding == NO_ENCODING else {"Accept-Encoding": encoding}


def wrk(url: str, duration: str, encoding: str, cookie: str | None = None) -> float:
    headers = {"User-Agent": USER_AGENT, **accepting(encoding)}
    if cookie:
        headers["Cookie"] = cookie
    command = ["wrk", "-t2", "-c16", f"-d{duration}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = ERRORS.search(output)
    assert not errors, f"{url} answered {errors.group(1)} errors:\n{output}"
    return float(RATE.search(output).group(1))


def check_pages(article_url: str, cookie: str) -> None:
    """What each reader gets: a shared, public page; the member's own, private one."""
    anonymous = get(article_url)
    member = get(article_url, cookie)
    assert anonymous.headers["Cache-Control"].startswith("public"), anonymous.headers
    assert "Set-Cookie" not in anonymous.headers
    assert member.headers["Cache-Control"].startswith("private"), member.headers
    assert MEMBER in member.text and MEMBER not in anonymous.text
    assert anonymous.text.count('class="comment') >= COMMENTS


def sizes_sent(article_url: str, cookie: str, encoding: str) -> dict[str, int]:
    """The bytes each reader's page takes on the wire in `encoding`."""
    sizes = {}
    for name, with_cookie in (("anonymous", None), ("member", cookie)):
        # requests asks for gzip and deflate unless told otherwise.
        headers = accepting(encoding) or {"Accept-Encoding": "identity"}
        response = _send("GET", article_url, with_cookie, headers, stream=True)
        sent = response.raw.read(decode_content=False)
        expected = None if encoding == NO_ENCODING else encoding
        assert response.headers.get("Content-Encoding") == expected, (name, response.headers)
        assert int(response.headers["Content-Length"]) == len(sent), name
        sizes[name] = len(sent)
    return sizes


def until_seen(url: str, seen, timeout: float) -> float:
    """Seconds until an anonymous reader's page satisfies `seen`."""
    started = time.monotonic()
    while not seen(get(url).text):
        assert time.monotonic() - started < timeout, f"not seen within {timeout} s"
        time.sleep(0.05)
    return time.monotonic() - started


def freshness(base: str, cookie: str, lag: int) -> tuple[float, float]:
    """Seconds until anonymous readers see a member's new comment, and a new vote."""
    from tests.conftest import csrf_token

    article_url = f"{base}/articles/{SLUG}"
    newest_url = f"{article_url}?sort=newest"
    for url in (article_url, newest_url):
        get(url)  # the shared pages are kept
    count = int(COUNT.search(get(article_url).text).group(1))
    # Letters only: many digits in a comment would hold it for review (identity signals).
    marker = "".join(random.choices(string.ascii_lowercase, k=16))
    text = f"A new comment, {marker}, on the boundaries question."
    posted = post(
        f"{article_url}/comments",
        cookie,
        data={"csrf_token": csrf_token(get(article_url, cookie).text), "body": text},
    )
    assert posted.status_code == 302, f"the comment answered {posted.status_code}"
    comment_delay = max(
        until_seen(newest_url, lambda html: text in html, timeout=lag + 5),
        until_seen(article_url, lambda html: f"{count + 1} comments" in html, timeout=lag + 5),
    )

    page = get(article_url).text
    before = int(VOTERS.search(page).group(1).replace(",", ""))
    poll_id = POLL.search(page).group(1)
    option_id = int(next(group for group in OPTION.search(page).groups() if group))
    issued = get(f"{base}/csrf-token")
    voted = post(
        f"{base}/api/v1/polls/{poll_id}/votes",
        session_cookie(issued),
        json={"option_ids": [option_id], "role": "reader"},
        headers={"X-CSRFToken": issued.json()["csrf_token"]},
    )
    assert voted.status_code == 200, voted.text

    def counts_the_vote(html):
        return int(VOTERS.search(html).group(1).replace(",", "")) > before

    vote_delay = until_seen(article_url, counts_the_vote, timeout=lag + 5)
    return comment_delay, vote_delay


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s", help="of each wrk run")
    parser.add_argument(
        "--encodings",
        default=f"br,gzip,{NO_ENCODING}",
        help=f"Accept-Encoding values to measure, comma-separated; {NO_ENCODING}: no header",
    )
    args = parser.parse_args(argv)
    encodings = [encoding.strip() for encoding in args.encodings.split(",") if encoding.strip()]
    for tool in ("wrk", "redis-server"):
        assert shutil.which(tool), f"{tool} is needed: apt-get install {tool}"

    from config import Config

    lag = Config.POLL_RESULTS_LAG
    with tempfile.TemporaryDirectory(prefix="http-cache-bench-") as tmp:
        database_url = f"sqlite:///{tmp}/bench.db"
        prepare(database_url)
        with (
            running_redis() as redis_url,
            running_server(database_url, workers=WORKERS, app="benchmarks.hello_app:app") as hello,
            running_server(
                database_url, workers=WORKERS, env=production_env(database_url, redis_url)
            ) as site,
            running_server(
                database_url,
                workers=WORKERS,
                env={**production_env(database_url, redis_url), "KEEP_MEMBER_PAGES": "0"},
            ) as rendering_site,
        ):
            cookie = log_in(site)
            article_url = f"{site}/articles/{SLUG}"
            check_pages(article_url, cookie)
            sizes = {encoding: sizes_sent(article_url, cookie, encoding) for encoding in encodings}
            targets = {
                "hello world": (f"{hello}/", None),
                "anonymous": (article_url, None),
                "member": (article_url, cookie),
                # The same login on a server that keeps no member's page: what a member's
                # first view of a page costs.
                "member, rendered": (f"{rendering_site}/articles/{SLUG}", cookie),
            }
            rates = {(encoding, name): [] for encoding in encodings for name in targets}
            for round_number in range(1, args.rounds + 1):
                for encoding in encodings:
                    for name, (url, with_cookie) in targets.items():
                        rate = wrk(url, args.duration, encoding, with_cookie)
                        rates[encoding, name].append(rate)
                    print(
                        f"round {round_number}, Accept-Encoding {encoding}: "
                        + ", ".join(
                            f"{name} {rates[encoding, name][-1]:,.0f} req/s" for name in targets
                        ),
                        flush=True,
                    )
            comment_delay, vote_delay = freshness(site, cookie, lag)

    print(
        f"\ngunicorn {WORKERS} sync workers, wrk -t2 -c16 -d{args.duration}, "
        f"median of {args.rounds} rounds taken in turns"
    )
    labels = {
        "anonymous": ("anonymous (shared copy)", "anonymous"),
        "member": ("member (their kept copy)", "member"),
        "member, rendered": ("member, rendered each time", "member"),
    }
    for encoding in encodings:
        hello_rate = statistics.median(rates[encoding, "hello world"])
        print(f"\narticle page, poll and {COMMENTS} comments; Accept-Encoding: {encoding}")
        print(f"{'':<34}{'req/s':>9}{'ratio':>9}{'goal':>8}{'bytes sent':>12}")
        print(f"{'Flask hello world':<34}{hello_rate:>9,.0f}")
        for name, (label, goal) in labels.items():
            rate = statistics.median(rates[encoding, name])
            ratio = rate / hello_rate
            verdict = "ok" if ratio >= GOALS[goal] else "below"
            size = sizes[encoding]["anonymous" if name == "anonymous" else "member"]
            print(
                f"{label:<34}{rate:>9,.0f}{ratio:>8.1%} {GOALS[goal]:>6.0%} {size:>11,}  {verdict}"
            )
    print(
        f"\na member's new comment reached anonymous readers after {comment_delay:.2f} s; "
        f"a new vote after {vote_delay:.2f} s (POLL_RESULTS_LAG {lag} s)"
    )


if __name__ == "__main__":
    main()
