"""The JSON error of the API, built by app.errors for every failed request under /api/v1."""

from pydantic import Field

from app.schemas.base import Schema


class ErrorDetail(Schema):
    status: int = Field(description="The HTTP status code.")
    message: str = Field(description="What went wrong, for people.")


class Error(Schema):
    """Every error under /api/v1 has this shape."""

    error: ErrorDetail

    @classmethod
    def of(cls, status: int, message: str) -> "Error":
        return cls(error=ErrorDetail(status=status, message=message))
