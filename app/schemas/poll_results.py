"""The JSON shape of a poll's published results, shared by the API and the insights download.

`PollResults.to_json()` (app.services.polls.results) stays the one builder of this JSON, as
the insights download serves it too; these models describe it, and the API validates every
results body against them before sending it, so the document and the JSON cannot drift.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from app.schemas.base import Schema
from app.services.polls.results import BREAKDOWNS, SCOPES

NullableCount = Annotated[int | None, Field(ge=0)]
Disclosure = Annotated[
    Literal["shown", "fewer", "hidden", "withheld"],
    Field(
        description="`shown`: the count is exact; `fewer`: not shown, between 0 and "
        "`min_group_size` - 1; `hidden`: not shown, `min_group_size` or more, hidden so that "
        "a smaller count cannot be worked out; `withheld`: not shown and nothing said about "
        "it, where even those labels would let a small count be worked out."
    ),
]


class OptionResult(Schema):
    id: int
    label: str
    count: NullableCount
    disclosure: Disclosure
    share: Annotated[float | None, Field(ge=0, le=1)]
    ci95: tuple[float, float] | None = Field(description="95% Wilson interval of the share.")


class GroupCount(Schema):
    id: int
    count: NullableCount
    suppressed: bool
    disclosure: Disclosure


class GroupResult(Schema):
    key: str
    label: str
    total: NullableCount
    suppressed: bool
    disclosure: Disclosure
    options: list[GroupCount]


class Breakdown(Schema):
    by: Literal[BREAKDOWNS]
    groups: list[GroupResult]


class IndependenceTest(Schema):
    statistic: float
    dof: int
    p_value: float


class CountWithDisclosure(Schema):
    count: NullableCount
    disclosure: Disclosure


class PeriodBallots(Schema):
    start: date = Field(description="First day of the calendar week or month.")
    end: date
    ballots: NullableCount = Field(description="Ballots cast in the period, in the scope.")
    disclosure: Disclosure


class History(Schema):
    """Ballots per period since the poll opened, and changed answers (over all votes)."""

    periods: list[PeriodBallots]
    voters_who_changed: CountWithDisclosure
    changes: CountWithDisclosure


class PollResults(Schema):
    """Counts, shares and intervals of a poll, overall and by group, with suppression."""

    poll_id: int
    kind: Literal["single", "multiple"]
    scope: Literal[SCOPES]
    total: NullableCount = Field(description="Voters in the scope (null if suppressed).")
    total_disclosure: Disclosure
    options: list[OptionResult]
    breakdown: Breakdown
    independence: IndependenceTest | None = Field(
        description="Chi-square test of independence between group and answer; null "
        "where there are not enough votes for the test to be valid."
    )
    min_group_size: int = Field(description="Smallest count shown (k).")
    history: History | None = Field(
        default=None, description="Votes over time and changed answers; not after a vote."
    )


class GroupName(Schema):
    key: Literal["all", "client", "professional", "reader"]
    label: str


class GroupCountWithDisclosure(Schema):
    key: Literal["all", "client", "professional", "reader"]
    count: NullableCount
    disclosure: Disclosure


class MoveEnd(Schema):
    id: int = Field(description="The option's id.")
    label: str


class Move(Schema):
    """Changes from one answer to another, for all voters and for each community role."""

    from_: MoveEnd = Field(alias="from")
    to: MoveEnd
    counts: list[GroupCountWithDisclosure]


class EngagementCount(Schema):
    key: Literal["joined", "not_joined", "anonymous"] = Field(
        description="`joined`: members who had posted, replied or marked a comment helpful "
        "on the article since their previous ballot; `not_joined`: members who had not; "
        "`anonymous`: anonymous readers, of whom that cannot be known."
    )
    label: str
    count: NullableCount
    disclosure: Disclosure


class GroupEngagement(Schema):
    key: Literal["all", "client", "professional", "reader"]
    label: str
    count: NullableCount = Field(description="The group's changes after the discussion opened.")
    disclosure: Disclosure
    by: list[EngagementCount]


class ChangedMinds(Schema):
    """Changes of answer made after the article's first comment, with suppression.

    Each change is counted once, in the community role the voter had when making it.
    """

    poll_id: int
    kind: Literal["single", "multiple"]
    min_group_size: int = Field(description="Smallest count shown (k).")
    groups: list[GroupName]
    moves: list[Move] = Field(
        description="Every ordered pair of different answers; empty for a multiple-choice "
        "poll, whose answers are sets of options."
    )
    engagement: list[GroupEngagement]

    def to_json(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
