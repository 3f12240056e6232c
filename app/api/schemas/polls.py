"""API bodies for polls: the poll without results, the ballot, and the answer to a vote."""

from datetime import datetime
from typing import Annotated, Literal

from flask_babel import lazy_gettext as _l
from pydantic import Field, StrictInt, StrictStr, WithJsonSchema

from app.api.schemas.common import RequestBody
from app.models import CommunityRole, Poll, PollKind, PollStatus, ResultsVisibility
from app.schemas.base import Schema, Timestamp, values_of
from app.schemas.poll_results import PollResults


class PollOption(Schema):
    id: int
    label: str


class PollSummary(Schema):
    """A poll's question, settings and options, without results."""

    id: int
    question: str
    kind: values_of(PollKind)
    status: values_of(PollStatus)
    opens_at: Timestamp | None
    closes_at: Timestamp | None = Field(
        description="When the poll closes or closed; null if it has no end."
    )
    allow_anonymous: bool
    results_visibility: values_of(ResultsVisibility)
    options: list[PollOption]

    @classmethod
    def from_poll(cls, poll: Poll, now: datetime | None = None) -> "PollSummary":
        return cls(
            id=poll.id,
            question=poll.question,
            kind=poll.kind.value,
            status=poll.status(now).value,
            opens_at=poll.opens_at,
            closes_at=poll.closed_at or poll.closes_at,
            allow_anonymous=poll.allow_anonymous,
            results_visibility=poll.results_visibility.value,
            options=[PollOption(id=option.id, label=option.label) for option in poll.options],
        )


# Any string is accepted so that the voting service, not the schema, refuses an unknown role
# with the message it gives anonymous readers; members' ballots ignore the role.
DeclaredRole = Annotated[
    StrictStr | None,
    WithJsonSchema(
        {"type": ["string", "null"], "enum": [*(role.value for role in CommunityRole), None]}
    ),
]


BALLOT_EXAMPLE = '{"option_ids": [1], "role": "client"}'


class Ballot(RequestBody):
    """A vote: the chosen options and, for anonymous readers, their role."""

    not_an_object = _l(
        "The request body is not valid JSON. Send a JSON object such as %(example)s.",
        example=BALLOT_EXAMPLE,
    )
    invalid = {
        "option_ids": _l(
            "'option_ids' must be a list of option ids (integers). Send a JSON object such as "
            "%(example)s.",
            example=BALLOT_EXAMPLE,
        ),
        ("option_ids", "too_short"): _l("Choose an answer before voting."),
        "role": _l("'role' must be one of: client, professional, reader."),
    }

    option_ids: list[StrictInt] = Field(
        min_length=1, description="One option for a single-choice poll, one or more otherwise."
    )
    role: DeclaredRole = Field(
        default=None,
        description="Anonymous readers only: client, professional, or neither "
        "(reader). Members vote with the role of their profile.",
    )


YourAnswer = Annotated[list[int], Field(description="Option ids.")]


class ResultsAfterVote(PollResults):
    """The vote is counted and the results are visible to the voter."""

    voted: Literal[True]
    your_answer: YourAnswer


class HiddenResultsAfterVote(Schema):
    """The vote is counted; the poll shows its results later."""

    voted: Literal[True]
    your_answer: YourAnswer
    results: None
    message: str
