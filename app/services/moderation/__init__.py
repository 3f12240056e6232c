"""Moderation: reports, the review queue, sanctions, verification and the audit log."""

from app.services.errors import DomainError


class ModerationError(DomainError):
    """An action the rules refuse, with a message fit to show."""
