"""What views of both faces share: a lookup that 404s and the ?page= argument of pages."""

from flask import abort, request

# Ids are integer columns, which hold at most this on PostgreSQL: no id is larger.
LARGEST_ID = 2**31 - 1
# No list has this many pages; beyond it, page x size would overflow the query's OFFSET.
LARGEST_PAGE = 2**31 - 1


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
    page = whole_number(request.args.get("page", "1"), LARGEST_PAGE)
    if page is None or page < 1:
        abort(404)
    return page


def whole_number(raw: str, largest: int = LARGEST_ID) -> int | None:
    """`raw` as a whole number from 0 to `largest`, or None ("²", "1e3", "-1", 2**64)."""
    digits = raw.strip()
    if not digits.isdecimal():
        return None
    digits = digits.lstrip("0") or "0"
    # Checking the length first spares int() the digits it refuses to read (over 4300).
    if len(digits) > len(str(largest)) or int(digits) > largest:
        return None
    return int(digits)
