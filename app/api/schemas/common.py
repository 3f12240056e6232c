"""What request bodies of the API share: validation by their schema, with messages for people."""

from typing import ClassVar

from pydantic import ConfigDict, ValidationError

from app.schemas.base import Schema


class BadRequestBody(ValueError):
    """The body does not fit its schema; the message says how, for the 400 answer."""


class RequestBody(Schema):
    """A JSON object sent by a client. Unknown properties are ignored, as they always were."""

    model_config = ConfigDict(extra="ignore")

    # The message when the body is not a JSON object, and per property when it is wrong
    # (or per property and pydantic error type, e.g. ("option_ids", "too_short"), first);
    # marked with lazy_gettext, they are said in the reader's language.
    not_an_object: ClassVar[object]
    invalid: ClassVar[dict[str | tuple[str, str], object]]

    @classmethod
    def parse(cls, body):
        if not isinstance(body, dict):
            raise BadRequestBody(str(cls.not_an_object))
        try:
            return cls.model_validate(body)
        except ValidationError as error:
            # Errors come in the order the properties are declared: the first one is reported.
            first = error.errors()[0]
            field = first["loc"][0]
            message = cls.invalid.get((field, first["type"])) or cls.invalid[field]
            raise BadRequestBody(str(message)) from None
