"""Moderation: reports, the review queue, sanctions, verification and the audit log."""


class ModerationError(ValueError):
    """An action the rules refuse, with a message fit to show."""
