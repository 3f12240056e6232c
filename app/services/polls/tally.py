"""Poll tallies: small per-group counters updated with each vote, and the reads built on them.

Counters change in the same transaction as the vote, with atomic SQL increments, so reading
the results of a poll costs the same for a thousand votes as for a million.
`rebuild_tallies` recomputes them from the votes themselves.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import bindparam, delete, func, insert, null, select, true, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models.polls import (
    NO_DISCIPLINE,
    DailyTally,
    OptionTally,
    StanceTally,
    Vote,
    VoteChoice,
    VoteHistory,
    VoterTally,
)

UPSERT_DIALECTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
REBUILD_BATCH = 10_000


class Scope(StrEnum):
    ALL = "all"
    MEMBERS = "members"
    VERIFIED = "verified"


@dataclass(frozen=True)
class TallyCell:
    option_id: int
    role: str
    discipline: str | None
    count: int


@dataclass(frozen=True)
class VoterCell:
    role: str
    discipline: str | None
    voters: int


@dataclass(frozen=True)
class StanceChanges:
    total_voters: int
    voters_who_changed: int
    changes: int


@dataclass(frozen=True)
class VoterGroup:
    """Who cast a ballot, as far as the tallies are concerned."""

    role: str
    discipline: str | None
    member: bool
    verified: bool

    @classmethod
    def of(cls, vote: Vote) -> "VoterGroup":
        return cls(
            role=str(vote.voter_role),
            discipline=str(vote.voter_discipline) if vote.voter_discipline else None,
            member=vote.voter_token is None,
            verified=bool(vote.voter_verified),
        )

    @property
    def discipline_key(self) -> str:
        return self.discipline or NO_DISCIPLINE


# Writing -------------------------------------------------------------------------------


def record_first_answer(poll_id: int, group: VoterGroup, option_ids, day: date) -> None:
    """Count a voter's first answer."""
    _forget_snapshots(poll_id)
    _apply(OptionTally, "count", _option_deltas(poll_id, group, option_ids, +1))
    _apply(VoterTally, "voters", {_voter_key(poll_id, group): +1})
    _apply(DailyTally, "count", _daily_deltas(poll_id, group, option_ids, day))


def record_new_answer(
    poll_id: int,
    old_group: VoterGroup,
    old_option_ids,
    new_group: VoterGroup,
    new_option_ids,
    day: date,
    *,
    changed: bool,
    first_change: bool,
) -> None:
    """Move a voter's counts from their previous answer (and group) to the new ones."""
    _forget_snapshots(poll_id)
    options = Counter(_option_deltas(poll_id, old_group, old_option_ids, -1))
    options.update(_option_deltas(poll_id, new_group, new_option_ids, +1))
    _apply(OptionTally, "count", options)
    voters = Counter({_voter_key(poll_id, old_group): -1})
    voters.update({_voter_key(poll_id, new_group): +1})
    _apply(VoterTally, "voters", voters)
    _apply(DailyTally, "count", _daily_deltas(poll_id, new_group, new_option_ids, day))
    if changed:
        _apply(
            StanceTally,
            "changes",
            {(poll_id,): +1},
            extra={"voters_who_changed": 1 if first_change else 0},
        )


def _option_deltas(poll_id, group, option_ids, delta) -> dict:
    return {
        (poll_id, option_id, group.role, group.discipline_key, group.member, group.verified): delta
        for option_id in option_ids
    }


def _voter_key(poll_id, group) -> tuple:
    return (poll_id, group.role, group.discipline_key, group.member, group.verified)


def _daily_deltas(poll_id, group, option_ids, day) -> dict:
    return {(poll_id, day, option_id, group.member, group.verified): 1 for option_id in option_ids}


def _apply(model, column: str, deltas, *, extra: dict | None = None) -> None:
    """Add each delta to its row, creating rows on first use.

    Rows are touched in key order so that concurrent transactions on PostgreSQL take
    their row locks in the same order and cannot deadlock each other.
    """
    table = model.__table__
    keys = [c.name for c in table.primary_key.columns]
    for key, delta in sorted(deltas.items()):
        if delta == 0 and not extra:
            continue
        where = [table.c[name] == value for name, value in zip(keys, key, strict=True)]
        increments = {column: table.c[column] + delta}
        for name, value in (extra or {}).items():
            increments[name] = table.c[name] + value
        if delta < 0:
            # A decrement always follows an earlier increment of the same row.
            db.session.execute(update(table).where(*where).values(**increments))
            continue
        values = {**dict(zip(keys, key, strict=True)), column: delta, **(extra or {})}
        _upsert(table, keys, values, increments, where)


def _upsert(table, keys, values, increments, where) -> None:
    make_insert = UPSERT_DIALECTS.get(db.session.get_bind().dialect.name)
    if make_insert is not None:
        statement = make_insert(table).values(**values)
        db.session.execute(statement.on_conflict_do_update(index_elements=keys, set_=increments))
        return
    if db.session.execute(update(table).where(*where).values(**increments)).rowcount == 0:
        db.session.execute(insert(table).values(**values))


# Reading -------------------------------------------------------------------------------


def _scoped(statement, model, scope: Scope):
    scope = Scope(scope)
    if scope is Scope.MEMBERS:
        return statement.where(model.member == true())
    if scope is Scope.VERIFIED:
        return statement.where(model.verified == true())
    return statement


def _discipline(value: str) -> str | None:
    return value or None


SNAPSHOT_KEY = "poll_tally_snapshots"


@dataclass(frozen=True)
class _Row:
    option_id: int | None  # None for a row of voters
    role: str
    discipline: str | None
    member: bool
    verified: bool
    count: int


def _snapshot(poll_id: int) -> list[_Row]:
    """Answers and voters of a poll, read by one statement and kept for the transaction.

    Results combine answers with voters, so both must come from the same moment: under
    PostgreSQL's READ COMMITTED, two statements may see different commits in between.
    """
    snapshots = db.session.info.setdefault(SNAPSHOT_KEY, {})
    kept = snapshots.get(poll_id)
    if kept is not None and kept[0] is db.session().get_transaction():
        return kept[1]
    prefetch([poll_id])
    return snapshots[poll_id][1]


def prefetch(poll_ids) -> None:
    """Read the tallies of several polls in one statement, for pages that show many."""
    poll_ids = list(dict.fromkeys(poll_ids))
    if not poll_ids:
        return
    answers = select(
        OptionTally.poll_id,
        OptionTally.option_id,
        OptionTally.voter_role,
        OptionTally.voter_discipline,
        OptionTally.member,
        OptionTally.verified,
        OptionTally.count,
    ).where(OptionTally.poll_id.in_(poll_ids), OptionTally.count != 0)
    voters = select(
        VoterTally.poll_id,
        null().label("option_id"),
        VoterTally.voter_role,
        VoterTally.voter_discipline,
        VoterTally.member,
        VoterTally.verified,
        VoterTally.voters,
    ).where(VoterTally.poll_id.in_(poll_ids), VoterTally.voters != 0)
    rows: dict[int, list[_Row]] = {poll_id: [] for poll_id in poll_ids}
    for poll_id, option_id, role, discipline, member, verified, count in db.session.execute(
        union_all(answers, voters)
    ):
        rows[poll_id].append(
            _Row(option_id, role, _discipline(discipline), bool(member), bool(verified), int(count))
        )
    transaction = db.session().get_transaction()
    snapshots = db.session.info.setdefault(SNAPSHOT_KEY, {})
    for poll_id, poll_rows in rows.items():
        snapshots[poll_id] = (transaction, poll_rows)


def _forget_snapshots(poll_id: int | None = None) -> None:
    snapshots = db.session.info.get(SNAPSHOT_KEY, {})
    if poll_id is None:
        snapshots.clear()
    else:
        snapshots.pop(poll_id, None)


def _in_scope(row: _Row, scope: Scope) -> bool:
    scope = Scope(scope)
    if scope is Scope.MEMBERS:
        return row.member
    if scope is Scope.VERIFIED:
        return row.verified
    return True


def option_counts(poll_id: int, scope: Scope = Scope.ALL) -> list[TallyCell]:
    """Current answers per option, role and discipline."""
    totals: Counter = Counter()
    for row in _snapshot(poll_id):
        if row.option_id is not None and _in_scope(row, scope):
            totals[(row.option_id, row.role, row.discipline or NO_DISCIPLINE)] += row.count
    return [
        TallyCell(option_id, role, _discipline(discipline), count)
        for (option_id, role, discipline), count in sorted(totals.items())
        if count > 0
    ]


def voter_counts(poll_id: int, scope: Scope = Scope.ALL) -> list[VoterCell]:
    """Voters per role and discipline."""
    totals: Counter = Counter()
    for row in _snapshot(poll_id):
        if row.option_id is None and _in_scope(row, scope):
            totals[(row.role, row.discipline or NO_DISCIPLINE)] += row.count
    return [
        VoterCell(role, _discipline(discipline), voters)
        for (role, discipline), voters in sorted(totals.items())
        if voters > 0
    ]


def daily_counts(poll_id: int, scope: Scope = Scope.ALL) -> list[tuple[date, int, int]]:
    """Ballots cast per day and option (first answers and changes), oldest day first."""
    total = func.sum(DailyTally.count)
    statement = (
        select(DailyTally.day, DailyTally.option_id, total)
        .where(DailyTally.poll_id == poll_id)
        .group_by(DailyTally.day, DailyTally.option_id)
        .having(total > 0)
        .order_by(DailyTally.day, DailyTally.option_id)
    )
    rows = db.session.execute(_scoped(statement, DailyTally, scope))
    return [(day, option_id, int(count)) for day, option_id, count in rows]


def stance_changes(poll_id: int) -> StanceChanges:
    """How many voters changed their answer, and how many changes there were in all."""
    total_voters = db.session.scalar(
        select(func.coalesce(func.sum(VoterTally.voters), 0)).where(VoterTally.poll_id == poll_id)
    )
    row = db.session.execute(
        select(StanceTally.voters_who_changed, StanceTally.changes).where(
            StanceTally.poll_id == poll_id
        )
    ).first()
    voters_who_changed, changes = row if row else (0, 0)
    return StanceChanges(int(total_voters), int(voters_who_changed), int(changes))


# Rebuilding ----------------------------------------------------------------------------


def rebuild_tallies(poll_id: int | None = None) -> None:
    """Recompute every tally (of one poll, or of all polls) from the votes and their history."""
    _forget_snapshots(poll_id)
    for model in (OptionTally, VoterTally, DailyTally, StanceTally):
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
    """Daily ballots and stance changes, walking each voter's ballots in order."""
    daily: Counter = Counter()
    stance: dict[int, list[int]] = defaultdict(lambda: [0, 0])
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
        )
        .join(Vote, Vote.id == VoteHistory.vote_id)
        .order_by(VoteHistory.vote_id, VoteHistory.cast_at, VoteHistory.id)
        .execution_options(yield_per=REBUILD_BATCH)
    )
    current = {"vote_id": None, "answer": None, "changes": 0, "stored": 0, "poll_id": None}

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
        current["answer"] = answer
        day = _day(row.cast_at)
        for option_id in answer:
            daily[(row.poll_id, day, option_id, bool(row.member), bool(row.voter_verified))] += 1
    finish_voter()
    _insert_daily(daily)
    _insert_stance(stance)
    _correct_change_counts(corrected)


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
