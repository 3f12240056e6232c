"""The base of every JSON schema: strict shapes, UTC timestamps with a Z, enums by value."""

from datetime import datetime
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema

from app.models import iso_utc


class Schema(BaseModel):
    """A JSON object with exactly the declared properties, all of them required."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def to_json(self) -> dict:
        return self.model_dump(mode="json")


def isoformat(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z suffix, as every timestamp in the API."""
    return iso_utc(moment, zulu=True)


Timestamp = Annotated[
    datetime,
    PlainSerializer(isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def values_of(enum: type[Enum]):
    """A Literal of the enum's values, so the schema lists exactly what the domain allows."""
    return Literal[tuple(member.value for member in enum)]
