"""What small-cell suppression hides, and what it costs, before and after a change of plan.

Run from the repository root: .venv/bin/python benchmarks/suppression.py [--baseline 6ffe908]
[--repeats 5] [--rounds 2]

The baseline ref is checked out in a temporary git worktree; both code trees then read the
same temporary SQLite databases (the demo, and generated polls of 1,000 and 100,000 votes),
each in its own process, so one run compares them side by side. For every poll it prints the
counts published over the six results views (by role and by discipline, in each scope), how
many are suppressed in each tree, and the median latency now/baseline of:
(a) the first view (by role, all votes) with every cache cleared;
(b) all six views, caches cleared before the first;
(c) what the poll's insights page reads: by role with its history, and by discipline.
The two trees are measured in alternating rounds and each figure keeps its lowest median, so a
burst of load from other processes on this machine does not fall on one tree only. Figures and
ratios are printed, never asserted.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
VIEWS = [(by, scope) for by in ("role", "discipline") for scope in ("all", "members", "verified")]
GENERATED = {1_000: "generated 1k", 100_000: "generated 100k"}
SEED = 7
MEMBERS = {1_000: 150, 100_000: 3_000}
# Skewed on purpose, so some disciplines have few voters and few professionals are verified.
DISCIPLINE_WEIGHTS = {
    "counselor": 40,
    "psychologist": 25,
    "social_worker": 15,
    "psychotherapist": 10,
    "psychiatrist": 4,
    "coach": 3,
    "other": 2,
    None: 5,
}
VERIFIED_SHARE = 0.15
ANONYMOUS_STATING_DISCIPLINE = 0.5
GOAL_RATIO = 1.5
LATENCIES = {"first": "(a)", "six": "(b)", "insights": "(c)"}


# ---------------------------------------------------------------------------------------------
# The databases, built with the code of this tree (the schema is the same in both).


def flask(url: str, *command: str) -> None:
    """Run a flask command of this tree on the database at `url`."""
    subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", *command],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "FLASK_CONFIG": "development"},
        check=True,
        capture_output=True,
    )


def build_demo(url: str) -> None:
    flask(url, "db", "upgrade")
    flask(url, "seed-demo")


def build_generated(url: str) -> dict[int, str]:
    """Polls of 1,000 and 100,000 votes from every kind of voter; returns {poll id: label}."""
    flask(url, "db", "upgrade")
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.cli.load import _load_author, create_poll_article, generate_votes
    from app.extensions import db

    app = create_app(_config(url))
    labels = {}
    with app.app_context():
        rng = random.Random(SEED)
        author = _load_author()
        members = _create_members(sum(MEMBERS.values()), rng)
        db.session.commit()
        taken = 0
        for number, (size, label) in enumerate(GENERATED.items()):
            article = create_poll_article(author, rng, number)
            db.session.commit()
            voters = members[taken : taken + MEMBERS[size]]
            taken += MEMBERS[size]
            voters += [_anonymous(rng) for _ in range(size - len(voters))]
            started = time.perf_counter()
            # Every voter is passed in, so generate_votes adds no anonymous voter of its own.
            generate_votes(article.poll.id, voters, size, rng)
            print(f"  {label}: {size:,} votes in {time.perf_counter() - started:.1f} s")
            labels[article.poll.id] = label
        db.engine.dispose()
    return labels


def _config(url: str):
    from config import TestingConfig

    return type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})


def _create_members(count: int, rng: random.Random) -> list:
    """Members of every role; professionals with skewed disciplines, few of them verified."""
    from sqlalchemy import insert, select

    from app.cli.load import Voter, _role
    from app.extensions import db
    from app.models import CommunityRole, User, VerificationStatus, utcnow

    now = utcnow()
    rows = []
    for number in range(count):
        role = _role(rng)
        professional = role is CommunityRole.PROFESSIONAL
        verified = professional and rng.random() < VERIFIED_SHARE
        rows.append(
            {
                "username": f"bench{number}",
                "password_hash": "!",  # nobody logs in as a generated member
                "community_role": role,
                "discipline": _discipline(rng) if professional else None,
                "verification_status": (
                    VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED
                ),
                "verified_at": now if verified else None,
                "created_at": now,
            }
        )
    db.session.execute(insert(User), rows)
    ids = dict(db.session.execute(select(User.username, User.id)).all())
    return [
        Voter(
            ids[row["username"]],
            row["community_role"],
            row["discipline"],
            row["verified_at"] is not None,
        )
        for row in rows
    ]


def _anonymous(rng: random.Random):
    """A reader without an account; professionals state a discipline about half the time."""
    from app.cli.load import Voter, _role
    from app.models import CommunityRole

    role = _role(rng)
    stated = role is CommunityRole.PROFESSIONAL and rng.random() < ANONYMOUS_STATING_DISCIPLINE
    return Voter(None, role, _discipline(rng) if stated else None, False)


def _discipline(rng: random.Random):
    from app.models import Discipline

    key = rng.choices(list(DISCIPLINE_WEIGHTS), weights=list(DISCIPLINE_WEIGHTS.values()))[0]
    return Discipline(key) if key else None


# ---------------------------------------------------------------------------------------------
# The measurement, in a child process per code tree.


def measure(tree: Path, databases: list[dict], repeats: int) -> dict:
    """Counts and latencies of every poll of `databases`, with the code of `tree`."""
    # The virtualenv's editable install maps `app` to /work/main; a path entry wins over it.
    sys.path.insert(0, str(tree))
    from sqlalchemy import select

    import app as package
    from app import create_app
    from app.extensions import db
    from app.models import Poll

    measured = []
    for database in databases:
        app = create_app(_config(database["url"]))
        with app.app_context():
            polls = db.session.scalars(select(Poll).order_by(Poll.id)).all()
            labels = database.get("labels") or {str(p.id): p.question for p in polls}
            for poll in polls:
                if str(poll.id) in labels:
                    measured.append(measure_poll(poll, labels[str(poll.id)], repeats))
            db.engine.dispose()
    return {"app": package.__file__, "polls": measured}


def measure_poll(poll, label: str, repeats: int) -> dict:
    from app.services.polls.results import build_results

    published = suppressed = 0
    for by, scope in VIEWS:
        for count in _counts(build_results(poll, by=by, scope=scope)):
            published += 1
            suppressed += count.suppressed

    def six_views():
        for by, scope in VIEWS:
            build_results(poll, by=by, scope=scope)

    def insights_page():
        build_results(poll, by="role", scope="all", with_history=True)
        build_results(poll, by="discipline", scope="all")

    return {
        "label": label,
        "published": published,
        "suppressed": suppressed,
        "first": _timed(lambda: build_results(poll), repeats),
        "six": _timed(six_views, repeats),
        "insights": _timed(insights_page, repeats),
    }


def _timed(work, repeats: int) -> float:
    """Median milliseconds of `work`, every cache cleared before each run."""
    samples = []
    for _ in range(repeats):
        _clear_caches()
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def _clear_caches() -> None:
    """Forget every plan cached by the polls services, and the tallies read in this session."""
    from app.services.polls import tally

    for name, module in list(sys.modules.items()):
        if name.startswith("app.services.polls") and module is not None:
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    tally.forget_snapshots()


def _counts(results):
    yield results.total
    for option in results.options:
        yield option.count
    for group in results.groups:
        yield group.total
        for cell in group.options:
            yield cell.count


def run_child(tree: Path, databases: list[dict], repeats: int) -> dict:
    arguments = ["--measure", str(tree), "--databases", json.dumps(databases)]
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments, "--repeats", str(repeats)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        sys.exit(f"measuring {tree} failed:\n{finished.stderr}")
    answer = json.loads(finished.stdout.strip().splitlines()[-1])
    if not Path(answer["app"]).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"measured {answer['app']}, not the tree at {tree}")
    return answer


# ---------------------------------------------------------------------------------------------
# The report.


def best_of(answers: list[dict]) -> dict:
    """The first round's counts, with each latency the lowest median over the rounds."""
    best = answers[0]
    for answer in answers[1:]:
        for kept, other in zip(best["polls"], answer["polls"], strict=True):
            for key in LATENCIES:
                kept[key] = min(kept[key], other[key])
    return best


def report(baseline: dict, now: dict, ref: str, repeats: int, rounds: int) -> None:
    print(f"\nbaseline {ref}: app from {baseline['app']}")
    print(f"now (this tree): app from {now['app']}")
    print(
        f"counts over the 6 views (role, discipline × all, members, verified); latency: median "
        f"of {repeats}, lowest of {rounds} rounds, ms, caches cleared"
    )
    print("(a) first view (by role, all votes)   (b) all six views   (c) insights page\n")
    header = (
        f"{'poll':<34} {'published':>11} {'suppressed':>17} {'share hidden':>14}"
        f" {'(a) ms':>20} {'(b) ms':>20} {'(c) ms':>20}"
    )
    print(header)
    print(
        f"{'':<34} {'base   now':>11} {'base → now (Δ)':>17} {'base → now':>14}"
        + (f" {'base    now ratio':>20}" * 3)
    )
    print("-" * len(header))
    ratios = []
    totals = [0, 0, 0, 0]
    demo_polls = 0
    for old, new in zip(baseline["polls"], now["polls"], strict=True):
        label = old["label"] if len(old["label"]) <= 34 else old["label"][:33] + "…"
        if old["label"] not in GENERATED.values():
            demo_polls += 1
            for i, key in enumerate(("published", "suppressed")):
                totals[2 * i] += old[key]
                totals[2 * i + 1] += new[key]
        row = f"{label:<34} " + _count_columns(
            old["published"], new["published"], old["suppressed"], new["suppressed"]
        )
        for key, name in LATENCIES.items():
            ratio = new[key] / old[key]
            ratios.append((ratio, name, old["label"]))
            row += f" {old[key]:7.1f} {new[key]:7.1f} {ratio:4.2f}"
        print(row)
    print("-" * len(header))
    print(
        f"{f'demo, {demo_polls} polls':<34} "
        + _count_columns(totals[0], totals[1], totals[2], totals[3])
    )
    worst, name, label = max(ratios)
    print(
        f"\nworst latency ratio now/baseline: {worst:.2f} ({name}, {label[:40]}); "
        f"goal ≤ {GOAL_RATIO}"
    )


def _count_columns(published_old, published_new, hidden_old, hidden_new) -> str:
    shares = f"{hidden_old / published_old:.0%} → {hidden_new / published_new:.0%}"
    hidden = f"{hidden_old} → {hidden_new} ({hidden_new - hidden_old:+d})"
    return f"{published_old:>5} {published_new:>5} {hidden:>17} {shares:>14}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="6ffe908", help="git ref to compare with")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per median")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per tree")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--databases", type=json.loads, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.databases, args.repeats)))
        return

    with tempfile.TemporaryDirectory(prefix="boundaries-suppression-") as tmp:
        tmp = Path(tmp)
        baseline_tree = tmp / "baseline"
        git = ["git", "-C", str(ROOT)]
        subprocess.run(
            [*git, "worktree", "add", "--detach", str(baseline_tree), args.baseline],
            check=True,
            capture_output=True,
        )
        try:
            started = time.perf_counter()
            demo_url, generated_url = f"sqlite:///{tmp}/demo.db", f"sqlite:///{tmp}/generated.db"
            print("building the demo and the generated polls")
            build_demo(demo_url)
            labels = build_generated(generated_url)
            databases = [
                {"url": demo_url},
                {"url": generated_url, "labels": {str(k): v for k, v in labels.items()}},
            ]
            print(f"  built in {time.perf_counter() - started:.0f} s; measuring")
            rounds = {baseline_tree: [], ROOT: []}
            for _ in range(args.rounds):
                for tree, answers in rounds.items():
                    answers.append(run_child(tree, databases, args.repeats))
            baseline, now = (best_of(answers) for answers in rounds.values())
            report(baseline, now, args.baseline, args.repeats, args.rounds)
            print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(baseline_tree)], check=False)


if __name__ == "__main__":
    main()
