"""Reading an article's TOML file: how its poll's voters lean, and its threaded discussion.

Each demo article `NN-name.md` has a `NN-name.toml` next to it with three parts:

- `[leanings]`: per community role, a weight per poll option (single choice) or the chance
  of ticking each option (multiple choice);
- `[votes]`: the answers of named members, by option label (a list for multiple choice);
- `[[threads]]`: comments in posting order, each an `author` and a `text`, with its
  `[[threads.replies]]` (and their `[[threads.replies.replies]]`...) nested under it.
  Long texts are wrapped with TOML's line-ending backslash, a space kept before it.
"""

import tomllib
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path

from app.demo import data
from app.models import CommunityRole, PollKind

PERSONAS = frozenset(persona[0] for persona in data.PERSONAS)
ROLES = tuple(role.value for role in CommunityRole)


class DemoDataError(ValueError):
    """A demo data file that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Thread:
    author: str
    text: str
    replies: tuple["Thread", ...] = ()


@dataclass(frozen=True)
class Discussion:
    leanings: dict[str, tuple[float, ...]] = field(default_factory=dict)
    votes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    threads: tuple[Thread, ...] = ()


class _Problem(Exception):
    """Raised while checking one file; load_discussion adds the file's name."""


def load_discussion(path: Path, options: list[str], kind: PollKind) -> Discussion:
    """The discussion in `path`, checked against the article's poll `options` and `kind`."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DemoDataError(f"{path.name}: missing; every demo article needs one") from error
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path.name}: not valid TOML: {error}") from error
    try:
        _expect_keys(document, required={"leanings"}, optional={"votes", "threads"}, where="")
        return Discussion(
            leanings=_leanings(document["leanings"], len(options), kind),
            votes=_votes(document.get("votes", {}), options, kind),
            threads=_threads(document.get("threads", []), "threads", "thread"),
        )
    except _Problem as problem:
        raise DemoDataError(f"{path.name}: {problem}") from None


def _expect_table(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise _Problem(f"{where}: expected a table, got {value!r}")
    return value


def _expect_keys(table, required: set[str], optional: set[str], where: str) -> None:
    prefix = f"{where}: " if where else ""
    _expect_table(table, where)
    if missing := sorted(required - table.keys()):
        raise _Problem(f"{prefix}missing {', '.join(missing)}")
    if unknown := sorted(table.keys() - required - optional):
        expected = ", ".join(sorted(required | optional))
        raise _Problem(f"{prefix}unknown key {unknown[0]!r} (expected {expected})")


def _leanings(table, count: int, kind: PollKind) -> dict[str, tuple[float, ...]]:
    _expect_keys(table, required=set(ROLES), optional=set(), where="leanings")
    leanings = {}
    for role in ROLES:
        values = table[role]
        where = f"leanings.{role}"
        if not isinstance(values, list) or len(values) != count:
            raise _Problem(f"{where}: expected a list of {count} numbers, one per option")
        if not all(isinstance(value, Real) and not isinstance(value, bool) for value in values):
            raise _Problem(f"{where}: expected numbers, got {values!r}")
        if kind is PollKind.SINGLE and (min(values) < 0 or max(values) <= 0):
            raise _Problem(f"{where}: weights must be zero or more, and not all zero")
        if kind is PollKind.MULTIPLE and not all(0 <= value <= 1 for value in values):
            raise _Problem(f"{where}: chances must be between 0 and 1")
        leanings[role] = tuple(values)
    return leanings


def _votes(table, options: list[str], kind: PollKind) -> dict[str, tuple[int, ...]]:
    votes = {}
    for username, answer in _expect_table(table, "votes").items():
        where = f"votes.{username}"
        _check_member(username, where)
        if kind is PollKind.SINGLE:
            if not isinstance(answer, str):
                raise _Problem(f"{where}: a single-choice poll takes one option label")
            labels = [answer]
        elif isinstance(answer, list) and answer and all(isinstance(a, str) for a in answer):
            labels = answer
        else:
            raise _Problem(f"{where}: a multiple-choice poll takes a list of option labels")
        if len(set(labels)) != len(labels):
            raise _Problem(f"{where}: an option is chosen twice")
        for label in labels:
            if label not in options:
                raise _Problem(f"{where}: {label!r} is not one of the poll's options")
        votes[username] = tuple(options.index(label) for label in labels)
    return votes


def _threads(items, key: str, item_name: str) -> tuple[Thread, ...]:
    if not isinstance(items, list):
        raise _Problem(f"{key}: expected an array of tables, written [[...]]")
    return tuple(_thread(item, f"{item_name} {number}") for number, item in enumerate(items, 1))


def _thread(table, where: str) -> Thread:
    _expect_keys(table, required={"author", "text"}, optional={"replies"}, where=where)
    author, text = table["author"], table["text"]
    if not isinstance(author, str):
        raise _Problem(f"{where}: author must be a member's username")
    _check_member(author, where)
    if not isinstance(text, str) or not text.strip():
        raise _Problem(f"{where}: text must be a non-empty string")
    replies = _threads(table.get("replies", []), f"{where} > replies", f"{where} > reply")
    return Thread(author, text.strip(), replies)


def _check_member(username: str, where: str) -> None:
    if username not in PERSONAS:
        raise _Problem(f"{where}: {username!r} is not one of the demo's named members")
