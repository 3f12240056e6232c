"""Who asks the read side for something: a member, or an anonymous reader with a voter cookie."""

from dataclasses import dataclass

from app.models import StaffLevel, User


@dataclass(frozen=True)
class Viewer:
    member: User | None = None
    # An anonymous reader's voter-cookie token; members are known by their account instead.
    voter_token: str | None = None

    @property
    def member_id(self) -> int | None:
        return self.member.id if self.member is not None else None

    @property
    def staff_level(self) -> StaffLevel | None:
        return self.member.staff_level if self.member is not None else None

    def has_staff_level(self, level: StaffLevel) -> bool:
        return self.member is not None and self.member.has_staff_level(level)


ANONYMOUS = Viewer()
