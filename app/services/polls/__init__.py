"""Polls: voting, the tallies votes keep, results with their statistics and suppression."""

from app.services.errors import DomainError


class PollError(DomainError):
    """Something a poll refuses; the message is shown to the voter or reader."""
