"""What views of both faces share: a lookup that 404s and the ?page= argument of pages."""

from flask import abort, request


def found_or_404(value, description: str | None = None):
    """`value` unless the read side found nothing, in which case the request is a 404."""
    if value is None:
        abort(404, description=description)
    return value


def page_or_404(pagination):
    """A page past the end of a list is a missing page, as is any page below 1."""
    if not pagination.items and pagination.page != 1:
        abort(404)
    return pagination


def page_number() -> int:
    """The ?page= argument; anything but a positive whole number is a missing page."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(404)
    return int(raw)
