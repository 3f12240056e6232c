"""Poll tallies: small per-group counters updated with each vote, and the reads built on them.

Counters change in the same transaction as the vote, with atomic SQL increments, so reading
the results of a poll costs the same for a thousand votes as for a million.
`app.services.polls.rebuild` recomputes them from the votes themselves.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, insert, null, select, true, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models.polls import (
    NO_DISCIPLINE,
    ChangeTally,
    DailyTally,
    OptionTally,
    StanceTally,
    Vote,
    VoterTally,
)

UPSERT_DIALECTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


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
class ChangeCell:
    """Changes from one answer to another by voters of one role and engagement."""

    from_id: int
    to_id: int
    role: str
    engagement: str
    count: int


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
    forget_snapshots(poll_id)
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
    forget_snapshots(poll_id)
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


def record_change(poll_id: int, from_id: int, to_id: int, role: str, engagement: str) -> None:
    """Count a change of answer made after the discussion opened."""
    _apply(ChangeTally, "count", {(poll_id, from_id, to_id, role, str(engagement)): +1})


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


def forget_snapshots(poll_id: int | None = None) -> None:
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


def daily_ballots(poll_id: int) -> list[tuple[date, bool, bool, int]]:
    """Ballots cast per day by anonymous voters, members and verified professionals.

    A ballot counts once per answer chosen; first answers and changes alike.
    """
    total = func.sum(DailyTally.count)
    statement = (
        select(DailyTally.day, DailyTally.member, DailyTally.verified, total)
        .where(DailyTally.poll_id == poll_id)
        .group_by(DailyTally.day, DailyTally.member, DailyTally.verified)
        .having(total > 0)
        .order_by(DailyTally.day)
    )
    rows = db.session.execute(statement)
    return [(day, bool(member), bool(verified), int(n)) for day, member, verified, n in rows]


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


def change_cells(poll_id: int) -> list[ChangeCell]:
    """Changes of answer made after the discussion opened, per from, to, role and engagement."""
    statement = (
        select(
            ChangeTally.from_option_id,
            ChangeTally.to_option_id,
            ChangeTally.voter_role,
            ChangeTally.engagement,
            ChangeTally.count,
        )
        .where(ChangeTally.poll_id == poll_id, ChangeTally.count > 0)
        .order_by(
            ChangeTally.from_option_id,
            ChangeTally.to_option_id,
            ChangeTally.voter_role,
            ChangeTally.engagement,
        )
    )
    return [ChangeCell(*row) for row in db.session.execute(statement)]
