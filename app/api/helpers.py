"""Shared pieces of the JSON API: argument parsing, errors, pagination and common shapes."""

from datetime import datetime

from flask import abort, request

from app.models import Poll, iso_utc


def api_error(status: int, message: str):
    """Stop the request with `{"error": {"status", "message"}}` (rendered by app.errors)."""
    abort(status, description=message)


def positive_int_arg(name: str, default: int, *, maximum: int | None = None) -> int:
    """A query-string integer of at least 1 (and at most `maximum`), or a 400 error."""
    raw = request.args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not raw.isdecimal() or int(raw) < 1:
        api_error(400, f"'{name}' must be a positive integer.")
    value = int(raw)
    if maximum is not None and value > maximum:
        api_error(400, f"'{name}' must be at most {maximum}.")
    return value


def choice_arg(name: str, choices: list[str], default: str) -> str:
    """A query-string value from a fixed list, or a 400 error naming the allowed values."""
    value = request.args.get(name, default)
    if value not in choices:
        api_error(400, f"'{name}' must be one of: {', '.join(choices)}.")
    return value


def page_json(pagination, items: list) -> dict:
    """The envelope of every paginated list: items, page, pages, total."""
    return {
        "items": items,
        "page": pagination.page,
        "pages": pagination.pages,
        "total": pagination.total,
    }


def isoformat(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z suffix, as every timestamp in the API."""
    return iso_utc(moment, zulu=True)


def poll_json(poll: Poll, now: datetime | None = None) -> dict:
    """A poll's question, settings and options, without any results."""
    return {
        "id": poll.id,
        "question": poll.question,
        "kind": poll.kind.value,
        "status": poll.status(now).value,
        "opens_at": isoformat(poll.opens_at),
        "closes_at": isoformat(poll.closed_at or poll.closes_at),
        "allow_anonymous": poll.allow_anonymous,
        "results_visibility": poll.results_visibility.value,
        "options": [{"id": option.id, "label": option.label} for option in poll.options],
    }
