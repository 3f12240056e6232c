"""Changed minds as published: how answers moved after the discussion opened, per group.

For each change of answer made once the article's first comment was posted: from which answer
to which (single-choice polls only: answers of a multiple-choice poll are sets), by clients,
professionals and readers, and whether the voter had joined the discussion since their previous
ballot (posted, replied or marked a comment helpful), had not, or was an anonymous reader, of
whom that cannot be known (app.services.polls.engagement).

These counts are linked to everything else a poll publishes: they are changes (so no more than
the history's count of changes), and each is a ballot of its voter's stratum on top of the
answers that stand. So they are planned as a third block (`plan_changes`), with the results
and the history fixed as published: a cell is hidden as needed so that, read with every other
table of the poll, none proves that someone in a small group changed their answer, nor pins a
small count, including the changes made before the discussion opened.
"""

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app

from app.models import ANY_ANSWER, Engagement, PollKind
from app.services.polls import tally
from app.services.polls.history import History, holds, minus, plan_history, plus
from app.services.polls.protection import ROLES, SCOPE_STRATA, ScopeTally, plan_results
from app.services.polls.results import (
    ROLE_LABELS,
    Count,
    load_history,
    load_tallies,
)
from app.services.polls.suppression import protect

ENGAGEMENTS = tuple(engagement.value for engagement in Engagement)
ENGAGEMENT_LABELS = {
    Engagement.JOINED.value: "Had joined the discussion",
    Engagement.NOT_JOINED.value: "Members who had not",
    Engagement.ANONYMOUS.value: "Anonymous readers",
}
ALL = "all"
WHO = (ALL, *ROLES)
WHO_LABELS = {ALL: "All voters", **ROLE_LABELS}
CHANGED = "changed"
BEFORE_DISCUSSION = ("changes_before_discussion",)


@dataclass(frozen=True)
class ChangeTallies:
    """Changes made after the discussion opened: (from, to, role, engagement, count)."""

    cells: tuple[tuple[int, int, str, str, int], ...]

    @classmethod
    def from_cells(cls, cells) -> "ChangeTallies":
        return cls(
            tuple(
                sorted(
                    (c.from_id, c.to_id, str(c.role), str(c.engagement), c.count)
                    for c in cells
                    if c.count > 0
                )
            )
        )


def moves(option_ids: tuple[int, ...], kind: str) -> tuple[tuple[int, int], ...]:
    """The from->to pairs a poll's table lists: every ordered pair of different answers, or
    none for a multiple-choice poll."""
    if kind != PollKind.SINGLE:
        return ()
    return tuple((a, b) for a in option_ids for b in option_ids if a != b)


@dataclass(frozen=True)
class ChangesPlan:
    """Values and disclosures of ("moved", who, from, to), ("engaged", who, engagement) and
    (CHANGED, who), who being ALL or a role."""

    values: dict
    status: dict


MEMBERS = (Engagement.JOINED.value, Engagement.NOT_JOINED.value)
ANONYMOUS = (Engagement.ANONYMOUS.value,)
# Engagements and the strata of the ballots they come from.
CLASSES = ((ANONYMOUS, ("anonymous",)), (MEMBERS, ("member", "verified")))


@dataclass(frozen=True)
class _Block:
    """The block's variables: changes per (role, (from, to), engagement)."""

    index: dict

    def of(self, *, who=ALL, pair=None, gained=None, lost=None, engagements=ENGAGEMENTS):
        roles = ROLES if who == ALL else (who,)
        return [
            v
            for (role, p, engagement), v in self.index.items()
            if role in roles
            and pair in (None, p)
            and gained in (None, p[1])
            and lost in (None, p[0])
            and engagement in engagements
        ]


@lru_cache(maxsize=512)
def plan_changes(
    option_ids: tuple[int, ...],
    kind: str,
    k: int,
    tallies: tuple[tuple[str, ScopeTally], ...],
    history: History,
    changes: ChangeTallies,
) -> ChangesPlan:
    """Plan the changed-minds tables with every table of the results and history fixed."""
    results = plan_results(option_ids, kind, k, tallies)
    earlier = plan_history(option_ids, kind, k, tallies, history)
    system = earlier.system.copy()
    pairs = moves(option_ids, kind) or ((ANY_ANSWER, ANY_ANSWER),)
    counted = {}
    for from_id, to_id, role, engagement, n in changes.cells:
        key = (role, (from_id, to_id), engagement)
        counted[key] = counted.get(key, 0) + n
    block = _Block(
        {
            (role, pair, engagement): system.variable(counted.get((role, pair, engagement), 0))
            for role in ROLES
            for pair in pairs
            for engagement in ENGAGEMENTS
        }
    )
    after = sum(system.values[v] for v in block.index.values())
    before = system.variable(max(0, history.changes - after))
    _relate(system, block, results, earlier, before, option_ids if kind == PollKind.SINGLE else ())

    items = []
    for who in WHO:
        # A line is a set of items one of which is the sum of the others.
        total_lines = [("changes", "engaged", who), ("changes", "groups", CHANGED)]
        if kind == PollKind.SINGLE:
            total_lines.append(("changes", "moved", who))
            for pair in pairs:
                lines = (("changes", "moved", who), ("changes", "groups", pair))
                terms = block.of(who=who, pair=pair)
                items.append(system.item(("moved", who, *pair), terms, lines))
        for engagement in ENGAGEMENTS:
            lines = (("changes", "engaged", who), ("changes", "groups", engagement))
            terms = block.of(who=who, engagements=(engagement,))
            items.append(system.item(("engaged", who, engagement), terms, lines))
        items.append(system.item((CHANGED, who), block.of(who=who), tuple(total_lines)))

    watched = [system.item(BEFORE_DISCUSSION, [before])]
    if kind == PollKind.SINGLE:
        # Who made each move, by engagement, is finer than any table: it must stay unknown.
        watched += [
            system.item(("moved", role, *pair, engagement), [v])
            for (role, pair, engagement), v in block.index.items()
        ]
    settled = {item: results.status[item.key] for item in results.items}
    settled.update({item: earlier.status[item.key] for item in earlier.items})
    status = protect(system, items, k, watched=[*results.watched, *watched], settled=settled)
    return ChangesPlan(values={item.key: item.value for item in items}, status=status)


def _relate(system, block: _Block, results, earlier, before: int, single_options) -> None:
    """What a reader knows ties these changes to the results and the history."""
    # Changes after the discussion opened and before it make up every change.
    equalities = [{**plus(block.of()), before: 1.0, earlier.changes: -1.0}]
    inequalities = []
    for engagements, strata in CLASSES:
        # A change is one more ballot of its stratum, on top of the answers that stand.
        answers = [v for s in strata for v in results.answers[s]]
        ballots = [v for s in strata for v in earlier.ballots[s]]
        inequalities.append(
            {**plus(block.of(engagements=engagements)), **plus(answers), **minus(ballots)}
        )
        # Each voter's changes end at their current answer, so an answer gained at most as
        # many changes as it lost, plus the voters who hold it now.
        for option_id in single_options:
            holding = [
                v
                for (stratum, _, column), v in results.cells.items()
                if stratum in strata and column == option_id
            ]
            lost = block.of(lost=option_id, engagements=engagements)
            gained = block.of(gained=option_id, engagements=engagements)
            inequalities.append({**plus(gained), **minus([*lost, *holding])})
    # Kept only where the data bear them out (tallies rebuilt apart may not).
    system.equalities.extend(
        row for row in equalities if holds(system, row) and holds(system, _negated(row))
    )
    system.inequalities.extend(row for row in inequalities if holds(system, row))


def _negated(row: dict[int, float]) -> dict[int, float]:
    return {v: -c for v, c in row.items()}


# ---------------------------------------------------------------------------------------------
# Changed minds as readers, downloads and the API see them.


@dataclass(frozen=True)
class Move:
    """Changes from one answer to another, by group (ALL and each role)."""

    from_id: int
    from_label: str
    to_id: int
    to_label: str
    counts: dict[str, Count]


@dataclass(frozen=True)
class GroupEngagement:
    """One group's changes, and how many came from voters who had joined the discussion."""

    key: str
    label: str
    total: Count
    engagement: dict[str, Count]


@dataclass
class ChangedMinds:
    poll_id: int
    kind: str
    min_group_size: int
    options: list[tuple[int, str]]
    moves: list[Move]
    groups: list[GroupEngagement]

    @property
    def is_multiple(self) -> bool:
        return self.kind == PollKind.MULTIPLE

    @property
    def everyone(self) -> GroupEngagement:
        return self.groups[0]

    @property
    def has_changes(self) -> bool:
        """Whether there is anything to show, as far as what is published tells."""
        total = self.everyone.total
        return total.suppressed or total.value > 0

    def to_json(self) -> dict:
        return {
            "poll_id": self.poll_id,
            "kind": self.kind,
            "min_group_size": self.min_group_size,
            "groups": [{"key": key, "label": WHO_LABELS[key]} for key in WHO],
            "moves": [
                {
                    "from": {"id": move.from_id, "label": move.from_label},
                    "to": {"id": move.to_id, "label": move.to_label},
                    "counts": [_cell(key, move.counts[key]) for key in WHO],
                }
                for move in self.moves
            ],
            "engagement": [
                {
                    **_cell(group.key, group.total),
                    "label": group.label,
                    "by": [
                        {**_cell(e, group.engagement[e]), "label": ENGAGEMENT_LABELS[e]}
                        for e in ENGAGEMENTS
                    ],
                }
                for group in self.groups
            ],
        }


def _cell(key: str, count: Count) -> dict:
    return {"key": key, "count": count.shown, "disclosure": count.disclosure.value}


def compute_changes(
    *,
    poll_id: int,
    kind: str,
    options: list[tuple[int, str]],
    tallies: dict[str, ScopeTally],
    history: History,
    changes: ChangeTallies,
    k: int = 5,
) -> ChangedMinds:
    """The changed-minds tables of one poll, as the publication plan allows."""
    option_ids = tuple(option_id for option_id, _ in options)
    chain = tuple((s, tallies[s]) for s in SCOPE_STRATA)
    plan = plan_changes(option_ids, str(kind), k, chain, history, changes)

    def count(*key) -> Count:
        return Count(plan.values[key], plan.status[key])

    labels = dict(options)
    return ChangedMinds(
        poll_id=poll_id,
        kind=str(kind),
        min_group_size=k,
        options=list(options),
        moves=[
            Move(a, labels[a], b, labels[b], {who: count("moved", who, a, b) for who in WHO})
            for a, b in moves(option_ids, str(kind))
        ],
        groups=[
            GroupEngagement(
                who,
                WHO_LABELS[who],
                count(CHANGED, who),
                {e: count("engaged", who, e) for e in ENGAGEMENTS},
            )
            for who in WHO
        ],
    )


def build_changes(poll) -> ChangedMinds:
    """The changed-minds tables of `poll` as published."""
    return compute_changes(
        poll_id=poll.id,
        kind=poll.kind,
        options=[(option.id, option.label) for option in poll.options],
        tallies=load_tallies(poll.id),
        history=load_history(poll),
        changes=ChangeTallies.from_cells(tally.change_cells(poll.id)),
        k=current_app.config["MIN_GROUP_SIZE"],
    )
