"""What a reader asks of a discussion: sort, role and stance filters, page, as parsed values."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.models import CommunityRole
from app.services.discussion import DiscussionError


class Sort(StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    HELPFUL = "helpful"
    COMMON_GROUND = "common_ground"

    @property
    def label(self) -> str:
        return {
            "oldest": _("Oldest first"),
            "newest": _("Newest first"),
            "helpful": _("Most helpful"),
            "common_ground": _("Common ground"),
        }[self.value]


class RoleFilter(StrEnum):
    EVERYONE = "everyone"
    CLIENTS = "clients"
    PROFESSIONALS = "professionals"

    @property
    def label(self) -> str:
        return {
            "everyone": _("Everyone"),
            "clients": _("Clients"),
            "professionals": _("Professionals"),
        }[self.value]

    @property
    def role(self) -> CommunityRole | None:
        return {"clients": CommunityRole.CLIENT, "professionals": CommunityRole.PROFESSIONAL}.get(
            self.value
        )


# The last page number a reader may ask for (far past any real discussion).
MAX_PAGE = 1_000_000


class BadDiscussionQuery(DiscussionError):
    """A sort, filter or page the discussion does not understand."""


@dataclass(frozen=True)
class DiscussionQuery:
    sort: Sort = Sort.OLDEST
    role: RoleFilter = RoleFilter.EVERYONE
    stance: int | None = None
    page: int = 1
    per_page: int = 20

    @property
    def filtered(self) -> bool:
        return self.role is not RoleFilter.EVERYONE or self.stance is not None

    def args(self, **changes) -> dict:
        """Query-string arguments that reproduce this view, with changes, defaults left out."""
        values = {
            "sort": self.sort.value,
            "role": self.role.value,
            "stance": self.stance,
            "page": self.page,
            **changes,
        }
        defaults = {"sort": Sort.OLDEST.value, "role": RoleFilter.EVERYONE.value, "page": 1}
        return {
            key: value
            for key, value in values.items()
            if value is not None and defaults.get(key) != value
        }


def parse_query(args: Mapping, *, per_page: int, max_per_page: int | None = None):
    """A DiscussionQuery from request arguments; BadDiscussionQuery names the bad one."""
    sort = _choice(Sort, args.get("sort") or Sort.OLDEST.value, "sort")
    role = _choice(RoleFilter, args.get("role") or RoleFilter.EVERYONE.value, "role")
    stance = _positive_int(args.get("stance"), "stance") if args.get("stance") else None
    page = _positive_int(args.get("page") or "1", "page")
    if max_per_page is not None and args.get("per_page"):
        per_page = _positive_int(args.get("per_page"), "per_page")
        if per_page > max_per_page:
            raise BadDiscussionQuery(
                _("per_page must be between 1 and %(most)s.", most=max_per_page)
            )
    return DiscussionQuery(sort=sort, role=role, stance=stance, page=page, per_page=per_page)


def _choice(enum_cls, value, name):
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_cls)
        raise BadDiscussionQuery(
            _("%(name)s must be one of: %(allowed)s.", name=name, allowed=allowed)
        ) from None


def _positive_int(value, name) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadDiscussionQuery(_("%(name)s must be a whole number.", name=name)) from None
    if number < 1 or number > MAX_PAGE:
        raise BadDiscussionQuery(
            _(
                "%(name)s must be a whole number from 1 to %(most)s.",
                name=name,
                most=format_decimal(MAX_PAGE),
            )
        )
    return number
