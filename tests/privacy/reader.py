"""An outside reader of one poll's published results: what can be proven from them alone.

The reader holds every view published about a poll (two breakdowns by three scopes, with their
history) and knows how the numbers relate: scopes are unions of strata of voters, groups split
into finer groups, answers add up to voters, ballots cover answers and changes. From that alone
it writes one linear programme, solved with GLOP, and checks two promises of small-cell
suppression with k = min_group_size:

(a) no count labelled "fewer than k" can be proven to be above 0;
(b) no count whose true value is 1 to k-1 can be worked out exactly: its range over everything
    consistent with the publication holds at least two whole numbers. Counts checked are the
    published ones and those a reader gets by subtracting one scope from another.

It also checks that the views agree with each other, that each CSV download says what its JSON
says, and that every published label is true of the true counts.
"""

import csv
import io
from dataclasses import dataclass
from itertools import combinations, zip_longest
from typing import NamedTuple

from app.models import Discipline
from tests.privacy.lp import Expression, Infeasible, Programme, add, scaled, value

TOLERANCE = 1e-6
STRATA = ("anonymous", "member", "verified")  # anonymous, unverified members, verified
SCOPE_STRATA = {"all": STRATA, "members": ("member", "verified"), "verified": ("verified",)}
SCOPE_NAMES = {"All votes": "all", "Members only": "members", "Verified professionals": "verified"}
# Sums over strata no view publishes, but which views subtract to.
DERIVED_STRATA = (("anonymous",), ("member",), ("anonymous", "member"), ("anonymous", "verified"))
STRATA_SETS = tuple(c for n in (1, 2, 3) for c in combinations(STRATA, n))
STRATA_LABELS = {
    STRATA: "all votes",
    ("member", "verified"): "members' votes",
    ("verified",): "verified professionals' votes",
    ("anonymous",): "anonymous votes",
    ("member",): "unverified members' votes",
    ("anonymous", "member"): "anonymous and unverified members' votes",
    ("anonymous", "verified"): "anonymous and verified professionals' votes",
}
ROLES = ("client", "professional", "reader")
NOT_STATED = "not_stated"
DISCIPLINES = (*(d.value for d in Discipline), NOT_STATED)
FINE_GROUPS = (("client", None), ("reader", None), *(("professional", d) for d in DISCIPLINES))
VOTERS, BALLOTS, COUNT = "voters", "ballots", "count"
SHOWN, FEWER, HIDDEN, WITHHELD = "shown", "fewer", "hidden", "withheld"
CHANGE_COUNTS = ("voters_who_changed", "changes")
# Changed minds: changes after the discussion opened, by role, from->to and engagement.
ENGAGEMENTS = ("joined", "not_joined", "anonymous")
MEMBER_ENGAGEMENTS = ("joined", "not_joined")
WHO = ("all", *ROLES)
BEFORE_DISCUSSION = "changes_before_discussion"
CHANGES_CSV_COLUMNS = [
    "table",
    "group_key",
    "group",
    "from_option_id",
    "from_option",
    "to_option_id",
    "to_option",
    "engagement",
    "count",
    "suppressed",
    "disclosure",
    "note",
]
CSV_COLUMNS = [
    "scope",
    "breakdown",
    "group_key",
    "group",
    "option_id",
    "option",
    "count",
    "suppressed",
    "disclosure",
    "note",
]


class Key(NamedTuple):
    """One count: a row (who), a column (what) and the strata of voters it sums over.

    Rows: ("overall",), ("role", r), ("discipline", d), ("period", start, end),
    ("voters_who_changed",), ("changes",); and for changed minds ("moved", who, from, to),
    ("engaged", who, engagement), ("changed", who), who being "all" or a role, the
    ("moved", role, from, to, engagement) no table gives, and ("changes_before_discussion",).
    Columns: "voters", an option id, "ballots", "count".
    """

    row: tuple
    column: str | int
    strata: tuple[str, ...]


def table_rows() -> list[tuple]:
    return [("overall",), *(("role", r) for r in ROLES), *(("discipline", d) for d in DISCIPLINES)]


def in_row(row: tuple, group: tuple[str, str | None]) -> bool:
    if row[0] == "overall":
        return True
    if row[0] == "role":
        return group[0] == row[1]
    return group == ("professional", row[1])


def true_values(
    atoms,
    *,
    option_ids,
    periods=(),
    ballots=None,
    voters_who_changed=None,
    changes=None,
    moves=None,
    kind="single",
) -> dict[Key, int]:
    """Every count the reader may check, from the underlying counts.

    `atoms` maps (stratum, fine group, column) to a count, a fine group being (role, discipline
    or None) with "not_stated" for professionals without one, a column "voters" or an option id.
    `ballots` maps ((start, end), stratum) to the ballots of that period; `periods` lists every
    (start, end), with ballots or not.
    """
    truth = {}
    for row in table_rows():
        for column in (VOTERS, *option_ids):
            for strata in STRATA_SETS:
                truth[Key(row, column, strata)] = sum(
                    atoms.get((s, g, column), 0)
                    for s in strata
                    for g in FINE_GROUPS
                    if in_row(row, g)
                )
    ballots = ballots or {}
    for start, end in {*periods, *(period for period, _ in ballots)}:
        row = ("period", str(start), str(end))
        for strata in STRATA_SETS:
            truth[Key(row, BALLOTS, strata)] = sum(
                ballots.get(((start, end), s), 0) for s in strata
            )
    if changes is not None:
        truth[Key(("voters_who_changed",), COUNT, STRATA)] = voters_who_changed
        truth[Key(("changes",), COUNT, STRATA)] = changes
    if moves is not None:
        truth.update(changed_minds_truth(moves, option_ids, kind, changes or 0))
    return truth


def move_pairs(option_ids, kind: str) -> list:
    """From->to pairs of a single-choice poll; a multiple-choice poll's changes have none."""
    if kind != "single":
        return [None]
    return [(a, b) for a in option_ids for b in option_ids if a != b]


def changed_minds_truth(moves, option_ids, kind: str, changes: int) -> dict[Key, int]:
    """`moves` maps (role, (from, to) or None, engagement) to changes after the discussion."""

    def total(roles, pair=..., engagements=ENGAGEMENTS):
        return sum(
            n
            for (role, p, e), n in moves.items()
            if role in roles and (pair is ... or p == pair) and e in engagements
        )

    truth = {}
    pairs = move_pairs(option_ids, kind)
    for who in WHO:
        roles = ROLES if who == "all" else (who,)
        truth[Key(("changed", who), COUNT, STRATA)] = total(roles)
        for engagement in ENGAGEMENTS:
            truth[Key(("engaged", who, engagement), COUNT, STRATA)] = total(
                roles, ..., (engagement,)
            )
        for pair in pairs if kind == "single" else ():
            truth[Key(("moved", who, *pair), COUNT, STRATA)] = total(roles, pair)
            if who != "all":
                for engagement in ENGAGEMENTS:
                    key = Key(("moved", who, *pair, engagement), COUNT, STRATA)
                    truth[key] = total(roles, pair, (engagement,))
    truth[Key((BEFORE_DISCUSSION,), COUNT, STRATA)] = changes - total(ROLES)
    return truth


@dataclass(frozen=True)
class Published:
    key: Key
    count: int | None
    disclosure: str
    where: str


class Reader:
    """Everything published about one poll, as one linear programme over the unknown counts.

    The unknowns are the voters and answers of each stratum and fine group, the ballots of each
    stratum in each period, and the two change counts. Each published count constrains a sum of
    them: shown is exact, "fewer" is 0 to k-1, "hidden" is k or more.
    """

    def __init__(
        self,
        documents: list[dict],
        csv_texts: list[str] | None = None,
        changes: list[dict] = (),
        changes_csv_texts: list[str] = (),
    ):
        first = documents[0]
        self.k = first["min_group_size"]
        self.kind = first["kind"]
        self.option_labels = {o["id"]: o["label"] for o in first["options"]}
        self.columns = (VOTERS, *self.option_labels)
        self.problems: list[str] = []
        self.published: dict[Key, Published] = {}
        self.lp = Programme()
        self.atoms = self._atoms()
        self._ballots: dict[tuple, Expression] = {}
        self._change_counts = {name: self.lp.variable(name) for name in CHANGE_COUNTS}
        self._caps: dict[tuple, Expression] = {}
        self._has_history = False
        self.pairs = move_pairs(list(self.option_labels), self.kind)
        self._moves = {
            (role, pair, engagement): self.lp.variable(f"moved{role}{pair}{engagement}")
            for role in ROLES
            for pair in self.pairs
            for engagement in ENGAGEMENTS
        }
        views = {}
        for document in documents:
            self._read(document, first)
            views[(document["breakdown"]["by"], document["scope"])] = document
        if self._has_history:
            self._relate_history()
        for document in changes:
            self._read_changes(document, first)
        if changes:
            self._relate_changes()
        for item in self.published.values():
            self._constrain(item)
        for text in csv_texts or ():
            self._compare_csv(text, views)
        for text in changes_csv_texts:
            self._compare_changes_csv(text, changes[0] if changes else None)

    # The unknowns and how they relate ---------------------------------------------------------

    def _atoms(self) -> dict[tuple, Expression]:
        atoms = {}
        for stratum in STRATA:
            for group in FINE_GROUPS:
                if stratum == "verified" and group[0] != "professional":
                    continue
                for column in self.columns:
                    atoms[(stratum, group, column)] = self.lp.variable(f"{stratum}{group}{column}")
                self._relate_answers([atoms[(stratum, group, c)] for c in self.columns])
        return atoms

    def _relate_answers(self, cells: list[Expression]) -> None:
        voters, answers = cells[0], cells[1:]
        if self.kind == "single":
            self.lp.constrain(add(*answers, scaled(voters, -1)), 0, 0)
            return
        # Each voter chose at least one answer, and each answer at most once.
        self.lp.constrain(add(*answers, scaled(voters, -1)), lower=0)
        for answer in answers:
            self.lp.constrain(add(voters, scaled(answer, -1)), lower=0)

    def _answers(self, stratum: str) -> Expression:
        return add(
            *(e for (s, _, column), e in self.atoms.items() if s == stratum and column != VOTERS)
        )

    def _relate_history(self) -> None:
        """Ballots cover every current answer, and one more ballot at least per change."""
        all_ballots = []
        for stratum in STRATA:
            ballots = add(*(e for (_, s), e in self._ballots.items() if s == stratum))
            self.lp.constrain(add(ballots, scaled(self._answers(stratum), -1)), lower=0)
            all_ballots.append(ballots)
        answers = add(*(self._answers(s) for s in STRATA))
        changes, changed = (self._change_counts[n] for n in ("changes", "voters_who_changed"))
        self.lp.constrain(add(*all_ballots, scaled(answers, -1), scaled(changes, -1)), lower=0)
        self.lp.constrain(add(changed, scaled(changes, -1)), upper=0)
        voters = self.expression(Key(("overall",), VOTERS, STRATA))
        self.lp.constrain(add(changed, scaled(voters, -1)), upper=0)

    def _moved(self, roles=ROLES, pair=..., engagements=ENGAGEMENTS, gained=None, lost=None):
        return add(
            *(
                e
                for (role, p, engagement), e in self._moves.items()
                if role in roles
                and (pair is ... or p == pair)
                and engagement in engagements
                and (gained is None or p[1] == gained)
                and (lost is None or p[0] == lost)
            )
        )

    def _relate_changes(self) -> None:
        """Changes after the discussion opened are changes; each is a ballot of its stratum on
        top of the answers that stand; and, in a single-choice poll, each voter's changes end
        at their current answer, so an answer gains at most what it loses plus its holders."""
        after = self._moved()
        self.lp.constrain(add(after, scaled(self._change_counts["changes"], -1)), upper=0)
        classes = ((("anonymous",), ("anonymous",)), (MEMBER_ENGAGEMENTS, ("member", "verified")))
        for engagements, strata in classes:
            moved = self._moved(engagements=engagements)
            if self._has_history:
                ballots = add(*(e for (_, s), e in self._ballots.items() if s in strata))
                answers = add(*(self._answers(s) for s in strata))
                self.lp.constrain(add(moved, answers, scaled(ballots, -1)), upper=0)
            if self.kind != "single":
                continue
            for option_id in self.option_labels:
                gained = self._moved(engagements=engagements, gained=option_id)
                lost = self._moved(engagements=engagements, lost=option_id)
                holding = add(
                    *(e for (s, _, c), e in self.atoms.items() if s in strata and c == option_id)
                )
                self.lp.constrain(add(gained, scaled(lost, -1), scaled(holding, -1)), upper=0)

    def _changes_expression(self, row: tuple) -> Expression:
        kind, who = row[0], row[1] if len(row) > 1 else "all"
        roles = ROLES if who == "all" else (who,)
        if kind == BEFORE_DISCUSSION:
            return add(self._change_counts["changes"], scaled(self._moved(), -1))
        if kind == "changed":
            return self._moved(roles)
        if kind == "engaged":
            return self._moved(roles, engagements=(row[2],))
        engagements = (row[4],) if len(row) == 5 else ENGAGEMENTS
        return self._moved(roles, (row[2], row[3]), engagements)

    def expression(self, key: Key) -> Expression:
        """The count `key` as a sum of the unknowns."""
        if key.row[0] in ("moved", "engaged", "changed", BEFORE_DISCUSSION):
            return self._changes_expression(key.row)
        if key.row[0] == "period":
            return add(*(self._period_ballots(key.row, s) for s in key.strata))
        if key.row[0] in CHANGE_COUNTS:
            return self._change_counts[key.row[0]]
        return add(
            *(
                self.atoms[(s, g, key.column)]
                for s in key.strata
                for g in FINE_GROUPS
                if in_row(key.row, g) and (s, g, key.column) in self.atoms
            )
        )

    def _period_ballots(self, row: tuple, stratum: str) -> Expression:
        if (row, stratum) not in self._ballots:
            self._ballots[(row, stratum)] = self.lp.variable(f"ballots{row}{stratum}")
        return self._ballots[(row, stratum)]

    def _constrain(self, item: Published) -> None:
        expression = self.expression(item.key)
        if item.disclosure == SHOWN and item.count is not None:
            self.lp.constrain(expression, item.count, item.count)
        elif item.disclosure == FEWER:
            self.lp.constrain(expression, 0, self.k - 1)
        elif item.disclosure == HIDDEN:
            self.lp.constrain(expression, lower=self.k)

    # Reading the documents --------------------------------------------------------------------

    def _read(self, document: dict, first: dict) -> None:
        scope, by = document["scope"], document["breakdown"]["by"]
        strata, where = SCOPE_STRATA[scope], f"{scope} by {by}"
        for field in ("poll_id", "kind", "min_group_size"):
            if document[field] != first[field]:
                self.problems.append(f"{where}: {field} is {document[field]}, not {first[field]}")
        if [o["id"] for o in document["options"]] != list(self.option_labels):
            self.problems.append(f"{where}: the options differ from the other views")
        total = Key(("overall",), VOTERS, strata)
        self._publish(total, document["total"], document["total_disclosure"], where)
        for option in document["options"]:
            key = Key(("overall",), option["id"], strata)
            self._publish(key, option["count"], option["disclosure"], where)
            if option["count"] is None or document["total"] is None:
                for field in ("share", "ci95"):
                    if option.get(field) is not None:
                        self.problems.append(
                            f"{where}: {self.describe(key)} gives a {field} but hides its count"
                        )
        self._read_groups(document["breakdown"], strata, where)
        if document.get("history") is not None:
            self._read_history(document["history"], strata, where)

    def _read_groups(self, breakdown: dict, strata: tuple, where: str) -> None:
        by = breakdown["by"]
        expected = ROLES if by == "role" else DISCIPLINES
        rows = {key: (by, key) for key in expected}
        if by == "discipline":
            # The professionals' total, should the discipline view give it, is the role's row.
            rows["professional"] = ("role", "professional")
        keys = [group["key"] for group in breakdown["groups"]]
        if sorted(set(keys) & set(expected)) != sorted(expected) or set(keys) - set(rows):
            self.problems.append(f"{where}: groups {keys}, expected each of {list(expected)}")
        for group in breakdown["groups"]:
            if group["key"] not in rows:
                continue
            row = rows[group["key"]]
            disclosure, suppressed = group["disclosure"], group["suppressed"]
            self._publish(Key(row, VOTERS, strata), group["total"], disclosure, where, suppressed)
            for cell in group["options"]:
                key = Key(row, cell["id"], strata)
                self._publish(key, cell["count"], cell["disclosure"], where, cell["suppressed"])

    def _read_history(self, history: dict, strata: tuple, where: str) -> None:
        self._has_history = True
        for period in history["periods"]:
            row = ("period", period["start"], period["end"])
            for stratum in STRATA:
                self._period_ballots(row, stratum)
            key = Key(row, BALLOTS, strata)
            self._publish(key, period["ballots"], period["disclosure"], where)
        for name in CHANGE_COUNTS:
            count = history[name]
            self._publish(Key((name,), COUNT, STRATA), count["count"], count["disclosure"], where)

    def _read_changes(self, document: dict, first: dict) -> None:
        where = "changes"
        for field in ("poll_id", "kind", "min_group_size"):
            if document[field] != first[field]:
                self.problems.append(f"{where}: {field} is {document[field]}, not {first[field]}")
        if [g["key"] for g in document["groups"]] != list(WHO):
            self.problems.append(f"{where}: groups {document['groups']}, expected {list(WHO)}")
        self._read_moves(document["moves"], where)
        self._read_engagement(document["engagement"], where)

    def _read_moves(self, moves: list, where: str) -> None:
        listed = [(m["from"]["id"], m["to"]["id"]) for m in moves]
        if listed != (self.pairs if self.kind == "single" else []):
            self.problems.append(f"{where}: the moves listed are {listed}, not every pair")
        for move in moves:
            pair = (move["from"]["id"], move["to"]["id"])
            if [c["key"] for c in move["counts"]] != list(WHO):
                self.problems.append(f"{where}: move {pair} gives groups out of order")
            for cell in move["counts"]:
                key = Key(("moved", cell["key"], *pair), COUNT, STRATA)
                self._publish(key, cell["count"], cell["disclosure"], where)

    def _read_engagement(self, engagement: list, where: str) -> None:
        if [g["key"] for g in engagement] != list(WHO):
            self.problems.append(f"{where}: engagement is not given for every group")
        for group in engagement:
            key = Key(("changed", group["key"]), COUNT, STRATA)
            self._publish(key, group["count"], group["disclosure"], where)
            if [c["key"] for c in group["by"]] != list(ENGAGEMENTS):
                self.problems.append(f"{where}: {group['key']} does not list every engagement")
            for cell in group["by"]:
                key = Key(("engaged", group["key"], cell["key"]), COUNT, STRATA)
                self._publish(key, cell["count"], cell["disclosure"], where)

    def _compare_changes_csv(self, text: str, document: dict | None) -> None:
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or list(rows[0]) != CHANGES_CSV_COLUMNS:
            self.problems.append(f"the changes CSV has columns {list(rows[0]) if rows else []}")
            return
        if document is None:
            self.problems.append("a changes CSV was given without its JSON")
            return
        fields = ("table", "group_key", "from_option_id", "to_option_id", "engagement")
        fields += ("count", "suppressed", "disclosure")
        actual = [tuple(r[f] for f in fields) for r in rows]
        differences = [
            f"changes CSV, line {line}: the JSON says {want}, the CSV {got}"
            for line, (want, got) in enumerate(
                zip_longest(changes_csv_cells(document), actual), start=2
            )
            if want != got
        ]
        self.problems.extend(differences[:5])

    def _publish(self, key, count, disclosure, where, suppressed=None) -> None:
        label = f"{where}: {self.describe(key)}"
        if disclosure not in (SHOWN, FEWER, HIDDEN, WITHHELD):
            self.problems.append(f"{label}: unknown disclosure {disclosure!r}")
            return
        if (count is None) != (disclosure != SHOWN):
            self.problems.append(f"{label}: count {count} with disclosure {disclosure!r}")
        if suppressed is not None and suppressed != (disclosure != SHOWN):
            self.problems.append(f"{label}: suppressed={suppressed} with {disclosure!r}")
        earlier = self.published.get(key)
        if earlier is None:
            self.published[key] = Published(key, count, disclosure, where)
        elif (earlier.count, earlier.disclosure) != (count, disclosure):
            self.problems.append(
                f"{label} is {count} ({disclosure}), but {earlier.count} ({earlier.disclosure})"
                f" in {earlier.where}"
            )

    def _compare_csv(self, text: str, views: dict) -> None:
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or list(rows[0]) != CSV_COLUMNS:
            self.problems.append(f"a CSV download has columns {list(rows[0]) if rows else []}")
            return
        scope = SCOPE_NAMES.get(rows[0]["scope"], rows[0]["scope"])
        by = rows[0]["breakdown"]
        document = views.get((by, scope))
        if document is None:
            self.problems.append(f"a CSV download is of {scope} by {by}, which has no JSON")
            return
        expected = [(SCOPE_NAMES.get(r["scope"]), r["breakdown"]) for r in rows]
        if set(expected) != {(scope, by)}:
            self.problems.append(f"CSV {scope} by {by} mixes views: {sorted(set(expected))}")
        actual = [
            (r["group_key"], r["option_id"], r["count"], r["suppressed"], r["disclosure"])
            for r in rows
        ]
        differences = [
            f"CSV {scope} by {by}, line {line}: the JSON says {want}, the CSV {got}"
            for line, (want, got) in enumerate(zip_longest(csv_cells(document), actual), start=2)
            if want != got
        ]
        self.problems.extend(differences[:5])

    # What can be proven -----------------------------------------------------------------------

    def violations(self, truth: dict[Key, int]) -> list[str]:
        """Every broken promise, as a sentence; empty when the publication is safe."""
        found = [*self.problems, *self._untrue(truth)]
        try:
            found += self._fewer_proven_positive(truth)
            found += self._small_counts_worked_out(truth)
        except Infeasible:
            found.append("No counts agree with everything published: the views contradict.")
        return found

    def _untrue(self, truth: dict[Key, int]) -> list[str]:
        found = []
        for key, item in self.published.items():
            true = truth.get(key)
            if true is None:
                found.append(f"no true value was given for {self.describe(key)}")
            elif not _holds(item, true, self.k):
                found.append(
                    f"{item.where}: {self.describe(key)} is published as {item.count} "
                    f"({item.disclosure}) but is {true}"
                )
        return found

    def _fewer_proven_positive(self, truth: dict[Key, int]) -> list[str]:
        """(a), for counts read as "fewer than k" and for small counts that are withheld."""
        fewer = {
            k: self.expression(k)
            for k, p in self.published.items()
            if p.disclosure == FEWER or (p.disclosure == WITHHELD and 0 < truth.get(k, 0) < self.k)
        }
        solution = self.lp.optimum(add(*fewer.values()))
        found = []
        for key, expression in fewer.items():
            if value(expression, solution) <= TOLERANCE:
                continue
            low = value(expression, self.lp.optimum(expression))
            if low > TOLERANCE:
                item = self.published[key]
                found.append(
                    f"{item.where}: {self.describe(key)} is published as {item.disclosure} "
                    f"(k={self.k}) but is provably at least {low:.4g} (true value {truth.get(key)})"
                )
        return found

    def checked_keys(self) -> list[Key]:
        """The published counts, and those obtained by subtracting one scope from another."""
        derived = [
            Key(row, column, strata)
            for row in table_rows()
            for column in self.columns
            for strata in DERIVED_STRATA
        ]
        if any(key.row[0] == "changed" for key in self.published):
            derived.append(Key((BEFORE_DISCUSSION,), COUNT, STRATA))
            derived += [
                Key(("moved", role, *pair, engagement), COUNT, STRATA)
                for role in ROLES
                for pair in (self.pairs if self.kind == "single" else ())
                for engagement in ENGAGEMENTS
            ]
        return list(dict.fromkeys([*self.published, *derived]))

    def _small_counts_worked_out(self, truth: dict[Key, int]) -> list[str]:
        """Counts of 1 to k-1 whose range is less than a whole unit either side of the truth.

        The truth is always in range, so the range holds two whole numbers exactly when the
        count can be 1 lower or 1 higher. Two batched solves settle most counts at once.
        """
        small = {key: truth[key] for key in self.checked_keys() if 1 <= truth.get(key, 0) < self.k}
        lows = {key: self.expression(key) for key in small}
        highs = {key: self._capped(key, small[key] + 1) for key in small}
        solution = self.lp.optimum(add(*lows.values()))
        pending = [key for key in small if value(lows[key], solution) > small[key] - 1 + TOLERANCE]
        if not pending:
            return []
        solution = self.lp.optimum(add(*(highs[key] for key in pending)), maximise=True)
        pending = [k for k in pending if value(highs[k], solution) < small[k] + 1 - TOLERANCE]
        found = []
        for key in pending:
            low = value(lows[key], self.lp.optimum(lows[key]))
            high = value(highs[key], self.lp.optimum(highs[key], maximise=True))
            if low > small[key] - 1 + TOLERANCE and high < small[key] + 1 - TOLERANCE:
                item = self.published.get(key)
                where = f"{item.where}: " if item else "by subtraction: "
                found.append(
                    f"{where}{self.describe(key)} (true value {small[key]}) can be worked out: "
                    f"every consistent reading puts it between {low:.4g} and {high:.4g}"
                )
        return found

    def _capped(self, key: Key, cap: int) -> Expression:
        """A variable at most `cap` and at most the count: maximising it is always bounded."""
        if (key, cap) not in self._caps:
            capped = self.lp.variable(f"cap{key}", upper=cap)
            self.lp.constrain(add(capped, scaled(self.expression(key), -1)), upper=0)
            self._caps[(key, cap)] = capped
        return self._caps[(key, cap)]

    def describe(self, key: Key) -> str:
        kind = key.row[0]
        if kind == BEFORE_DISCUSSION:
            return "changes made before the discussion opened"
        if kind in ("moved", "engaged", "changed"):
            who = "all voters" if key.row[1] == "all" else f"role {key.row[1]}"
            if kind == "changed":
                return f"changes after the discussion opened, {who}"
            if kind == "engaged":
                return f"changes after the discussion opened, {who}, {key.row[2]}"
            labels = [self.option_labels.get(option_id) for option_id in key.row[2:4]]
            how = f", {key.row[4]}" if len(key.row) == 5 else ""
            return f"changes from {labels[0]!r} to {labels[1]!r}, {who}{how}"
        if kind in CHANGE_COUNTS:
            return kind.replace("_", " ") + " (whole poll)"
        if kind == "period":
            return f"ballots from {key.row[1]} to {key.row[2]}, {STRATA_LABELS[key.strata]}"
        who = {"overall": "all voters", "role": f"role {key.row[-1]}"}.get(
            kind, f"discipline {key.row[-1]}"
        )
        what = (
            "number of voters"
            if key.column == VOTERS
            else f"answer {key.column} {self.option_labels.get(key.column)!r}"
        )
        return f"{who}, {what}, {STRATA_LABELS[key.strata]}"


def _holds(item: Published, true: int, k: int) -> bool:
    if item.disclosure == SHOWN:
        return item.count == true
    if item.disclosure == FEWER:
        return 0 <= true < k
    if item.disclosure == WITHHELD:
        return True  # a withheld count claims nothing
    return true >= k


def csv_cells(document: dict):
    """The rows a CSV download of `document` must have, as the reader compares them."""

    def cell(group_key, option_id, count, disclosure):
        suppressed = "no" if disclosure == SHOWN else "yes"
        shown = "" if count is None else str(count)
        return (group_key, str(option_id), shown, suppressed, disclosure)

    yield cell("all", "", document["total"], document["total_disclosure"])
    for option in document["options"]:
        yield cell("all", option["id"], option["count"], option["disclosure"])
    for group in document["breakdown"]["groups"]:
        yield cell(group["key"], "", group["total"], group["disclosure"])
        for option in group["options"]:
            yield cell(group["key"], option["id"], option["count"], option["disclosure"])


def changes_csv_cells(document: dict):
    """The rows a changes CSV download of `document` must have, as the reader compares them."""

    def cell(table, group_key, from_id, to_id, engagement, count, disclosure):
        suppressed = "no" if disclosure == SHOWN else "yes"
        shown = "" if count is None else str(count)
        return (
            table,
            group_key,
            str(from_id),
            str(to_id),
            engagement,
            shown,
            suppressed,
            disclosure,
        )

    for move in document["moves"]:
        for c in move["counts"]:
            yield cell(
                "moves",
                c["key"],
                move["from"]["id"],
                move["to"]["id"],
                "",
                c["count"],
                c["disclosure"],
            )
    for group in document["engagement"]:
        yield cell("engagement", group["key"], "", "", "", group["count"], group["disclosure"])
        for c in group["by"]:
            yield cell("engagement", group["key"], "", "", c["key"], c["count"], c["disclosure"])
