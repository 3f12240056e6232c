"""Shared pieces of the JSON API: query-string arguments and errors."""

from flask import abort, request
from flask_babel import gettext as _

from app.views import LARGEST_PAGE, whole_number


def api_error(status: int, message: str):
    """Stop the request with `{"error": {"status", "message"}}` (rendered by app.errors)."""
    abort(status, description=message)


def positive_int_arg(name: str, default: int, *, maximum: int = LARGEST_PAGE) -> int:
    """A query-string integer from 1 to `maximum`, or a 400 error."""
    raw = request.args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not raw.isdecimal() or not raw.strip("0"):
        api_error(400, _("'%(name)s' must be a positive integer.", name=name))
    value = whole_number(raw, maximum)
    if value is None:
        api_error(400, _("'%(name)s' must be at most %(maximum)s.", name=name, maximum=maximum))
    return value


def choice_arg(name: str, choices: list[str], default: str) -> str:
    """A query-string value from a fixed list, or a 400 error naming the allowed values."""
    value = request.args.get(name, default)
    if value not in choices:
        api_error(
            400, _("'%(name)s' must be one of: %(choices)s.", name=name, choices=", ".join(choices))
        )
    return value
