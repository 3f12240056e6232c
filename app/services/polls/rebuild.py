"""Rebuilding the poll tallies from the votes and their history, for repairs and bulk loads."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, delete, func, insert, select, update

from app.extensions import db
from app.jobs import job
from app.models.polls import (
    ANY_ANSWER,
    NO_DISCIPLINE,
    ChangeTally,
    DailyTally,
    OptionTally,
    Poll,
    PollKind,
    StanceTally,
    Vote,
    VoteChoice,
    VoteHistory,
    VoterTally,
)
from app.services.polls.engagement import Discussion
from app.services.polls.tally import forget_snapshots

REBUILD_BATCH = 10_000


@job(timeout=3600)
def rebuild_tallies(poll_id: int | None = None) -> None:
    """Recompute every tally (of one poll, or of all polls) from the votes and their history."""
    forget_snapshots(poll_id)
    for model in (OptionTally, VoterTally, DailyTally, StanceTally, ChangeTally):
        statement = delete(model)
        if poll_id is not None:
            statement = statement.where(model.poll_id == poll_id)
        db.session.execute(statement)
    _rebuild_option_tallies(poll_id)
    _rebuild_voter_tallies(poll_id)
    _rebuild_from_history(poll_id)


def _group_columns():
    return (
        Vote.voter_role,
        func.coalesce(Vote.voter_discipline, NO_DISCIPLINE),
        Vote.voter_token.is_(None),
        Vote.voter_verified,
    )


def _for_poll(statement, poll_id):
    return statement if poll_id is None else statement.where(Vote.poll_id == poll_id)


def _rebuild_option_tallies(poll_id) -> None:
    group = _group_columns()
    source = _for_poll(
        select(Vote.poll_id, VoteChoice.option_id, *group, func.count())
        .join(VoteChoice, VoteChoice.vote_id == Vote.id)
        .group_by(Vote.poll_id, VoteChoice.option_id, *group),
        poll_id,
    )
    columns = ["poll_id", "option_id", "voter_role", "voter_discipline", "member", "verified"]
    db.session.execute(insert(OptionTally).from_select([*columns, "count"], source))


def _rebuild_voter_tallies(poll_id) -> None:
    group = _group_columns()
    source = _for_poll(
        select(Vote.poll_id, *group, func.count()).group_by(Vote.poll_id, *group), poll_id
    )
    columns = ["poll_id", "voter_role", "voter_discipline", "member", "verified"]
    db.session.execute(insert(VoterTally).from_select([*columns, "voters"], source))


def _rebuild_from_history(poll_id) -> None:
    """Daily ballots and stance changes, walking each voter's ballots in order.

    A change is counted in the from->to tables under the role its ballot recorded (the vote's
    role for ballots older than that record); an erased member's changes count as anonymous,
    since what tied them to the discussion went with their account.
    """
    daily: Counter = Counter()
    stance: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    moves: Counter = Counter()
    discussions: dict[int, Discussion] = {}
    corrected: list[dict] = []
    statement = (
        select(
            VoteHistory.vote_id,
            Vote.poll_id,
            Vote.voter_token.is_(None).label("member"),
            VoteHistory.voter_verified,
            VoteHistory.option_ids,
            VoteHistory.cast_at,
            Vote.change_count,
            Vote.user_id,
            func.coalesce(VoteHistory.voter_role, Vote.voter_role).label("role"),
            Poll.article_id,
            Poll.kind,
        )
        .join(Vote, Vote.id == VoteHistory.vote_id)
        .join(Poll, Poll.id == Vote.poll_id)
        .order_by(VoteHistory.vote_id, VoteHistory.cast_at, VoteHistory.id)
        .execution_options(yield_per=REBUILD_BATCH)
    )
    current = {
        "vote_id": None,
        "answer": None,
        "cast_at": None,
        "changes": 0,
        "stored": 0,
        "poll_id": None,
    }

    def finish_voter():
        if current["vote_id"] is None:
            return
        if current["changes"]:
            stance[current["poll_id"]][0] += 1
            stance[current["poll_id"]][1] += current["changes"]
        if current["changes"] != current["stored"]:
            corrected.append({"vote_id": current["vote_id"], "changes": current["changes"]})

    for row in db.session.execute(_for_poll(statement, poll_id)):
        if row.vote_id != current["vote_id"]:
            finish_voter()
            current.update(vote_id=row.vote_id, answer=None, changes=0, poll_id=row.poll_id)
            current["stored"] = row.change_count
        answer = frozenset(row.option_ids)
        if current["answer"] is not None and answer != current["answer"]:
            current["changes"] += 1
            move = _move(row, current["answer"], answer, current["cast_at"], discussions)
            if move is not None:
                moves[move] += 1
        current["answer"] = answer
        current["cast_at"] = row.cast_at
        day = _day(row.cast_at)
        for option_id in answer:
            daily[(row.poll_id, day, option_id, bool(row.member), bool(row.voter_verified))] += 1
    finish_voter()
    _insert_daily(daily)
    _insert_stance(stance)
    _insert_moves(moves)
    _correct_change_counts(corrected)


def _move(row, before: frozenset, after: frozenset, since: datetime, discussions) -> tuple | None:
    """The change tally a change belongs to, or None if the discussion had not opened."""
    if row.article_id not in discussions:
        discussions[row.article_id] = Discussion.of_article(row.article_id)
    engagement = discussions[row.article_id].engagement_of_change(row.user_id, since, row.cast_at)
    if engagement is None:
        return None
    if PollKind(row.kind) is PollKind.SINGLE:
        from_id, to_id = min(before), min(after)
    else:
        from_id = to_id = ANY_ANSWER
    return (row.poll_id, from_id, to_id, str(row.role), str(engagement))


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _insert_daily(daily: Counter) -> None:
    rows = [
        {"poll_id": p, "day": d, "option_id": o, "member": m, "verified": v, "count": n}
        for (p, d, o, m, v), n in daily.items()
    ]
    for start in range(0, len(rows), REBUILD_BATCH):
        db.session.execute(insert(DailyTally), rows[start : start + REBUILD_BATCH])


def _insert_stance(stance: dict) -> None:
    rows = [
        {"poll_id": p, "voters_who_changed": voters, "changes": changes}
        for p, (voters, changes) in stance.items()
    ]
    if rows:
        db.session.execute(insert(StanceTally), rows)


def _insert_moves(moves: Counter) -> None:
    rows = [
        {
            "poll_id": p,
            "from_option_id": f,
            "to_option_id": t,
            "voter_role": r,
            "engagement": e,
            "count": n,
        }
        for (p, f, t, r, e), n in moves.items()
    ]
    if rows:
        db.session.execute(insert(ChangeTally), rows)


def _correct_change_counts(corrected: list[dict]) -> None:
    """Keep each vote's own change count in step with its history."""
    if not corrected:
        return
    table = Vote.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("vote_id"))
        .values(change_count=bindparam("changes"))
    )
    db.session.connection().execute(statement, corrected)
