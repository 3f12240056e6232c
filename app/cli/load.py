"""Commands: `generate-load` (synthetic members, articles, votes and comments for load tests),
`rebuild-tallies` and `purge-voter-addresses`.

Generating load and rebuilding tallies are jobs too: with `--enqueue` the command queues the
work for `flask --app app worker` and returns at once.
"""

import logging
import random
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from sqlalchemy import func, insert, select, text

from app import jobs, transaction
from app.extensions import db
from app.models import (
    AuthorProfile,
    CommunityRole,
    Discipline,
    PollKind,
    PollOption,
    ResultsVisibility,
    User,
    VerificationStatus,
    Vote,
    VoteChoice,
    VoteHistory,
    utcnow,
)
from app.services.articles import writing as article_service
from app.services.polls.rebuild import rebuild_tallies
from app.services.polls.voting import purge_voter_addresses
from app.transaction import in_transaction

log = logging.getLogger(__name__)

ENQUEUE_HELP = "Queue the work for `flask --app app worker` instead of doing it here."
BATCH = 10_000
ROLE_WEIGHTS = {CommunityRole.CLIENT: 45, CommunityRole.PROFESSIONAL: 35, CommunityRole.READER: 20}
VERIFIED_SHARE = 0.4
CHANGED_SHARE = 0.08
SPREAD_DAYS = 30
QUESTIONS = (
    ("Would you accept a friend request from your therapist?", ("Yes", "No", "Not sure")),
    ("Should a counselor google a new client?", ("Never", "Only with consent", "It depends")),
    ("Is it fine for a therapist to follow a client back?", ("Yes", "No", "Depends on the work")),
    ("Would you tell your therapist you saw them at the gym?", ("Yes", "No", "Maybe")),
)
# How each group tends to answer, so breakdowns show real differences between groups.
ANSWER_WEIGHTS = {
    CommunityRole.CLIENT: (5, 3, 2),
    CommunityRole.PROFESSIONAL: (1, 6, 3),
    CommunityRole.READER: (3, 3, 3),
}


@dataclass(frozen=True)
class Voter:
    user_id: int | None
    role: CommunityRole
    discipline: Discipline | None
    verified: bool


def register(app):
    app.cli.add_command(generate_load_command)
    app.cli.add_command(rebuild_tallies_command)
    app.cli.add_command(purge_voter_addresses_command)


@click.command("rebuild-tallies")
@click.option("--poll", "poll_id", type=int, help="Rebuild one poll only.")
@click.option("--enqueue", "queued", is_flag=True, help=ENQUEUE_HELP)
@in_transaction
def rebuild_tallies_command(poll_id, queued):
    """Recompute the poll tallies from the votes."""
    which = f"poll {poll_id}" if poll_id else "every poll"
    if queued:
        jobs.enqueue(rebuild_tallies, poll_id)
        click.echo(f"Queued the rebuilding of the tallies of {which}.")
        return
    rebuild_tallies(poll_id)
    click.echo(f"Rebuilt the tallies of {which}.")


@click.command("purge-voter-addresses")
@in_transaction
def purge_voter_addresses_command():
    """Forget voters' address hashes older than VOTER_ADDRESS_RETENTION_DAYS."""
    cleared = purge_voter_addresses()
    click.echo(f"Cleared {cleared} voter address hashes.")


@click.command("generate-load")
@click.option("--articles", "article_count", default=1, show_default=True, type=click.IntRange(0))
@click.option("--members", "member_count", default=100, show_default=True, type=click.IntRange(0))
@click.option("--comments", "comment_count", default=0, show_default=True, type=click.IntRange(0))
@click.option("--votes", "vote_count", default=1000, show_default=True, type=click.IntRange(0))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--enqueue", "queued", is_flag=True, help=ENQUEUE_HELP)
@in_transaction
def generate_load_command(article_count, member_count, comment_count, vote_count, seed, queued):
    """Create synthetic members and articles, each with a poll of N votes and N comments."""
    from tqdm import tqdm  # a progress bar for this command only: servers never load it

    counts = (article_count, member_count, comment_count, vote_count, seed)
    if queued:
        jobs.enqueue(generate_load, *counts)
        click.echo("Queued; the worker logs each article it creates as slug=<slug> poll=<id>.")
        return
    work = article_count * (vote_count + comment_count)
    with tqdm(
        total=work, unit="row", desc="generating", disable=work == 0, file=sys.stderr
    ) as progress:
        generate_load(
            *counts,
            progress=progress.update,
            announce=lambda line: tqdm.write(line, file=sys.stdout),
        )


# Not retried: a second run would add a second set of members and articles.
@jobs.job(retry_delays=(), timeout=6 * 3600)
def generate_load(
    article_count, member_count, comment_count, vote_count, seed, progress=None, announce=None
) -> None:
    """The work of `generate-load`, committed in batches; as a job it logs what it created."""
    progress = progress or (lambda rows: None)
    announce = announce or log.info
    rng = random.Random(seed)
    members = create_members(member_count, rng)
    transaction.commit()
    author = _load_author()
    for number in range(article_count):
        article = create_poll_article(author, rng, number)
        transaction.commit()
        generate_votes(article.poll.id, members, vote_count, rng, progress)
        if comment_count:
            from app.demo.load import generate_comments

            generate_comments(article.id, [m.user_id for m in members], comment_count, rng)
            progress(comment_count)
        transaction.commit()
        announce(f"slug={article.slug} poll={article.poll.id}")


def create_members(count: int, rng: random.Random) -> list[Voter]:
    """Members with a realistic mix of roles, disciplines and verification (flushed)."""
    if count == 0:
        return []
    # One unusable password for all: nobody logs in as a synthetic member.
    probe = User(username="load", password_hash="")
    probe.set_password(secrets.token_urlsafe(24))
    first = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    now = utcnow()
    rows, voters = [], []
    for offset in range(count):
        role = _role(rng)
        discipline = rng.choice(list(Discipline)) if role is CommunityRole.PROFESSIONAL else None
        verified = role is CommunityRole.PROFESSIONAL and rng.random() < VERIFIED_SHARE
        rows.append(
            {
                "username": f"load{first + offset}-{rng.randrange(10**6)}"[:30],
                "password_hash": probe.password_hash,
                "community_role": role,
                "discipline": discipline,
                "verification_status": (
                    VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED
                ),
                "verified_at": now if verified else None,
                "created_at": now - timedelta(days=rng.randrange(365)),
            }
        )
    for start in range(0, count, BATCH):
        db.session.execute(insert(User), rows[start : start + BATCH])
    names = [row["username"] for row in rows]
    ids = {}
    for start in range(0, count, BATCH):
        chunk = names[start : start + BATCH]
        found = db.session.execute(select(User.username, User.id).where(User.username.in_(chunk)))
        ids.update((name, user_id) for name, user_id in found)
    for row in rows:
        voters.append(
            Voter(
                ids[row["username"]],
                row["community_role"],
                row["discipline"],
                row["verification_status"] is VerificationStatus.VERIFIED,
            )
        )
    return voters


def _role(rng: random.Random) -> CommunityRole:
    return rng.choices(list(ROLE_WEIGHTS), weights=list(ROLE_WEIGHTS.values()))[0]


def _load_author() -> AuthorProfile:
    author = db.session.scalar(select(AuthorProfile).where(AuthorProfile.slug == "load-desk"))
    if author is None:
        author = AuthorProfile(
            slug="load-desk",
            display_name="Boundaries Load Desk",
            organisation="Boundaries",
            bio="Synthetic articles for measuring the site under load.",
        )
        db.session.add(author)
        db.session.flush()
    return author


def create_poll_article(author: AuthorProfile, rng: random.Random, number: int):
    question, options = QUESTIONS[number % len(QUESTIONS)]
    draft = article_service.ArticleDraft(
        title=f"{question} (load {number + 1})",
        body_markdown=f"{question}\n\nA synthetic article for load tests.",
        summary="A synthetic article for load tests.",
        author=author,
        tags=["load test"],
        poll=article_service.PollSpec(
            question=question,
            options=list(options),
            kind=PollKind.SINGLE,
            allow_anonymous=True,
            results_visibility=ResultsVisibility.ALWAYS,
        ),
    )
    article = article_service.create_article(draft)
    article_service.publish(article)
    return article


def generate_votes(poll_id: int, members: list[Voter], count: int, rng, advance=None) -> None:
    """Insert `count` votes with executemany in batches, then rebuild the poll's tallies.

    Members vote first (each once); the rest are anonymous readers. A few voters changed
    their answer once, so the history and stance changes are realistic.
    """
    option_ids = _option_ids(poll_id)
    voters = rng.sample(members, min(len(members), count))
    next_id = (db.session.scalar(select(func.max(Vote.id))) or 0) + 1
    start = utcnow() - timedelta(days=SPREAD_DAYS)
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        votes, choices, history = [], [], []
        for position in range(offset, offset + size):
            voter = voters[position] if position < len(voters) else _anonymous(rng)
            cast = start + timedelta(seconds=rng.randrange(SPREAD_DAYS * 86400))
            _plan_vote(
                next_id + position, poll_id, voter, option_ids, cast, rng, votes, choices, history
            )
        connection = db.session.connection()
        connection.execute(insert(Vote.__table__), votes)
        connection.execute(insert(VoteChoice.__table__), choices)
        connection.execute(insert(VoteHistory.__table__), history)
        transaction.commit()
        if advance:
            advance(size)
    _resync_vote_ids()
    rebuild_tallies(poll_id)
    transaction.commit()


def _option_ids(poll_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(PollOption.id).where(PollOption.poll_id == poll_id).order_by(PollOption.position)
        )
    )


def _anonymous(rng) -> Voter:
    return Voter(None, _role(rng), None, False)


def _plan_vote(vote_id, poll_id, voter, option_ids, cast: datetime, rng, votes, choices, history):
    weights = ANSWER_WEIGHTS[voter.role][: len(option_ids)]
    answer = rng.choices(option_ids, weights=weights)[0]
    changed = rng.random() < CHANGED_SHARE
    first_cast = cast - timedelta(hours=rng.randrange(1, 72)) if changed else cast
    votes.append(
        {
            "id": vote_id,
            "poll_id": poll_id,
            "user_id": voter.user_id,
            # Synthetic readers hold no cookie; an ordered token keeps the index inserts cheap.
            "voter_token": None if voter.user_id else f"load-{vote_id:012d}",
            "voter_role": voter.role,
            "voter_discipline": voter.discipline,
            "voter_verified": voter.verified,
            "address_hash": None,
            "change_count": 1 if changed else 0,
            "created_at": first_cast,
            "updated_at": cast,
        }
    )
    choices.append({"vote_id": vote_id, "option_id": answer})
    if changed:
        earlier = rng.choice([o for o in option_ids if o != answer])
        history.append(_ballot(vote_id, poll_id, earlier, voter, first_cast))
    history.append(_ballot(vote_id, poll_id, answer, voter, cast))


def _ballot(vote_id, poll_id, option_id, voter, cast) -> dict:
    return {
        "vote_id": vote_id,
        "poll_id": poll_id,
        "option_ids": [option_id],
        "voter_verified": voter.verified,
        "voter_role": voter.role,
        "cast_at": cast,
    }


def _resync_vote_ids() -> None:
    """Vote ids were given explicitly; PostgreSQL's sequence must catch up with them."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('votes', 'id'), (SELECT max(id) FROM votes))"
            )
        )
