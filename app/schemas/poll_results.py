"""The JSON shape of a poll's published results, shared by the API and the insights download.

`PollResults.to_json()` (app.services.polls.results) stays the one builder of this JSON, as
the insights download serves it too; these models describe it, and the API validates every
results body against them before sending it, so the document and the JSON cannot drift.
"""

from typing import Annotated, Literal

from pydantic import Field

from app.schemas.base import Schema
from app.services.polls.results import BREAKDOWNS

NullableCount = Annotated[int | None, Field(ge=0)]


class OptionResult(Schema):
    id: int
    label: str
    count: NullableCount
    share: Annotated[float | None, Field(ge=0, le=1)]
    ci95: tuple[float, float] | None = Field(description="95% Wilson interval of the share.")


class GroupCount(Schema):
    id: int
    count: NullableCount
    suppressed: bool


class GroupResult(Schema):
    key: str
    label: str
    total: NullableCount
    suppressed: bool
    options: list[GroupCount]


class Breakdown(Schema):
    by: Literal[BREAKDOWNS]
    groups: list[GroupResult]


class IndependenceTest(Schema):
    statistic: float
    dof: int
    p_value: float


class PollResults(Schema):
    """Counts, shares and intervals of a poll, overall and by group, with suppression."""

    poll_id: int
    total: NullableCount = Field(description="Voters in the scope (null if suppressed).")
    options: list[OptionResult]
    breakdown: Breakdown
    independence: IndependenceTest | None = Field(
        description="Chi-square test of independence between group and answer; null "
        "where there are not enough votes for the test to be valid."
    )
    min_group_size: int = Field(description="Smallest count shown (k).")
